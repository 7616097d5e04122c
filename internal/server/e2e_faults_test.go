package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// status sends n GET /limits with token from 8 goroutines and counts the statuses.
func (s *testServer) statuses(t *testing.T, token string, n int) map[int]int {
	t.Helper()
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	next := make(chan struct{}, n)
	for range n {
		next <- struct{}{}
	}
	close(next)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				r := s.get(t, "/services/data/v59.0/limits", token)
				mu.Lock()
				got[r.Status]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return got
}

// A fault scoped to an app or a user hits only their requests; no fault ever reaches
// another org.
func TestFaultScopes(t *testing.T) {
	s := startFaults(t)
	s.inject(t, `{"app":"First","family":"rest","answer":"SERVER_UNAVAILABLE","duration":"1h"}`)
	s.inject(t, `{"user":"two@acme.example","family":"all","answer":"QUERY_TIMEOUT","duration":"1h"}`)
	if r := s.get(t, "/services/data/v59.0/limits", s.first); r.Status != http.StatusServiceUnavailable {
		t.Errorf("First's request: %d %s, want its fault's 503", r.Status, r.Body)
	}
	if r := s.get(t, "/services/data/v59.0/limits", s.second); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "QUERY_TIMEOUT") {
		t.Errorf("two@'s request: %d %s, want its fault's QUERY_TIMEOUT", r.Status, r.Body)
	}
	// Every family, every answer, for the whole of Acme: Globex is untouched.
	s.inject(t, `{"org":"Acme","family":"all","answer":"REQUEST_LIMIT_EXCEEDED","duration":"1h"}`)
	if got := s.statuses(t, s.globex, 20); !cmp.Equal(got, map[int]int{200: 20}) {
		t.Errorf("Globex's requests with every Acme fault on: %v, want 20 × 200", got)
	}
	if r := s.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {"GlobexKey01"}, "client_secret": {"GlobexSecret01"}}); r.Status != http.StatusOK {
		t.Errorf("Globex's token request: %d %s", r.Status, r.Body)
	}
	var hits []int
	for _, f := range s.faults(t) {
		hits = append(hits, f.Hits)
	}
	if !cmp.Equal(hits, []int{1, 1, 0}) {
		t.Errorf("hits of the app's, the user's and the org's fault: %v, want [1 1 0]", hits)
	}
}

// A fraction fault answers about that share of the requests; a duration fault every
// request until its time (the org's clock), none after.
func TestFaultFractionAndDuration(t *testing.T) {
	s := startFaults(t)
	v := s.inject(t, `{"org":"Acme","family":"rest","answer":"SERVER_UNAVAILABLE","fraction":1}`)
	if got := s.statuses(t, s.first, 50); !cmp.Equal(got, map[int]int{503: 50}) {
		t.Errorf("fraction 1: %v, want 50 × 503", got)
	}
	s.admin(t, http.MethodDelete, "/faults/"+v.ID, "")
	s.inject(t, `{"org":"Acme","family":"rest","answer":"SERVER_UNAVAILABLE","fraction":0.5}`)
	// Binomial(300, 0.5): standard deviation 8.7; [90, 210] is ±6.9 of them, a bound
	// that cannot flake (p < 1e-11), and that a fraction of 0.25 or 0.75 would miss.
	got := s.statuses(t, s.first, 300)
	if got[503] < 90 || got[503] > 210 || got[503]+got[200] != 300 {
		t.Errorf("fraction 0.5 over 300 requests: %v, want 90–210 × 503 and the rest 200", got)
	}
	if fs := s.faults(t); fs[len(fs)-1].Hits != got[503] {
		t.Errorf("hits %d, want the %d requests it answered", fs[len(fs)-1].Hits, got[503])
	}
	s.admin(t, http.MethodDelete, "/faults", "")

	d := s.inject(t, `{"org":"Acme","family":"rest","answer":"UNABLE_TO_LOCK_ROW","duration":"10m"}`)
	if d.Until == nil || *d.Until != "2026-11-22T10:10:00Z" {
		t.Errorf("until = %v, want 10 minutes after the org's now", d.Until)
	}
	s.Clock.Advance(10*time.Minute - time.Millisecond)
	if got := s.statuses(t, s.first, 10); !cmp.Equal(got, map[int]int{400: 10}) {
		t.Errorf("within the duration: %v, want 10 × 400", got)
	}
	s.Clock.Advance(time.Millisecond)
	if got := s.statuses(t, s.first, 10); !cmp.Equal(got, map[int]int{200: 10}) {
		t.Errorf("once the duration is over: %v, want 10 × 200", got)
	}
}

// A delay fault answers normally after the delay; a drop fault closes the connection
// without a response (the client sees a connection error), on REST and at the token
// endpoint.
func TestFaultDelayAndDrop(t *testing.T) {
	s := startFaults(t)
	s.inject(t, `{"org":"Acme","family":"rest","answer":"delay","delay":"300ms"}`)
	began := time.Now()
	r := s.get(t, "/services/data/v59.0/limits", s.first)
	if took := time.Since(began); r.Status != http.StatusOK || took < 300*time.Millisecond {
		t.Errorf("delayed request: %d after %s, want 200 after 300ms or more", r.Status, took)
	}
	// A fresh connection each time: Go's client retries an idempotent request once when a
	// reused connection closes without a response.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	s.inject(t, `{"org":"Acme","family":"rest","answer":"drop"}`)
	req := newRequest(t, http.MethodGet, s.URL+"/services/data/v59.0/limits", nil)
	req.Header.Set("Authorization", "Bearer "+s.first)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("dropped REST request: %d, want a connection error", resp.StatusCode)
	}
	s.inject(t, `{"org":"Acme","family":"token","answer":"drop"}`)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"FirstKey01"}, "client_secret": {"FirstSecret01"}}
	if resp, err := client.PostForm(s.URL+"/services/oauth2/token", form); err == nil {
		resp.Body.Close()
		t.Errorf("dropped token request: %d, want a connection error", resp.StatusCode)
	}
	if r := s.get(t, "/services/data/v59.0/limits", s.first); r.Status != http.StatusOK {
		t.Errorf("after the drop: %d %s", r.Status, r.Body)
	}
	for _, f := range s.faults(t) {
		if f.Hits != 1 {
			t.Errorf("fault %s (%s) hits = %d, want 1", f.ID, f.Answer, f.Hits)
		}
	}
}
