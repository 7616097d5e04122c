package query_test

import (
	"errors"
	"testing"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/soql"
)

// FuzzResolve resolves trees with arbitrary names, operators and literals: the answer is
// a plan or a *query.Error, never a panic.
func FuzzResolve(f *testing.F) {
	f.Add("Contact", "Account.Owner.Name", "Name", uint8(0), uint8(0), "x", 1.0, 5)
	f.Add("Account", "a.Contacts", "Id", uint8(10), uint8(6), "001000000000001", 0.0, 2001)
	f.Add("Invoice__c", "Tags__c", "Due__c", uint8(9), uint8(5), "a;b", -1.0, -1)
	ops := []string{"=", "!=", "<", "<=", ">", ">=", "LIKE", "IN", "NOT IN", "INCLUDES", "EXCLUDES", "??"}
	lits := []string{"TODAY", "LAST_N_DAYS", "NEXT_N_WEEKS", "BOGUS"}
	f.Fuzz(func(t *testing.T, from, sel, where string, op, kind uint8, s string, x float64, n int) {
		v := soql.Value{Kind: soql.Kind(int(kind) % 7), Str: s, Num: x, Literal: lits[int(kind)%len(lits)], N: n}
		o := ops[int(op)%len(ops)]
		q := Q(from, F(sel), Agg("COUNT", where, ""))
		if kind%2 == 0 {
			q = Q(from, F(sel), Sub(Q(sel, F(where))))
		}
		q.Alias = "a"
		q.Offset = n
		q.Where = &soql.Comparison{Field: N(where), Op: o, Value: &v, Values: []soql.Value{v, v}}
		if op%3 == 0 {
			q.Where = Semi(where, o, Q(sel, F(where)))
		}
		q.OrderBy = []soql.Order{{Field: N(sel)}, {Aggregate: Agg("SUM", where, "")}}
		_, err := query.Resolve(q, Catalog(), Admin(), query.Options{})
		var qe *query.Error
		if err != nil && !errors.As(err, &qe) {
			t.Fatalf("error %T: %v", err, err)
		}
	})
}
