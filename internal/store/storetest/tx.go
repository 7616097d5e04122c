package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

func testNotFound(t *testing.T, s store.Store) {
	f := newFixture(t, s)
	for _, tc := range []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Org", func(ctx context.Context) error { _, err := s.Org(ctx, missing(sfid.PrefixOrganization)); return err }},
		{"OrgByName", func(ctx context.Context) error { _, err := s.OrgByName(ctx, "nope"); return err }},
		{"Profile", func(ctx context.Context) error { _, err := s.Profile(ctx, missing(sfid.PrefixProfile)); return err }},
		{"PermissionSet", func(ctx context.Context) error {
			_, err := s.PermissionSet(ctx, missing(sfid.PrefixPermissionSet))
			return err
		}},
		{"User", func(ctx context.Context) error { _, err := s.User(ctx, missing(sfid.PrefixUser)); return err }},
		{"User(other prefix)", func(ctx context.Context) error { _, err := s.User(ctx, f.org1.ID); return err }},
		{"UserByUsername", func(ctx context.Context) error { _, err := s.UserByUsername(ctx, "nobody@x.test"); return err }},
		{"ConnectedApp", func(ctx context.Context) error {
			_, err := s.ConnectedApp(ctx, missing(sfid.PrefixConnectedApp))
			return err
		}},
		{"SessionByTokenHash", func(ctx context.Context) error { _, err := s.SessionByTokenHash(ctx, []byte("nope")); return err }},
		{"DeleteSession", func(ctx context.Context) error {
			_, err := s.DeleteSession(ctx, missing(sfid.PrefixAuthSession))
			return err
		}},
		{"DeleteSession(other prefix)", func(ctx context.Context) error { _, err := s.DeleteSession(ctx, f.user1.ID); return err }},
		{"DeleteSessionByTokenHash", func(ctx context.Context) error {
			_, err := s.DeleteSessionByTokenHash(ctx, []byte("nope"))
			return err
		}},
		{"Setting", func(ctx context.Context) error { _, err := s.Setting(ctx, "nope"); return err }},

		// Updates of IDs that do not exist.
		{"PutOrg(update)", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.PutOrg(ctx, &org.Org{ID: missing(sfid.PrefixOrganization), Name: "Ghost"})
		})},
		{"PutProfile(update)", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.PutProfile(ctx, &org.Profile{ID: missing(sfid.PrefixProfile), OrgID: f.org1.ID, Name: "Ghost"})
		})},
		{"PutPermissionSet(update)", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.PutPermissionSet(ctx, &org.PermissionSet{ID: missing(sfid.PrefixPermissionSet), OrgID: f.org1.ID, Name: "Ghost"})
		})},
		{"PutUser(update)", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.PutUser(ctx, &org.User{ID: missing(sfid.PrefixUser), OrgID: f.org1.ID, Username: "ghost@x.test"})
		})},
		{"PutConnectedApp(update)", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.PutConnectedApp(ctx, &org.ConnectedApp{ID: missing(sfid.PrefixConnectedApp), OrgID: f.org1.ID, Name: "Ghost"})
		})},
		{"PutCredential(update)", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.PutCredential(ctx, &org.Credential{ID: missing(sfid.PrefixCredential), AppID: f.app1.ID, ConsumerKey: "ghost"})
		})},
		{"DeleteCredential", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.DeleteCredential(ctx, missing(sfid.PrefixCredential))
		})},

		// References to records that do not exist.
		{"PutProfile(missing org)", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.PutProfile(ctx, &org.Profile{OrgID: missing(sfid.PrefixOrganization), Name: "Orphan"})
		})},
		{"PutUser(missing profile)", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.PutUser(ctx, &org.User{OrgID: f.org1.ID, Username: "orphan@x.test", ProfileID: missing(sfid.PrefixProfile)})
		})},
		{"PutUser(missing permission set)", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.PutUser(ctx, &org.User{OrgID: f.org1.ID, Username: "orphan@x.test",
				PermissionSetIDs: []sfid.ID{missing(sfid.PrefixPermissionSet)}})
		})},
		{"PutCredential(missing app)", writes(s, func(ctx context.Context, w store.SetupWriter) error {
			return w.PutCredential(ctx, &org.Credential{AppID: missing(sfid.PrefixConnectedApp), ConsumerKey: "orphan"})
		})},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, tc.call(t.Context()), store.ErrNotFound) })
	}
}

// writes adapts a Put to the tables of testNotFound and testConflict.
func writes(s store.Store, fn func(ctx context.Context, w store.SetupWriter) error) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		return s.UpdateSetup(ctx, func(w store.SetupWriter) error { return fn(ctx, w) })
	}
}

