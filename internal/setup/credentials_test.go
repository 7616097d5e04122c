package setup_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// app returns the connected app with the name.
func (e *testEnv) app(t *testing.T, name string) org.ConnectedApp {
	t.Helper()
	apps, err := e.st.ConnectedApps(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no app %s", name)
	return org.ConnectedApp{}
}

// authenticates reports whether key and secret authenticate now, read as the token
// endpoint reads them: through the Setup cache, usable pairs only.
func (e *testEnv) authenticates(t *testing.T, key, plain string) bool {
	t.Helper()
	creds, err := e.svc.Directory().Credentials(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range creds {
		if !c.Usable(e.now) {
			continue
		}
		if ok, err := secret.Verify(c.SecretHash, plain); err == nil && ok {
			return true
		}
	}
	return false
}

// states is the app's pairs as "key-hint state", sorted.
func (e *testEnv) states(t *testing.T, appID sfid.ID) []string {
	t.Helper()
	creds, err := e.st.Credentials(context.Background(), appID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range creds {
		out = append(out, setup.KeyHint(c.ConsumerKey)+" "+setup.CredentialState(c, e.now))
	}
	sort.Strings(out)
	return out
}

// wantErr checks that err is a *setup.Error of kind with the message.
func wantErr(t *testing.T, err error, kind setup.Kind, message string) {
	t.Helper()
	e, ok := setup.AsError(err)
	if !ok || e.Kind != kind || e.Message != message {
		t.Errorf("error = %v (%#v), want kind %d %q", err, e, kind, message)
	}
}

// The staged lifecycle: stage → both pairs authenticate → rotate → both still do → delete
// the old pair → only the new one does; an audit row per step, never a secret.
func TestCredentialLifecycle(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	app := env.app(t, "Sync")
	actor := setup.Actor{Name: "admin@acme.test"}

	staged, err := env.svc.StageCredentials(ctx, actor, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if staged.State != org.CredentialStaged || !staged.ExpiresAt.Equal(env.now.Add(setup.StagedLifetime)) || staged.Secret == "" {
		t.Fatalf("staged = %+v, want Staged for 30 days with its secret", staged.Credential)
	}
	newHint := setup.KeyHint(staged.ConsumerKey)
	steps := []struct {
		name   string
		do     func() error
		states []string
		oldOK  bool // SyncKey0001/SyncSecret0001
		newOK  bool // the staged pair
	}{
		{"staged", func() error { return nil }, []string{newHint + " Staged", "SyncKey0001 Active"}, true, true},
		{"rotated", func() error {
			env.now = env.now.Add(time.Hour)
			_, err := env.svc.RotateCredentials(ctx, actor, app.ID, staged.ID)
			return err
		}, []string{newHint + " Active", "SyncKey0001 Rotated"}, true, true},
		{"old pair deleted", func() error {
			creds, _ := env.st.Credentials(ctx, app.ID)
			for _, c := range creds {
				if c.ConsumerKey == "SyncKey0001" {
					return env.svc.DeleteCredential(ctx, actor, app.ID, c.ID)
				}
			}
			t.Fatal("no old pair")
			return nil
		}, []string{newHint + " Active"}, false, true},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if d := cmp.Diff(st.states, env.states(t, app.ID)); d != "" {
			t.Errorf("%s: states (-want +got):\n%s", st.name, d)
		}
		if got := env.authenticates(t, "SyncKey0001", "SyncSecret0001"); got != st.oldOK {
			t.Errorf("%s: the old pair authenticates = %v, want %v", st.name, got, st.oldOK)
		}
		if got := env.authenticates(t, staged.ConsumerKey, staged.Secret); got != st.newOK {
			t.Errorf("%s: the new pair authenticates = %v, want %v", st.name, got, st.newOK)
		}
	}
	if env.authenticates(t, "SyncKey0001", staged.Secret) {
		t.Error("the new secret authenticates with the old key: pairs must not mix")
	}
	audit := env.audit(t)
	want := []string{
		"admin@acme.test|stagedConsumerCredentials|Staged consumer credentials " + staged.ID.String() + " (key " + newHint + ") for connected app Sync, expiring 2027-01-01T10:00:00Z",
		"admin@acme.test|rotatedConsumerCredentials|",
		"admin@acme.test|deletedConsumerCredentials|",
	}
	if len(audit) != len(want) {
		t.Fatalf("audit = %q, want %d rows", audit, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(audit[i], want[i]) {
			t.Errorf("audit row %d = %q, want it to start %q", i, audit[i], want[i])
		}
		if strings.Contains(audit[i], staged.Secret) || strings.Contains(audit[i], "SyncSecret0001") {
			t.Errorf("audit row %d carries a secret: %q", i, audit[i])
		}
	}
}

// Wrong steps are refused with the admin API's messages and change nothing.
func TestCredentialWrongSteps(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	app := env.app(t, "Sync")
	actor := setup.Actor{Name: "admin@acme.test"}
	creds, _ := env.st.Credentials(ctx, app.ID)
	activeID := creds[0].ID
	staged, err := env.svc.StageCredentials(ctx, actor, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	unknown := sfid.New(sfid.PrefixCredential, "zz", 1)
	noApp := sfid.New(sfid.PrefixConnectedApp, "zz", 1)
	before := env.states(t, app.ID)
	auditBefore := len(env.audit(t))
	for _, tc := range []struct {
		name    string
		do      func() error
		kind    setup.Kind
		message string
	}{
		{"staging twice", func() error { _, err := env.svc.StageCredentials(ctx, actor, app.ID); return err }, setup.Invalid,
			`connected app "Sync" already has staged credentials (` + staged.ID.String() + `): rotate or delete them first`},
		{"rotating another id", func() error { _, err := env.svc.RotateCredentials(ctx, actor, app.ID, activeID); return err }, setup.NotFound,
			`connected app "Sync" has no staged credentials ` + activeID.String()},
		{"deleting the active pair", func() error { return env.svc.DeleteCredential(ctx, actor, app.ID, activeID) }, setup.Invalid,
			"credential " + activeID.String() + " is the app's active pair: rotate first (stage credentials and rotate them in, or rotate the secret)"},
		{"deleting an unknown pair", func() error { return env.svc.DeleteCredential(ctx, actor, app.ID, unknown) }, setup.NotFound,
			`connected app "Sync" has no credential ` + unknown.String()},
		{"one-step rotation while staged", func() error { _, err := env.svc.RotateSecret(ctx, actor, app.ID); return err }, setup.Invalid,
			`connected app "Sync" has staged credentials (` + staged.ID.String() + `): rotate or delete them before rotating the secret`},
		{"an unknown app", func() error { _, err := env.svc.StageCredentials(ctx, actor, noApp); return err }, setup.NotFound,
			"no connected app with id " + noApp.String()},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.do(), tc.kind, tc.message) })
	}
	if d := cmp.Diff(before, env.states(t, app.ID)); d != "" {
		t.Errorf("a wrong step changed the credentials (-want +got):\n%s", d)
	}
	if n := len(env.audit(t)); n != auditBefore {
		t.Errorf("wrong steps wrote %d audit rows", n-auditBefore)
	}
	// Rotating with nothing staged.
	if err := env.svc.DeleteCredential(ctx, actor, app.ID, staged.ID); err != nil {
		t.Fatal(err)
	}
	_, err = env.svc.RotateCredentials(ctx, actor, app.ID, "")
	wantErr(t, err, setup.Invalid, `connected app "Sync" has no staged credentials to rotate: stage credentials first`)
}

// The staged slot holds one pair even when 16 admins press Generate at once: exactly one
// stage wins, the others are refused, one audit row.
func TestStageCredentialsRace(t *testing.T) {
	env := newTestService(t)
	app := env.app(t, "Sync")
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = env.svc.StageCredentials(context.Background(), setup.Actor{Name: "racer"}, app.ID)
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		if e, ok := setup.AsError(err); !ok || e.Kind != setup.Invalid || !strings.Contains(e.Message, "already has staged credentials") {
			t.Errorf("a losing stage failed with %v, want the Invalid refusal", err)
		}
	}
	if won != 1 {
		t.Errorf("%d stages won, want exactly 1", won)
	}
	staged := 0
	for _, s := range env.states(t, app.ID) {
		if strings.HasSuffix(s, " Staged") {
			staged++
		}
	}
	if staged != 1 {
		t.Errorf("%d Staged pairs stored, want 1: %q", staged, env.states(t, app.ID))
	}
	if rows := env.audit(t); len(rows) != 1 {
		t.Errorf("audit = %q, want one staging row", rows)
	}
}

// The one-step rotation keeps the key, gives a new secret, and keeps the old secret
// working for RotatedSecretLifetime.
func TestRotateSecret(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	app := env.app(t, "Sync")
	nc, err := env.svc.RotateSecret(ctx, setup.Actor{Name: "admin@acme.test"}, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if nc.ConsumerKey != "SyncKey0001" || nc.State != org.CredentialActive || nc.Secret == "" {
		t.Fatalf("RotateSecret = %+v, want a new Active secret for SyncKey0001", nc.Credential)
	}
	if d := cmp.Diff([]string{"SyncKey0001 Active", "SyncKey0001 Rotated"}, env.states(t, app.ID)); d != "" {
		t.Errorf("states (-want +got):\n%s", d)
	}
	if !env.authenticates(t, "SyncKey0001", "SyncSecret0001") || !env.authenticates(t, "SyncKey0001", nc.Secret) {
		t.Error("both secrets must authenticate after a one-step rotation")
	}
	env.now = env.now.Add(env.svc.RotatedSecretLifetime)
	if env.authenticates(t, "SyncKey0001", "SyncSecret0001") {
		t.Error("the old secret outlived RotatedSecretLifetime")
	}
	if !env.authenticates(t, "SyncKey0001", nc.Secret) {
		t.Error("the new secret stopped working")
	}
}

// The sweep deletes expired pairs with an audit row by the expiry actor, and an idle sweep
// deletes nothing.
func TestSweepExpiredCredentials(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	app := env.app(t, "Sync")
	staged, err := env.svc.StageCredentials(ctx, setup.Actor{Name: "admin@acme.test"}, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := env.svc.SweepExpiredCredentials(ctx); err != nil || n != 0 {
		t.Fatalf("sweep before expiry = %d, %v; want 0", n, err)
	}
	env.now = env.now.Add(setup.StagedLifetime)
	if d := cmp.Diff([]string{setup.KeyHint(staged.ConsumerKey) + " Expired", "SyncKey0001 Active"}, env.states(t, app.ID)); d != "" {
		t.Errorf("states at expiry (-want +got):\n%s", d)
	}
	if n, err := env.svc.SweepExpiredCredentials(ctx); err != nil || n != 1 {
		t.Fatalf("sweep = %d, %v; want 1", n, err)
	}
	if d := cmp.Diff([]string{"SyncKey0001 Active"}, env.states(t, app.ID)); d != "" {
		t.Errorf("states after the sweep (-want +got):\n%s", d)
	}
	rows := env.audit(t)
	want := "Forcefield (credential expiry)|expiredConsumerCredentials|Deleted expired Staged consumer credentials " + staged.ID.String() +
		" of connected app Sync (expired 2027-01-01T10:00:00Z)"
	if len(rows) != 2 || rows[1] != want {
		t.Errorf("audit = %q, want the staging then %q", rows, want)
	}
	if n, err := env.svc.SweepExpiredCredentials(ctx); err != nil || n != 0 {
		t.Errorf("second sweep = %d, %v; want 0", n, err)
	}
}

// The built-in Salesforce CLI app is created once, in the org, with its fixed key.
func TestEnsurePlatformCLI(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	for range 2 {
		if err := env.svc.EnsurePlatformCLI(ctx); err != nil {
			t.Fatal(err)
		}
	}
	creds, err := env.st.CredentialsByKey(ctx, org.PlatformCLIKey)
	if err != nil || len(creds) != 1 {
		t.Fatalf("PlatformCLI credentials = %d, %v; want 1", len(creds), err)
	}
	if app := env.app(t, org.PlatformCLIName); app.ID != creds[0].AppID {
		t.Errorf("the key belongs to %s, want the app %s", creds[0].AppID, app.ID)
	}
	if rows := env.audit(t); len(rows) != 1 || !strings.HasPrefix(rows[0], "Forcefield (built-in apps)|created|") {
		t.Errorf("audit = %q, want one creation row", rows)
	}
}

// newCertPEM returns a self-signed RSA certificate.
func newCertPEM(t *testing.T, cn string) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestCertificates(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	app := env.app(t, "Sync")
	actor := setup.Actor{Name: "admin@acme.test"}
	certPEM := newCertPEM(t, "sync-signer")
	info, err := env.svc.AddCertificate(ctx, actor, app.ID, certPEM)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Fingerprint) != 64 || info.Subject != "CN=sync-signer" || info.NotAfter.Year() != 2030 {
		t.Errorf("AddCertificate = %+v", info)
	}
	_, err = env.svc.AddCertificate(ctx, actor, app.ID, certPEM)
	wantErr(t, err, setup.Conflict, "the app already holds this certificate")
	_, err = env.svc.AddCertificate(ctx, actor, app.ID, "not a certificate")
	if e, ok := setup.AsError(err); !ok || e.Kind != setup.Invalid || e.Field != "certificate" {
		t.Errorf("adding garbage = %v, want Invalid on field certificate", err)
	}
	if got := env.app(t, "Sync").Certificates; len(got) != 1 {
		t.Fatalf("the app holds %d certificates, want 1", len(got))
	}
	wantErr(t, env.svc.RemoveCertificate(ctx, actor, app.ID, strings.Repeat("0", 64)), setup.NotFound,
		"the app holds no certificate with fingerprint "+strings.Repeat("0", 64))
	if err := env.svc.RemoveCertificate(ctx, actor, app.ID, strings.ToUpper(info.Fingerprint)); err != nil {
		t.Fatal(err)
	}
	if got := env.app(t, "Sync").Certificates; len(got) != 0 {
		t.Errorf("the app still holds %d certificates", len(got))
	}
	want := []string{
		"admin@acme.test|addedCertificate|Added certificate " + info.Fingerprint + " (CN=sync-signer) to connected app Sync",
		"admin@acme.test|removedCertificate|Removed certificate " + info.Fingerprint + " from connected app Sync",
	}
	if d := cmp.Diff(want, env.audit(t)); d != "" {
		t.Errorf("audit (-want +got):\n%s", d)
	}
}
