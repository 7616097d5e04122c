package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
)

// standardFixture syncs the standard objects' tables (compound fields have no column)
// and stores two Accounts (one with Billing parts, one with none) and a Contact of the
// first.
func standardFixture(t testing.TB) (*DB, *schema.Catalog) {
	t.Helper()
	db, _ := openTemp(t)
	t.Cleanup(func() { db.Close() })
	cat, err := schema.NewCatalog(schema.Standard())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.Sync(ctx, testOrg, cat); err != nil {
		t.Fatal(err)
	}
	acct, _ := cat.Object("Account")
	contact, _ := cat.Object("Contact")
	err = db.Write(ctx, testOrg, func(tx records.Tx) error {
		ids, err := tx.Insert(ctx, acct, []records.Record{
			{"Name": "Acme", "BillingStreet": "1 Main St", "BillingCity": "Springfield", "BillingPostalCode": "12345",
				"BillingLatitude": 37.775, "BillingLongitude": -122.418, "OwnerId": string(querytest.UserID)},
			{"Name": "Bare", "OwnerId": string(querytest.UserID)},
		})
		if err != nil {
			return err
		}
		_, err = tx.Insert(ctx, contact, []records.Record{{"LastName": "Smith", "AccountId": string(ids[0]), "OwnerId": string(querytest.UserID)}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, cat
}

func runText(t testing.TB, db *DB, cat *schema.Catalog, text string) *records.Result {
	t.Helper()
	ast, err := soql.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	p, err := query.Resolve(ast, cat, querytest.Admin(), query.Options{Now: testNow})
	if err != nil {
		t.Fatalf("Resolve(%q): %v", text, err)
	}
	res, err := db.Query(context.Background(), testOrg, p, 0, 2000)
	if err != nil {
		t.Fatalf("Query(%q): %v", text, err)
	}
	return res
}

// TestCompoundColumns: a compound column is one value built from the part columns, keyed
// by part, null when every part is null, through a parent path and in child subqueries
// too; the table has no column of its own for it.
func TestCompoundColumns(t *testing.T) {
	db, cat := standardFixture(t)
	acme := map[string]any{"city": "Springfield", "country": nil, "geocodeAccuracy": nil, "latitude": 37.775,
		"longitude": -122.418, "postalCode": "12345", "state": nil, "street": "1 Main St"}
	for _, tc := range []struct {
		text string
		want [][]any // visible values of each row
	}{
		{"SELECT Name, BillingAddress FROM Account ORDER BY Name", [][]any{{"Acme", acme}, {"Bare", nil}}},
		{"SELECT ShippingAddress FROM Account ORDER BY Name", [][]any{{nil}, {nil}}},
		{"SELECT LastName, Account.BillingAddress FROM Contact", [][]any{{"Smith", acme}}},
	} {
		res := runText(t, db, cat, tc.text)
		var got [][]any
		for _, r := range res.Rows {
			got = append(got, r.Values[:len(tc.want[0])])
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.text, diff)
		}
	}
	res := runText(t, db, cat, "SELECT Name, (SELECT MailingAddress FROM Contacts) FROM Account WHERE Name = 'Acme'")
	if len(res.Rows) != 1 || len(res.Rows[0].Children[0]) != 1 || res.Rows[0].Children[0][0].Values[0] != nil {
		t.Errorf("child MailingAddress: %+v", res.Rows)
	}
	cols, err := tableColumns(context.Background(), db.r, recordTable(testOrg, mustObject(t, cat, "Account")))
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
	if err := db.Write(ctx, testOrg, func(tx records.Tx) error { _, err := tx.Insert(ctx, acct, recs); return err }); err != nil {
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
				res, err := db.Query(ctx, testOrg, p, 0, 2000)
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
	if err := db.Write(ctx, testOrg, func(tx records.Tx) error { _, err := tx.Insert(ctx, acct, recs); return err }); err != nil {
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
				res, err := db.Query(ctx, testOrg, p, 0, 2000)
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

// TestDistance: DISTANCE() filters and sorts by the haversine distance from the compound
// field's point; a null point never matches and sorts as a null.
func TestDistance(t *testing.T) {
	db, cat := standardFixture(t)
	acct := mustObject(t, cat, "Account")
	ctx := context.Background()
	if err := db.Write(ctx, testOrg, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, acct, []records.Record{{"Name": "LA", "BillingLatitude": 34.0522, "BillingLongitude": -118.2437, "OwnerId": string(querytest.UserID)}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	const sf = "GEOLOCATION(37.7749, -122.4194)"
	for _, tc := range []struct {
		where, order string
		want         []any
	}{
		{"DISTANCE(BillingAddress, " + sf + ", 'mi') < 1", "Name", []any{"Acme"}},
		{"DISTANCE(BillingAddress, " + sf + ", 'mi') < 400", "Name", []any{"Acme", "LA"}},           // SF–LA is about 347 mi
		{"DISTANCE(BillingAddress, " + sf + ", 'km') < 500", "Name", []any{"Acme"}},                 // about 559 km
		{"DISTANCE(BillingAddress, " + sf + ", 'km') > 500", "Name", []any{"LA"}},                   // Bare (no point) never matches
		{"Name != null", "DISTANCE(BillingAddress, " + sf + ", 'mi')", []any{"Bare", "Acme", "LA"}}, // ASC: nulls first
		{"Name != null", "DISTANCE(BillingAddress, " + sf + ", 'mi') DESC", []any{"LA", "Acme", "Bare"}},
	} {
		res := runText(t, db, cat, "SELECT Name FROM Account WHERE "+tc.where+" ORDER BY "+tc.order)
		if diff := cmp.Diff(tc.want, firstValues(res)); diff != "" {
			t.Errorf("WHERE %s ORDER BY %s (-want +got):\n%s", tc.where, tc.order, diff)
		}
	}
	// Through a parent path.
	res := runText(t, db, cat, "SELECT LastName FROM Contact WHERE DISTANCE(Account.BillingAddress, "+sf+", 'mi') < 1")
	if diff := cmp.Diff([]any{"Smith"}, firstValues(res)); diff != "" {
		t.Errorf("parent path (-want +got):\n%s", diff)
	}
}
