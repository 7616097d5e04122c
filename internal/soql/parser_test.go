package soql

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type parseCase struct {
	name string
	text string
	want *Query
}

func with(base *Query, f func(*Query)) *Query { f(base); return base }

var parseCases = []parseCase{
	{"fields", "SELECT Id, Name FROM Account", q("Account", fld("Id"), fld("Name"))},
	{"jsforce count lower case", "SELECT count() FROM Contact", q("Contact", agg("COUNT", "", ""))},
	{"sfdx lower-case limit", "SELECT Id FROM ScratchOrgInfo limit 1",
		with(q("ScratchOrgInfo", fld("Id")), func(x *Query) { x.Limit = 1 })},
	{"keywords any case", "sElEcT Id fRoM Account wHeRe Name = 'x' oRdEr bY Name dEsC",
		with(q("Account", fld("Id")), func(x *Query) {
			x.Where = cmpv("Name", "=", str("x"))
			x.OrderBy = []Order{{Field: nm("Name"), Desc: true}}
		})},
	{"parent paths and custom names", "SELECT Account.Owner.Name, Parent__r.Amount__c FROM Contact",
		q("Contact", fld("Account.Owner.Name"), fld("Parent__r.Amount__c"))},
	{"child subquery", "SELECT Id, (SELECT Id, LastName FROM Contacts WHERE LastName != null ORDER BY LastName LIMIT 5) FROM Account",
		q("Account", fld("Id"), &SubqueryItem{Query: with(q("Contacts", fld("Id"), fld("LastName")), func(x *Query) {
			x.Where = cmpv("LastName", "!=", null())
			x.OrderBy = []Order{{Field: nm("LastName")}}
			x.Limit = 5
		})})},
	{"from alias", "SELECT a.Name FROM Account a WHERE a.Name = 'x'",
		with(q("Account", fld("a.Name")), func(x *Query) {
			x.Alias = "a"
			x.Where = cmpv("a.Name", "=", str("x"))
		})},
	{"object named Order", "SELECT Id FROM Order ORDER BY OrderNumber",
		with(q("Order", fld("Id")), func(x *Query) { x.OrderBy = []Order{{Field: nm("OrderNumber")}} })},
	{"aggregates group having", "SELECT LeadSource, COUNT(Id) cnt, count_distinct(Company), MIN(CreatedDate), MAX(A), SUM(B) total, AVG(C) FROM Lead GROUP BY LeadSource HAVING COUNT(Id) > 1 AND LeadSource != null ORDER BY COUNT(Id) DESC, LeadSource",
		with(q("Lead", fld("LeadSource"), agg("COUNT", "Id", "cnt"), agg("COUNT_DISTINCT", "Company", ""),
			agg("MIN", "CreatedDate", ""), agg("MAX", "A", ""), agg("SUM", "B", "total"), agg("AVG", "C", "")),
			func(x *Query) {
				x.GroupBy = []Name{nm("LeadSource")}
				x.Having = &And{
					Left:  &Comparison{Aggregate: agg("COUNT", "Id", ""), Op: ">", Value: &Value{Kind: Number, Num: 1, NumText: "1"}},
					Right: cmpv("LeadSource", "!=", null()),
				}
				x.OrderBy = []Order{{Aggregate: agg("COUNT", "Id", ""), Desc: true}, {Field: nm("LeadSource")}}
			})},
	{"grouped field alias", "SELECT LeadSource src, COUNT(Id) FROM Lead GROUP BY LeadSource",
		with(q("Lead", &FieldItem{Name: nm("LeadSource"), Alias: "src"}, agg("COUNT", "Id", "")), func(x *Query) {
			x.GroupBy = []Name{nm("LeadSource")}
		})},
	{"group by list", "SELECT A, B FROM X GROUP BY A, B",
		with(q("X", fld("A"), fld("B")), func(x *Query) { x.GroupBy = []Name{nm("A"), nm("B")} })},
	{"comparison operators", "SELECT Id FROM X WHERE A = 1 AND B != 2 AND C <> 3 AND D < 4 AND E <= 5 AND F > 6 AND G >= 7",
		with(q("X", fld("Id")), func(x *Query) {
			x.Where = &And{Left: &And{Left: &And{Left: &And{Left: &And{Left: &And{
				Left:  cmpv("A", "=", num("1", 1)),
				Right: cmpv("B", "!=", num("2", 2))},
				Right: cmpv("C", "!=", num("3", 3))},
				Right: cmpv("D", "<", num("4", 4))},
				Right: cmpv("E", "<=", num("5", 5))},
				Right: cmpv("F", ">", num("6", 6))},
				Right: cmpv("G", ">=", num("7", 7))}
		})},
	{"no spaces around operators", "SELECT Id FROM X WHERE A>=1 AND B<>'x'",
		with(q("X", fld("Id")), func(x *Query) {
			x.Where = &And{Left: cmpv("A", ">=", num("1", 1)), Right: cmpv("B", "!=", str("x"))}
		})},
	{"value lists", "SELECT Id FROM X WHERE A IN ('a', 'b') AND B NOT IN (1, 2.5) AND C INCLUDES ('x;y', 'z') AND D excludes ('w')",
		with(q("X", fld("Id")), func(x *Query) {
			x.Where = &And{Left: &And{Left: &And{
				Left:  cmpl("A", "IN", str("a"), str("b")),
				Right: cmpl("B", "NOT IN", num("1", 1), num("2.5", 2.5))},
				Right: cmpl("C", "INCLUDES", str("x;y"), str("z"))},
				Right: cmpl("D", "EXCLUDES", str("w"))}
		})},
	{"jsforce NOT LIKE", "SELECT Id FROM X WHERE (NOT Name LIKE 'A%')",
		with(q("X", fld("Id")), func(x *Query) { x.Where = &Not{X: cmpv("Name", "LIKE", str("A%"))} })},
	{"NOT of a group", "SELECT Id FROM X WHERE NOT (A = 1 OR B = 2) AND C = 3",
		with(q("X", fld("Id")), func(x *Query) {
			x.Where = &And{
				Left:  &Not{X: &Or{Left: cmpv("A", "=", num("1", 1)), Right: cmpv("B", "=", num("2", 2))}},
				Right: cmpv("C", "=", num("3", 3))}
		})},
	{"parentheses group", "SELECT Id FROM X WHERE A = 1 AND (B = 2 OR C = 3)",
		with(q("X", fld("Id")), func(x *Query) {
			x.Where = &And{Left: cmpv("A", "=", num("1", 1)), Right: &Or{Left: cmpv("B", "=", num("2", 2)), Right: cmpv("C", "=", num("3", 3))}}
		})},
	{"semi-join and anti-join", "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email != null) AND OwnerId NOT IN (SELECT Id FROM User)",
		with(q("Account", fld("Id")), func(x *Query) {
			x.Where = &And{
				Left: &Comparison{Field: nm("Id"), Op: "IN", Subquery: with(q("Contact", fld("AccountId")), func(s *Query) {
					s.Where = cmpv("Email", "!=", null())
				})},
				Right: &Comparison{Field: nm("OwnerId"), Op: "NOT IN", Subquery: q("User", fld("Id"))}}
		})},
	{"with security enforced", "SELECT Id FROM X WHERE A = true WITH security_enforced",
		with(q("X", fld("Id")), func(x *Query) { x.Where = cmpv("A", "=", boolean(true)); x.With = "SECURITY_ENFORCED" })},
	{"with user mode", "SELECT Id FROM X WITH USER_MODE", with(q("X", fld("Id")), func(x *Query) { x.With = "USER_MODE" })},
	{"with system mode", "SELECT Id FROM X WITH SYSTEM_MODE", with(q("X", fld("Id")), func(x *Query) { x.With = "SYSTEM_MODE" })},
	{"order by nulls", "SELECT Id FROM X ORDER BY A ASC NULLS LAST, B DESC NULLS FIRST, C NULLS LAST",
		with(q("X", fld("Id")), func(x *Query) {
			x.OrderBy = []Order{{Field: nm("A"), Nulls: NullsLast}, {Field: nm("B"), Desc: true, Nulls: NullsFirst}, {Field: nm("C"), Nulls: NullsLast}}
		})},
	{"limit offset for update", "SELECT Id FROM X LIMIT 10 OFFSET 20 FOR UPDATE",
		with(q("X", fld("Id")), func(x *Query) { x.Limit, x.Offset, x.ForUpdate = 10, 20, true })},
	{"offset zero, for view, all rows", "SELECT Id FROM X OFFSET 0 FOR VIEW ALL ROWS",
		with(q("X", fld("Id")), func(x *Query) { x.Offset, x.AllRows, x.ForView = 0, true, true })},
	{"all rows then for reference", "SELECT Id FROM X ALL ROWS FOR REFERENCE",
		with(q("X", fld("Id")), func(x *Query) { x.AllRows, x.ForReference = true, true })},
	{"multi-line text", "SELECT Id,\n  Name\nFROM Account\r\nWHERE Name = null\n",
		with(q("Account", fld("Id"), fld("Name")), func(x *Query) { x.Where = cmpv("Name", "=", null()) })},
	{"literals", "SELECT Id FROM X WHERE A IN (true, FALSE, NULL, 42, -1.5, +3, 0.25, 2024-01-15, TODAY, last_n_days:30, NEXT_N_DAYS:0)",
		with(q("X", fld("Id")), func(x *Query) {
			x.Where = cmpl("A", "IN", boolean(true), boolean(false), null(), num("42", 42), num("-1.5", -1.5),
				num("+3", 3), num("0.25", 0.25), day(2024, 1, 15), dlit("TODAY", 0), dlit("LAST_N_DAYS", 30), dlit("NEXT_N_DAYS", 0))
		})},
	{"datetimes", "SELECT Id FROM X WHERE A IN (2024-01-15T10:00:00Z, 2024-01-15T10:00:00.000Z, 2024-01-15T10:00:00+05:30, 2024-01-15T10:00:00-0700, 2024-01-15T10:00:00.123-0700)",
		with(q("X", fld("Id")), func(x *Query) {
			x.Where = cmpl("A", "IN",
				dt(time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)),
				dt(time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)),
				dt(time.Date(2024, 1, 15, 4, 30, 0, 0, time.UTC)),
				dt(time.Date(2024, 1, 15, 17, 0, 0, 0, time.UTC)),
				dt(time.Date(2024, 1, 15, 17, 0, 0, 123e6, time.UTC)))
		})},
	{"string escapes", `SELECT Id FROM X WHERE A = 'it\'s \"q\" \\ \n\r\t\b\f \_ \%'`,
		with(q("X", fld("Id")), func(x *Query) { x.Where = cmpv("A", "=", str("it's \"q\" \\ \n\r\t\b\f _ %")) })},
	{"LIKE keeps wildcard escapes", `SELECT Id FROM X WHERE A LIKE '50\% off\_%' AND B LIKE 'a\\%' AND C LIKE 'it\'s'`,
		with(q("X", fld("Id")), func(x *Query) {
			x.Where = &And{Left: &And{
				Left:  cmpv("A", "LIKE", str(`50\% off\_%`)),
				Right: cmpv("B", "LIKE", str(`a\\%`))},
				Right: cmpv("C", "LIKE", str(`it's`))}
		})},
	{"go-soql style", "SELECT Id,Name FROM Account WHERE (Name LIKE '%acme%') AND (CreatedDate > 2023-01-02T15:04:05.000-0700) AND (LastModifiedDate = LAST_N_DAYS:7)",
		with(q("Account", fld("Id"), fld("Name")), func(x *Query) {
			x.Where = &And{Left: &And{
				Left:  cmpv("Name", "LIKE", str("%acme%")),
				Right: cmpv("CreatedDate", ">", dt(time.Date(2023, 1, 2, 22, 4, 5, 0, time.UTC)))},
				Right: cmpv("LastModifiedDate", "=", dlit("LAST_N_DAYS", 7))}
		})},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.text)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.text, err)
			}
			if d := cmp.Diff(tc.want, got, ignorePos); d != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.text, d)
			}
		})
	}
}

