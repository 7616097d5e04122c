package sqlite

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/soql"
)

func TestQueryOperators(t *testing.T) {
	db, cat := fixture(t)
	contactsOf := func(w soql.Expr) *soql.Query {
		q := Q("Contact", F("AccountId"))
		q.Where = w
		return q
	}
	usersNamed := func(name string) *soql.Query {
		q := Q("User", F("Id"))
		q.Where = Cmp("Name", "=", Str(name))
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
		{"like prefix", "Account", Cmp("Name", "LIKE", Str("a%")), []any{"Acme"}},
		{"like any", "Account", Cmp("Name", "LIKE", Str("%A%")), []any{"Acme", "Beta", "gamma"}},
		{"like one", "Account", Cmp("Name", "LIKE", Str("B_ta")), []any{"Beta"}},
		{"in", "Account", List("Industry", "IN", Str("tech"), Str("Retail")), []any{"Acme", "gamma"}},
		{"in null", "Account", List("Industry", "IN", Str("Tech"), Null()), []any{"Acme", "Beta"}},
		{"not in keeps nulls", "Account", List("Industry", "NOT IN", Str("Tech")), []any{"Beta", "gamma"}},
		{"not in null", "Account", List("Industry", "NOT IN", Str("Tech"), Null()), []any{"gamma"}},
		{"not", "Account", Not(Cmp("Name", "=", Str("Acme"))), []any{"Beta", "gamma"}},
		{"not keeps nulls", "Account", Not(Cmp("Industry", "=", Str("Tech"))), []any{"Beta", "gamma"}},
		{"not like", "Account", Not(Cmp("Industry", "LIKE", Str("T%"))), []any{"Beta", "gamma"}},
		{"not not", "Account", Not(Not(Cmp("Industry", "=", Str("Tech")))), []any{"Acme"}},
		{"and or", "Account", Or(Cmp("Name", "=", Str("Beta")), And(Cmp("Industry", "=", Str("Tech")), Cmp("NumberOfEmployees", "=", Num(10)))), []any{"Acme", "Beta"}},
		{"id 15", "Account", Cmp("Id", "=", Str(a1[:15])), []any{"Acme"}},
		{"parent", "Account", Cmp("Parent.Name", "=", Str("Acme")), []any{"Beta"}},
		{"setup parent", "Account", Cmp("Owner.Name", "=", Str("Ann")), []any{"Acme"}},
		{"setup parent other org", "Account", Cmp("Owner.Name", "=", Null()), []any{"gamma"}},
		{"today", "Account", Cmp("CreatedDate", "=", Lit("TODAY", 0)), []any{"Acme"}},
		{"before today", "Account", Cmp("CreatedDate", "<", Lit("TODAY", 0)), []any{"Beta", "gamma"}},
		{"semi join", "Account", Semi("Id", "IN", contactsOf(Cmp("LastName", "=", Str("Brown")))), []any{"Beta"}},
		{"anti join", "Account", Semi("Id", "NOT IN", contactsOf(nil)), []any{"gamma"}},
		{"semi join on setup", "Account", Semi("OwnerId", "IN", usersNamed("Bob")), []any{"Beta"}},
		{"anti join on setup", "Account", Semi("OwnerId", "NOT IN", usersNamed("Bob")), []any{"Acme", "gamma"}},
		{"semi join with parent path", "Account", Semi("Id", "IN", contactsOf(Cmp("Owner.Name", "=", Str("Bob")))), []any{"Acme"}},
		{"includes all", "Invoice__c", List("Tags__c", "INCLUDES", Str("b;a")), []any{"I1"}},
		{"includes any", "Invoice__c", List("Tags__c", "INCLUDES", Str("c"), Str("a;c")), []any{"I2"}},
		{"excludes", "Invoice__c", List("Tags__c", "EXCLUDES", Str("a")), []any{"I2", "I3"}},
		{"multipicklist = any order", "Invoice__c", Cmp("Tags__c", "=", Str("c;B")), []any{"I2"}},
		{"multipicklist = subset", "Invoice__c", Cmp("Tags__c", "=", Str("b")), []any{}},
		{"multipicklist !=", "Invoice__c", Cmp("Tags__c", "!=", Str("b;a")), []any{"I2", "I3"}},
		{"bool", "Invoice__c", Cmp("Paid__c", "=", Bool(true)), []any{"I1"}},
		{"date", "Invoice__c", Cmp("Due__c", ">", Date("2024-01-15")), []any{"I2"}},
		{"date literal", "Invoice__c", Cmp("Due__c", "=", Lit("THIS_YEAR", 0)), []any{"I1", "I2"}},
		{"date literal !=", "Invoice__c", Cmp("Due__c", "!=", Lit("THIS_MONTH", 0)), []any{"I1", "I2", "I3"}},
		{"reference parent custom", "Invoice__c", Cmp("Account__r.Owner.Name", "=", Str("Ann")), []any{"I1", "I2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Q(tc.from, F("Name"))
			q.Where = tc.where
			q.OrderBy = []soql.Order{{Field: N("Name")}}
			_, res := run(t, db, cat, q, query.Options{}, 0, 0)
			if diff := cmp.Diff(tc.want, firstValues(res)); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQueryJoinsAndValues(t *testing.T) {
	db, cat := fixture(t)
	q := Q("Contact", F("LastName"), F("Account.Name"), F("Account.Owner.Name"), F("Account.AnnualRevenue"), F("Account.CreatedDate"))
	q.OrderBy = []soql.Order{{Field: N("LastName")}}
	p, res := run(t, db, cat, q, query.Options{}, 0, 0)
	var names []string
	for _, c := range p.Columns {
		names = append(names, c.Path.Name)
	}
	wantCols := []string{"LastName", "Account.Name", "Account.Owner.Name", "Account.AnnualRevenue", "Account.CreatedDate", "Id", "Account.Id", "Account.Owner.Id"}
	if diff := cmp.Diff(wantCols, names); diff != "" {
		t.Fatalf("columns (-want +got):\n%s", diff)
	}
	var got [][]any
	for _, r := range res.Rows {
		got = append(got, r.Values)
	}
	yesterday := testNow.AddDate(0, 0, -1)
	want := [][]any{
		{"Brown", "Beta", "Bob", nil, yesterday, c3, a2, u2},
		{"Jones", "Acme", "Ann", 100.0, testNow, c2, a1, u1},
		{"Orphan", nil, nil, nil, nil, c4, nil, nil},
		{"Smith", "Acme", "Ann", 100.0, testNow, c1, a1, u1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestQueryValueTypes(t *testing.T) {
	db, cat := fixture(t)
	q := Q("Invoice__c", F("Name"), F("Amount__c"), F("Tags__c"), F("Paid__c"), F("Due__c"), F("Account__r.NumberOfEmployees"))
	q.Where = Cmp("Name", "=", Str("I1"))
	_, res := run(t, db, cat, q, query.Options{}, 0, 0)
	want := [][]any{{"I1", 10.0, "a;b", true, "2024-01-10", int64(10), i1, a1}}
	var got [][]any
	for _, r := range res.Rows {
		got = append(got, r.Values)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestQueryOrderNulls(t *testing.T) {
	db, cat := fixture(t)
	for _, tc := range []struct {
		name  string
		order soql.Order
		want  []any
	}{
		{"asc nulls first", soql.Order{Field: N("Industry")}, []any{"Beta", "gamma", "Acme"}},
		{"desc nulls last", soql.Order{Field: N("Industry"), Desc: true}, []any{"Acme", "gamma", "Beta"}},
		{"asc nulls last", soql.Order{Field: N("Industry"), Nulls: soql.NullsLast}, []any{"gamma", "Acme", "Beta"}},
		{"desc nulls first", soql.Order{Field: N("AnnualRevenue"), Desc: true, Nulls: soql.NullsFirst}, []any{"Beta", "gamma", "Acme"}},
		{"parent", soql.Order{Field: N("Owner.Name"), Desc: true}, []any{"Beta", "Acme", "gamma"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Q("Account", F("Name"))
			q.OrderBy = []soql.Order{tc.order}
			_, res := run(t, db, cat, q, query.Options{}, 0, 0)
			if diff := cmp.Diff(tc.want, firstValues(res)); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}
