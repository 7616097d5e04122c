package orgfile

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ff.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustParse(t *testing.T, name, data string) *File {
	t.Helper()
	f, err := Parse(name, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// snapshot is every Setup object in a store.
type snapshot struct {
	Orgs        []org.Org
	Profiles    []org.Profile
	PermSets    []org.PermissionSet
	Users       []org.User
	Apps        []org.ConnectedApp
	Credentials []org.Credential
	Objects     [][]schema.ObjectSpec // per org
}

func dump(t *testing.T, st store.Setup) snapshot {
	t.Helper()
	ctx := context.Background()
	var s snapshot
	var err error
	check := func(e error) {
		if e != nil {
			t.Fatal(e)
		}
	}
	s.Orgs, err = st.Orgs(ctx)
	check(err)
	for _, o := range s.Orgs {
		ps, err := st.Profiles(ctx, o.ID)
		check(err)
		s.Profiles = append(s.Profiles, ps...)
		pss, err := st.PermissionSets(ctx, o.ID)
		check(err)
		s.PermSets = append(s.PermSets, pss...)
		objs, err := st.CustomObjects(ctx, o.ID)
		check(err)
		s.Objects = append(s.Objects, objs)
	}
	s.Users, err = st.Users(ctx, "")
	check(err)
	s.Apps, err = st.ConnectedApps(ctx, "")
	check(err)
	for _, a := range s.Apps {
		cs, err := st.Credentials(ctx, a.ID)
		check(err)
		s.Credentials = append(s.Credentials, cs...)
	}
	return s
}

// generatedAcme is acmeYAML without a consumer key and secret.
var generatedAcme = strings.Replace(acmeYAML, "        consumerKey: 3MVG9acmeExampleKey\n        consumerSecret: AcmeSecret12345\n", "", 1)

func TestApplyCreates(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	res, err := Apply(ctx, st, mustParse(t, "acme.yaml", strings.Replace(generatedAcme, "integration@acme.example", "Integration@Acme.example", 2)))
	if err != nil {
		t.Fatal(err)
	}
	one := Counts{Created: 1}
	want := Result{Orgs: one, Profiles: one, PermissionSets: one, Users: one, ConnectedApps: one, Credentials: one}
	if diff := cmp.Diff(want, *res, cmpopts.IgnoreFields(Result{}, "NewCredentials")); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}

	s := dump(t, st)
	if len(s.Orgs) != 1 || len(s.Profiles) != 1 || len(s.PermSets) != 1 || len(s.Users) != 1 || len(s.Apps) != 1 || len(s.Credentials) != 1 {
		t.Fatalf("store holds %+v, want one object of each kind", s)
	}
	o, p, ps, u, app, c := s.Orgs[0], s.Profiles[0], s.PermSets[0], s.Users[0], s.Apps[0], s.Credentials[0]
	ignore := cmpopts.IgnoreFields
	opts := cmp.Options{
		ignore(org.Org{}, "ID", "CreatedAt", "UpdatedAt"), ignore(org.Profile{}, "ID", "CreatedAt", "UpdatedAt"),
		ignore(org.PermissionSet{}, "ID", "CreatedAt", "UpdatedAt"), ignore(org.User{}, "ID", "CreatedAt", "UpdatedAt"),
		ignore(org.ConnectedApp{}, "ID", "CreatedAt", "UpdatedAt"), cmpopts.EquateEmpty(),
	}
	for _, d := range []struct{ want, got any }{
		{org.Org{Name: "Acme", MyDomain: "acme", SessionTimeoutMinutes: 120, DailyAPIRequests: 15000, Licences: 1}, o},
		{org.Profile{OrgID: o.ID, Name: "Acme Integration", Permissions: []string{"ApiEnabled", "ApiUserOnly"}, SessionTimeoutMinutes: 60}, p},
		{org.PermissionSet{OrgID: o.ID, Name: "Acme API Access", Permissions: []string{"ApiEnabled"}}, ps},
		{org.User{OrgID: o.ID, Username: "integration@acme.example", FirstName: "Acme", LastName: "Integration",
			Email: "team@acme.example", ProfileID: p.ID, PermissionSetIDs: []sfid.ID{ps.ID}, Active: true,
			TimeZone: "America/Los_Angeles", Locale: "en_US", Language: "en_US"}, u},
		{org.ConnectedApp{OrgID: o.ID, Name: "Acme Integration", ContactEmail: "team@acme.example",
			CallbackURLs: []string{"https://localhost"}, Scopes: []string{"api", "id"}, ClientCredentialsEnabled: true,
			RunAsUserID: u.ID, PermittedUsers: org.PermittedAdminApprovedPreAuthorized, ProfileIDs: []sfid.ID{p.ID},
			SessionTimeoutMinutes: 30}, app},
	} {
		if diff := cmp.Diff(d.want, d.got, opts); diff != "" {
			t.Errorf("stored (-want +got):\n%s", diff)
		}
	}

	if len(res.NewCredentials) != 1 {
		t.Fatalf("NewCredentials = %+v, want one", res.NewCredentials)
	}
	nc := res.NewCredentials[0]
	if nc.Org != "Acme" || nc.App != "Acme Integration" || nc.ConsumerKey != c.ConsumerKey || !strings.HasPrefix(nc.ConsumerKey, "3MVG9") {
		t.Errorf("NewCredentials[0] = %+v, stored key %q", nc, c.ConsumerKey)
	}
	if c.AppID != app.ID || c.State != org.CredentialActive {
		t.Errorf("credential = %+v, want Active for app %s", c, app.ID)
	}
	if ok, err := secret.Verify(c.SecretHash, nc.ConsumerSecret); !ok || err != nil || secret.Slow(c.SecretHash) {
		t.Errorf("generated secret: Verify = %v, %v; Slow = %v; want a fast hash that verifies", ok, err, secret.Slow(c.SecretHash))
	}
	if strings.Contains(c.SecretHash, nc.ConsumerSecret) {
		t.Error("the stored hash contains the plaintext secret")
	}
}

func TestApplyTwiceWritesNothing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	for _, f := range []*File{mustParse(t, "acme.yaml", generatedAcme), DemoWithAdminPassword("demo-admin-password")} {
		if _, err := Apply(ctx, st, f); err != nil {
			t.Fatal(err)
		}
	}
	before := dump(t, st)
	time.Sleep(5 * time.Millisecond) // a write now would move UpdatedAt
	for _, f := range []*File{mustParse(t, "acme.yaml", generatedAcme), DemoWithAdminPassword("demo-admin-password")} {
		res, err := Apply(ctx, st, f)
		if err != nil {
			t.Fatal(err)
		}
		one := Counts{Unchanged: 1}
		want := &Result{Orgs: one, Profiles: one, Users: one, ConnectedApps: one, Credentials: one}
		if f.Name == "acme.yaml" {
			want.PermissionSets = one
		} else { // the demo: an integration profile and user, an administrator's profile and user, Standard User
			want.Profiles, want.Users = Counts{Unchanged: 3}, Counts{Unchanged: 2}
		}
		if diff := cmp.Diff(want, res, cmpopts.IgnoreFields(Result{}, "Seeds")); diff != "" {
			t.Errorf("re-applying %s (-want +got):\n%s", f.Name, diff)
		}
		for _, s := range res.Seeds {
			if s.Created {
				t.Errorf("re-applying %s: seeds of org %s say it was created", f.Name, s.Org)
			}
		}
		if res.Changed() {
			t.Errorf("re-applying %s: Changed() = true", f.Name)
		}
	}
	if diff := cmp.Diff(before, dump(t, st)); diff != "" {
		t.Errorf("re-applying changed the store (-before +after):\n%s", diff)
	}
}

