package query_test

import (
	"errors"
	"testing"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
)

// FuzzResolveText parses and resolves arbitrary text over the standard objects (compound
// address fields included) at an arbitrary API version: the answer is a plan or a
// *query.Error, never a panic, and every compound column carries its parts.
func FuzzResolveText(f *testing.F) {
	for _, s := range []string{
		"SELECT FIELDS(ALL) FROM Account LIMIT 200",
		"SELECT Name, FIELDS(CUSTOM), (SELECT FIELDS(STANDARD) FROM Contacts LIMIT 5) FROM Account WHERE Id IN ('001000000000001')",
		"SELECT FIELDS(ALL) FROM Account WHERE Id = '1' OR Id = '2'",
		"SELECT Account.BillingAddress, MailingAddress FROM Contact WHERE MailingAddress = null ORDER BY OtherAddress",
		"SELECT COUNT(Address) FROM Lead GROUP BY Address",
		"SELECT Address FROM User",
		"SELECT Name FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(37.7, -122.4), 'km') < 5 ORDER BY DISTANCE(ShippingAddress, GEOLOCATION(1, 2), 'mi') DESC",
		"SELECT Id FROM Contact WHERE DISTANCE(Account.BillingAddress, GEOLOCATION(1e999, 2), 'mi') > 1e999",
	} {
		f.Add(s, uint8(59))
		f.Add(s, uint8(29))
	}
	cat, err := schema.NewCatalog(schema.Standard())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string, version uint8) {
		ast, err := soql.Parse(text)
		if err != nil {
			return
		}
		v := ""
		if version > 0 {
			v = string(rune('0'+version/10%10)) + string(rune('0'+version%10)) + ".0"
		}
		p, err := query.Resolve(ast, cat, Admin(), query.Options{Version: v, Bulk: version%2 == 1})
		var qe *query.Error
		if err != nil {
			if !errors.As(err, &qe) {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		for _, c := range p.Columns {
			if c.Compound() && len(c.Path.Parts) == 0 {
				t.Fatalf("compound column %s without parts", c.Path.Name)
			}
		}
	})
}
