package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/soql"
)

// childNames renders each row as its first value and the first value of its children.
func childNames(res *records.Result) map[any][][]any {
	out := map[any][][]any{}
	for _, r := range res.Rows {
		var subs [][]any
		for _, ch := range r.Children {
			var names []any
			for _, c := range ch {
				names = append(names, c.Values[0])
			}
			subs = append(subs, names)
		}
		out[r.Values[0]] = subs
	}
	return out
}

func testQuerySubqueries(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	contacts := Q("Contacts", F("LastName"))
	contacts.OrderBy = []soql.Order{{Field: N("LastName"), Desc: true}}
	invoices := Q("Invoices__r", F("Name"), F("Amount__c"))
	invoices.Where = Cmp("Paid__c", "=", Bool(false))
	q := Q("Account", F("Name"), Sub(contacts), Sub(invoices))
	_, res := runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	want := map[any][][]any{
		"Acme":  {{"Smith", "Jones"}, {"I2"}},
		"Beta":  {{"Brown"}, {"I3"}},
		"gamma": {nil, nil}, // its only contact is deleted
	}
	if diff := cmp.Diff(want, childNames(res)); diff != "" {
		t.Errorf("children (-want +got):\n%s", diff)
	}
	for _, r := range res.Rows {
		if r.Values[0] == "gamma" && (len(r.Children) != 2 || len(r.Children[0]) != 0) {
			t.Errorf("gamma children = %v, want two empty entries", r.Children)
		}
	}

	// Per-parent LIMIT and OFFSET.
	contacts = Q("Contacts", F("LastName"))
	contacts.OrderBy = []soql.Order{{Field: N("LastName")}}
	contacts.Limit, contacts.Offset = 1, 1
	_, res = runQuery(t, s, org, cat, Q("Account", F("Name"), Sub(contacts)), query.Options{}, 0, 0)
	want = map[any][][]any{"Acme": {{"Smith"}}, "Beta": {nil}, "gamma": {nil}}
	if diff := cmp.Diff(want, childNames(res)); diff != "" {
		t.Errorf("paged children (-want +got):\n%s", diff)
	}

	// Parent paths inside a child subquery.
	contacts = Q("Contacts", F("Account.Parent.Name"), F("LastName"))
	contacts.Where = Cmp("Account.Parent.Name", "=", Str("Acme"))
	_, res = runQuery(t, s, org, cat, Q("Account", F("Name"), Sub(contacts)), query.Options{}, 0, 0)
	want = map[any][][]any{"Acme": {nil}, "Beta": {{"Acme"}}, "gamma": {nil}}
	if diff := cmp.Diff(want, childNames(res)); diff != "" {
		t.Errorf("children with parent paths (-want +got):\n%s", diff)
	}

	// queryAll reaches deleted children too.
	_, res = runQuery(t, s, org, cat, Q("Account", F("Name"), Sub(Q("Contacts", F("LastName")))), query.Options{IncludeDeleted: true}, 0, 0)
	if got := childNames(res)["gamma"]; !cmp.Equal(got, [][]any{{"Gone"}}) {
		t.Errorf("queryAll gamma children = %v", got)
	}
}

