// Package storetest is the conformance suite every store backend runs:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return openEmptyStore(t) })
//	}
//
// Beyond the comments of package store, the suite pins down these behaviours:
//   - After a successful Put* or RecordLogins, the argument equals what a later read
//     returns: its ID, CreatedAt and UpdatedAt are filled in and its times are normalised
//     to UTC milliseconds.
//   - An update keeps the stored CreatedAt and sets UpdatedAt; updating a missing ID, or
//     writing a reference to a missing record, wraps store.ErrNotFound.
//   - IDs are 18 characters, carry the object's key prefix, and consecutive inserts of one
//     prefix get consecutive sequence numbers; a rolled-back transaction consumes none.
//   - User.PermissionSetIDs keeps its order; lists of Setup objects may come in any order.
//   - ListSessions is newest (highest ID) first; LoginHistory is newest Time first, ties
//     newest ID first. A duplicate session token hash is store.ErrConflict.
//   - DeleteExpiredSessions(now) removes exactly the sessions for which
//     org.Session.Expired(now) holds, after any TouchSessions.
//   - DeleteExpiredCredentials(now) removes exactly the pairs org.Credential.Usable(now)
//     rejects; the setup audit trail is append-only, newest CreatedDate first, ties newest
//     ID first, and its rows roll back with their transaction.
//   - RecordLoginFailure locks exactly at maxAttempts until now+lockFor (to the
//     millisecond) and restarts the count; the first failure after a lockout ended counts 1.
//   - SigningKeys are ordered by ActivateAt; PutSigningKey on an existing KID changes only
//     its times; ConnectedApp.JWTAccessTokens round-trips.
//   - Object and field permissions of profiles and permission sets come back in the order
//     given and are replaced by every Put; CustomObjects keeps definition order, and a
//     FieldSpec.Default round-trips as a JSON value (a number comes back float64).
//     SeededRecord refs are unique per org and case-sensitive.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Run runs the suite. open must return a new, empty store for each call; Run closes it.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	newStore := func(t *testing.T) store.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return s
	}
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Orgs", testOrgs},
		{"OrgLicences", testOrgLicences},
		{"Profiles", testProfiles},
		{"PermissionSets", testPermissionSets},
		{"Users", testUsers},
		{"ConnectedApps", testConnectedApps},
		{"Credentials", testCredentials},
		{"DeleteConnectedApp", testDeleteConnectedApp},
		{"IDs", testIDs},
		{"NotFound", testNotFound},
		{"Conflict", testConflict},
		{"UpdateSetupRollback", testRollback},
		{"UpdateSetupSeesOwnWrites", testOwnWrites},
		{"RecordLogins", testRecordLogins},
		{"RecordLoginsAtomic", testRecordLoginsAtomic},
		{"TouchSessions", testTouchSessions},
		{"ListSessions", testListSessions},
		{"DeleteSession", testDeleteSession},
		{"DeleteUserSessions", testDeleteUserSessions},
		{"DeleteExpiredSessions", testDeleteExpiredSessions},
		{"LoginHistory", testLoginHistory},
		{"Settings", testSettings},
		{"SetupAuditTrail", testSetupAuditTrail},
		{"DeleteExpiredCredentials", testDeleteExpiredCredentials},
		{"AuthFields", testAuthFields},
		{"Lockouts", testLockouts},
		{"SigningKeys", testSigningKeys},
		{"ObjectPermissions", testObjectPermissions},
		{"CustomObjects", testCustomObjects},
		{"SeededRecords", testSeededRecords},
		{"SetupDeletes", testSetupDeletes}, // setupdelete.go
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
	for _, tc := range grantTests { // oauthgrants.go
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// base is the suite's reference time, on a millisecond.
var base = time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC)

// opts compares store values: times must be equal instants and in UTC (time.Time's own
// Equal ignores the location), nil and empty slices are the same.
var opts = cmp.Options{
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) && a.Location() == b.Location() }),
	cmpopts.EquateEmpty(),
}

// anyOrder additionally ignores the order of lists of Setup objects.
var anyOrder = cmp.Options{
	cmpopts.SortSlices(func(a, b org.Org) bool { return a.ID < b.ID }),
	cmpopts.SortSlices(func(a, b org.Profile) bool { return a.ID < b.ID }),
	cmpopts.SortSlices(func(a, b org.PermissionSet) bool { return a.ID < b.ID }),
	cmpopts.SortSlices(func(a, b org.User) bool { return a.ID < b.ID }),
	cmpopts.SortSlices(func(a, b org.ConnectedApp) bool { return a.ID < b.ID }),
}

// cmpSortCredentials ignores the order of credential lists whose order is unspecified.
var cmpSortCredentials = cmpopts.SortSlices(func(a, b org.Credential) bool { return a.ID < b.ID })

// cmpSortTokens ignores the order of refresh token lists whose order is unspecified.
var cmpSortTokens = cmpopts.SortSlices(func(a, b org.RefreshToken) bool { return a.ID < b.ID })

// cmpSortSessions ignores the order of session lists whose order is unspecified.
var cmpSortSessions = cmpopts.SortSlices(func(a, b org.Session) bool { return a.ID < b.ID })

