package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable clock shared by a test and its server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testServer is a whole Forcefield running on a loopback port with a real SQLite file
// (or, under FORCEFIELD_TEST_DB=postgres, a PostgreSQL schema: harness_postgres_test.go).
type testServer struct {
	*Server
	URL        string
	DB         string
	AdminToken string
	Clock      *clock
	stop       func()
}

// The test org: every app and user a wire test needs, with fixed credentials.
const testOrgFile = `
orgs:
  - name: Acme
    myDomain: acme
    dailyApiRequests: 1000
    profiles:
      - name: Acme Integration
        permissions: [ApiEnabled, ApiUserOnly]
      - name: No API
        permissions: []
      - name: Short Sessions
        permissions: [ApiEnabled]
        sessionTimeoutMinutes: 15
    permissionSets:
      - name: Acme API Access
        permissions: [ApiEnabled]
    users:
      - {username: integration@acme.example, firstName: Acme, lastName: Integration, email: team@acme.example, profile: Acme Integration, timeZone: Europe/Paris}
      - {username: noapi@acme.example, lastName: NoAPI, email: team@acme.example, profile: No API}
      - {username: inactive@acme.example, lastName: Inactive, email: team@acme.example, profile: Acme Integration, active: false}
      - {username: short@acme.example, lastName: Short, email: team@acme.example, profile: Short Sessions}
      - {username: outsider@acme.example, lastName: Outsider, email: team@acme.example, profile: No API, permissionSets: [Acme API Access]}
    connectedApps:
      - name: Acme Integration
        contactEmail: team@acme.example
        scopes: [api, id, refresh_token, full]
        consumerKey: AcmeKey0001
        consumerSecret: AcmeSecret0001
        clientCredentials: {enabled: true, runAs: integration@acme.example}
      - name: Basic Only
        scopes: [api]
        consumerKey: OtherKey0002
        consumerSecret: OtherSecret0002
        clientCredentials: {enabled: true, runAs: integration@acme.example}
      - name: Introspector
        scopes: [api]
        consumerKey: IntroKey0003
        consumerSecret: IntroSecret0003
        introspectAllTokens: true
        clientCredentials: {enabled: true, runAs: integration@acme.example}
      - name: Disabled Flow
        scopes: [api]
        consumerKey: DisabledKey0004
        consumerSecret: DisabledSecret0004
        clientCredentials: {enabled: false, runAs: integration@acme.example}
      - name: No Run As
        scopes: [api]
        consumerKey: NoRunAsKey0005
        consumerSecret: NoRunAsSecret0005
        clientCredentials: {enabled: true}
      - name: Inactive Run As
        scopes: [api]
        consumerKey: InactiveKey0006
        consumerSecret: InactiveSecret0006
        clientCredentials: {enabled: true, runAs: inactive@acme.example}
      - name: Admin Approved
        scopes: [api]
        consumerKey: ApprovedKey0007
        consumerSecret: ApprovedSecret0007
        clientCredentials: {enabled: true, runAs: integration@acme.example}
        permittedUsers: AdminApprovedPreAuthorized
        profiles: [No API]
      - name: Full Only
        scopes: [full, refresh_token]
        consumerKey: FullOnlyKey0008
        consumerSecret: FullOnlySecret0008
        clientCredentials: {enabled: true, runAs: integration@acme.example}
      - name: No API User
        scopes: [api]
        consumerKey: NoAPIKey0009
        consumerSecret: NoAPISecret0009
        clientCredentials: {enabled: true, runAs: noapi@acme.example}
      - name: Short App
        scopes: [api]
        consumerKey: ShortKey0010
        consumerSecret: ShortSecret0010
        clientCredentials: {enabled: true, runAs: short@acme.example}
      - name: Id Only
        scopes: [id]
        consumerKey: IdOnlyKey0011
        consumerSecret: IdOnlySecret0011
        clientCredentials: {enabled: true, runAs: integration@acme.example}
      - name: Permission Set Approved
        scopes: [api]
        consumerKey: PermSetKey0012
        consumerSecret: PermSetSecret0012
        clientCredentials: {enabled: true, runAs: outsider@acme.example}
        permittedUsers: AdminApprovedPreAuthorized
        permissionSets: [Acme API Access]
`

const testAdminToken = "test-admin-token"

// start runs a server with the test org on 127.0.0.1:0 until the test ends.
func start(t testing.TB) *testServer {
	t.Helper()
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "acme.yaml")
	if err := os.WriteFile(orgFile, []byte(testOrgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	return startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
}

func startWith(t testing.TB, cfg Config) *testServer {
	t.Helper()
	return startOn(t, cfg, newClock())
}

// newClock returns the clock test servers start with.
func newClock() *clock { return &clock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)} }

// startOn runs a server on clk. DB is what the test named (a file path stands for a
// PostgreSQL schema under FORCEFIELD_TEST_DB=postgres).
func startOn(t testing.TB, cfg Config, clk *clock) *testServer {
	t.Helper()
	named := cfg.DB
	cfg.DB = testDB(t, cfg.DB)
	cfg.Addr = "127.0.0.1:0"
	cfg.AdminToken = testAdminToken
	cfg.Now = clk.Now
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Open(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("Open: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	ts := &testServer{Server: s, URL: s.BaseURL(), DB: named, AdminToken: testAdminToken, Clock: clk}
	var once sync.Once
	ts.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(ts.stop)
	return ts
}

// response is a read HTTP response.
type response struct {
	Status int
	Header http.Header
	Body   string
}

func (r response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

func do(t testing.TB, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(body)}
}

func newRequest(t testing.TB, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// postForm POSTs a form to the token endpoint (or another path).
func (s *testServer) postForm(t testing.TB, path string, form url.Values) response {
	t.Helper()
	req := newRequest(t, http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

// token gets a client credentials token and fails the test otherwise.
func (s *testServer) token(t testing.TB, key, secret string) string {
	t.Helper()
	r := s.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {key}, "client_secret": {secret}})
	if r.Status != http.StatusOK {
		t.Fatalf("token request: %d %s", r.Status, r.Body)
	}
	return r.JSON(t)["access_token"].(string)
}

// get sends a GET with a bearer token ("" for none).
func (s *testServer) get(t testing.TB, path, token string) response {
	t.Helper()
	req := newRequest(t, http.MethodGet, s.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

// admin sends an admin API request.
func (s *testServer) admin(t testing.TB, method, path, body string) response {
	t.Helper()
	req := newRequest(t, method, s.URL+"/forcefield/admin"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.AdminToken)
	return do(t, req)
}

// ids returns the 18-character org and user IDs of a username, read through the admin API.
func (s *testServer) ids(t testing.TB, username string) (orgID, userID string) {
	t.Helper()
	r := s.admin(t, http.MethodGet, "/users", "")
	var users []struct{ ID, OrgID, Username string }
	if err := json.Unmarshal([]byte(r.Body), &users); err != nil {
		t.Fatalf("admin users: %v: %s", err, r.Body)
	}
	for _, u := range users {
		if u.Username == username {
			return u.OrgID, u.ID
		}
	}
	t.Fatalf("no user %s", username)
	return "", ""
}
