package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

// standardFixture opens a database with storetest.StandardQueryFixture's records.
func standardFixture(t testing.TB) (*DB, *schema.Catalog) {
	t.Helper()
	db, _ := openTemp(t)
	t.Cleanup(func() { db.Close() })
	return db, storetest.StandardQueryFixture(t, db, storetest.QueryOrg)
}

// Compound fields have no column of their own: their parts do.
func TestCompoundStorage(t *testing.T) {
	db, cat := standardFixture(t)
	cols, err := tableColumns(context.Background(), db.r, recordTable(storetest.QueryOrg, mustObject(t, cat, "Account")))
	if err != nil {
		t.Fatal(err)
	}
	if _, has := cols["billingaddress"]; has {
		t.Error("Account table has a BillingAddress column; compound fields are not stored")
	}
	if _, has := cols["billingcity"]; !has {
		t.Error("Account table lacks BillingCity")
	}
}

func mustObject(t testing.TB, cat *schema.Catalog, name string) *schema.Object {
	t.Helper()
	o, ok := cat.Object(name)
	if !ok {
		t.Fatalf("no %s", name)
	}
	return o
}

// BenchmarkFieldsAll compares SELECT FIELDS(ALL) FROM Account LIMIT 200 with the same
// query naming every field FIELDS(ALL) expands to, over 200 Accounts: parse, resolve and
// run, medians reported (docs/performance.md, "FIELDS() and compound fields").
func BenchmarkFieldsAll(b *testing.B) {
	db, cat := standardFixture(b)
	acct := mustObject(b, cat, "Account")
	ctx := context.Background()
	recs := make([]records.Record, 198)
	for i := range recs {
		recs[i] = records.Record{"Name": fmt.Sprintf("Account %d", i), "BillingCity": "City", "Phone": "555", "OwnerId": string(querytest.UserID)}
	}
	if err := db.Write(ctx, storetest.QueryOrg, func(tx records.Tx) error { _, err := tx.Insert(ctx, acct, recs); return err }); err != nil {
		b.Fatal(err)
	}
	var names []string
	for _, f := range acct.Fields {
		names = append(names, f.Name)
	}
	for _, tc := range []struct{ name, text string }{
		{"named", "SELECT " + strings.Join(names, ", ") + " FROM Account LIMIT 200"},
		{"fields_all", "SELECT FIELDS(ALL) FROM Account LIMIT 200"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			times := make([]time.Duration, 0, 1024)
			for b.Loop() {
				start := time.Now()
				ast, err := soql.Parse(tc.text)
				if err != nil {
					b.Fatal(err)
				}
				p, err := query.Resolve(ast, cat, querytest.Admin(), query.Options{Now: testNow})
				if err != nil {
					b.Fatal(err)
				}
				res, err := db.Query(ctx, storetest.QueryOrg, p, 0, 2000)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
				if len(res.Rows) != 200 || len(p.Columns) != len(names) {
					b.Fatalf("rows %d columns %d", len(res.Rows), len(p.Columns))
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}

// BenchmarkCompoundColumn compares SELECT Name, BillingAddress with SELECT Name and the
// eight Billing parts over 200 Accounts: what building the value in SQLite costs over
// reading the parts (docs/performance.md, "FIELDS() and compound fields").
func BenchmarkCompoundColumn(b *testing.B) {
	db, cat := standardFixture(b)
	acct := mustObject(b, cat, "Account")
	ctx := context.Background()
	recs := make([]records.Record, 198)
	for i := range recs {
		recs[i] = records.Record{"Name": fmt.Sprintf("Account %d", i), "BillingStreet": "1 Main St", "BillingCity": "City",
			"BillingPostalCode": "12345", "BillingLatitude": 37.775, "BillingLongitude": -122.418, "OwnerId": string(querytest.UserID)}
	}
	if err := db.Write(ctx, storetest.QueryOrg, func(tx records.Tx) error { _, err := tx.Insert(ctx, acct, recs); return err }); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, text string }{
		{"parts", "SELECT Name, BillingStreet, BillingCity, BillingState, BillingPostalCode, BillingCountry, BillingLatitude, BillingLongitude, BillingGeocodeAccuracy FROM Account"},
		{"compound", "SELECT Name, BillingAddress FROM Account"},
	} {
		ast, err := soql.Parse(tc.text)
		if err != nil {
			b.Fatal(err)
		}
		p, err := query.Resolve(ast, cat, querytest.Admin(), query.Options{Now: testNow})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			times := make([]time.Duration, 0, 1024)
			for b.Loop() {
				start := time.Now()
				res, err := db.Query(ctx, storetest.QueryOrg, p, 0, 2000)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
				if len(res.Rows) != 200 {
					b.Fatalf("rows %d", len(res.Rows))
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}
