package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

func testOrgs(t *testing.T, s store.Store) {
	ctx := t.Context()
	before := time.Now()
	acme := org.Org{Name: "Acme", MyDomain: "acme", SessionTimeoutMinutes: 30, DailyAPIRequests: 5000}
	// Globex is time-travelled (issue 14 §2): its clock offset round-trips to the nanosecond.
	globex := org.Org{Name: "Globex", Edition: org.EditionDeveloper, ClockOffset: 25*time.Hour + 90*time.Minute + 7}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &acme) })
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &globex) })
	checkID(t, "org", acme.ID, sfid.PrefixOrganization)
	checkStamps(t, "org", acme.CreatedAt, acme.UpdatedAt, before)

	got, err := s.Org(ctx, acme.ID)
	must(t, "Org", err)
	diff(t, "Org", acme, got)
	got, err = s.OrgByName(ctx, "Globex")
	must(t, "OrgByName", err)
	diff(t, "OrgByName", globex, got)
	all, err := s.Orgs(ctx)
	must(t, "Orgs", err)
	diff(t, "Orgs", []org.Org{acme, globex}, all, anyOrder)

	// Update: every field but ID and CreatedAt changes; CreatedAt stays, UpdatedAt moves.
	time.Sleep(2 * time.Millisecond)
	upd := org.Org{ID: acme.ID, Name: "Acme Corp", MyDomain: "acmecorp", SessionTimeoutMinutes: 15, DailyAPIRequests: 100,
		Edition: org.EditionPerformance, ClockOffset: 2 * time.Hour}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &upd) })
	if !upd.CreatedAt.Equal(acme.CreatedAt) {
		t.Errorf("updated org CreatedAt = %v, want the original %v", upd.CreatedAt, acme.CreatedAt)
	}
	if !upd.UpdatedAt.After(acme.UpdatedAt) {
		t.Errorf("updated org UpdatedAt = %v, want after %v", upd.UpdatedAt, acme.UpdatedAt)
	}
	got, err = s.Org(ctx, acme.ID)
	must(t, "Org after update", err)
	diff(t, "Org after update", upd, got)
	_, err = s.OrgByName(ctx, "Acme")
	wantErr(t, "OrgByName(old name)", err, store.ErrNotFound)
}

func testProfiles(t *testing.T, s store.Store) {
	ctx := t.Context()
	o1, o2 := org.Org{Name: "P1"}, org.Org{Name: "P2"}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &o1) })
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &o2) })

	before := time.Now()
	admin := org.Profile{OrgID: o1.ID, Name: "System Administrator", Permissions: []string{"ApiEnabled", "ModifyAllData"}, SessionTimeoutMinutes: 60}
	std := org.Profile{OrgID: o1.ID, Name: "Standard User"}
	other := org.Profile{OrgID: o2.ID, Name: "System Administrator", Permissions: []string{"ApiEnabled"}} // same name, other org
	for _, p := range []*org.Profile{&admin, &std, &other} {
		put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutProfile(ctx, p) })
	}
	checkID(t, "profile", admin.ID, sfid.PrefixProfile)
	checkStamps(t, "profile", admin.CreatedAt, admin.UpdatedAt, before)

	got, err := s.Profile(ctx, admin.ID)
	must(t, "Profile", err)
	diff(t, "Profile", admin, got)
	list, err := s.Profiles(ctx, o1.ID)
	must(t, "Profiles", err)
	diff(t, "Profiles(o1)", []org.Profile{admin, std}, list, anyOrder)

	std.Permissions = []string{"ApiEnabled", "ApiUserOnly"}
	std.SessionTimeoutMinutes = 5
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutProfile(ctx, &std) })
	got, err = s.Profile(ctx, std.ID)
	must(t, "Profile after update", err)
	diff(t, "Profile after update", std, got)
}