// TestRoundTrip checks that String prints SOQL that parses back to the same tree.
func TestRoundTrip(t *testing.T) {
	for _, tc := range parseCases {
		got, err := Parse(tc.text)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.text, err)
		}
		printed := got.String()
		again, err := Parse(printed)
		if err != nil {
			t.Fatalf("%s: Parse(String()) = %v\nprinted: %s", tc.name, err, printed)
		}
		if d := cmp.Diff(got, again, ignorePos); d != "" {
			t.Errorf("%s: round trip of %q (-first +second):\n%s", tc.name, printed, d)
		}
	}
}

func TestString(t *testing.T) {
	for text, want := range map[string]string{
		"select count() from Contact":                                                       "SELECT COUNT() FROM Contact",
		"SELECT Id FROM X WHERE A = 1 OR (B = 2 AND C = 3) or D = 4":                        "SELECT Id FROM X WHERE A = 1 OR (B = 2 AND C = 3) OR D = 4",
		"SELECT Id FROM X WHERE NOT A = 1 AND (NOT B = 2)":                                  "SELECT Id FROM X WHERE (NOT A = 1) AND (NOT B = 2)",
		"SELECT Id FROM X WHERE (A = 1 OR B = 2) AND NOT (C <> 3)":                          "SELECT Id FROM X WHERE (A = 1 OR B = 2) AND (NOT C != 3)",
		"SELECT Id FROM X WHERE A = 2024-01-15T10:00:00.5+01:00":                            "SELECT Id FROM X WHERE A = 2024-01-15T09:00:00.5Z",
		`SELECT Id FROM X WHERE A LIKE 'x\%\\' AND B = 'x\%'`:                               `SELECT Id FROM X WHERE A LIKE 'x\%\\' AND B = 'x%'`,
		"SELECT Name n FROM X GROUP BY Name ORDER BY Name ASC NULLS FIRST limit 5 FOR VIEW": "SELECT Name n FROM X GROUP BY Name ORDER BY Name NULLS FIRST LIMIT 5 FOR VIEW",
	} {
		got, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q): %v", text, err)
		}
		if got.String() != want {
			t.Errorf("String of %q =\n%s\nwant\n%s", text, got.String(), want)
		}
	}
}

