package sqlite

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
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

func TestQuerySubqueries(t *testing.T) {
	db, cat := fixture(t)
	contacts := Q("Contacts", F("LastName"))
	contacts.OrderBy = []soql.Order{{Field: N("LastName"), Desc: true}}
	invoices := Q("Invoices__r", F("Name"), F("Amount__c"))
	invoices.Where = Cmp("Paid__c", "=", Bool(false))
	q := Q("Account", F("Name"), Sub(contacts), Sub(invoices))
	_, res := run(t, db, cat, q, query.Options{}, 0, 0)
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
	_, res = run(t, db, cat, Q("Account", F("Name"), Sub(contacts)), query.Options{}, 0, 0)
	want = map[any][][]any{"Acme": {{"Smith"}}, "Beta": {nil}, "gamma": {nil}}
	if diff := cmp.Diff(want, childNames(res)); diff != "" {
		t.Errorf("paged children (-want +got):\n%s", diff)
	}

	// Parent paths inside a child subquery.
	contacts = Q("Contacts", F("Owner.Name"), F("LastName"))
	contacts.Where = Cmp("Owner.Name", "=", Str("Ann"))
	_, res = run(t, db, cat, Q("Account", F("Name"), Sub(contacts)), query.Options{}, 0, 0)
	want = map[any][][]any{"Acme": {{"Ann"}}, "Beta": {{"Ann"}}, "gamma": {nil}}
	if diff := cmp.Diff(want, childNames(res)); diff != "" {
		t.Errorf("children with parent paths (-want +got):\n%s", diff)
	}

	// queryAll reaches deleted children too.
	_, res = run(t, db, cat, Q("Account", F("Name"), Sub(Q("Contacts", F("LastName")))), query.Options{IncludeDeleted: true}, 0, 0)
	if got := childNames(res)["gamma"]; !cmp.Equal(got, [][]any{{"Gone"}}) {
		t.Errorf("queryAll gamma children = %v", got)
	}
}

func TestQueryAggregates(t *testing.T) {
	db, cat := fixture(t)
	q := Q("Invoice__c", F("Account__r.Name"), Agg("COUNT", "Id", ""), Agg("SUM", "Amount__c", "total"),
		Agg("AVG", "Amount__c", ""), Agg("MIN", "Due__c", ""), Agg("COUNT_DISTINCT", "Paid__c", ""))
	q.GroupBy = []soql.Name{N("Account__r.Name")}
	q.OrderBy = []soql.Order{{Aggregate: Agg("COUNT", "Id", ""), Desc: true}}
	_, res := run(t, db, cat, q, query.Options{}, 0, 0)
	var got [][]any
	for _, r := range res.Rows {
		got = append(got, r.Values)
	}
	want := [][]any{
		{"Acme", int64(2), 30.0, 15.0, "2024-01-10", int64(2)},
		{"Beta", int64(1), nil, nil, nil, int64(1)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if res.Total != 2 {
		t.Errorf("Total = %d, want 2", res.Total)
	}

	q.Having = &soql.Comparison{Aggregate: Agg("COUNT", "Id", ""), Op: ">", Value: ptr(Num(1))}
	_, res = run(t, db, cat, q, query.Options{}, 0, 0)
	if diff := cmp.Diff([]any{"Acme"}, firstValues(res)); diff != "" {
		t.Errorf("having (-want +got):\n%s", diff)
	}

	// Without GROUP BY: one row, even over no records.
	q = Q("Account", Agg("COUNT", "Id", ""), Agg("MAX", "AnnualRevenue", "m"))
	q.Where = Cmp("Name", "=", Str("nobody"))
	_, res = run(t, db, cat, q, query.Options{}, 0, 0)
	if len(res.Rows) != 1 || !cmp.Equal(res.Rows[0].Values, []any{int64(0), nil}) || res.Total != 1 {
		t.Errorf("empty aggregate = %+v", res)
	}
}

func TestQueryCountOnly(t *testing.T) {
	db, cat := fixture(t)
	q := Q("Contact", Agg("COUNT", "", ""))
	_, res := run(t, db, cat, q, query.Options{}, 0, 0)
	if res.Total != 4 || len(res.Rows) != 0 || res.Rows == nil {
		t.Errorf("COUNT() = %+v, want Total 4 and no rows", res)
	}
	q.Limit = 2
	if _, res = run(t, db, cat, q, query.Options{}, 0, 0); res.Total != 2 {
		t.Errorf("COUNT() LIMIT 2 = %d", res.Total)
	}
	_, res = run(t, db, cat, Q("Contact", Agg("COUNT", "", "")), query.Options{IncludeDeleted: true}, 0, 0)
	if res.Total != 5 {
		t.Errorf("queryAll COUNT() = %d, want 5", res.Total)
	}
}

func TestQueryPaging(t *testing.T) {
	db, cat := fixture(t)
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
			_, res := run(t, db, cat, q, query.Options{}, tc.pageOffset, tc.pageLimit)
			if diff := cmp.Diff(tc.want, firstValues(res)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if res.Total != tc.total {
				t.Errorf("Total = %d, want %d", res.Total, tc.total)
			}
		})
	}
}

