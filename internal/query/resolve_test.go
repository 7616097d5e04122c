package query_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/soql"
)

var now = time.Date(2024, 5, 15, 13, 30, 0, 0, time.UTC) // a Wednesday

func resolve(t *testing.T, q *soql.Query, acc *access.Checker) *query.Plan {
	t.Helper()
	p, err := query.Resolve(q, Catalog(), acc, query.Options{Now: now})
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	return p
}

// columns renders the plan's columns as "Name", "(Name)" for hidden ones, "alias=AGG(arg)".
func columns(p *query.Plan) []string {
	var out []string
	for _, c := range p.Columns {
		s := ""
		switch {
		case c.Agg != "" && c.AggArg != nil:
			s = c.Alias + "=" + c.Agg + "(" + c.AggArg.Name + ")"
		case c.Agg != "":
			s = c.Alias + "=" + c.Agg + "()"
		default:
			s = c.Path.Name
		}
		if c.Hidden {
			s = "(" + s + ")"
		}
		out = append(out, s)
	}
	return out
}

// cond renders a condition in a compact SOQL-like form.
func cond(c query.Cond) string {
	switch c := c.(type) {
	case nil:
		return ""
	case *query.And:
		return "(" + cond(c.L) + " AND " + cond(c.R) + ")"
	case *query.Or:
		return "(" + cond(c.L) + " OR " + cond(c.R) + ")"
	case *query.Not:
		return "NOT " + cond(c.X)
	case *query.Compare:
		name := ""
		if c.Agg != nil {
			name = c.Agg.Alias
		} else {
			name = c.Path.Name
		}
		var vs []string
		for _, v := range c.Values {
			switch x := v.(type) {
			case nil:
				vs = append(vs, "<nil>")
			case time.Time:
				vs = append(vs, "T"+x.Format(time.RFC3339))
			default:
				vs = append(vs, fmt.Sprintf("%T:%v", v, v))
			}
		}
		return name + " " + c.Op + " " + strings.Join(vs, ",")
	case *query.In:
		op := "IN"
		if c.Not {
			op = "NOT IN"
		}
		return c.Path.Name + " " + op + " (" + c.Sub.Object.Name + "." + c.Sub.Columns[0].Path.Name + " WHERE " + cond(c.Sub.Where) + ")"
	}
	return "?"
}