// TestPositions checks the offsets recorded in the tree.
func TestPositions(t *testing.T) {
	text := "SELECT Id, COUNT(Name), (SELECT Id FROM Cs) FROM A WHERE NOT B.C <= 'x' AND D IN (1)"
	got, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	a := got.Select[1].(*AggregateItem)
	s := got.Select[2].(*SubqueryItem)
	and := got.Where.(*And)
	not := and.Left.(*Not)
	c := not.X.(*Comparison)
	in := and.Right.(*Comparison)
	for _, p := range []struct {
		what string
		got  Pos
		want string // the text expected at the offset
	}{
		{"field", got.Select[0].(*FieldItem).Name.Pos, "Id,"},
		{"aggregate", a.Pos, "COUNT("},
		{"aggregate arg", a.Arg.Pos, "Name)"},
		{"subquery", s.Pos, "(SELECT Id FROM Cs)"},
		{"from", got.From.Pos, "A WHERE"},
		{"not", not.Pos, "NOT B"},
		{"comparison field", c.Field.Pos, "B.C"},
		{"comparison op", c.Pos, "<= 'x'"},
		{"value", c.Value.Pos, "'x' AND"},
		{"in op", in.Pos, "IN (1)"},
		{"list value", in.Values[0].Pos, "1)"},
	} {
		if rest := text[p.got:]; len(rest) < len(p.want) || rest[:len(p.want)] != p.want {
			t.Errorf("%s: offset %d points at %q, want %q", p.what, p.got, rest, p.want)
		}
	}
	if c.Value.Text != "'x'" || in.Values[0].Text != "1" {
		t.Errorf("Text = %q, %q", c.Value.Text, in.Values[0].Text)
	}
}
