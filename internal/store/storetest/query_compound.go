package storetest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// StandardQueryFixture syncs the standard objects into orgID of s and stores two
// Accounts (Acme with Billing parts, Bare with none) and a Contact (Smith) of Acme.
func StandardQueryFixture(tb testing.TB, s records.Store, org sfid.ID) *schema.Catalog {
	tb.Helper()
	cat, err := schema.NewCatalog(schema.Standard())
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Sync(ctx, org, cat); err != nil {
		tb.Fatal(err)
	}
	acct, contact := mustObj(tb, cat, "Account"), mustObj(tb, cat, "Contact")
	err = s.Write(ctx, org, func(tx records.Tx) error {
		ids, err := tx.Insert(ctx, acct, []records.Record{
			{"Name": "Acme", "BillingStreet": "1 Main St", "BillingCity": "Springfield", "BillingPostalCode": "12345",
				"BillingLatitude": 37.775, "BillingLongitude": -122.418, "OwnerId": string(querytest.UserID), "IsDeleted": false},
			{"Name": "Bare", "OwnerId": string(querytest.UserID), "IsDeleted": false},
		})
		if err != nil {
			return err
		}
		_, err = tx.Insert(ctx, contact, []records.Record{{"LastName": "Smith", "AccountId": string(ids[0]), "OwnerId": string(querytest.UserID), "IsDeleted": false}})
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

// testCompoundColumns: a compound column is one value built from the part columns,
// keyed by part, null when every part is null, through a parent path and in child
// subqueries too.
func testCompoundColumns(t *testing.T, s records.Store, org sfid.ID) {
	cat := StandardQueryFixture(t, s, org)
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
		res := runText(t, s, org, cat, tc.text)
		if diff := cmp.Diff(tc.want, rowValues(res, len(tc.want[0]))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.text, diff)
		}
	}
	res := runText(t, s, org, cat, "SELECT Name, (SELECT MailingAddress FROM Contacts) FROM Account WHERE Name = 'Acme'")
	if len(res.Rows) != 1 || len(res.Rows[0].Children[0]) != 1 || res.Rows[0].Children[0][0].Values[0] != nil {
		t.Errorf("child MailingAddress: %+v", res.Rows)
	}
}

// testDistance: DISTANCE() filters and sorts by the haversine distance from the
// compound field's point; a null point never matches and sorts as a null.
func testDistance(t *testing.T, s records.Store, org sfid.ID) {
	cat := StandardQueryFixture(t, s, org)
	ctx := context.Background()
	if err := s.Write(ctx, org, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, mustObj(t, cat, "Account"), []records.Record{{"Name": "LA", "BillingLatitude": 34.0522, "BillingLongitude": -118.2437, "OwnerId": string(querytest.UserID), "IsDeleted": false}})
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
		res := runText(t, s, org, cat, "SELECT Name FROM Account WHERE "+tc.where+" ORDER BY "+tc.order)
		if diff := cmp.Diff(tc.want, firstValues(res)); diff != "" {
			t.Errorf("WHERE %s ORDER BY %s (-want +got):\n%s", tc.where, tc.order, diff)
		}
	}
	// Through a parent path.
	res := runText(t, s, org, cat, "SELECT LastName FROM Contact WHERE DISTANCE(Account.BillingAddress, "+sf+", 'mi') < 1")
	if diff := cmp.Diff([]any{"Smith"}, firstValues(res)); diff != "" {
		t.Errorf("parent path (-want +got):\n%s", diff)
	}
}