func TestResolveColumns(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    *soql.Query
		want []string
	}{
		{"plain", Q("Account", F("name"), F("INDUSTRY")), []string{"Name", "Industry", "(Id)"}},
		{"id selected", Q("Account", F("Id"), F("Name")), []string{"Id", "Name"}},
		{"parents", Q("Contact", F("Account.Owner.Name"), F("account.name")),
			[]string{"Account.Owner.Name", "Account.Name", "(Id)", "(Account.Id)", "(Account.Owner.Id)"}},
		{"object prefix", Q("Account", F("Account.Name")), []string{"Name", "(Id)"}},
		{"custom relationship", Q("Invoice__c", F("account__r.parent.name")),
			[]string{"Account__r.Parent.Name", "(Id)", "(Account__r.Id)", "(Account__r.Parent.Id)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := resolve(t, tc.q, Admin())
			if diff := cmp.Diff(tc.want, columns(p)); diff != "" {
				t.Errorf("columns (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveAlias(t *testing.T) {
	q := Q("Account", F("a.Name"), F("a.Owner.Name"))
	q.Alias = "a"
	p := resolve(t, q, Admin())
	want := []string{"Name", "Owner.Name", "(Id)", "(Owner.Id)"}
	if diff := cmp.Diff(want, columns(p)); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestResolveSubquery(t *testing.T) {
	sub := Q("Contacts", F("LastName"))
	sub.Limit = 2
	p := resolve(t, Q("Account", F("Name"), Sub(sub)), Admin())
	if len(p.Subqueries) != 1 {
		t.Fatalf("subqueries = %d, want 1", len(p.Subqueries))
	}
	s := p.Subqueries[0]
	if s.Relationship.ChildObject != "Contact" || s.Relationship.Field != "AccountId" {
		t.Errorf("relationship = %+v", s.Relationship)
	}
	if diff := cmp.Diff([]string{"LastName", "(Id)", "(AccountId)"}, columns(s.Plan)); diff != "" {
		t.Errorf("child columns (-want +got):\n%s", diff)
	}
	if s.Plan.Limit != 2 {
		t.Errorf("child limit = %d", s.Plan.Limit)
	}
	// Contact is Private: the limited user's children are only their own.
	p = resolve(t, Q("Account", F("Name"), Sub(Q("Contacts", F("LastName")))), Limited())
	if got := p.Subqueries[0].Plan.OwnerID; got != UserID {
		t.Errorf("child OwnerID = %q, want %q", got, UserID)
	}
}

func TestResolveWhere(t *testing.T) {
	tue := time.Date(2024, 5, 14, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		from  string
		where soql.Expr
		want  string
	}{
		{"string", "Account", Cmp("name", "=", Str("Acme")), "Name = string:Acme"},
		{"null", "Account", Cmp("Name", "!=", Null()), "Name != <nil>"},
		{"id15", "Contact", Cmp("AccountId", "=", Str("001000000000001")), "AccountId = string:001000000000001AAA"},
		{"bool", "Invoice__c", Cmp("Paid__c", "=", Bool(true)), "Paid__c = bool:true"},
		{"int", "Account", Cmp("NumberOfEmployees", ">", Num(10)), "NumberOfEmployees > int64:10"},
		{"double", "Invoice__c", Cmp("Amount__c", "<=", Num(1.5)), "Amount__c <= float64:1.5"},
		{"date", "Invoice__c", Cmp("Due__c", "=", Date("2024-01-02")), "Due__c = string:2024-01-02"},
		{"datetime", "Account", Cmp("CreatedDate", ">", DateTime(tue)), "CreatedDate > T2024-05-14T00:00:00Z"},
		{"today datetime", "Account", Cmp("CreatedDate", "=", Lit("TODAY", 0)),
			"(CreatedDate >= T2024-05-15T00:00:00Z AND CreatedDate < T2024-05-16T00:00:00Z)"},
		{"this week date", "Invoice__c", Cmp("Due__c", "=", Lit("THIS_WEEK", 0)),
			"(Due__c >= string:2024-05-12 AND Due__c < string:2024-05-19)"},
		{"last n days >", "Invoice__c", Cmp("Due__c", ">", Lit("LAST_N_DAYS", 7)), "Due__c >= string:2024-05-16"},
		{"last month <", "Invoice__c", Cmp("Due__c", "<", Lit("LAST_MONTH", 0)), "Due__c < string:2024-04-01"},
		{"this quarter <=", "Invoice__c", Cmp("Due__c", "<=", Lit("THIS_QUARTER", 0)), "Due__c < string:2024-07-01"},
		{"year !=", "Invoice__c", Cmp("Due__c", "!=", Lit("THIS_YEAR", 0)),
			"((Due__c < string:2024-01-01 OR Due__c >= string:2025-01-01) OR Due__c = <nil>)"},
		{"like", "Account", Cmp("Name", "LIKE", Str("Ac%")), "Name LIKE string:Ac%"},
		{"in", "Account", List("Industry", "NOT IN", Str("a"), Null()), "Industry NOT IN string:a,<nil>"},
		{"includes", "Invoice__c", List("Tags__c", "INCLUDES", Str("a;b"), Str("c")), "Tags__c INCLUDES string:a;b,string:c"},
		{"logic", "Account", Or(Not(Cmp("Name", "=", Str("x"))), And(Cmp("Name", "=", Str("y")), Cmp("Industry", "=", Null()))),
			"(NOT Name = string:x OR (Name = string:y AND Industry = <nil>))"},
		{"parent", "Contact", Cmp("Account.Owner.Name", "=", Str("Ann")), "Account.Owner.Name = string:Ann"},
		{"semi join", "Account", Semi("Id", "IN", &soql.Query{From: N("Contact"), Select: []soql.SelectItem{F("AccountId")},
			Where: Cmp("LastName", "LIKE", Str("S%")), Limit: -1, Offset: -1}),
			"Id IN (Contact.AccountId WHERE LastName LIKE string:S%)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Q(tc.from, F("Id"))
			q.Where = tc.where
			p := resolve(t, q, Admin())
			if got := cond(p.Where); got != tc.want {
				t.Errorf("where = %s\nwant    %s", got, tc.want)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	noAccess := access.New(org.Principal{})
	withWhere := func(q *soql.Query, w soql.Expr) *soql.Query { q.Where = w; return q }
	offset := Q("Account", F("Id"))
	offset.Offset = 2001
	for _, tc := range []struct {
		name string
		q    *soql.Query
		acc  *access.Checker
		want query.Error
	}{
		{"unknown object", &soql.Query{From: NAt("Foo", 15), Select: []soql.SelectItem{F("Id")}, Limit: -1, Offset: -1}, Admin(),
			query.Error{Code: "INVALID_TYPE", Pos: 15, Msg: "sObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."}},
		{"unreadable object", Q("Account", F("Id")), noAccess,
			query.Error{Code: "INVALID_TYPE", Pos: 0, Msg: "sObject type 'Account' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."}},
		{"unknown field", Q("Account", &soql.FieldItem{Name: NAt("Foo", 11)}), Admin(),
			query.Error{Code: "INVALID_FIELD", Pos: 11, Msg: "No such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."}},
		{"unreadable field", Q("Account", F("AnnualRevenue")), Limited(),
			query.Error{Code: "INVALID_FIELD", Msg: "No such column 'AnnualRevenue' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."}},
		{"unknown parent field", Q("Contact", F("Account.Foo")), Admin(),
			query.Error{Code: "INVALID_FIELD", Msg: "No such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."}},
		{"unknown relationship", Q("Contact", F("Acct.Name")), Admin(),
			query.Error{Code: "INVALID_FIELD", Msg: "Didn't understand relationship 'Acct' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."}},
		{"unknown child", Q("Account", Sub(Q("Foos", F("Id")))), Admin(),
			query.Error{Code: "INVALID_TYPE", Msg: "Didn't understand relationship 'Foos' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."}},
		{"double type", withWhere(Q("Invoice__c", F("Id")), Cmp("Amount__c", "=", Str("1"))), Admin(),
			query.Error{Code: "INVALID_FIELD", Msg: "value of filter criterion for field 'Amount__c' must be of type double and should not be enclosed in quotes"}},
		{"string type", withWhere(Q("Account", F("Id")), Cmp("Name", "=", Num(1))), Admin(),
			query.Error{Code: "INVALID_FIELD", Msg: "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes"}},
		{"bad id", withWhere(Q("Account", F("Id")), Cmp("Id", "=", Str("nope"))), Admin(),
			query.Error{Code: "INVALID_QUERY_FILTER_OPERATOR", Msg: "invalid ID field: nope"}},
		{"includes on text", withWhere(Q("Account", F("Id")), List("Name", "INCLUDES", Str("a"))), Admin(),
			query.Error{Code: "INVALID_FIELD", Msg: "INCLUDES operator is only valid on multi-select picklist fields: Name"}},
		{"not grouped", &soql.Query{From: N("Account"), Select: []soql.SelectItem{&soql.FieldItem{Name: NAt("Name", 7)}, Agg("COUNT", "Id", "")}, Limit: -1, Offset: -1}, Admin(),
			query.Error{Code: "MALFORMED_QUERY", Pos: 7, Msg: "Field must be grouped or aggregated: Name"}},
		{"count with fields", Q("Account", F("Name"), Agg("COUNT", "", "")), Admin(),
			query.Error{Code: "MALFORMED_QUERY", Msg: "COUNT() and COUNT(fieldname) or other fields cannot be used together; COUNT() must be the only item selected"}},
		{"sum of text", Q("Account", Agg("SUM", "Name", "")), Admin(),
			query.Error{Code: "INVALID_FIELD", Msg: "field Name does not support aggregate operator SUM"}},
		{"offset", offset, Admin(),
			query.Error{Code: "NUMBER_OUTSIDE_VALID_RANGE", Pos: -1, Msg: "Maximum SOQL offset allowed is 2000", Plain: true}},
		{"too deep", Q("Contact", F("Account.Owner.Manager.Manager.Manager.Manager.Name")), Admin(),
			query.Error{Code: "MALFORMED_QUERY", Msg: "SOQL statements cannot query more than 5 levels of parent relationships"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := query.Resolve(tc.q, Catalog(), tc.acc, query.Options{Now: now})
			var qe *query.Error
			if !errors.As(err, &qe) {
				t.Fatalf("err = %v, want a *query.Error", err)
			}
			if diff := cmp.Diff(tc.want, *qe); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}