func testPermissionSets(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := org.Org{Name: "PS"}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &o) })
	before := time.Now()
	api := org.PermissionSet{OrgID: o.ID, Name: "API Access", Permissions: []string{"ApiEnabled"}}
	empty := org.PermissionSet{OrgID: o.ID, Name: "Nothing"}
	for _, ps := range []*org.PermissionSet{&api, &empty} {
		put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutPermissionSet(ctx, ps) })
	}
	checkID(t, "permission set", api.ID, sfid.PrefixPermissionSet)
	checkStamps(t, "permission set", api.CreatedAt, api.UpdatedAt, before)
	got, err := s.PermissionSet(ctx, api.ID)
	must(t, "PermissionSet", err)
	diff(t, "PermissionSet", api, got)
	list, err := s.PermissionSets(ctx, o.ID)
	must(t, "PermissionSets", err)
	diff(t, "PermissionSets", []org.PermissionSet{api, empty}, list, anyOrder)

	empty.Name, empty.Permissions = "Something", []string{"ViewSetup"}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutPermissionSet(ctx, &empty) })
	got, err = s.PermissionSet(ctx, empty.ID)
	must(t, "PermissionSet after update", err)
	diff(t, "PermissionSet after update", empty, got)
}

func testUsers(t *testing.T, s store.Store) {
	ctx := t.Context()
	o1, o2 := org.Org{Name: "U1"}, org.Org{Name: "U2"}
	var prof, prof2 org.Profile
	var ps1, ps2, ps3 org.PermissionSet
	setup(t, s, func(w store.SetupWriter) error {
		for _, o := range []*org.Org{&o1, &o2} {
			if err := w.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		prof, prof2 = org.Profile{OrgID: o1.ID, Name: "Std"}, org.Profile{OrgID: o1.ID, Name: "Other"}
		for _, p := range []*org.Profile{&prof, &prof2} {
			if err := w.PutProfile(ctx, p); err != nil {
				return err
			}
		}
		ps1, ps2, ps3 = org.PermissionSet{OrgID: o1.ID, Name: "A"}, org.PermissionSet{OrgID: o1.ID, Name: "B"}, org.PermissionSet{OrgID: o1.ID, Name: "C"}
		for _, ps := range []*org.PermissionSet{&ps1, &ps2, &ps3} {
			if err := w.PutPermissionSet(ctx, ps); err != nil {
				return err
			}
		}
		return nil
	})

	before := time.Now()
	alice := org.User{
		OrgID: o1.ID, Username: "alice@acme.test", FirstName: "Alice", LastName: "Smith", Email: "alice@acme.test",
		ProfileID: prof.ID, PermissionSetIDs: []sfid.ID{ps2.ID, ps1.ID}, Active: true,
		TimeZone: "America/Los_Angeles", Locale: "en_US", Language: "en_US",
	}
	bob := org.User{OrgID: o1.ID, Username: "bob@acme.test", LastName: "Jones", ProfileID: prof.ID}
	carol := org.User{OrgID: o2.ID, Username: "carol@globex.test", LastName: "White"} // no profile
	for _, u := range []*org.User{&alice, &bob, &carol} {
		put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutUser(ctx, u) })
	}
	checkID(t, "user", alice.ID, sfid.PrefixUser)
	checkStamps(t, "user", alice.CreatedAt, alice.UpdatedAt, before)

	got, err := s.User(ctx, alice.ID)
	must(t, "User", err)
	diff(t, "User", alice, got)
	got, err = s.UserByUsername(ctx, "carol@globex.test")
	must(t, "UserByUsername", err)
	diff(t, "UserByUsername", carol, got)
	list, err := s.Users(ctx, o1.ID)
	must(t, "Users(o1)", err)
	diff(t, "Users(o1)", []org.User{alice, bob}, list, anyOrder)
	list, err = s.Users(ctx, "")
	must(t, "Users(all)", err)
	diff(t, "Users(all)", []org.User{alice, bob, carol}, list, anyOrder)

	// Updates replace the assignments: drop one, add one, reorder; then clear them.
	for _, step := range []struct {
		name    string
		permSet []sfid.ID
	}{
		{"replace", []sfid.ID{ps3.ID, ps2.ID}},
		{"clear", nil},
		{"again", []sfid.ID{ps1.ID}},
	} {
		alice.PermissionSetIDs = step.permSet
		alice.ProfileID, alice.Active, alice.FirstName = prof2.ID, !alice.Active, step.name
		alice.Frozen = !alice.Frozen
		put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutUser(ctx, &alice) })
		got, err := s.User(ctx, alice.ID)
		must(t, "User after update "+step.name, err)
		diff(t, "User after update "+step.name, alice, got)
		list, err := s.Users(ctx, o1.ID)
		must(t, "Users after update "+step.name, err)
		diff(t, "Users after update "+step.name, []org.User{alice, bob}, list, anyOrder)
	}

	// Usernames can change; the old one is then free.
	bob.Username = "robert@acme.test"
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutUser(ctx, &bob) })
	_, err = s.UserByUsername(ctx, "bob@acme.test")
	wantErr(t, "UserByUsername(old)", err, store.ErrNotFound)
	got, err = s.UserByUsername(ctx, "robert@acme.test")
	must(t, "UserByUsername(new)", err)
	diff(t, "UserByUsername(new)", bob, got)
}