// diff reports a difference between want and got.
func diff(t *testing.T, what string, want, got any, o ...cmp.Option) {
	t.Helper()
	if d := cmp.Diff(want, got, append(cmp.Options{opts}, o...)); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// must fails the test now if err is not nil.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantErr checks that err wraps target.
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error = %v, want one wrapping %v", what, err, target)
	}
}

// setup runs fn in UpdateSetup and fails the test if it fails.
func setup(t *testing.T, s store.Store, fn func(w store.SetupWriter) error) {
	t.Helper()
	must(t, "UpdateSetup", s.UpdateSetup(t.Context(), fn))
}

// put runs one Put in its own transaction: put(t, s, func(ctx, w) error { return w.PutOrg(ctx, &o) }).
func put(t *testing.T, s store.Store, fn func(ctx context.Context, w store.SetupWriter) error) {
	t.Helper()
	setup(t, s, func(w store.SetupWriter) error { return fn(t.Context(), w) })
}

// tryPut is put returning UpdateSetup's error.
func tryPut(t *testing.T, s store.Store, fn func(ctx context.Context, w store.SetupWriter) error) error {
	t.Helper()
	return s.UpdateSetup(t.Context(), func(w store.SetupWriter) error { return fn(t.Context(), w) })
}

// checkID checks an assigned ID's form and prefix.
func checkID(t *testing.T, what string, id sfid.ID, prefix string) {
	t.Helper()
	if len(id) != 18 || id.Prefix() != prefix {
		t.Errorf("%s ID = %q, want an 18-character ID with prefix %s", what, id, prefix)
		return
	}
	if p, err := sfid.Parse(string(id)); err != nil || p != id {
		t.Errorf("%s ID %q does not parse as itself: %v, %v", what, id, p, err)
	}
	if _, ok := id.Sequence(); !ok {
		t.Errorf("%s ID %q has no sequence number", what, id)
	}
}

// checkStamps checks the timestamps Put sets on insert: CreatedAt = UpdatedAt, between
// before and after, UTC, whole milliseconds.
func checkStamps(t *testing.T, what string, created, updated, before time.Time) {
	t.Helper()
	after := time.Now().Add(time.Millisecond)
	if created.Before(before.Truncate(time.Millisecond)) || created.After(after) {
		t.Errorf("%s CreatedAt = %v, want between %v and %v", what, created, before, after)
	}
	if !updated.Equal(created) {
		t.Errorf("%s UpdatedAt = %v, want CreatedAt %v", what, updated, created)
	}
	if created.Location() != time.UTC || created.Nanosecond()%int(time.Millisecond) != 0 {
		t.Errorf("%s CreatedAt = %v, want UTC with millisecond precision", what, created)
	}
}

// seq returns an ID's sequence number.
func seq(t *testing.T, id sfid.ID) uint64 {
	t.Helper()
	n, ok := id.Sequence()
	if !ok {
		t.Fatalf("ID %q has no sequence number", id)
	}
	return n
}

// missing is a well-formed ID of prefix that no store will have assigned.
func missing(prefix string) sfid.ID { return sfid.New(prefix, "zz", 238_327) }

// fixture is a small Setup graph for the session and login tests: two orgs, users and apps.
type fixture struct {
	org1, org2          org.Org
	user1, user2, user3 org.User // user1 and user2 in org1
	app1, app2, app3    org.ConnectedApp
}

func newFixture(t *testing.T, s store.Store) fixture {
	t.Helper()
	var f fixture
	setup(t, s, func(w store.SetupWriter) error {
		ctx := t.Context()
		f.org1 = org.Org{Name: "Fixture One"}
		f.org2 = org.Org{Name: "Fixture Two"}
		for _, o := range []*org.Org{&f.org1, &f.org2} {
			if err := w.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		p1 := org.Profile{OrgID: f.org1.ID, Name: "Standard", Permissions: []string{org.PermAPIEnabled}}
		p2 := org.Profile{OrgID: f.org2.ID, Name: "Standard", Permissions: []string{org.PermAPIEnabled}}
		for _, p := range []*org.Profile{&p1, &p2} {
			if err := w.PutProfile(ctx, p); err != nil {
				return err
			}
		}
		f.user1 = org.User{OrgID: f.org1.ID, Username: "one@fixture.test", LastName: "One", ProfileID: p1.ID, Active: true}
		f.user2 = org.User{OrgID: f.org1.ID, Username: "two@fixture.test", LastName: "Two", ProfileID: p1.ID, Active: true}
		f.user3 = org.User{OrgID: f.org2.ID, Username: "three@fixture.test", LastName: "Three", ProfileID: p2.ID, Active: true}
		for _, u := range []*org.User{&f.user1, &f.user2, &f.user3} {
			if err := w.PutUser(ctx, u); err != nil {
				return err
			}
		}
		f.app1 = org.ConnectedApp{OrgID: f.org1.ID, Name: "App1", Scopes: []string{"api"}, RunAsUserID: f.user1.ID}
		f.app2 = org.ConnectedApp{OrgID: f.org1.ID, Name: "App2", Scopes: []string{"api"}, RunAsUserID: f.user2.ID}
		f.app3 = org.ConnectedApp{OrgID: f.org2.ID, Name: "App3", Scopes: []string{"api"}, RunAsUserID: f.user3.ID}
		for _, a := range []*org.ConnectedApp{&f.app1, &f.app2, &f.app3} {
			if err := w.PutConnectedApp(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
	return f
}