func testConflict(t *testing.T, s store.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	var prof org.Profile
	var ps org.PermissionSet
	cred := org.Credential{AppID: f.app1.ID, ConsumerKey: "key-app1", SecretHash: "h1", State: org.CredentialActive}
	cred2 := org.Credential{AppID: f.app2.ID, ConsumerKey: "key-app2", SecretHash: "h2", State: org.CredentialActive}
	setup(t, s, func(w store.SetupWriter) error {
		prof = org.Profile{OrgID: f.org1.ID, Name: "Dup"}
		ps = org.PermissionSet{OrgID: f.org1.ID, Name: "Dup"}
		return errors.Join(w.PutProfile(ctx, &prof), w.PutPermissionSet(ctx, &ps),
			w.PutCredential(ctx, &cred), w.PutCredential(ctx, &cred2))
	})
	// Allowed: the same names in another org, a second pair with the app's own key.
	setup(t, s, func(w store.SetupWriter) error {
		return errors.Join(
			w.PutProfile(ctx, &org.Profile{OrgID: f.org2.ID, Name: "Dup"}),
			w.PutPermissionSet(ctx, &org.PermissionSet{OrgID: f.org2.ID, Name: "Dup"}),
			w.PutConnectedApp(ctx, &org.ConnectedApp{OrgID: f.org2.ID, Name: f.app1.Name}),
			w.PutCredential(ctx, &org.Credential{AppID: f.app1.ID, ConsumerKey: "key-app1", SecretHash: "h3", State: org.CredentialStaged}),
		)
	})

	renamed := f.org2
	renamed.Name = f.org1.Name
	movedUser := f.user3
	movedUser.Username = f.user1.Username
	stolen := cred2
	stolen.ConsumerKey = cred.ConsumerKey
	for _, tc := range []struct {
		name string
		put  func(ctx context.Context, w store.SetupWriter) error
	}{
		{"org name", func(ctx context.Context, w store.SetupWriter) error {
			return w.PutOrg(ctx, &org.Org{Name: f.org1.Name})
		}},
		{"org name by update", func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &renamed) }},
		{"username in another org", func(ctx context.Context, w store.SetupWriter) error {
			return w.PutUser(ctx, &org.User{OrgID: f.org2.ID, Username: f.user1.Username})
		}},
		{"username by update", func(ctx context.Context, w store.SetupWriter) error { return w.PutUser(ctx, &movedUser) }},
		{"profile name", func(ctx context.Context, w store.SetupWriter) error {
			return w.PutProfile(ctx, &org.Profile{OrgID: f.org1.ID, Name: "Dup"})
		}},
		{"permission set name", func(ctx context.Context, w store.SetupWriter) error {
			return w.PutPermissionSet(ctx, &org.PermissionSet{OrgID: f.org1.ID, Name: "Dup"})
		}},
		{"connected app name", func(ctx context.Context, w store.SetupWriter) error {
			return w.PutConnectedApp(ctx, &org.ConnectedApp{OrgID: f.org1.ID, Name: f.app2.Name})
		}},
		{"consumer key of another app", func(ctx context.Context, w store.SetupWriter) error {
			return w.PutCredential(ctx, &org.Credential{AppID: f.app3.ID, ConsumerKey: cred.ConsumerKey, SecretHash: "x"})
		}},
		{"consumer key of another app by update", func(ctx context.Context, w store.SetupWriter) error {
			return w.PutCredential(ctx, &stolen)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.UpdateSetup(ctx, func(w store.SetupWriter) error { return tc.put(ctx, w) })
			wantErr(t, tc.name, err, store.ErrConflict)
		})
	}

	// Nothing of the failed writes is visible.
	got, err := s.Org(ctx, f.org2.ID)
	must(t, "Org", err)
	diff(t, "org2 after failed rename", f.org2, got, cmpopts.IgnoreFields(org.Org{}, "Licences")) // counted by testOrgLicences
	u, err := s.UserByUsername(ctx, f.user1.Username)
	must(t, "UserByUsername", err)
	diff(t, "user1 after failed takeover", f.user1, u)
	creds, err := s.CredentialsByKey(ctx, cred.ConsumerKey)
	must(t, "CredentialsByKey", err)
	for _, c := range creds {
		if c.AppID != f.app1.ID {
			t.Errorf("consumer key %q is held by app %s as well as %s", cred.ConsumerKey, c.AppID, f.app1.ID)
		}
	}
	if len(creds) != 2 {
		t.Errorf("CredentialsByKey returned %d pairs, want app1's 2", len(creds))
	}
}

