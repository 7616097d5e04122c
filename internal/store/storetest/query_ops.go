package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/soql"
)

func testQueryOperators(t *testing.T, s records.Store, org sfid.ID) {
	cat, ids := QueryFixture(t, s, org)
	contactsOf := func(w soql.Expr) *soql.Query {
		q := Q("Contact", F("AccountId"))
		q.Where = w
		return q
	}
	for _, tc := range []struct {
		name  string
		from  string
		where soql.Expr
		want  []any
	}{
		{"all live", "Account", nil, []any{"Acme", "Beta", "gamma"}},
		{"= ignores case", "Account", Cmp("Name", "=", Str("ACME")), []any{"Acme"}},
		{"!= keeps nulls", "Account", Cmp("Industry", "!=", Str("Tech")), []any{"Beta", "gamma"}},
		{"!= value", "Account", Cmp("Name", "!=", Str("acme")), []any{"Beta", "gamma"}},
		{"= null", "Account", Cmp("Industry", "=", Null()), []any{"Beta"}},
		{"!= null", "Account", Cmp("Industry", "!=", Null()), []any{"Acme", "gamma"}},
		{">", "Account", Cmp("AnnualRevenue", ">", Num(100)), []any{"gamma"}},
		{">=", "Account", Cmp("AnnualRevenue", ">=", Num(100)), []any{"Acme", "gamma"}},
		{"<", "Account", Cmp("AnnualRevenue", "<", Num(300)), []any{"Acme"}},
		{"<=", "Account", Cmp("NumberOfEmployees", "<=", Num(10)), []any{"Acme", "Beta"}},
		{"text > ignores case", "Account", Cmp("Name", ">", Str("B")), []any{"Beta", "gamma"}},
		{"text < ignores case", "Account", Cmp("Name", "<", Str("BETA")), []any{"Acme"}},
		{"like prefix", "Account", Cmp("Name", "LIKE", Str("a%")), []any{"Acme"}},
		{"like any", "Account", Cmp("Name", "LIKE", Str("%A%")), []any{"Acme", "Beta", "gamma"}},
		{"like one", "Account", Cmp("Name", "LIKE", Str("B_ta")), []any{"Beta"}},
		{"like escaped", "Account", Cmp("Name", "LIKE", Str(`B\_ta`)), []any{}},
		{"in", "Account", List("Industry", "IN", Str("tech"), Str("Retail")), []any{"Acme", "gamma"}},
		{"in null", "Account", List("Industry", "IN", Str("Tech"), Null()), []any{"Acme", "Beta"}},
		{"in ids", "Account", List("Id", "IN", Str(string(ids.A1)), Str(string(ids.A3))), []any{"Acme", "gamma"}},
		{"not in keeps nulls", "Account", List("Industry", "NOT IN", Str("Tech")), []any{"Beta", "gamma"}},
		{"not in null", "Account", List("Industry", "NOT IN", Str("Tech"), Null()), []any{"gamma"}},
		{"not", "Account", Not(Cmp("Name", "=", Str("Acme"))), []any{"Beta", "gamma"}},
		{"not keeps nulls", "Account", Not(Cmp("Industry", "=", Str("Tech"))), []any{"Beta", "gamma"}},
		{"not like", "Account", Not(Cmp("Industry", "LIKE", Str("T%"))), []any{"Beta", "gamma"}},
		{"not not", "Account", Not(Not(Cmp("Industry", "=", Str("Tech")))), []any{"Acme"}},
		{"and or", "Account", Or(Cmp("Name", "=", Str("Beta")), And(Cmp("Industry", "=", Str("Tech")), Cmp("NumberOfEmployees", "=", Num(10)))), []any{"Acme", "Beta"}},
		{"id 15", "Account", Cmp("Id", "=", Str(string(ids.A1)[:15])), []any{"Acme"}},
		{"parent", "Account", Cmp("Parent.Name", "=", Str("Acme")), []any{"Beta"}},
		{"parent null", "Account", Cmp("Parent.Name", "=", Null()), []any{"Acme", "gamma"}},
		{"today", "Account", Cmp("CreatedDate", "=", Lit("TODAY", 0)), []any{"Acme"}},
		{"before today", "Account", Cmp("CreatedDate", "<", Lit("TODAY", 0)), []any{"Beta", "gamma"}},
		{"semi join", "Account", Semi("Id", "IN", contactsOf(Cmp("LastName", "=", Str("Brown")))), []any{"Beta"}},
		{"anti join", "Account", Semi("Id", "NOT IN", contactsOf(nil)), []any{"gamma"}},
		{"semi join with parent path", "Account", Semi("Id", "IN", contactsOf(Cmp("Account.Industry", "=", Str("Tech")))), []any{"Acme"}},
		{"includes all", "Invoice__c", List("Tags__c", "INCLUDES", Str("b;a")), []any{"I1"}},
		{"includes any", "Invoice__c", List("Tags__c", "INCLUDES", Str("c"), Str("a;c")), []any{"I2"}},
		{"includes ignores case", "Invoice__c", List("Tags__c", "INCLUDES", Str("C")), []any{"I2"}},
		{"excludes", "Invoice__c", List("Tags__c", "EXCLUDES", Str("a")), []any{"I2", "I3"}},
		{"multipicklist = any order", "Invoice__c", Cmp("Tags__c", "=", Str("c;B")), []any{"I2"}},
		{"multipicklist = subset", "Invoice__c", Cmp("Tags__c", "=", Str("b")), []any{}},
		{"multipicklist !=", "Invoice__c", Cmp("Tags__c", "!=", Str("b;a")), []any{"I2", "I3"}},
		{"bool", "Invoice__c", Cmp("Paid__c", "=", Bool(true)), []any{"I1"}},
		{"bool false", "Invoice__c", Cmp("Paid__c", "!=", Bool(true)), []any{"I2", "I3"}},
		{"date", "Invoice__c", Cmp("Due__c", ">", Date("2024-01-15")), []any{"I2"}},
		{"date literal", "Invoice__c", Cmp("Due__c", "=", Lit("THIS_YEAR", 0)), []any{"I1", "I2"}},
		{"date literal !=", "Invoice__c", Cmp("Due__c", "!=", Lit("THIS_MONTH", 0)), []any{"I1", "I2", "I3"}},
		{"reference parent custom", "Invoice__c", Cmp("Account__r.Parent.Name", "=", Str("acme")), []any{"I3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Q(tc.from, F("Name"))
			q.Where = tc.where
			q.OrderBy = []soql.Order{{Field: N("Name")}}
			_, res := runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
			if diff := cmp.Diff(tc.want, firstValues(res)); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func testQueryJoinsAndValues(t *testing.T, s records.Store, org sfid.ID) {
	cat, ids := QueryFixture(t, s, org)
	q := Q("Contact", F("LastName"), F("Account.Name"), F("Account.Parent.Name"), F("Account.AnnualRevenue"), F("Account.CreatedDate"))
	q.OrderBy = []soql.Order{{Field: N("LastName")}}
	p, res := runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	var names []string
	for _, c := range p.Columns {
		names = append(names, c.Path.Name)
	}
	wantCols := []string{"LastName", "Account.Name", "Account.Parent.Name", "Account.AnnualRevenue", "Account.CreatedDate", "Id", "Account.Id", "Account.Parent.Id"}
	if diff := cmp.Diff(wantCols, names); diff != "" {
		t.Fatalf("columns (-want +got):\n%s", diff)
	}
	yesterday := QueryNow.AddDate(0, 0, -1)
	a1, a2 := string(ids.A1), string(ids.A2)
	want := [][]any{
		{"Brown", "Beta", "Acme", nil, yesterday, string(ids.C3), a2, a1},
		{"Jones", "Acme", nil, 100.0, QueryNow, string(ids.C2), a1, nil},
		{"Orphan", nil, nil, nil, nil, string(ids.C4), nil, nil},
		{"Smith", "Acme", nil, 100.0, QueryNow, string(ids.C1), a1, nil},
	}
	if diff := cmp.Diff(want, rowValues(res, 0)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func testQueryValueTypes(t *testing.T, s records.Store, org sfid.ID) {
	cat, ids := QueryFixture(t, s, org)
	q := Q("Invoice__c", F("Name"), F("Amount__c"), F("Tags__c"), F("Paid__c"), F("Due__c"), F("Account__r.NumberOfEmployees"))
	q.Where = Cmp("Name", "=", Str("I1"))
	_, res := runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	want := [][]any{{"I1", 10.0, "a;b", true, "2024-01-10", int64(10), string(ids.I1), string(ids.A1)}}
	if diff := cmp.Diff(want, rowValues(res, 0)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func testQueryOrderNulls(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	for _, tc := range []struct {
		name  string
		order soql.Order
		want  []any
	}{
		{"asc nulls first", soql.Order{Field: N("Industry")}, []any{"Beta", "gamma", "Acme"}},
		{"desc nulls last", soql.Order{Field: N("Industry"), Desc: true}, []any{"Acme", "gamma", "Beta"}},
		{"asc nulls last", soql.Order{Field: N("Industry"), Nulls: soql.NullsLast}, []any{"gamma", "Acme", "Beta"}},
		{"desc nulls first", soql.Order{Field: N("AnnualRevenue"), Desc: true, Nulls: soql.NullsFirst}, []any{"Beta", "gamma", "Acme"}},
		{"parent", soql.Order{Field: N("Parent.Name"), Desc: true}, []any{"Beta", "Acme", "gamma"}},
		{"datetime", soql.Order{Field: N("CreatedDate")}, []any{"Beta", "gamma", "Acme"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Q("Account", F("Name"))
			q.OrderBy = []soql.Order{tc.order}
			_, res := runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
			if diff := cmp.Diff(tc.want, firstValues(res)); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

// Text sorts by its ASCII-folded bytes (SQLite's NOCASE): case never decides the order,
// and equal text ties by Id; IDs (case-sensitive) sort by their bytes.
func testQueryOrderText(t *testing.T, s records.Store, org sfid.ID) {
	cat, _ := QueryFixture(t, s, org)
	acct := mustObj(t, cat, "Account")
	ctx := t.Context()
	if err := s.Write(ctx, org, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, acct, []records.Record{
			{"Name": "ACME", "IsDeleted": false}, {"Name": "_under", "IsDeleted": false},
			{"Name": "Zeta", "IsDeleted": false}, {"Name": "alpha", "IsDeleted": false}, {"Name": "a b", "IsDeleted": false},
		})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	q := Q("Account", F("Name"))
	q.OrderBy = []soql.Order{{Field: N("Name")}}
	_, res := runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	want := []any{"_under", "a b", "Acme", "ACME", "alpha", "Beta", "gamma", "Zeta"}
	if diff := cmp.Diff(want, firstValues(res)); diff != "" {
		t.Errorf("ORDER BY Name (-want +got):\n%s", diff)
	}
	q.OrderBy = []soql.Order{{Field: N("Name"), Desc: true}}
	_, res = runQuery(t, s, org, cat, q, query.Options{}, 0, 0)
	want = []any{"Zeta", "gamma", "Beta", "alpha", "Acme", "ACME", "a b", "_under"}
	if diff := cmp.Diff(want, firstValues(res)); diff != "" {
		t.Errorf("ORDER BY Name DESC (-want +got):\n%s", diff)
	}
}
