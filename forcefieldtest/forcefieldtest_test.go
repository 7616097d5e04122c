package forcefieldtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/forcefieldtest"
	"github.com/google/go-cmp/cmp"
)

// testOrg declares an app with its own credentials, one with a key but no secret, one with
// neither, and an External Client App without credentials.
const testOrg = `
orgs:
  - name: Acme
    myDomain: acme
    dailyApiRequests: 1000
    profiles:
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
        objects: {Account: [Read, Create, Edit, Delete]}
        fields: {Account.*: [Read, Edit]}
    users:
      - {username: integration@acme.example, lastName: Integration, email: team@acme.example, profile: Integration}
      - {username: other@acme.example, lastName: Other, email: team@acme.example, profile: Integration}
    connectedApps:
      - name: Fixed
        scopes: [api]
        consumerKey: FixedKey0001
        consumerSecret: FixedSecret0001
        clientCredentials: {enabled: true, runAs: integration@acme.example}
      - name: Key Only
        scopes: [api]
        consumerKey: KeyOnly0002
        clientCredentials: {enabled: true, runAs: integration@acme.example}
      - name: Generated
        scopes: [api]
        clientCredentials: {enabled: true, runAs: other@acme.example}
    externalClientApps:
      - name: External
        settings: {scopes: [api], isClientCredentialsFlowEnabled: true}
        policies: {clientCredentialsFlowUser: integration@acme.example}
    records:
      - {object: Account, fields: {Name: Acme}}
`

// get calls the data API with a bearer token and returns the status and body.
func get(t *testing.T, srv *forcefieldtest.Server, path, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.InstanceURL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

const accounts = "/services/data/v62.0/query?q=" + "SELECT+Name+FROM+Account"

// TestStartCredentials: every app of the file gets a token with the credentials App
// returns — the file's, generated, or a mix — and the token queries the seeded record.
func TestStartCredentials(t *testing.T) {
	srv := forcefieldtest.Start(t, testOrg)
	if srv.URL == "" || srv.LoginURL != srv.URL || srv.InstanceURL != srv.URL || !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("URLs: %q %q %q", srv.URL, srv.LoginURL, srv.InstanceURL)
	}
	if got := srv.App("Fixed"); got != (forcefieldtest.Credentials{ConsumerKey: "FixedKey0001", ConsumerSecret: "FixedSecret0001"}) {
		t.Errorf("App(Fixed) = %+v", got)
	}
	if got := srv.App("Key Only"); got.ConsumerKey != "KeyOnly0002" || len(got.ConsumerSecret) < 32 {
		t.Errorf("App(Key Only) = %+v: want the file's key and a generated secret", got)
	}
	for _, app := range []string{"Fixed", "Key Only", "Generated", "External", "Acme/Generated"} {
		tok := srv.Token(t, app)
		status, body := get(t, srv, accounts, tok)
		if status != http.StatusOK || !strings.Contains(body, `"Name":"Acme"`) {
			t.Errorf("%s: query: %d %s", app, status, body)
		}
	}
	if s := fmt.Sprint(srv.App("Generated")); strings.Contains(s, srv.App("Generated").ConsumerSecret) {
		t.Errorf("Credentials print their secret: %s", s)
	}
}

// TestStartBadOrgFile: a file the server refuses fails Start with the server's answer,
// which names the line.
func TestStartBadOrgFile(t *testing.T) {
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		forcefieldtest.Start(rec, "orgs:\n  - name: Acme\n    users:\n      - {username: nobody}\n")
	}()
	<-done
	if !strings.Contains(rec.fatal, "HTTP 400") || !strings.Contains(rec.fatal, "org.yaml:4: orgs[0].users[0].lastName: lastName is required") {
		t.Errorf("Start with a bad file: %q", rec.fatal)
	}
}

// recorder is a test whose Fatalf is recorded and ends the goroutine, as testing's does.
type recorder struct {
	testing.TB
	fatal string
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// TestAdminErrors: a refused admin request fails the test with the answer's body.
func TestAdminErrors(t *testing.T) {
	srv := forcefieldtest.Start(t, testOrg)
	for _, tc := range []struct {
		name string
		call func(forcefieldtest.TB)
		want string
	}{
		{"unknown path", func(tb forcefieldtest.TB) { srv.Admin(tb, http.MethodGet, "/nothing-here", nil) }, "HTTP 404"},
		{"unknown app", func(tb forcefieldtest.TB) { srv.Admin(tb, http.MethodGet, "/apps/NoSuchApp/certificates", nil) }, "no connected app named"},
		{"unknown org", func(tb forcefieldtest.TB) { srv.Org("Nowhere").Snapshot(tb, "x") }, "HTTP 404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			done := make(chan struct{})
			go func() { defer close(done); tc.call(rec) }()
			<-done
			if !strings.Contains(rec.fatal, tc.want) {
				t.Errorf("fatal = %q, want it to contain %q", rec.fatal, tc.want)
			}
		})
	}
}

// TestLoginHistory: the token requests the test made, and the refused one, are in the
// login history the handle reads, newest first.
func TestLoginHistory(t *testing.T) {
	srv := forcefieldtest.Start(t, testOrg)
	srv.Token(t, "Fixed")
	srv.Token(t, "Generated")
	resp, err := http.PostForm(srv.LoginURL+"/services/oauth2/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {"FixedKey0001"}, "client_secret": {"wrong"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var got []string
	for _, l := range srv.LoginHistory(t) {
		got = append(got, l.Application+" "+l.Status)
	}
	want := []string{"Fixed Invalid client credentials", "Generated Success", "Fixed Success"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("login history (-want +got):\n%s", diff)
	}
}

// TestAdminEscapeHatch: Admin sends JSON bodies and returns the answer.
func TestAdminEscapeHatch(t *testing.T) {
	srv := forcefieldtest.Start(t, testOrg)
	srv.Token(t, "Fixed")
	var users []struct{ Username string }
	if err := json.Unmarshal(srv.Admin(t, http.MethodGet, "/users", nil), &users); err != nil || len(users) != 2 {
		t.Fatalf("users: %v %v", users, err)
	}
	var revoked struct{ Revoked int }
	json.Unmarshal(srv.Admin(t, http.MethodDelete, "/forcefield/admin/users/integration@acme.example/sessions", nil), &revoked)
	if revoked.Revoked != 1 || len(srv.Sessions(t)) != 0 {
		t.Errorf("revoked %d; sessions left %v", revoked.Revoked, srv.Sessions(t))
	}
}

// TestNewClose: New and Close outside a test; Close removes the database and is
// idempotent.
func TestNewClose(t *testing.T) {
	if os.Getenv("FORCEFIELD_TEST_DB") == "postgres" {
		t.Skip("reads the temporary directory of the SQLite database")
	}
	srv, err := forcefieldtest.New(testOrg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Token(t, "Fixed")
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	// The port may already serve another test's server (packages run in parallel): this
	// server is gone when its admin token no longer opens the admin API there.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/forcefield/admin/orgs", nil)
	req.Header.Set("Authorization", "Bearer "+srv.AdminToken)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("the server still answers after Close")
		}
	}
}
