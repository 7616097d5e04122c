package query_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/soql"
)

func TestResolveAggregates(t *testing.T) {
	q := Q("Invoice__c", F("Account__r.Name"), Agg("COUNT", "Id", ""), Agg("SUM", "Amount__c", "total"), Agg("MAX", "Due__c", ""))
	q.GroupBy = []soql.Name{N("Account__r.Name")}
	q.Having = &soql.Comparison{Aggregate: Agg("COUNT", "Id", ""), Op: ">", Value: ptr(Num(1))}
	q.OrderBy = []soql.Order{{Aggregate: Agg("SUM", "Amount__c", ""), Desc: true}}
	p := resolve(t, q, Admin())
	if !p.Aggregate || p.CountOnly {
		t.Errorf("Aggregate, CountOnly = %v, %v", p.Aggregate, p.CountOnly)
	}
	want := []string{"Account__r.Name", "expr0=COUNT(Id)", "total=SUM(Amount__c)", "expr1=MAX(Due__c)"}
	if diff := cmp.Diff(want, columns(p)); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	if got := cond(p.Having); got != "expr0 > int64:1" {
		t.Errorf("having = %s", got)
	}
	if len(p.OrderBy) != 1 || p.OrderBy[0].Column != &p.Columns[2] || p.OrderBy[0].NullsFirst {
		t.Errorf("order by = %+v", p.OrderBy)
	}
	if len(p.GroupBy) != 1 || p.GroupBy[0].Name != "Account__r.Name" {
		t.Errorf("group by = %+v", p.GroupBy)
	}
}

func TestResolveCountOnly(t *testing.T) {
	p := resolve(t, Q("Account", Agg("COUNT", "", "")), Admin())
	if !p.CountOnly || p.Aggregate || len(p.Columns) != 0 {
		t.Errorf("CountOnly %v Aggregate %v columns %v", p.CountOnly, p.Aggregate, columns(p))
	}
}

func TestResolveOrderBy(t *testing.T) {
	q := Q("Account", F("Name"))
	q.OrderBy = []soql.Order{{Field: N("Name")}, {Field: N("Industry"), Desc: true}, {Field: N("Owner.Name"), Nulls: soql.NullsLast}}
	q.Limit, q.Offset = 10, 5
	p := resolve(t, q, Admin())
	type item struct {
		Name             string
		Desc, NullsFirst bool
	}
	var got []item
	for _, o := range p.OrderBy {
		got = append(got, item{o.Path.Name, o.Desc, o.NullsFirst})
	}
	want := []item{{"Name", false, true}, {"Industry", true, false}, {"Owner.Name", false, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order by (-want +got):\n%s", diff)
	}
	if p.Limit != 10 || p.Offset != 5 {
		t.Errorf("limit, offset = %d, %d", p.Limit, p.Offset)
	}
}

func TestResolveVisibility(t *testing.T) {
	// Contact is Private: the limited user reads their own.
	p := resolve(t, Q("Contact", F("LastName")), Limited())
	if p.OwnerID != UserID {
		t.Errorf("OwnerID = %q, want %q", p.OwnerID, UserID)
	}
	if p := resolve(t, Q("Contact", F("LastName")), Admin()); p.OwnerID != "" {
		t.Errorf("admin OwnerID = %q", p.OwnerID)
	}
	// Account is Read/Write: everyone's rows.
	if p := resolve(t, Q("Account", F("Name")), Limited()); p.OwnerID != "" || p.Where != nil {
		t.Errorf("account OwnerID %q where %s", p.OwnerID, cond(p.Where))
	}
	// LoginHistory without ManageUsers: own rows, by UserId.
	q := Q("LoginHistory", F("LoginTime"))
	q.Where = Cmp("LoginTime", "!=", Null())
	p = resolve(t, q, Limited())
	want := "(LoginTime != <nil> AND UserId = string:" + string(UserID) + ")"
	if got := cond(p.Where); got != want {
		t.Errorf("where = %s, want %s", got, want)
	}
	// Semi-joins are filtered too.
	q = Q("Account", F("Name"))
	q.Where = Semi("Id", "IN", Q("Contact", F("AccountId")))
	p = resolve(t, q, Limited())
	if in, ok := p.Where.(*query.In); !ok || in.Sub.OwnerID != UserID {
		t.Errorf("semi-join = %s", cond(p.Where))
	}
}

func TestResolveIncludeDeleted(t *testing.T) {
	p, err := query.Resolve(Q("Account", F("Name")), Catalog(), Admin(), query.Options{Now: now, IncludeDeleted: true})
	if err != nil || !p.IncludeDeleted {
		t.Fatalf("Resolve = %v, IncludeDeleted %v", err, p != nil && p.IncludeDeleted)
	}
	if p := resolve(t, Q("Account", F("Name")), Admin()); p.IncludeDeleted {
		t.Error("IncludeDeleted without queryAll")
	}
}

func ptr[T any](v T) *T { return &v }