func testConnectedApps(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	var prof org.Profile
	var ps org.PermissionSet
	setup(t, s, func(w store.SetupWriter) error {
		prof = org.Profile{OrgID: f.org1.ID, Name: "Integration"}
		if err := w.PutProfile(ctx, &prof); err != nil {
			return err
		}
		ps = org.PermissionSet{OrgID: f.org1.ID, Name: "Integration"}
		return w.PutPermissionSet(ctx, &ps)
	})
	before := time.Now()
	app := org.ConnectedApp{
		OrgID: f.org1.ID, Name: "Billing Sync", ContactEmail: "ops@acme.test",
		CallbackURLs: []string{"https://a.test/cb", "https://b.test/cb"}, Scopes: []string{"api", "id", "refresh_token"},
		ClientCredentialsEnabled: true, RunAsUserID: f.user2.ID, PermittedUsers: org.PermittedAdminApprovedPreAuthorized,
		ProfileIDs: []sfid.ID{prof.ID}, PermissionSetIDs: []sfid.ID{ps.ID}, SessionTimeoutMinutes: 15, IntrospectAllTokens: true,
		JWTAccessTokens: true, Kind: org.AppKindExternalClient, Description: "Nightly invoices", Blocked: true,
		DeveloperName: "Billing_Sync_v2",
		AppQuotas:     org.AppQuotas{TokenRequestsPerHour: 100, TokenRequestsPerDay: 2400, APIRequestsPerDay: 250},
	}
	bare := org.ConnectedApp{OrgID: f.org1.ID, Name: "Bare"}
	for _, a := range []*org.ConnectedApp{&app, &bare} {
		put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutConnectedApp(ctx, a) })
	}
	checkID(t, "connected app", app.ID, sfid.PrefixConnectedApp)
	checkStamps(t, "connected app", app.CreatedAt, app.UpdatedAt, before)

	got, err := s.ConnectedApp(ctx, app.ID)
	must(t, "ConnectedApp", err)
	diff(t, "ConnectedApp", app, got)
	got, err = s.ConnectedApp(ctx, bare.ID)
	must(t, "ConnectedApp(bare)", err)
	diff(t, "ConnectedApp(bare)", bare, got)
	list, err := s.ConnectedApps(ctx, f.org1.ID)
	must(t, "ConnectedApps(org1)", err)
	diff(t, "ConnectedApps(org1)", []org.ConnectedApp{f.app1, f.app2, app, bare}, list, anyOrder)
	list, err = s.ConnectedApps(ctx, "")
	must(t, "ConnectedApps(all)", err)
	diff(t, "ConnectedApps(all)", []org.ConnectedApp{f.app1, f.app2, f.app3, app, bare}, list, anyOrder)

	app.Scopes, app.CallbackURLs, app.ProfileIDs = []string{"api"}, nil, nil
	app.RunAsUserID, app.ClientCredentialsEnabled, app.PermittedUsers = "", false, org.PermittedAllSelfAuthorized
	app.Kind, app.Description, app.Blocked, app.DeveloperName = org.AppKindConnected, "", false, ""
	app.AppQuotas = org.AppQuotas{TokenRequestsPerDay: 7, APIRequestsPerDay: 9} // changed; per hour back to none
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutConnectedApp(ctx, &app) })
	got, err = s.ConnectedApp(ctx, app.ID)
	must(t, "ConnectedApp after update", err)
	diff(t, "ConnectedApp after update", app, got)
}