func testQueryAggregates(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	q := Q("Invoice__c", F("Account__r.Name"), Agg("COUNT", "Id", ""), Agg("SUM", "Amount__c", "total"),
		Agg("AVG", "Amount__c", ""), Agg("MIN", "Due__c", ""), Agg("COUNT_DISTINCT", "Paid__c", ""))
	q.GroupBy = []soql.Name{N("Account__r.Name")}
	q.OrderBy = []soql.Order{{Aggregate: Agg("COUNT", "Id", ""), Desc: true}}
	_, res := runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	want := [][]any{
		{"Acme", int64(2), 30.0, 15.0, "2024-01-10", int64(2)},
		{"Beta", int64(1), nil, nil, nil, int64(1)},
	}
	if diff := cmp.Diff(want, rowValues(res, 0)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if res.Total != 2 {
		t.Errorf("Total = %d, want 2", res.Total)
	}

	q.Having = &soql.Comparison{Aggregate: Agg("COUNT", "Id", ""), Op: ">", Value: ptr(Num(1))}
	_, res = runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	if diff := cmp.Diff([]any{"Acme"}, firstValues(res)); diff != "" {
		t.Errorf("having (-want +got):\n%s", diff)
	}

	// Integer sums and averages are doubles; MIN and MAX of text ignore case.
	ctx := t.Context()
	if err := s.Write(ctx, org, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, mustObj(t, cat, "Account"), []records.Record{{"Name": "Zeta", "Industry": "tech", "IsDeleted": false}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	q = Q("Account", Agg("SUM", "NumberOfEmployees", ""), Agg("AVG", "NumberOfEmployees", ""), Agg("MIN", "Name", ""), Agg("MAX", "Name", ""))
	_, res = runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	if diff := cmp.Diff([][]any{{15.0, 7.5, "Acme", "Zeta"}}, rowValues(res, 0)); diff != "" {
		t.Errorf("sums and text extremes (-want +got):\n%s", diff)
	}

	// Without GROUP BY: one row, even over no records.
	q = Q("Account", Agg("COUNT", "Id", ""), Agg("MAX", "AnnualRevenue", "m"))
	q.Where = Cmp("Name", "=", Str("nobody"))
	_, res = runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	if len(res.Rows) != 1 || !cmp.Equal(res.Rows[0].Values, []any{int64(0), nil}) || res.Total != 1 {
		t.Errorf("empty aggregate = %+v", res)
	}

	// GROUP BY a text field ignores case (which spelling names the group is not
	// specified); groups order by the key, nulls first.
	q = Q("Account", F("Industry"), Agg("COUNT", "Id", ""), Agg("COUNT_DISTINCT", "Industry", ""))
	q.GroupBy = []soql.Name{N("Industry")}
	q.OrderBy = []soql.Order{{Field: N("Industry")}}
	_, res = runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	got := rowValues(res, 0)
	if len(got) == 3 {
		if v, ok := got[2][0].(string); ok && strings.EqualFold(v, "tech") {
			got[2][0] = "Tech"
		}
	}
	if diff := cmp.Diff([][]any{{nil, int64(1), int64(0)}, {"Retail", int64(1), int64(1)}, {"Tech", int64(2), int64(1)}}, got); diff != "" {
		t.Errorf("group by text (-want +got):\n%s", diff)
	}
}

func testQueryCountOnly(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	q := Q("Contact", Agg("COUNT", "", ""))
	_, res := runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	if res.Total != 4 || len(res.Rows) != 0 || res.Rows == nil {
		t.Errorf("COUNT() = %+v, want Total 4 and no rows", res)
	}
	q.Limit = 2
	if _, res = runQuery(t, s, org, cat, q, query.Options{}, 0, 0); res.Total != 2 {
		t.Errorf("COUNT() LIMIT 2 = %d", res.Total)
	}
	_, res = runQuery(t, s, org, cat, Q("Contact", Agg("COUNT", "", "")), query.Options{IncludeDeleted: true}, 0, 0)
	if res.Total != 5 {
		t.Errorf("queryAll COUNT() = %d, want 5", res.Total)
	}
}

func testQueryPaging(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	order := []soql.Order{{Field: N("LastName")}}
	for _, tc := range []struct {
		name                  string
		limit, offset         int // the query's
		pageOffset, pageLimit int
		want                  []any
		total                 int
	}{
		{"whole", -1, -1, 0, 0, []any{"Brown", "Jones", "Orphan", "Smith"}, 4},
		{"first page", -1, -1, 0, 2, []any{"Brown", "Jones"}, 4},
		{"second page", -1, -1, 2, 2, []any{"Orphan", "Smith"}, 4},
		{"past the end", -1, -1, 4, 2, []any{}, 4},
		{"query limit", 3, -1, 0, 2, []any{"Brown", "Jones"}, 3},
		{"query limit last page", 3, -1, 2, 2, []any{"Orphan"}, 3},
		{"query offset", -1, 1, 0, 2, []any{"Jones", "Orphan"}, 3},
		{"query offset and limit", 2, 1, 0, 10, []any{"Jones", "Orphan"}, 2},
		{"limit 0", 0, -1, 0, 10, []any{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Q("Contact", F("LastName"))
			q.OrderBy = order
			q.Limit, q.Offset = tc.limit, tc.offset
			_, res := runQuery(t, s, org, cat, q, query.Options{}, tc.pageOffset, tc.pageLimit)
			if diff := cmp.Diff(tc.want, firstValues(res)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if res.Total != tc.total {
				t.Errorf("Total = %d, want %d", res.Total, tc.total)
			}
		})
	}
}

func testQueryVisibility(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	q := Q("Contact", F("LastName"))
	q.OrderBy = []soql.Order{{Field: N("LastName")}}
	_, res := runQueryAs(t, s, org, cat, Limited(), q, query.Options{}, 0, 0)
	if diff := cmp.Diff([]any{"Brown", "Orphan", "Smith"}, firstValues(res)); diff != "" {
		t.Errorf("own contacts (-want +got):\n%s", diff)
	}
}

func testQueryIncludeDeleted(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	q := Q("Account", F("Name"), F("IsDeleted"))
	q.OrderBy = []soql.Order{{Field: N("Name")}}
	_, res := runQuery(t, s, org, cat, q, query.Options{IncludeDeleted: true}, 0, 0)
	want := [][]any{{"Acme", false}, {"Beta", false}, {"Deleted", true}, {"gamma", false}}
	if diff := cmp.Diff(want, rowValues(res, 2)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func testQueryUnsyncedObject(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	p, err := query.Resolve(Q("Account", F("Name")), cat, Admin(), query.Options{Now: QueryNow})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = s.Query(context.Background(), unsyncedOrg, p, 0, 0); !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Query on an org without tables = %v, want ErrUnknownObject", err)
	}
	if err = s.Scan(context.Background(), unsyncedOrg, p, func(records.Row) error { return nil }); !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Scan on an org without tables = %v, want ErrUnknownObject", err)
	}
}

// More parents than one child query takes (backends read children in chunks).
func testQueryChildrenOfManyParents(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	ctx := t.Context()
	const n = 1500
	err := s.Write(ctx, org, func(tx records.Tx) error {
		var accts []records.Record
		for i := range n {
			accts = append(accts, records.Record{"Name": fmt.Sprintf("Many %d", i+1), "IsDeleted": false})
		}
		ids, err := tx.Insert(ctx, mustObj(t, cat, "Account"), accts)
		if err != nil {
			return err
		}
		var cons []records.Record
		for i, id := range ids {
			cons = append(cons, records.Record{"LastName": fmt.Sprintf("Child of Many %d", i+1), "AccountId": string(id), "IsDeleted": false})
		}
		_, err = tx.Insert(ctx, mustObj(t, cat, "Contact"), cons)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	q := Q("Account", F("Name"), Sub(Q("Contacts", F("LastName"))))
	q.Where = Cmp("Name", "LIKE", Str("Many %"))
	_, res := runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	if len(res.Rows) != n {
		t.Fatalf("rows = %d, want %d", len(res.Rows), n)
	}
	for _, r := range res.Rows {
		if len(r.Children[0]) != 1 || r.Children[0][0].Values[0] != "Child of "+r.Values[0].(string) {
			t.Fatalf("%v children = %v", r.Values[0], r.Children[0])
		}
	}
}

// Scan reads the whole result in order, as Query does, within LIMIT and OFFSET; it
// refuses child subqueries and COUNT(); fn's error ends it.
func testQueryScan(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	ctx := t.Context()
	plan := func(q *soql.Query) *query.Plan {
		p, err := query.Resolve(q, cat, Admin(), query.Options{Now: QueryNow})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	scan := func(p *query.Plan) ([][]any, error) {
		var out [][]any
		err := s.Scan(ctx, org, p, func(r records.Row) error { out = append(out, r.Values[:2]); return nil })
		return out, err
	}
	q := Q("Contact", F("LastName"), F("Account.Name"))
	q.OrderBy = []soql.Order{{Field: N("LastName"), Desc: true}}
	got, err := scan(plan(q))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{{"Smith", "Acme"}, {"Orphan", nil}, {"Jones", "Acme"}, {"Brown", "Beta"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scan (-want +got):\n%s", diff)
	}
	q.Limit, q.Offset = 2, 1
	if got, err = scan(plan(q)); err != nil || !cmp.Equal(got, want[1:3]) {
		t.Errorf("scan LIMIT 2 OFFSET 1 = %v, %v", got, err)
	}
	agg := Q("Contact", F("AccountId"), Agg("COUNT", "Id", ""))
	agg.GroupBy = []soql.Name{N("AccountId")}
	if got, err = scan(plan(agg)); err != nil || len(got) != 3 || got[0][0] != nil || got[0][1] != int64(1) {
		t.Errorf("scan of an aggregate = %v, %v", got, err)
	}
	if _, err := scan(plan(Q("Account", F("Name"), Sub(Q("Contacts", F("LastName")))))); err == nil {
		t.Error("scan with a child subquery: no error")
	}
	if _, err := scan(plan(Q("Account", Agg("COUNT", "", "")))); err == nil {
		t.Error("scan of COUNT(): no error")
	}
	boom := errors.New("boom")
	calls := 0
	err = s.Scan(ctx, org, plan(Q("Contact", F("LastName"))), func(records.Row) error { calls++; return boom })
	if !errors.Is(err, boom) || calls != 1 {
		t.Errorf("scan ended by fn: %v after %d calls", err, calls)
	}
}