// testRollback checks that a failed UpdateSetup keeps nothing: no rows, no consumed IDs.
func testRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	kept := org.Org{Name: "Kept"}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &kept) })

	boom := errors.New("boom")
	var lost org.Org
	var lostUser org.User
	err := s.UpdateSetup(ctx, func(w store.SetupWriter) error {
		lost = org.Org{Name: "Lost"}
		if err := w.PutOrg(ctx, &lost); err != nil {
			return err
		}
		lostUser = org.User{OrgID: lost.ID, Username: "lost@x.test"}
		if err := w.PutUser(ctx, &lostUser); err != nil {
			return err
		}
		renamed := kept
		renamed.Name = "Renamed"
		if err := w.PutOrg(ctx, &renamed); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("UpdateSetup = %v, want fn's error %v", err, boom)
	}
	if lost.ID.IsZero() || lostUser.ID.IsZero() {
		t.Fatal("Put inside the failed transaction assigned no IDs")
	}
	_, err = s.Org(ctx, lost.ID)
	wantErr(t, "Org(rolled back)", err, store.ErrNotFound)
	_, err = s.OrgByName(ctx, "Lost")
	wantErr(t, "OrgByName(rolled back)", err, store.ErrNotFound)
	_, err = s.UserByUsername(ctx, "lost@x.test")
	wantErr(t, "UserByUsername(rolled back)", err, store.ErrNotFound)
	orgs, err := s.Orgs(ctx)
	must(t, "Orgs", err)
	diff(t, "Orgs after rollback", []org.Org{kept}, orgs)
	users, err := s.Users(ctx, "")
	must(t, "Users", err)
	diff(t, "Users after rollback", []org.User(nil), users)

	// The IDs handed out in the failed transaction are handed out again.
	next := org.Org{Name: "Next"}
	nextUser := org.User{Username: "next@x.test"}
	setup(t, s, func(w store.SetupWriter) error {
		if err := w.PutOrg(ctx, &next); err != nil {
			return err
		}
		nextUser.OrgID = next.ID
		return w.PutUser(ctx, &nextUser)
	})
	if next.ID != lost.ID || seq(t, next.ID) != seq(t, kept.ID)+1 {
		t.Errorf("org after rollback got ID %s, want %s (the rolled-back one, next after %s)", next.ID, lost.ID, kept.ID)
	}
	if nextUser.ID != lostUser.ID {
		t.Errorf("user after rollback got ID %s, want the rolled-back %s", nextUser.ID, lostUser.ID)
	}
}

// testOwnWrites checks that reads through the SetupWriter see the transaction's writes.
func testOwnWrites(t *testing.T, s store.Store) {
	setup(t, s, func(w store.SetupWriter) error {
		ctx := t.Context()
		o := org.Org{Name: "Fresh"}
		must(t, "PutOrg", w.PutOrg(ctx, &o))
		got, err := w.Org(ctx, o.ID)
		must(t, "w.Org", err)
		diff(t, "w.Org", o, got)
		got, err = w.OrgByName(ctx, "Fresh")
		must(t, "w.OrgByName", err)
		diff(t, "w.OrgByName", o, got)
		orgs, err := w.Orgs(ctx)
		must(t, "w.Orgs", err)
		diff(t, "w.Orgs", []org.Org{o}, orgs)

		p := org.Profile{OrgID: o.ID, Name: "P", Permissions: []string{"ApiEnabled"}}
		must(t, "PutProfile", w.PutProfile(ctx, &p))
		ps := org.PermissionSet{OrgID: o.ID, Name: "PS"}
		must(t, "PutPermissionSet", w.PutPermissionSet(ctx, &ps))
		u := org.User{OrgID: o.ID, Username: "fresh@x.test", ProfileID: p.ID, PermissionSetIDs: []sfid.ID{ps.ID}}
		must(t, "PutUser", w.PutUser(ctx, &u))
		a := org.ConnectedApp{OrgID: o.ID, Name: "A", RunAsUserID: u.ID, ProfileIDs: []sfid.ID{p.ID}}
		must(t, "PutConnectedApp", w.PutConnectedApp(ctx, &a))
		c := org.Credential{AppID: a.ID, ConsumerKey: "fresh-key", SecretHash: "h", State: org.CredentialActive}
		must(t, "PutCredential", w.PutCredential(ctx, &c))

		profiles, err := w.Profiles(ctx, o.ID)
		must(t, "w.Profiles", err)
		diff(t, "w.Profiles", []org.Profile{p}, profiles)
		gotPS, err := w.PermissionSet(ctx, ps.ID)
		must(t, "w.PermissionSet", err)
		diff(t, "w.PermissionSet", ps, gotPS)
		gotU, err := w.UserByUsername(ctx, "fresh@x.test")
		must(t, "w.UserByUsername", err)
		diff(t, "w.UserByUsername", u, gotU)
		users, err := w.Users(ctx, o.ID)
		must(t, "w.Users", err)
		diff(t, "w.Users", []org.User{u}, users)
		apps, err := w.ConnectedApps(ctx, o.ID)
		must(t, "w.ConnectedApps", err)
		diff(t, "w.ConnectedApps", []org.ConnectedApp{a}, apps)
		creds, err := w.CredentialsByKey(ctx, "fresh-key")
		must(t, "w.CredentialsByKey", err)
		diff(t, "w.CredentialsByKey", []org.Credential{c}, creds)

		must(t, "DeleteCredential", w.DeleteCredential(ctx, c.ID))
		creds, err = w.Credentials(ctx, a.ID)
		must(t, "w.Credentials after delete", err)
		diff(t, "w.Credentials after delete", []org.Credential(nil), creds)
		return nil
	})
}
