package server

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/tlscert"
)

// Shared by the real-client harnesses (e2e_gosalesforce_test.go, e2e_jsforce_data_test.go,
// e2e_sf_test.go): salesforce-rest.md §8 client by client, §10 what was run.

// clientOrgFile is the org the client data scenarios run in: an integration user whose
// profile has ModifyAllData (full object and field access in internal/access), a
// client-credentials app running as that user, and a custom object with an external ID
// for upserts (docs/org-file.md "objects").
const clientOrgFile = `
orgs:
  - name: Data Org
    myDomain: dataorg
    dailyApiRequests: 100000
    profiles:
      - name: Data Integration
        permissions: [ApiEnabled, ModifyAllData]
    users:
      - {username: data@dataorg.example, firstName: Data, lastName: Integration, email: team@dataorg.example, profile: Data Integration}
    connectedApps:
      - name: Data Client
        contactEmail: team@dataorg.example
        scopes: [api, id, refresh_token]
        consumerKey: DataKey0001
        consumerSecret: DataSecret0001
        clientCredentials: {enabled: true, runAs: data@dataorg.example}
    objects:
      - name: Invoice__c
        label: Invoice
        labelPlural: Invoices
        fields:
          - {name: ExtId__c, label: External Id, type: string, length: 40, externalId: true, unique: true}
          - {name: Amount__c, label: Amount, type: currency, precision: 16, scale: 2}
`

// The data org's credentials.
const (
	dataUser   = "data@dataorg.example"
	dataKey    = "DataKey0001"
	dataSecret = "DataSecret0001"
)

// startDataOrg starts a server with clientOrgFile and, when withTLS, an HTTPS listener
// whose certificate CertFile trusts.
func startDataOrg(t *testing.T, withTLS bool) *tlsServer {
	t.Helper()
	return startOrg(t, clientOrgFile, withTLS)
}

// startOrg starts a server with the org file content and, when withTLS, an HTTPS
// listener whose certificate CertFile trusts.
func startOrg(t *testing.T, content string, withTLS bool) *tlsServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, content)
	cfg := Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile}
	var certFile string
	if withTLS {
		var keyFile string
		var err error
		if certFile, keyFile, err = tlscert.Write(filepath.Join(dir, "tls"), tlscert.DefaultHosts, time.Now()); err != nil {
			t.Fatal(err)
		}
		cfg.TLSAddr, cfg.TLSCertFile, cfg.TLSKeyFile = "127.0.0.1:0", certFile, keyFile
	}
	s := startWith(t, cfg)
	return &tlsServer{testServer: s, HTTPS: s.TLSURL(), CertFile: certFile}
}

// revokeUserSessions ends every session of a user through the admin API, as an
// administrator would; clients then see 401 INVALID_SESSION_ID.
func (s *testServer) revokeUserSessions(t *testing.T, username string) {
	t.Helper()
	r := s.admin(t, http.MethodDelete, "/users/"+username+"/sessions", "")
	if r.Status != http.StatusOK {
		t.Fatalf("revoke sessions of %s: %d %s", username, r.Status, r.Body)
	}
}

// clientEnv is the environment for a client process: ours without proxy variables (jsforce
// honours them with no NO_PROXY support, salesforce-rest.md §8.1 caveats), plus extra.
func clientEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.EqualFold(k, "HTTP_PROXY") && !strings.EqualFold(k, "HTTPS_PROXY") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// needTool returns the path of a client harness file, or skips — failing instead when CI
// skipUnlessCI skips the test with the reason when a real component it needs is missing
// on this machine — and fails it when CI is set, because .ci/run installs and starts every
// such component, so a skip there would hide a broken install step.
func skipUnlessCI(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// is set, since .ci/run installs the harnesses.
func needTool(t *testing.T, path, install string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		skipUnlessCI(t, "%s missing (%v); install with: %s", path, err, install)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
