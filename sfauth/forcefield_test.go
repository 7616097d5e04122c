package sfauth_test

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/forcefield/forcefield/forcefieldtest"
)

// These tests run a whole Forcefield in-process on 127.0.0.1:0 with a small test org
// (package forcefieldtest) and use the package against it over real HTTP.

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
	testKey    = "AcmeKey0001"
	testSecret = "AcmeSecret0001"
	testUser   = "integration@acme.example"
)

// forcefield is a running server (package forcefieldtest) with this package's helpers.
type forcefield struct{ *forcefieldtest.Server }

// start runs a server with testOrg for one test.
func start(t *testing.T) *forcefield {
	t.Helper()
	return &forcefield{forcefieldtest.Start(t, testOrg)}
}

// revokeSessions ends every session of the user through the admin API.
func (ff *forcefield) revokeSessions(t *testing.T, username string) {
	t.Helper()
	ff.Admin(t, http.MethodDelete, "/users/"+username+"/sessions", nil)
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
	srv, err := forcefieldtest.New(testOrg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting Forcefield for the examples:", err)
		os.Exit(1)
	}
	exampleServer = &forcefield{srv}
	code := m.Run()
	if err := srv.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping Forcefield:", err)
	}
	os.Exit(code)
}
