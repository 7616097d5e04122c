package query_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/soql"
)

// TestResolveColumnBound: a plan reads at most soql.MaxColumns columns, counting the
// hidden Ids the shaper adds (issue 13 §2: 2,000 columns reached SQLite and answered 500).
func TestResolveColumnBound(t *testing.T) {
	fields := func(n int, name string) []soql.SelectItem {
		out := make([]soql.SelectItem, n)
		for i := range out {
			out[i] = F(name)
		}
		return out
	}
	tooMany := &query.Error{Code: "QUERY_TOO_COMPLICATED", Pos: 0, Msg: "Query is too complicated: too many columns", Plain: true}
	for _, tc := range []struct {
		name string
		q    *soql.Query
		want *query.Error // nil: resolves
	}{
		// Account: the fields plus the hidden root Id.
		{"at the bound", Q("Account", fields(soql.MaxColumns-1, "Name")...), nil},
		{"one over, by the hidden Id", Q("Account", fields(soql.MaxColumns, "Name")...), tooMany},
		// Contact → Account adds the parent's hidden Id as well.
		{"parent hop at the bound", Q("Contact", fields(soql.MaxColumns-2, "Account.Name")...), nil},
		{"one over, by the parent's hidden Id", Q("Contact", fields(soql.MaxColumns-1, "Account.Name")...), tooMany},
		{"child subquery over", Q("Account", F("Id"), Sub(Q("Contacts", fields(soql.MaxColumns, "LastName")...))), tooMany},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := query.Resolve(tc.q, Catalog(), Admin(), query.Options{Now: now})
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Resolve: %v", err)
				}
				if len(p.Columns) != soql.MaxColumns {
					t.Errorf("columns = %d, want %d (the test no longer sits at the bound)", len(p.Columns), soql.MaxColumns)
				}
				return
			}
			var qe *query.Error
			if !errors.As(err, &qe) {
				t.Fatalf("err = %v, want a *query.Error", err)
			}
			if diff := cmp.Diff(tc.want, qe); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}
