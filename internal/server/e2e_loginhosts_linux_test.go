//go:build linux

package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/tlscert"
	"github.com/forcefield/forcefield/sfauth"
)

// Unmodified clients whose login URL is the hard-coded https://login.salesforce.com (or
// test) get tokens from a Forcefield on 127.0.0.1:443, inside namespaces of their own
// (netns_linux_test.go explains why and how): issue 10 §4 and the sfdx-url test of §5.

// loginHostsOrg: an org with a My Domain (so instance_url is https://acme.my.salesforce.com,
// the webflow reference §7.3), a user with a password and security token for the
// username-password flow, and an app with a refresh_token scope.
const loginHostsOrg = `
orgs:
  - name: Acme
    myDomain: acme
    profiles:
      - {name: Integration, permissions: [ApiEnabled, ModifyAllData]}
    users:
      - {username: web@acme.example, lastName: Web, email: web@acme.example, profile: Integration,
         password: "Login hosts 01", securityToken: ABCDEFGHIJKLMNOPQRSTUVWX}
    connectedApps:
      - {name: Web, scopes: [api, refresh_token], consumerKey: HostsWeb01, consumerSecret: HostsSecret01,
         clientCredentials: {enabled: true, runAs: web@acme.example}}
`

// loginHostNames are mapped to 127.0.0.1 inside the namespace.
var loginHostNames = []string{"login.salesforce.com", "test.salesforce.com", "acme.my.salesforce.com"}

// startLoginHosts starts, inside the namespace, a Forcefield with loginHostsOrg whose TLS
// listener is 127.0.0.1:443 with a `tls-cert --salesforce` certificate; CertFile is the CA.
func startLoginHosts(t *testing.T) *tlsServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, loginHostsOrg)
	_, certFile, keyFile, err := tlscert.WriteSalesforce(filepath.Join(dir, "tls"), nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile,
		TLSAddr: "127.0.0.1:443", TLSCertFile: certFile, TLSKeyFile: keyFile})
	return &tlsServer{testServer: s, HTTPS: "https://login.salesforce.com", CertFile: filepath.Join(dir, "tls", tlscert.CAFile)}
}

