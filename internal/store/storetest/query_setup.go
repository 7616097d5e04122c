package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/soql"
	"github.com/forcefield/forcefield/internal/store"
)

// RunQuerySetup is the part of the query suite that reads Setup objects (User,
// LoginHistory) through the records path: their rows are the Setup store's, of the org
// queried only; a parent User of another org reads as null; semi-joins reach them; the
// running user sees only their own LoginHistory without Manage Users.
func RunQuerySetup(t *testing.T, open func(t *testing.T) RecordStore) {
	ctx := t.Context()
	s := open(t)
	cat := Catalog() // querytest's
	o1, o2 := org.Org{Name: "QuerySetup1"}, org.Org{Name: "QuerySetup2"}
	ann := org.User{Username: "ann@qs.test", LastName: "Ann", Active: true}
	bob := org.User{Username: "bob@qs.test", FirstName: "Bob", LastName: "Builder", Active: true}
	eve := org.User{Username: "eve@qs.test", LastName: "Eve", Active: true}
	setup(t, s, func(w store.SetupWriter) error {
		for _, o := range []*org.Org{&o1, &o2} {
			if err := w.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		ann.OrgID, bob.OrgID, eve.OrgID = o1.ID, o1.ID, o2.ID
		for _, u := range []*org.User{&ann, &bob, &eve} {
			if err := w.PutUser(ctx, u); err != nil {
				return err
			}
		}
		return nil
	})
	for _, o := range []org.Org{o1, o2} {
		if err := s.Sync(ctx, o.ID, cat); err != nil {
			t.Fatalf("Sync: %v", err)
		}
	}
	login := time.Date(2024, 5, 14, 8, 0, 0, 0, time.UTC)
	if err := s.RecordLogins(ctx, nil, []*org.LoginEvent{
		{OrgID: o1.ID, UserID: ann.ID, Time: login, LoginType: "Remote Access 2.0", Status: "Success"},
		{OrgID: o1.ID, UserID: bob.ID, Time: login.Add(time.Hour), LoginType: "Remote Access 2.0", Status: "Success"},
		{OrgID: o2.ID, UserID: eve.ID, Time: login, LoginType: "Remote Access 2.0", Status: "Success"},
	}); err != nil {
		t.Fatalf("RecordLogins: %v", err)
	}
	acct := mustObj(t, cat, "Account")
	if err := s.Write(ctx, o1.ID, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, acct, []records.Record{
			{"Name": "Acme", "OwnerId": string(ann.ID), "IsDeleted": false},
			{"Name": "Beta", "OwnerId": string(bob.ID), "IsDeleted": false},
			{"Name": "gamma", "OwnerId": string(eve.ID), "IsDeleted": false}, // another org's user
		})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	admin := access.New(org.Principal{User: org.User{ID: ann.ID}, Profile: org.Profile{Permissions: []string{"ModifyAllData"}}})
	plain := access.New(org.Principal{User: org.User{ID: ann.ID}, Profile: org.Profile{ObjectPermissions: []org.ObjectPermission{{Object: "Account", Read: true}}}})
	run := func(t *testing.T, acc *access.Checker, q *soql.Query) *records.Result {
		t.Helper()
		_, res := runQueryAs(t, s, o1.ID, cat, acc, q, query.Options{}, 0, 0)
		return res
	}
	usersNamed := func(name string) *soql.Query {
		q := Q("User", F("Id"))
		q.Where = Cmp("Name", "=", Str(name))
		return q
	}

	for _, tc := range []struct {
		name  string
		where soql.Expr
		want  []any
	}{
		{"setup parent", Cmp("Owner.Name", "=", Str("ann")), []any{"Acme"}},
		{"setup parent other org", Cmp("Owner.Name", "=", Null()), []any{"gamma"}},
		{"semi join on setup", Semi("OwnerId", "IN", usersNamed("Bob Builder")), []any{"Beta"}},
		{"anti join on setup", Semi("OwnerId", "NOT IN", usersNamed("Bob Builder")), []any{"Acme", "gamma"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Q("Account", F("Name"))
			q.Where = tc.where
			q.OrderBy = []soql.Order{{Field: N("Name")}}
			if diff := cmp.Diff(tc.want, firstValues(run(t, admin, q))); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("order by setup parent", func(t *testing.T) {
		q := Q("Account", F("Name"), F("Owner.Name"))
		q.OrderBy = []soql.Order{{Field: N("Owner.Name"), Desc: true}}
		want := [][]any{{"Beta", "Bob Builder"}, {"Acme", "Ann"}, {"gamma", nil}}
		if diff := cmp.Diff(want, rowValues(run(t, admin, q), 2)); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
	})
	t.Run("users of the org", func(t *testing.T) {
		q := Q("User", F("Name"), F("Username"), F("IsActive"))
		q.OrderBy = []soql.Order{{Field: N("Name")}}
		want := [][]any{{"Ann", "ann@qs.test", true}, {"Bob Builder", "bob@qs.test", true}} // Eve is another org's
		if diff := cmp.Diff(want, rowValues(run(t, admin, q), 3)); diff != "" {
			t.Errorf("users (-want +got):\n%s", diff)
		}
	})
	t.Run("login history", func(t *testing.T) {
		q := Q("LoginHistory", F("UserId"), F("LoginTime"))
		q.OrderBy = []soql.Order{{Field: N("LoginTime")}}
		want := [][]any{{string(ann.ID), login}, {string(bob.ID), login.Add(time.Hour)}}
		if diff := cmp.Diff(want, rowValues(run(t, admin, q), 2)); diff != "" {
			t.Errorf("admin logins (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]any{string(ann.ID)}, firstValues(run(t, plain, Q("LoginHistory", F("UserId"))))); diff != "" {
			t.Errorf("own logins (-want +got):\n%s", diff)
		}
		q = Q("LoginHistory", F("UserId"))
		q.Where = Cmp("Id", "=", Str(string(sfid.New(sfid.PrefixLoginHistory, "5F", 1<<40))))
		if got := firstValues(run(t, admin, q)); len(got) != 0 {
			t.Errorf("login by an unknown Id = %v", got)
		}
	})
}