func TestQueryVisibility(t *testing.T) {
	db, cat := fixture(t)
	q := Q("Contact", F("LastName"))
	q.OrderBy = []soql.Order{{Field: N("LastName")}}
	_, res := runAs(t, db, cat, Limited(), q, query.Options{}, 0, 0)
	if diff := cmp.Diff([]any{"Brown", "Orphan", "Smith"}, firstValues(res)); diff != "" {
		t.Errorf("own contacts (-want +got):\n%s", diff)
	}
	// LoginHistory: own rows by UserId.
	_, res = runAs(t, db, cat, Limited(), Q("LoginHistory", F("UserId")), query.Options{}, 0, 0)
	if diff := cmp.Diff([]any{u1}, firstValues(res)); diff != "" {
		t.Errorf("own logins (-want +got):\n%s", diff)
	}
	_, res = run(t, db, cat, Q("LoginHistory", F("UserId")), query.Options{}, 0, 0)
	if len(res.Rows) != 2 {
		t.Errorf("admin logins = %d rows, want 2", len(res.Rows))
	}
}

func TestQueryIncludeDeleted(t *testing.T) {
	db, cat := fixture(t)
	q := Q("Account", F("Name"), F("IsDeleted"))
	q.OrderBy = []soql.Order{{Field: N("Name")}}
	_, res := run(t, db, cat, q, query.Options{IncludeDeleted: true}, 0, 0)
	var got [][]any
	for _, r := range res.Rows {
		got = append(got, r.Values[:2])
	}
	want := [][]any{{"Acme", false}, {"Beta", false}, {"Deleted", true}, {"gamma", false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestQuerySetupObject(t *testing.T) {
	db, cat := fixture(t)
	q := Q("User", F("Name"), F("Manager.Name"), F("IsActive"))
	q.OrderBy = []soql.Order{{Field: N("Name")}}
	_, res := run(t, db, cat, q, query.Options{}, 0, 0)
	var got [][]any
	for _, r := range res.Rows {
		got = append(got, r.Values[:3])
	}
	want := [][]any{{"Ann", "Bob", true}, {"Bob", nil, true}} // Eve is another org's
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
}

func TestQueryUsesIndex(t *testing.T) {
	db, cat := fixture(t)
	obj, _ := cat.Object("Account")
	table := recordTable(testOrg, obj)
	mustExec(t, db, `CREATE INDEX "`+table+`_name" ON `+quoteIdent(table)+` ("Name")`)
	p, err := query.Resolve(&soql.Query{From: N("Account"), Select: []soql.SelectItem{F("Name")}, Where: Cmp("Name", "=", Str("Acme")), Limit: -1, Offset: -1},
		cat, Admin(), query.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	b := newSelectBuilder(testOrg, p, "")
	exprs := []string{}
	for i := range p.Columns {
		exprs = append(exprs, b.colExpr(&p.Columns[i]))
	}
	body, args := b.body(true)
	rows, err := db.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN SELECT "+strings.Join(exprs, ", ")+body+" LIMIT -1 OFFSET 0", args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	joined := strings.Join(plan, "\n")
	if !strings.Contains(joined, "USING INDEX") || strings.Contains(joined, "SCAN t0") {
		t.Errorf("query plan does not use the Name index:\n%s", joined)
	}
}

func ptr[T any](v T) *T { return &v }

func TestQueryUnsyncedObject(t *testing.T) {
	db, cat := fixture(t)
	p, err := query.Resolve(Q("Account", F("Name")), cat, Admin(), query.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Query(context.Background(), otherOrg, p, 0, 0)
	if !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Query on an org without tables = %v, want ErrUnknownObject", err)
	}
}

func TestQueryChildrenOfManyParents(t *testing.T) {
	db, cat := fixture(t)
	acc, _ := cat.Object("Account")
	con, _ := cat.Object("Contact")
	const n = childChunk + 500
	mustExec(t, db, `INSERT INTO `+quoteIdent(recordTable(testOrg, acc))+` ("Id", "Name")
		WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < ?)
		SELECT printf('001X%014d', n), 'Many ' || n FROM c`, n)
	mustExec(t, db, `INSERT INTO `+quoteIdent(recordTable(testOrg, con))+` ("Id", "LastName", "AccountId")
		SELECT '003X' || substr("Id", 5), 'Child of ' || "Name", "Id" FROM `+quoteIdent(recordTable(testOrg, acc))+` WHERE "Name" LIKE 'Many %'`)
	q := Q("Account", F("Name"), Sub(Q("Contacts", F("LastName"))))
	q.Where = Cmp("Name", "LIKE", Str("Many %"))
	_, res := run(t, db, cat, q, query.Options{}, 0, 0)
	if len(res.Rows) != n {
		t.Fatalf("rows = %d, want %d", len(res.Rows), n)
	}
	for _, r := range res.Rows {
		if len(r.Children[0]) != 1 || r.Children[0][0].Values[0] != "Child of "+r.Values[0].(string) {
			t.Fatalf("%v children = %v", r.Values[0], r.Children[0])
		}
	}
}