// simple-salesforce's username-password OAuth flow at its default (login) and 'test'
// domains; client credentials at the login host are refused as Salesforce refuses them.
func TestLoginHostsSimpleSalesforce(t *testing.T) {
	sqliteOnly(t, "the test runs in its own network namespace, where the loopback PostgreSQL is not reachable")
	if !inLoginHostNamespace(t, loginHostNames...) {
		return
	}
	s := startLoginHosts(t)
	got := runSimpleSalesforceScript(t, s, "../../clients/simple-salesforce/loginhost.py", "",
		"FF_USERNAME=web@acme.example", "FF_PASSWORD=Login hosts 01", "FF_SECURITY_TOKEN=ABCDEFGHIJKLMNOPQRSTUVWX",
		"FF_KEY=HostsWeb01", "FF_SECRET=HostsSecret01")
	want := map[string]any{
		// instance_url is the org's My Domain: simple-salesforce sends its REST calls there.
		"login": map[string]any{"sf_instance": "acme.my.salesforce.com", "limits": true, "account": "Login host"},
		"test":  map[string]any{"sf_instance": "acme.my.salesforce.com", "query": []any{"Login host"}},
		"clientCredentialsAtLogin": map[string]any{"status": 400.0,
			"body": map[string]any{"error": "invalid_grant", "error_description": "request not supported on this domain"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("simple-salesforce at the login hosts (-want +got):\n%s", diff)
	}
	// The LoginHistory rows name the host the client used (LoginUrl, the objects reference §14).
	_, userID := s.ids(t, "web@acme.example")
	r := s.admin(t, http.MethodGet, "/login-history?user="+userID, "")
	for _, host := range []string{"login.salesforce.com", "test.salesforce.com"} {
		if !strings.Contains(r.Body, `"`+host+`"`) {
			t.Errorf("login history does not show a login at %s:\n%s", host, r.Body)
		}
	}
}

// `sf org login sfdx-url` with force://PlatformCLI::<refresh token>@login.salesforce.com
// (the webflow reference §5.2: https forced; refresh at the login host; then userinfo,
// sobjects/User at v51.0, the ScratchOrgInfo and Organization queries on the instance),
// then `sf data query`; after an administrator ends the user's sessions, sf refreshes with
// its refresh token by itself and the next query succeeds.
func TestLoginHostsSFDXURL(t *testing.T) {
	sqliteOnly(t, "the test runs in its own network namespace, where the loopback PostgreSQL is not reachable")
	if !inLoginHostNamespace(t, loginHostNames...) {
		return
	}
	sf := needSF(t)
	s := startLoginHosts(t)
	tok := s.token(t, "HostsWeb01", "HostsSecret01")
	for _, name := range []string{"SFDX Alpha", "SFDX Beta"} {
		req := newRequest(t, http.MethodPost, s.URL+"/services/data/v59.0/sobjects/Account", strings.NewReader(`{"Name":"`+name+`"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		if r := do(t, req); r.Status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", name, r.Status, r.Body)
		}
	}
	// A refresh token of the built-in Salesforce CLI app (PlatformCLI, no secret), as if
	// web@acme.example had run `sf org login web` once.
	r := s.admin(t, http.MethodPost, "/oauth-tokens", `{"app":"Salesforce CLI","user":"web@acme.example"}`)
	var minted struct{ RefreshToken string }
	if err := json.Unmarshal([]byte(r.Body), &minted); err != nil || minted.RefreshToken == "" {
		t.Fatalf("minting a refresh token: %d %s", r.Status, r.Body)
	}
	authFile := filepath.Join(t.TempDir(), "auth.txt")
	if err := os.WriteFile(authFile, []byte("force://PlatformCLI::"+minted.RefreshToken+"@login.salesforce.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"NODE_EXTRA_CA_CERTS=" + s.CertFile}
	login, err := sf.json(t, env, "org", "login", "sfdx-url", "--sfdx-url-file", authFile, "--alias", "ff")
	if err != nil {
		t.Fatalf("sf org login sfdx-url: %v: %v", err, login)
	}
	orgID, userID := s.ids(t, "web@acme.example")
	res, _ := login["result"].(map[string]any)
	gotLogin := map[string]any{"username": res["username"], "instanceUrl": res["instanceUrl"], "loginUrl": res["loginUrl"],
		"clientId": res["clientId"], "orgId": res["orgId"]}
	wantLogin := map[string]any{"username": "web@acme.example", "instanceUrl": "https://acme.my.salesforce.com",
		"loginUrl": "https://login.salesforce.com", "clientId": "PlatformCLI", "orgId": orgID}
	if diff := cmp.Diff(wantLogin, gotLogin); diff != "" {
		t.Errorf("sf org login sfdx-url result (-want +got):\n%s\nwhole result: %v", diff, login)
	}

	query := func() []any {
		t.Helper()
		q, err := sf.json(t, env, "data", "query", "-q", "SELECT Name FROM Account ORDER BY Name", "-o", "ff")
		if err != nil {
			t.Fatalf("sf data query: %v: %v", err, q)
		}
		qr, _ := q["result"].(map[string]any)
		recs, _ := qr["records"].([]any)
		var names []any
		for _, rec := range recs {
			names = append(names, rec.(map[string]any)["Name"])
		}
		return names
	}
	if diff := cmp.Diff([]any{"SFDX Alpha", "SFDX Beta"}, query()); diff != "" {
		t.Errorf("sf data query (-want +got):\n%s", diff)
	}
	s.revokeUserSessions(t, "web@acme.example")
	if diff := cmp.Diff([]any{"SFDX Alpha", "SFDX Beta"}, query()); diff != "" {
		t.Errorf("sf data query after the sessions ended (-want +got):\n%s", diff)
	}
	// Every refresh went to the login host sf was given.
	hist := s.admin(t, http.MethodGet, "/login-history?user="+userID, "").Body
	if n := strings.Count(hist, `"login.salesforce.com"`); n < 2 {
		t.Errorf("%d logins at login.salesforce.com in the history, want the sfdx-url refresh and the one after revocation:\n%s", n, hist)
	}
}

// sfauth with URL https://login.salesforce.com and a refresh token — the body tap-salesforce
// and Airbyte post to the same hard-coded host (grant_type, refresh_token, client_id,
// client_secret; the webflow reference §6.5, §6.6) — then REST calls on the My Domain
// instance, and a renewal at the login host after the access token is revoked.
func TestLoginHostsRefreshToken(t *testing.T) {
	sqliteOnly(t, "the test runs in its own network namespace, where the loopback PostgreSQL is not reachable")
	if !inLoginHostNamespace(t, loginHostNames...) {
		return
	}
	s := startLoginHosts(t)
	r := s.admin(t, http.MethodPost, "/oauth-tokens", `{"app":"Web","user":"web@acme.example"}`)
	var minted struct{ RefreshToken string }
	if err := json.Unmarshal([]byte(r.Body), &minted); err != nil || minted.RefreshToken == "" {
		t.Fatalf("minting a refresh token: %d %s", r.Status, r.Body)
	}
	caPEM, err := os.ReadFile(s.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	// Only the CA: the names resolve through the namespace's /etc/hosts, as on a machine.
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}
	defer tr.CloseIdleConnections()
	cfg := &sfauth.Config{URL: "https://login.salesforce.com", ClientID: "HostsWeb01", ClientSecret: "HostsSecret01",
		RefreshToken: minted.RefreshToken, HTTPClient: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
	src := cfg.TokenSource(context.Background())
	client := &http.Client{Transport: &sfauth.Transport{Source: src, Base: tr}, Timeout: 30 * time.Second}
	limits := func() int {
		resp, err := client.Get("/services/data/v59.0/limits")
		if err != nil {
			t.Fatalf("GET limits: %v", err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := limits(); got != http.StatusOK {
		t.Fatalf("limits: %d", got)
	}
	tok, err := src.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, userID := s.ids(t, "web@acme.example")
	if tok.InstanceURL != "https://acme.my.salesforce.com" || !strings.HasPrefix(tok.ID, "https://login.salesforce.com/id/") ||
		tok.UserID() != userID || tok.Signature == "" {
		t.Errorf("token: instance_url %s, id %s, signature %q", tok.InstanceURL, tok.ID, tok.Signature)
	}
	// Revoked at the My Domain's revoke endpoint; renewed at the login host.
	resp, err := tr.RoundTrip(newRequest(t, http.MethodPost, "https://acme.my.salesforce.com/services/oauth2/revoke?token="+url.QueryEscape(tok.AccessToken), nil))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %v %v", err, resp)
	}
	resp.Body.Close()
	if got := limits(); got != http.StatusOK {
		t.Fatalf("limits after revocation: %d", got)
	}
	if again, _ := src.Current(context.Background()); again.AccessToken == tok.AccessToken {
		t.Error("no new access token after the revocation")
	}
}