func testCredentials(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	before := time.Now()
	active := org.Credential{AppID: f.app1.ID, ConsumerKey: "3MVG9key1", SecretHash: "hash-a", State: org.CredentialActive}
	staged := org.Credential{AppID: f.app1.ID, ConsumerKey: "3MVG9key1", SecretHash: "hash-b", State: org.CredentialStaged,
		CreatedAt: base, ExpiresAt: base.Add(24 * time.Hour)}
	other := org.Credential{AppID: f.app2.ID, ConsumerKey: "3MVG9key2", SecretHash: "hash-c", State: org.CredentialActive}
	for _, c := range []*org.Credential{&active, &staged, &other} {
		put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutCredential(ctx, c) })
	}
	checkID(t, "credential", active.ID, sfid.PrefixCredential)
	checkStamps(t, "credential", active.CreatedAt, active.CreatedAt, before)
	if !staged.CreatedAt.Equal(base) {
		t.Errorf("credential with CreatedAt set: CreatedAt = %v, want %v kept", staged.CreatedAt, base)
	}

	// Oldest first: staged was given an earlier CreatedAt than active.
	byKey, err := s.CredentialsByKey(ctx, "3MVG9key1")
	must(t, "CredentialsByKey", err)
	diff(t, "CredentialsByKey", []org.Credential{staged, active}, byKey)
	byApp, err := s.Credentials(ctx, f.app1.ID)
	must(t, "Credentials", err)
	diff(t, "Credentials(app1)", []org.Credential{staged, active}, byApp)
	none, err := s.CredentialsByKey(ctx, "no-such-key")
	must(t, "CredentialsByKey(unknown)", err)
	diff(t, "CredentialsByKey(unknown)", []org.Credential(nil), none)

	// Rotation: the old pair becomes Rotated with an expiry, the staged one Active.
	active.State, active.ExpiresAt = org.CredentialRotated, base.Add(time.Hour)
	staged.State, staged.ExpiresAt = org.CredentialActive, time.Time{}
	setup(t, s, func(w store.SetupWriter) error {
		if err := w.PutCredential(ctx, &active); err != nil {
			return err
		}
		return w.PutCredential(ctx, &staged)
	})
	byApp, err = s.Credentials(ctx, f.app1.ID)
	must(t, "Credentials after rotation", err)
	diff(t, "Credentials after rotation", []org.Credential{staged, active}, byApp)

	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.DeleteCredential(ctx, active.ID) })
	byKey, err = s.CredentialsByKey(ctx, "3MVG9key1")
	must(t, "CredentialsByKey after delete", err)
	diff(t, "CredentialsByKey after delete", []org.Credential{staged}, byKey)
	err = tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.DeleteCredential(ctx, active.ID) })
	wantErr(t, "DeleteCredential(deleted)", err, store.ErrNotFound)
	byApp, err = s.Credentials(ctx, f.app2.ID)
	must(t, "Credentials(app2)", err)
	diff(t, "Credentials(app2)", []org.Credential{other}, byApp)
}

// testIDs checks that consecutive inserts of one prefix get consecutive numbers, whatever
// other prefixes are allocated in between.
func testIDs(t *testing.T, s store.Store) {
	var orgs [3]org.Org
	var profiles [2]org.Profile
	setup(t, s, func(w store.SetupWriter) error {
		for i := range orgs {
			orgs[i].Name = string(rune('A' + i))
			if err := w.PutOrg(t.Context(), &orgs[i]); err != nil {
				return err
			}
			if i < len(profiles) {
				profiles[i] = org.Profile{OrgID: orgs[0].ID, Name: orgs[i].Name}
				if err := w.PutProfile(t.Context(), &profiles[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	var more org.Org
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { more.Name = "D"; return w.PutOrg(ctx, &more) })
	ids := []sfid.ID{orgs[0].ID, orgs[1].ID, orgs[2].ID, more.ID}
	for i, id := range ids {
		checkID(t, "org", id, sfid.PrefixOrganization)
		if i > 0 && seq(t, id) != seq(t, ids[i-1])+1 {
			t.Errorf("org IDs %v are not consecutive", ids)
		}
	}
	if seq(t, profiles[1].ID) != seq(t, profiles[0].ID)+1 {
		t.Errorf("profile IDs %s, %s are not consecutive", profiles[0].ID, profiles[1].ID)
	}
}