func TestApplyUpdatesInPlace(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	if _, err := Apply(ctx, st, mustParse(t, "acme.yaml", generatedAcme)); err != nil {
		t.Fatal(err)
	}
	before := dump(t, st)
	changed := strings.Replace(generatedAcme, "permissions: [ApiEnabled, ApiUserOnly]", "permissions: [ApiEnabled]", 1)
	res, err := Apply(ctx, st, mustParse(t, "acme.yaml", changed))
	if err != nil {
		t.Fatal(err)
	}
	one := Counts{Unchanged: 1}
	want := &Result{Orgs: one, Profiles: Counts{Updated: 1}, PermissionSets: one, Users: one, ConnectedApps: one, Credentials: one}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	after := dump(t, st)
	if got := after.Profiles[0]; got.ID != before.Profiles[0].ID || !cmp.Equal(got.Permissions, []string{"ApiEnabled"}) {
		t.Errorf("profile after update = %+v, want the same ID with [ApiEnabled]", got)
	}
	if diff := cmp.Diff(before.Users, after.Users); diff != "" {
		t.Errorf("the user changed (-before +after):\n%s", diff)
	}
}

func TestApplySuppliedSecret(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	res, err := Apply(ctx, st, mustParse(t, "acme.yaml", acmeYAML))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.NewCredentials) != 0 {
		t.Errorf("NewCredentials = %+v, want none: the file supplies both", res.NewCredentials)
	}
	c := dump(t, st).Credentials[0]
	if c.ConsumerKey != "3MVG9acmeExampleKey" || !secret.Slow(c.SecretHash) {
		t.Errorf("credential = %+v, want the file's key and a slow hash", c)
	}
	if ok, err := secret.Verify(c.SecretHash, "AcmeSecret12345"); !ok || err != nil {
		t.Errorf("Verify(supplied secret) = %v, %v", ok, err)
	}

	// Unchanged, then a new secret in the file replaces the old one in place.
	if res, err := Apply(ctx, st, mustParse(t, "acme.yaml", acmeYAML)); err != nil || res.Credentials != (Counts{Unchanged: 1}) {
		t.Fatalf("re-apply: %v, %+v", err, res)
	}
	res, err = Apply(ctx, st, mustParse(t, "acme.yaml", strings.Replace(acmeYAML, "AcmeSecret12345", "NewSecret67890", 1)))
	if err != nil || res.Credentials != (Counts{Updated: 1}) || len(res.NewCredentials) != 0 {
		t.Fatalf("apply new secret: %v, %+v", err, res)
	}
	creds := dump(t, st).Credentials
	if len(creds) != 1 || creds[0].ID != c.ID || creds[0].ConsumerKey != c.ConsumerKey {
		t.Fatalf("credentials = %+v, want %s updated in place", creds, c.ID)
	}
	if ok, _ := secret.Verify(creds[0].SecretHash, "NewSecret67890"); !ok {
		t.Error("the new secret does not verify")
	}
	if ok, _ := secret.Verify(creds[0].SecretHash, "AcmeSecret12345"); ok {
		t.Error("the old secret still verifies")
	}

	// Dropping key and secret from the file keeps them.
	res, err = Apply(ctx, st, mustParse(t, "acme.yaml", generatedAcme))
	if err != nil || res.Credentials != (Counts{Unchanged: 1}) || len(res.NewCredentials) != 0 {
		t.Fatalf("apply without key and secret: %v, %+v", err, res)
	}
	if got := dump(t, st).Credentials; !cmp.Equal(got, creds) {
		t.Errorf("credentials changed to %+v", got)
	}
}

