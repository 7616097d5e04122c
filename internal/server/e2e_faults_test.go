package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Faults on demand (issue 14 §1) end to end: each answer on each route family rendered
// exactly, counts exact under racing requests, fractions, durations, delays, drops,
// scoping to an app, a user and an org, expiring sessions, exhausting the daily limit.

const faultsOrgFile = `
orgs:
  - name: Acme
    dailyApiRequests: 5000
    objects:
      - name: Account
    profiles:
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
        objects:
          Account: [Read, Create, Edit, Delete]
    users:
      - {username: one@acme.example, lastName: One, email: one@acme.example, profile: Integration}
      - {username: two@acme.example, lastName: Two, email: two@acme.example, profile: Integration}
    connectedApps:
      - {name: First, scopes: [api, refresh_token], consumerKey: FirstKey01, consumerSecret: FirstSecret01, clientCredentials: {enabled: true, runAs: one@acme.example}}
      - {name: Second, scopes: [api], consumerKey: SecondKey01, consumerSecret: SecondSecret01, clientCredentials: {enabled: true, runAs: two@acme.example}}
  - name: Globex
    profiles:
      - name: Integration
        permissions: [ApiEnabled]
    users:
      - {username: one@globex.example, lastName: One, email: one@globex.example, profile: Integration}
    connectedApps:
      - {name: Globex App, scopes: [api], consumerKey: GlobexKey01, consumerSecret: GlobexSecret01, clientCredentials: {enabled: true, runAs: one@globex.example}}
`

// faultsServer is a server with faultsOrgFile and a token per app.
type faultsServer struct {
	*testServer
	first, second, globex string
}

func startFaults(t *testing.T) *faultsServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, faultsOrgFile)
	s := startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile})
	return s.faultsTokens(t)
}

func (s *testServer) faultsTokens(t *testing.T) *faultsServer {
	t.Helper()
	return &faultsServer{testServer: s,
		first:  s.token(t, "FirstKey01", "FirstSecret01"),
		second: s.token(t, "SecondKey01", "SecondSecret01"),
		globex: s.token(t, "GlobexKey01", "GlobexSecret01"),
	}
}

// faultView is the admin API's view of a fault, as the tests read it.
type faultView struct {
	ID        string  `json:"id"`
	Org       string  `json:"org"`
	App       string  `json:"app"`
	User      string  `json:"user"`
	Family    string  `json:"family"`
	Answer    string  `json:"answer"`
	Count     int     `json:"count"`
	Remaining int     `json:"remaining"`
	Fraction  float64 `json:"fraction"`
	Until     *string `json:"until"`
	Delay     string  `json:"delay"`
	Hits      int     `json:"hits"`
}

// inject adds a fault through the admin API and returns its view.
func (s *testServer) inject(t *testing.T, body string) faultView {
	t.Helper()
	r := s.admin(t, http.MethodPost, "/faults", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /faults %s: %d %s", body, r.Status, r.Body)
	}
	var v faultView
	if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// faults lists the faults through the admin API.
func (s *testServer) faults(t *testing.T) []faultView {
	t.Helper()
	r := s.admin(t, http.MethodGet, "/faults", "")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /faults: %d %s", r.Status, r.Body)
	}
	var vs []faultView
	if err := json.Unmarshal([]byte(r.Body), &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

// send sends a request with a bearer token; path is relative to /services/data/v59.0
// unless it starts with /services.
func (s *testServer) send(t testing.TB, token, method, path, contentType, body string) response {
	t.Helper()
	if !strings.HasPrefix(path, "/services") {
		path = "/services/data/v59.0" + path
	}
	req := newRequest(t, method, s.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return do(t, req)
}

func TestFaultCountOnREST(t *testing.T) {
	s := startFaults(t)
	v := s.inject(t, `{"org":"Acme","family":"rest","answer":"REQUEST_LIMIT_EXCEEDED","count":2}`)
	if v.Count != 2 || v.Remaining != 2 || v.Hits != 0 || v.Family != "rest" {
		t.Errorf("new fault view = %+v", v)
	}
	for i := range 2 {
		r := s.get(t, "/services/data/v59.0/limits", s.first)
		wantRESTError(t, r, http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
		if t.Failed() {
			t.Fatalf("request %d", i+1)
		}
	}
	if r := s.get(t, "/services/data/v59.0/limits", s.first); r.Status != http.StatusOK {
		t.Fatalf("third request: %d %s", r.Status, r.Body)
	}
	got := s.faults(t)
	if len(got) != 1 || got[0].Hits != 2 || got[0].Remaining != 0 {
		t.Errorf("faults after it fired twice: %+v", got)
	}
}

// Exactly count requests fail when 64 race for a count-3 fault, and the store counts 3 hits.
func TestFaultCountRace(t *testing.T) {
	s := startFaults(t)
	s.inject(t, `{"org":"Acme","family":"rest","answer":"SERVER_UNAVAILABLE","count":3}`)
	var faulted, ok atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := s.get(t, "/services/data/v59.0/limits", s.first)
			switch r.Status {
			case http.StatusServiceUnavailable:
				faulted.Add(1)
			case http.StatusOK:
				ok.Add(1)
			default:
				t.Errorf("%d %s", r.Status, r.Body)
			}
		}()
	}
	close(start)
	wg.Wait()
	if faulted.Load() != 3 || ok.Load() != 61 {
		t.Errorf("64 racing requests: %d faulted, %d served; want 3 and 61", faulted.Load(), ok.Load())
	}
	if got := s.faults(t); len(got) != 1 || got[0].Hits != 3 || got[0].Remaining != 0 {
		t.Errorf("faults after the race: %+v", got)
	}
}

var _ = url.Values{}
var _ = cmp.Diff
