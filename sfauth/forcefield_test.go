package sfauth_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/forcefield/forcefield/internal/server"
)

// These tests run a whole Forcefield in-process on 127.0.0.1:0 with a small test org, the
// way internal/server's harness does, and use the package against it over real HTTP.

const testOrg = `
orgs:
  - name: Acme
    profiles:
      - name: Acme Integration
        permissions: [ApiEnabled, ApiUserOnly]
    users:
      - {username: integration@acme.example, lastName: Integration, email: team@acme.example, profile: Acme Integration}
    connectedApps:
      - name: Acme Integration
        scopes: [api, id]
        consumerKey: AcmeKey0001
        consumerSecret: AcmeSecret0001
        clientCredentials: {enabled: true, runAs: integration@acme.example}
      - name: Id Only
        scopes: [id]
        consumerKey: IdOnlyKey0002
        consumerSecret: IdOnlySecret0002
        clientCredentials: {enabled: true, runAs: integration@acme.example}
      - name: JWT
        scopes: [api]
        consumerKey: JWTKey0003
        consumerSecret: JWTSecret0003
        permittedUsers: AdminApprovedPreAuthorized
        profiles: [Acme Integration]
`

const (
	testKey        = "AcmeKey0001"
	testSecret     = "AcmeSecret0001"
	testUser       = "integration@acme.example"
	testAdminToken = "sfauth-test-admin"
)

// forcefield is a running server.
type forcefield struct{ URL string }

// startForcefield runs a server until stop is called.
func startForcefield(dir string) (ff *forcefield, stop func(), err error) {
	orgFile := filepath.Join(dir, "acme.yaml")
	if err := os.WriteFile(orgFile, []byte(testOrg), 0o600); err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := server.Open(ctx, server.Config{Addr: "127.0.0.1:0", DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile, AdminToken: testAdminToken})
	if err != nil {
		cancel()
		return nil, nil, err
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	return &forcefield{URL: s.BaseURL()}, func() { cancel(); <-done }, nil
}

// start runs a server for one test.
func start(t *testing.T) *forcefield {
	t.Helper()
	ff, stop, err := startForcefield(t.TempDir())
	if err != nil {
		t.Fatalf("starting Forcefield: %v", err)
	}
	t.Cleanup(stop)
	return ff
}

// revokeSessions ends every session of the user through the admin API.
func (ff *forcefield) revokeSessions(t *testing.T, username string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, ff.URL+"/forcefield/admin/users/"+username+"/sessions", nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("revoking sessions of %s: HTTP %d", username, resp.StatusCode)
	}
}

// transport returns a transport of its own for a test, whose idle connections are closed
// before the server stops: the server waits up to 5s for connections that were dialled but
// never used, which many concurrent requests leave behind.
func transport(t *testing.T) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// counter is a RoundTripper that counts the token requests going through it.
type counter struct {
	base   http.RoundTripper
	tokens atomic.Int64
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/services/oauth2/token") {
		c.tokens.Add(1)
	}
	return c.base.RoundTrip(r)
}

// exampleServer is the Forcefield the Example functions use (see TestMain).
var exampleServer *forcefield

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sfauth-example")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ff, stop, err := startForcefield(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting Forcefield for the examples:", err)
		os.Exit(1)
	}
	exampleServer = ff
	code := m.Run()
	stop()
	os.RemoveAll(dir)
	os.Exit(code)
}