func TestApplyConsumerKeyTaken(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	if _, err := Apply(ctx, st, mustParse(t, "acme.yaml", acmeYAML)); err != nil {
		t.Fatal(err)
	}
	other := "orgs:\n  - name: Other\n    connectedApps:\n      - name: Copy\n        consumerKey: 3MVG9acmeExampleKey\n"
	_, err := Apply(ctx, st, mustParse(t, "other.yaml", other))
	want := `other.yaml:5: orgs[0].connectedApps[0].consumerKey: consumer key is already used by connected app "Acme Integration" of org "Acme"`
	if err == nil || err.Error() != want {
		t.Errorf("Apply = %v, want %s", err, want)
	}
	if _, err := st.OrgByName(ctx, "Other"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OrgByName(Other) = %v, want ErrNotFound: nothing may be written", err)
	}
}

func TestApplyUsernameOfAnotherOrg(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	if _, err := Apply(ctx, st, mustParse(t, "acme.yaml", acmeYAML)); err != nil {
		t.Fatal(err)
	}
	before := dump(t, st)
	// Org "Fresh" would be created first; the whole file must still be rolled back.
	other := "orgs:\n  - name: Fresh\n  - name: Other\n    profiles: [{name: P}]\n    users:\n" +
		"      - username: INTEGRATION@acme.example\n        lastName: X\n        email: x@other.example\n        profile: P\n"
	_, err := Apply(ctx, st, mustParse(t, "other.yaml", other))
	want := `other.yaml:6: orgs[1].users[0].username: username "integration@acme.example" is already used by a user of org "Acme" (usernames are unique across the server)`
	if err == nil || err.Error() != want {
		t.Errorf("Apply = %v, want %s", err, want)
	}
	var errs Errors
	if !errors.As(err, &errs) || errs[0].Line != 6 {
		t.Errorf("Apply error %#v is not Errors at line 6", err)
	}
	if diff := cmp.Diff(before, dump(t, st)); diff != "" {
		t.Errorf("a failed Apply changed the store (-before +after):\n%s", diff)
	}
}

