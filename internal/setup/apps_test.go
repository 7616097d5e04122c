package setup_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// ccInput is a valid New Connected App form with OAuth and client credentials.
func ccInput(name string, runAs sfid.ID) setup.AppInput {
	return setup.AppInput{Name: name, ContactEmail: "ops@acme.test", Description: "nightly sync",
		OAuthEnabled: true, CallbackURL: "https://localhost\r\nhttps://app.acme.test/cb\n", Scopes: []string{"api", "refresh_token,offline_access"},
		RequireSecretWeb: true, RequireSecretRefresh: true,
		ClientCredentials: true, AcceptedClientCredentialsWarning: true, RunAsUserID: runAs}
}

// testCert returns a PEM certificate of a new key (RSA or, for the refusal, ECDSA).
func testCert(t *testing.T, rsaKey bool) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "jwt"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	var der []byte
	var err error
	if rsaKey {
		k, _ := rsa.GenerateKey(rand.Reader, 2048)
		der, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	} else {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		der, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestCreateApp(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	admin, bot := env.user(t, "admin@acme.test"), env.user(t, "bot@acme.test")
	app, key, sec, err := env.svc.CreateApp(ctx, adminActor, admin.OrgID, ccInput("Billing Sync", bot.ID))
	if err != nil {
		t.Fatal(err)
	}
	want := org.ConnectedApp{ID: app.ID, OrgID: admin.OrgID, Name: "Billing Sync", ContactEmail: "ops@acme.test",
		Description: "nightly sync", CallbackURLs: []string{"https://localhost", "https://app.acme.test/cb"},
		Scopes: []string{"api", "refresh_token", "offline_access"}, ClientCredentialsEnabled: true, RunAsUserID: bot.ID,
		PermittedUsers: org.PermittedAllSelfAuthorized, CreatedAt: app.CreatedAt, UpdatedAt: app.UpdatedAt}
	got, err := env.st.ConnectedApp(ctx, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored app (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(key, "3MVG9") || len(sec) != 64 {
		t.Errorf("key %q secret %q: not Salesforce-shaped", key, sec)
	}
	creds, err := env.st.Credentials(ctx, app.ID)
	if err != nil || len(creds) != 1 {
		t.Fatalf("credentials %v %v, want one", creds, err)
	}
	c := creds[0]
	if c.ConsumerKey != key || c.State != org.CredentialActive || c.SecretHash != secret.HashGenerated(sec) || strings.Contains(c.SecretHash, sec) {
		t.Errorf("credential %+v: want the Active key with the secret's SHA-256 only", c)
	}
	audit := env.audit(t)
	wantAudit := []string{"admin@acme.test|created|Created connected app Billing Sync",
		fmt.Sprintf("admin@acme.test|created|Created consumer credentials %s for connected app Billing Sync", c.ID)}
	if diff := cmp.Diff(wantAudit, audit); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	if strings.Contains(strings.Join(audit, "\n"), sec) {
		t.Error("the audit trail carries the secret")
	}

	// An External Client App: its settings carry no Run As (a policy).
	eca := ccInput("Partner Feed", bot.ID)
	eca.Kind = org.AppKindExternalClient
	e, _, _, err := env.svc.CreateApp(ctx, adminActor, admin.OrgID, eca)
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != org.AppKindExternalClient || !e.RunAsUserID.IsZero() || !e.ClientCredentialsEnabled {
		t.Errorf("ECA %+v: want kind ExternalClientApp, flow on, no Run As from its settings", e)
	}
}

// Every refusal leaves the store and the audit trail as they were.
func TestCreateAppRefused(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	admin, bot, sam := env.user(t, "admin@acme.test"), env.user(t, "bot@acme.test"), env.user(t, "sam@acme.test")
	for _, tc := range []struct {
		name  string
		edit  func(in *setup.AppInput)
		kind  setup.Kind
		field string
	}{
		{"no name", func(in *setup.AppInput) { in.Name = "  " }, setup.Invalid, "name"},
		{"name of punctuation", func(in *setup.AppInput) { in.Name = "!!!" }, setup.Invalid, "apiName"},
		{"long name", func(in *setup.AppInput) { in.Name = strings.Repeat("a", 81) }, setup.Invalid, "name"},
		{"taken name", func(in *setup.AppInput) { in.Name = "sync" }, setup.Conflict, "name"},
		{"taken API name", func(in *setup.AppInput) { in.Name = "Sync!" }, setup.Conflict, "apiName"},
		{"taken API name, set", func(in *setup.AppInput) { in.APIName = "SYNC" }, setup.Conflict, "apiName"},
		{"API name with a space", func(in *setup.AppInput) { in.APIName = "New App" }, setup.Invalid, "apiName"},
		{"API name ending in _", func(in *setup.AppInput) { in.APIName = "New_" }, setup.Invalid, "apiName"},
		{"API name with __", func(in *setup.AppInput) { in.APIName = "New__App" }, setup.Invalid, "apiName"},
		{"API name from a digit", func(in *setup.AppInput) { in.APIName = "1App" }, setup.Invalid, "apiName"},
		{"no email", func(in *setup.AppInput) { in.ContactEmail = "" }, setup.Invalid, "contactEmail"},
		{"bad email", func(in *setup.AppInput) { in.ContactEmail = "Ops <ops@acme.test>" }, setup.Invalid, "contactEmail"},
		{"long description", func(in *setup.AppInput) { in.Description = strings.Repeat("d", 257) }, setup.Invalid, "description"},
		{"no callback", func(in *setup.AppInput) { in.CallbackURL = "\n \n" }, setup.Invalid, "callbackUrl"},
		{"relative callback", func(in *setup.AppInput) { in.CallbackURL = "/cb" }, setup.Invalid, "callbackUrl"},
		{"fragment", func(in *setup.AppInput) { in.CallbackURL = "https://a.test/#x" }, setup.Invalid, "callbackUrl"},
		{"callbacks over 2000", func(in *setup.AppInput) { in.CallbackURL = "https://a.test/" + strings.Repeat("x", 1990) }, setup.Invalid, "callbackUrl"},
		{"unknown scope", func(in *setup.AppInput) { in.Scopes = []string{"api", "admin"} }, setup.Invalid, "scopes"},
		{"warning not accepted", func(in *setup.AppInput) { in.AcceptedClientCredentialsWarning = false }, setup.Invalid, "acceptClientCredentials"},
		{"Run As of no user", func(in *setup.AppInput) { in.RunAsUserID = "005000000000099AAA" }, setup.Invalid, "runAs"},
		{"Run As inactive", func(in *setup.AppInput) { in.RunAsUserID = "inactive" }, setup.Invalid, "runAs"},
		{"digital signatures without a certificate", func(in *setup.AppInput) { in.UseDigitalSignatures = true }, setup.Invalid, "certificate"},
		{"not a certificate", func(in *setup.AppInput) { in.UseDigitalSignatures, in.Certificate = true, "hello" }, setup.Invalid, "certificate"},
		{"ECDSA certificate", func(in *setup.AppInput) { in.UseDigitalSignatures, in.Certificate = true, testCert(t, false) }, setup.Invalid, "certificate"},
		{"unknown kind", func(in *setup.AppInput) { in.Kind = "Lightning" }, setup.Invalid, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ccInput("New App", bot.ID)
			tc.edit(&in)
			if in.RunAsUserID == "inactive" {
				// sam, deactivated for this case only, inside a refused change.
				in.RunAsUserID = sam.ID
				s := sam
				s.Active = false
				if err := env.st.UpdateSetup(ctx, func(w store.SetupWriter) error { return w.PutUser(ctx, &s) }); err != nil {
					t.Fatal(err)
				}
				defer env.st.UpdateSetup(ctx, func(w store.SetupWriter) error { s.Active = true; return w.PutUser(ctx, &s) })
			}
			before, _ := env.st.ConnectedApps(ctx, admin.OrgID)
			_, _, _, err := env.svc.CreateApp(ctx, adminActor, admin.OrgID, in)
			e, ok := setup.AsError(err)
			if !ok || e.Kind != tc.kind || e.Field != tc.field {
				t.Fatalf("CreateApp = %v (%+v), want kind %d on field %q", err, e, tc.kind, tc.field)
			}
			after, _ := env.st.ConnectedApps(ctx, admin.OrgID)
			if len(after) != len(before) {
				t.Errorf("a refused create left an app: %d apps, had %d", len(after), len(before))
			}
			if a := env.audit(t); len(a) != 0 {
				t.Errorf("a refused create left audit rows: %v", a)
			}
		})
	}
}

// Sixteen admins racing to create one name: exactly one app, fifteen Conflicts.
func TestCreateAppRace(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	admin, bot := env.user(t, "admin@acme.test"), env.user(t, "bot@acme.test")
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			name := "Raced App"
			if i%2 == 1 {
				name = "raced_app" // the same API Name
			}
			_, _, _, errs[i] = env.svc.CreateApp(ctx, adminActor, admin.OrgID, ccInput(name, bot.ID))
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if e, isSetup := setup.AsError(err); !isSetup || e.Kind != setup.Conflict {
			t.Errorf("a racing create failed with %v, want a Conflict", err)
		}
	}
	apps, _ := env.st.ConnectedApps(ctx, admin.OrgID)
	raced := 0
	for _, a := range apps {
		if setup.DeveloperName(a.Name) == "Raced_App" || strings.EqualFold(a.Name, "raced_app") {
			raced++
		}
	}
	if ok != 1 || raced != 1 {
		t.Errorf("%d creates succeeded, %d apps stored; want exactly one", ok, raced)
	}
}

func TestUpdateAppSettings(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	admin, bot := env.user(t, "admin@acme.test"), env.user(t, "bot@acme.test")
	app, key, sec, err := env.svc.CreateApp(ctx, adminActor, admin.OrgID, ccInput("Billing Sync", bot.ID))
	if err != nil {
		t.Fatal(err)
	}
	// Editing with the flow already on needs no second acceptance; a certificate is added.
	in := ccInput("Billing Sync 2", bot.ID)
	in.AcceptedClientCredentialsWarning = false
	in.UseDigitalSignatures, in.Certificate = true, testCert(t, true)
	in.PKCERequired, in.RequireSecretWeb, in.JWTAccessTokens, in.IntrospectAllTokens = true, false, true, true
	got, err := env.svc.UpdateAppSettings(ctx, adminActor, admin.OrgID, app.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Billing Sync 2" || len(got.Certificates) != 1 || !got.PKCERequired || !got.ConsumerSecretOptional ||
		got.RefreshSecretOptional || !got.JWTAccessTokens || !got.IntrospectAllTokens || got.RunAsUserID != bot.ID {
		t.Errorf("after edit: %+v", got)
	}
	// The certificate stays when the box stays ticked and no new one is uploaded.
	in.Certificate = ""
	if got, err = env.svc.UpdateAppSettings(ctx, adminActor, admin.OrgID, app.ID, in); err != nil || len(got.Certificates) != 1 {
		t.Fatalf("edit keeping the certificate: %v, %d certificates", err, len(got.Certificates))
	}
	// Turning the flow off keeps the credentials; turning OAuth off clears its settings.
	in.ClientCredentials = false
	if got, err = env.svc.UpdateAppSettings(ctx, adminActor, admin.OrgID, app.ID, in); err != nil || got.ClientCredentialsEnabled {
		t.Fatalf("disabling client credentials: %v %+v", err, got)
	}
	in.OAuthEnabled = false
	if got, err = env.svc.UpdateAppSettings(ctx, adminActor, admin.OrgID, app.ID, in); err != nil {
		t.Fatal(err)
	}
	if setup.OAuthEnabled(got) || len(got.Certificates) != 0 || got.JWTAccessTokens {
		t.Errorf("OAuth off: %+v", got)
	}
	// Turning the flow back on asks for the warning again.
	in.OAuthEnabled, in.ClientCredentials = true, true
	if _, err = env.svc.UpdateAppSettings(ctx, adminActor, admin.OrgID, app.ID, in); err == nil {
		t.Error("re-enabling client credentials without accepting the warning was allowed")
	}
	// Another org's app, or a name taken by another app, is refused.
	if _, err := env.svc.UpdateAppSettings(ctx, adminActor, "00D000000000099AAA", app.ID, in); !isKind(err, setup.NotFound) {
		t.Errorf("an app of another org: %v, want NotFound", err)
	}
	in.AcceptedClientCredentialsWarning, in.Name = true, "Sync"
	if _, err := env.svc.UpdateAppSettings(ctx, adminActor, admin.OrgID, app.ID, in); !isKind(err, setup.Conflict) {
		t.Errorf("renaming onto Sync: %v, want Conflict", err)
	}
	creds, _ := env.st.Credentials(ctx, app.ID)
	if len(creds) != 1 || creds[0].ConsumerKey != key || creds[0].SecretHash != secret.HashGenerated(sec) {
		t.Errorf("editing settings changed the credentials: %+v", creds)
	}
}

// Deleting an app ends its sessions and refresh tokens, and removes its credentials; the
// other apps' sessions stay.
func TestDeleteApp(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	admin, bot := env.user(t, "admin@acme.test"), env.user(t, "bot@acme.test")
	app, key, _, err := env.svc.CreateApp(ctx, adminActor, admin.OrgID, ccInput("Doomed", bot.ID))
	if err != nil {
		t.Fatal(err)
	}
	apps, _ := env.st.ConnectedApps(ctx, admin.OrgID)
	var sync org.ConnectedApp
	for _, a := range apps {
		if a.Name == "Sync" {
			sync = a
		}
	}
	issue := func(appID sfid.ID) string {
		tok, _, err := env.sessions.Issue(ctx, org.Session{OrgID: bot.OrgID, UserID: bot.ID, AppID: appID, LoginType: "Remote Access 2.0",
			CreatedAt: env.now, LastActivity: env.now, Timeout: time.Hour}, org.LoginEvent{})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	doomed, kept := issue(app.ID), issue(sync.ID)
	rt := org.RefreshToken{OrgID: bot.OrgID, UserID: bot.ID, AppID: app.ID, TokenHash: []byte("0123456789abcdef0123456789abcdef"), CreatedAt: env.now}
	if err := env.st.PutRefreshToken(ctx, &rt); err != nil {
		t.Fatal(err)
	}

	if err := env.svc.DeleteApp(ctx, adminActor, admin.OrgID, app.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.st.ConnectedApp(ctx, app.ID); err == nil {
		t.Error("the app is still stored")
	}
	if cs, _ := env.st.CredentialsByKey(ctx, key); len(cs) != 0 {
		t.Errorf("its credentials outlived it: %+v", cs)
	}
	if _, err := env.sessions.Validate(ctx, doomed); err == nil {
		t.Error("a session of the deleted app still validates")
	}
	if _, err := env.sessions.Validate(ctx, kept); err != nil {
		t.Errorf("a session of another app ended: %v", err)
	}
	if rts, _ := env.st.RefreshTokens(ctx, store.GrantFilter{AppID: app.ID}); len(rts) != 0 {
		t.Errorf("refresh tokens outlived the app: %+v", rts)
	}
	if diff := cmp.Diff("admin@acme.test|deletedConnectedApp|Deleted connected app Doomed, its consumer credentials, sessions and refresh tokens",
		env.audit(t)[2]); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	if err := env.svc.DeleteApp(ctx, adminActor, admin.OrgID, app.ID); !isKind(err, setup.NotFound) {
		t.Errorf("deleting it again: %v, want NotFound", err)
	}
}

func TestDeveloperName(t *testing.T) {
	for in, want := range map[string]string{
		"Billing Sync":       "Billing_Sync",
		"  a -- b  ":         "a_b",
		"2nd App":            "X2nd_App",
		"Über App":           "ber_App",
		"Sync!":              "Sync",
		"<script>x</script>": "script_x_script",
		"!!!":                "",
	} {
		if got := setup.DeveloperName(in); got != want {
			t.Errorf("DeveloperName(%q) = %q, want %q", in, got, want)
		}
	}
	scopes, err := setup.ParseScopeValues([]string{"api", "id,profile,email,address,phone", "api"})
	if err != nil || strings.Join(scopes, " ") != "api id profile email address phone" {
		t.Errorf("ParseScopeValues = %v, %v", scopes, err)
	}
	for _, o := range setup.ScopeOptions() {
		if _, err := setup.ParseScopeValues([]string{o.Value()}); err != nil {
			t.Errorf("the form offers %q, which is refused: %v", o.Label, err)
		}
	}
}

// The API Name is derived from the name unless set; a set one stays when the app is
// renamed, and a derived one is stored as "not set".
func TestAppAPIName(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	admin, bot := env.user(t, "admin@acme.test"), env.user(t, "bot@acme.test")
	in := ccInput("Billing Sync", bot.ID)
	in.APIName = "Billing_v2"
	app, _, _, err := env.svc.CreateApp(ctx, adminActor, admin.OrgID, in)
	if err != nil {
		t.Fatal(err)
	}
	if app.DeveloperName != "Billing_v2" || app.APIName() != "Billing_v2" {
		t.Errorf("set API Name: stored %q, APIName %q", app.DeveloperName, app.APIName())
	}
	in.Name, in.AcceptedClientCredentialsWarning = "Billing Sync Renamed", false
	if app, err = env.svc.UpdateAppSettings(ctx, adminActor, admin.OrgID, app.ID, in); err != nil || app.APIName() != "Billing_v2" {
		t.Errorf("renamed: %v, API Name %q, want Billing_v2 kept", err, app.APIName())
	}
	in.APIName = "Billing_Sync_Renamed"
	if app, err = env.svc.UpdateAppSettings(ctx, adminActor, admin.OrgID, app.ID, in); err != nil || app.DeveloperName != "" || app.APIName() != "Billing_Sync_Renamed" {
		t.Errorf("API Name set to the derived one: %v, stored %q, APIName %q", err, app.DeveloperName, app.APIName())
	}
	in.Name, in.APIName, in.AcceptedClientCredentialsWarning = "Other", "billing_v2", true
	other, _, _, err := env.svc.CreateApp(ctx, adminActor, admin.OrgID, in)
	if err != nil || other.APIName() != "billing_v2" {
		t.Errorf("the freed API Name: %v %q", err, other.APIName())
	}
}
