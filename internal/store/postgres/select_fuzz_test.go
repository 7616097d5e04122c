package postgres

import (
	"context"
	"errors"
	"testing"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/soql"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

// FuzzQueryValues feeds arbitrary literals to every operator of the compiler: the query
// must either be refused by the resolver with a *query.Error or run without a SQL error
// (no value ever reaches the SQL text).
func FuzzQueryValues(f *testing.F) {
	f.Add("Acme", 1.5, uint8(0), uint8(0))
	f.Add("%';--", -3.0, uint8(5), uint8(2))
	f.Add(`a\_b;c`, 0.0, uint8(9), uint8(3))
	f.Add("001000000000001", 1e300, uint8(1), uint8(4))
	db := openTest(f)
	cat, _ := storetest.QueryFixture(f, db, storetest.QueryOrg)
	ops := []string{"=", "!=", "<", "<=", ">", ">=", "LIKE", "IN", "NOT IN", "INCLUDES", "EXCLUDES"}
	fields := []string{"Name", "Amount__c", "Tags__c", "Paid__c", "Due__c", "Account__c", "Account__r.Owner.Name"}
	f.Fuzz(func(t *testing.T, s string, x float64, op, field uint8) {
		o := ops[int(op)%len(ops)]
		fl := fields[int(field)%len(fields)]
		var c *soql.Comparison
		vals := []soql.Value{Str(s), Num(x)}
		switch o {
		case "IN", "NOT IN", "INCLUDES", "EXCLUDES":
			c = List(fl, o, vals[int(op)%2], Str(s+";"+s), Null())
		default:
			c = Cmp(fl, o, vals[int(field)%2])
		}
		q := Q("Invoice__c", F("Name"), F(fl))
		q.Where = c
		p, err := query.Resolve(q, cat, Admin(), query.Options{Now: storetest.QueryNow})
		if err != nil {
			var qe *query.Error
			if !errors.As(err, &qe) {
				t.Fatalf("Resolve error %T %v", err, err)
			}
			return
		}
		if _, err := db.Query(context.Background(), storetest.QueryOrg, p, int(op)%3, int(field)%4); err != nil {
			t.Fatalf("Query(%s %s %q %v): %v", fl, o, s, x, err)
		}
	})
}