func TestApplyInvalidFileWritesNothing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	f := mustParse(t, "acme.yaml", acmeYAML)
	f.Orgs[0].ConnectedApps[0].Profiles = []string{"Acme Integration", "Missing"}
	_, err := Apply(ctx, st, f)
	want := `acme.yaml:35: orgs[0].connectedApps[0].profiles[1]: no profile "Missing" in org "Acme"`
	if err == nil || err.Error() != want {
		t.Errorf("Apply = %v, want %s", err, want)
	}
	if diff := cmp.Diff(snapshot{}, dump(t, st)); diff != "" {
		t.Errorf("store after a rejected file (-want +got):\n%s", diff)
	}
}

func TestApplyLeavesUnmentionedObjects(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	if _, err := Apply(ctx, st, mustParse(t, "acme.yaml", generatedAcme)); err != nil {
		t.Fatal(err)
	}
	before := dump(t, st)
	time.Sleep(5 * time.Millisecond)
	res, err := Apply(ctx, st, mustParse(t, "acme.yaml", "orgs:\n  - name: Acme\n    myDomain: acme\n    sessionTimeoutMinutes: 120\n    dailyApiRequests: 15000\n"))
	if err != nil || res.Orgs != (Counts{Unchanged: 1}) || res.Changed() {
		t.Fatalf("Apply = %v, %+v", err, res)
	}
	if diff := cmp.Diff(before, dump(t, st)); diff != "" {
		t.Errorf("objects absent from the file changed (-before +after):\n%s", diff)
	}
}

// jwtAccessTokens is stored on the app, and flipping it is an update of the app alone.
func TestApplyJWTAccessTokens(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	if _, err := Apply(ctx, st, mustParse(t, "acme.yaml", generatedAcme)); err != nil {
		t.Fatal(err)
	}
	if dump(t, st).Apps[0].JWTAccessTokens {
		t.Fatal("JWTAccessTokens set without jwtAccessTokens in the file")
	}
	on := strings.Replace(generatedAcme, "connectedApps:\n      - name: Acme Integration\n", "connectedApps:\n      - name: Acme Integration\n        jwtAccessTokens: true\n", 1)
	if on == generatedAcme {
		t.Fatal("test file has no app named Acme Integration")
	}
	res, err := Apply(ctx, st, mustParse(t, "acme.yaml", on))
	if err != nil {
		t.Fatal(err)
	}
	one := Counts{Unchanged: 1}
	want := &Result{Orgs: one, Profiles: one, PermissionSets: one, Users: one, ConnectedApps: Counts{Updated: 1}, Credentials: one}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	if !dump(t, st).Apps[0].JWTAccessTokens {
		t.Error("JWTAccessTokens not stored")
	}
}
