package sqlite

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/schema"
)

// A restricted hop (query.Path.Filters) puts its owner rule into that hop's LEFT JOIN,
// before the WHERE arguments, so the parent reads as null instead of dropping the row.
func TestSelectHopFilterInJoin(t *testing.T) {
	cat := Catalog()
	inv, _ := cat.Object("Invoice__c")
	acct, _ := cat.Object("Account")
	rel, _ := inv.Field("Account__c")
	name, _ := acct.Field("Name")
	invName, _ := inv.Field("Name")
	hf := query.HopFilter{Field: "OwnerId", UserID: UserID}
	parent := &query.Path{Rels: []*schema.Field{rel}, Objects: []*schema.Object{acct}, Field: name, Name: "Account__r.Name", Filters: []query.HopFilter{hf}}
	p := &query.Plan{Object: inv, Limit: -1, Columns: []query.Column{{Path: parent}},
		Where: &query.Compare{Path: &query.Path{Field: invName, Name: "Name"}, Op: "=", Values: []any{"x"}}}
	b := newSelectBuilder(testOrg, p, "")
	b.colExpr(&p.Columns[0])
	body, args := b.body(false)
	if !strings.Contains(body, `LEFT JOIN`) || !strings.Contains(body, `t1."IsDeleted" = 0 AND t1."OwnerId" = ?`) {
		t.Errorf("join lacks the hop's owner rule:\n%s", body)
	}
	if diff := cmp.Diff([]any{string(UserID), "x"}, args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
}
