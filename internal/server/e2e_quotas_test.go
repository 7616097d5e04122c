package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Per-app quotas (issue 14 §4; docs/quotas.md), end to end: the org file, the admin API,
// the token endpoint, the REST API, Sforce-Limit-Info and /limits.

// quotaOrgFile has an app with a token quota of 100 per hour, an app without quotas, and
// an app of another org.
const quotaOrgFile = `
orgs:
  - name: Quota
    myDomain: quota
    dailyApiRequests: 100000
    profiles:
      - {name: Int, permissions: [ApiEnabled, ApiUserOnly]}
    users:
      - {username: int@quota.example, lastName: Int, email: int@quota.example, profile: Int}
    connectedApps:
      - name: Capped
        scopes: [api]
        consumerKey: CapKey0001
        consumerSecret: CapSecret0001
        clientCredentials: {enabled: true, runAs: int@quota.example}
        quotas: {tokenRequestsPerHour: 100}
      - name: Free
        scopes: [api]
        consumerKey: FreeKey0002
        consumerSecret: FreeSecret0002
        clientCredentials: {enabled: true, runAs: int@quota.example}
  - name: Elsewhere
    myDomain: elsewhere
    profiles:
      - {name: Int, permissions: [ApiEnabled, ApiUserOnly]}
    users:
      - {username: int@elsewhere.example, lastName: Int, email: int@elsewhere.example, profile: Int}
    connectedApps:
      - name: Elsewhere App
        scopes: [api]
        consumerKey: ElseKey0003
        consumerSecret: ElseSecret0003
        clientCredentials: {enabled: true, runAs: int@elsewhere.example}
        quotas: {tokenRequestsPerHour: 100, apiRequestsPerDay: 1000}
`

func startQuotas(t *testing.T) *testServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, quotaOrgFile)
	return startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile, MetricsAddr: "127.0.0.1:0"})
}

// clientCredentials is one client credentials token request.
func clientCredentials(key, secret string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {key}, "client_secret": {secret}}
}

// raceTokens sends n token requests for key at once and counts the answers: granted, and
// refused with exactly the quota's refusal body.
func raceTokens(t *testing.T, nodes []*testServer, n int, key, secret, refusal string) (granted, refused int) {
	t.Helper()
	var ok, no atomic.Int32
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := nodes[i%len(nodes)].postForm(t, "/services/oauth2/token", clientCredentials(key, secret))
			switch {
			case r.Status == http.StatusOK:
				ok.Add(1)
			case r.Status == http.StatusBadRequest && r.Body == refusal:
				no.Add(1)
			default:
				t.Errorf("token request: %d %s", r.Status, r.Body)
			}
		})
	}
	wg.Wait()
	return int(ok.Load()), int(no.Load())
}

// tokenRefusal is the token endpoint's refusal body at a 150-second bucket boundary.
func tokenRefusal(quota int, window string, retry int) string {
	return fmt.Sprintf(`{"error":"rate_limit_exceeded","error_description":"token request quota exceeded: this connected app may have %d token requests %s; retry after %ds"}`+"\n",
		quota, window, retry)
}

// A token quota of 100 per hour lets exactly 100 of 500 racing requests through; the
// others get the quota's 400, other apps and orgs are untouched, usage shows in the admin
// API, and the window rolls when the org's clock passes the hour.
func TestQuotaTokenRace(t *testing.T) {
	s := startQuotas(t)
	granted, refused := raceTokens(t, []*testServer{s}, 500, "CapKey0001", "CapSecret0001", tokenRefusal(100, "per hour", 150))
	if granted != 100 || refused != 400 {
		t.Fatalf("of 500 racing token requests: %d granted, %d refused; want exactly 100 and 400", granted, refused)
	}
	s.token(t, "FreeKey0002", "FreeSecret0002")
	s.token(t, "ElseKey0003", "ElseSecret0003")

	r := s.admin(t, "GET", "/apps/Capped/quotas", "")
	want := map[string]any{"tokenRequestsPerHour": 100.0, "tokenRequestsPerDay": 0.0, "apiRequestsPerDay": 0.0}
	if diff := cmp.Diff(want, r.JSON(t)["quotas"]); diff != "" {
		t.Errorf("quotas (-want +got):\n%s", diff)
	}
	wantUsage := map[string]any{"tokenRequestsLastHour": 100.0, "tokenRequestsLast24h": 100.0, "apiRequestsLast24h": 0.0}
	if diff := cmp.Diff(wantUsage, r.JSON(t)["usage"]); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}

	// The refusals are in the metrics, by window and app id.
	capped := r.JSON(t)["appId"].(string)
	m := do(t, newRequest(t, "GET", "http://"+s.MetricsAddr().String()+"/metrics", nil))
	if want := `forcefield_app_quota_refusals_total{app="` + capped + `",window="tokens_per_hour"} 400`; !strings.Contains(m.Body, want) {
		t.Errorf("metrics lack %s", want)
	}

	// A refused client keeps being refused until the oldest bucket leaves the hour.
	s.Clock.Advance(59*time.Minute + 59*time.Second)
	wantOAuthError(t, s.postForm(t, "/services/oauth2/token", clientCredentials("CapKey0001", "CapSecret0001")), 400,
		"rate_limit_exceeded", "token request quota exceeded: this connected app may have 100 token requests per hour; retry after 1s")
	s.Clock.Advance(time.Second)
	s.token(t, "CapKey0001", "CapSecret0001")
}

// The API quota: exact under a 64-way race, refused with the org limit's 403, shown in
// Sforce-Limit-Info and /limits; changed through the admin API it applies at once; the
// day window rolls with the org's clock.
func TestQuotaAPI(t *testing.T) {
	s := startQuotas(t)
	r := s.admin(t, "PUT", "/apps/Capped/quotas", `{"apiRequestsPerDay": 50}`)
	if r.Status != http.StatusOK {
		t.Fatalf("PUT quotas: %d %s", r.Status, r.Body)
	}
	want := map[string]any{"tokenRequestsPerHour": 100.0, "tokenRequestsPerDay": 0.0, "apiRequestsPerDay": 50.0}
	if diff := cmp.Diff(want, r.JSON(t)["quotas"]); diff != "" {
		t.Errorf("PUT kept the keys it did not name? (-want +got):\n%s", diff)
	}
	capped := s.token(t, "CapKey0001", "CapSecret0001")
	free := s.token(t, "FreeKey0002", "FreeSecret0002")

	var ok, no atomic.Int32
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for range 2 {
				r := s.get(t, "/services/data/v59.0/sobjects", capped)
				switch r.Status {
				case http.StatusOK:
					ok.Add(1)
				case http.StatusForbidden:
					no.Add(1)
					if diff := cmp.Diff(`[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`, r.Body); diff != "" {
						t.Errorf("refusal body (-want +got):\n%s", diff)
					}
				default:
					t.Errorf("%d %s", r.Status, r.Body)
				}
			}
		})
	}
	wg.Wait()
	if ok.Load() != 50 || no.Load() != 78 {
		t.Fatalf("of 128 requests racing 64 at a time: %d let through, %d refused; want exactly 50 and 78", ok.Load(), no.Load())
	}
	r = s.get(t, "/services/data/v59.0/sobjects", capped)
	if got, want := r.Header.Get("Sforce-Limit-Info"), "api-usage=50/100000; per-app-api-usage=50/50(appName=Capped)"; got != want {
		t.Errorf("Sforce-Limit-Info on a refusal = %q, want %q", got, want)
	}

	// /limits through the app without a quota: the org counted the 50 let through and
	// this request; the capped app's entry shows its quota.
	r = s.get(t, "/services/data/v59.0/limits", free)
	wantDaily := `"DailyApiRequests":{"Max":100000,"Remaining":99949,"Capped":{"Max":50,"Remaining":0},"Free":{"Max":0,"Remaining":0},"Salesforce CLI":{"Max":0,"Remaining":0}}`
	if got := limitEntryOf(r.Body, "DailyApiRequests"); got != wantDaily {
		t.Errorf("/limits DailyApiRequests =\n%s\nwant\n%s", got, wantDaily)
	}
	if got, want := limitEntryOf(r.Body, "DailyBulkApiBatches"), `"DailyBulkApiBatches":{"Max":15000,"Remaining":15000,"Capped":{"Max":0,"Remaining":0},"Free":{"Max":0,"Remaining":0},"Salesforce CLI":{"Max":0,"Remaining":0}}`; got != want {
		t.Errorf("/limits DailyBulkApiBatches = %s, want %s (no per-app quota there)", got, want)
	}
	if got, want := r.Header.Get("Sforce-Limit-Info"), "api-usage=51/100000"; got != want {
		t.Errorf("Sforce-Limit-Info of an app without a quota = %q, want %q", got, want)
	}

	// Raised: ten more at once, and only ten.
	if r := s.admin(t, "PUT", "/apps/Capped/quotas", `{"apiRequestsPerDay": 60}`); r.Status != http.StatusOK {
		t.Fatalf("PUT: %d %s", r.Status, r.Body)
	}
	for i := range 10 {
		if r := s.get(t, "/services/data/v59.0/sobjects", capped); r.Status != http.StatusOK {
			t.Fatalf("request %d after raising the quota: %d %s", i, r.Status, r.Body)
		}
	}
	wantRESTError(t, s.get(t, "/services/data/v59.0/sobjects", capped), 403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
	// Removed: no quota, no per-app part in the header.
	s.admin(t, "PUT", "/apps/Capped/quotas", `{"apiRequestsPerDay": 0}`)
	if r := s.get(t, "/services/data/v59.0/sobjects", capped); r.Status != http.StatusOK || r.Header.Get("Sforce-Limit-Info") != "api-usage=62/100000" {
		t.Errorf("without a quota: %d, Sforce-Limit-Info %q", r.Status, r.Header.Get("Sforce-Limit-Info"))
	}
	// Set again below what was used: refused at once. A day later the window has rolled.
	s.admin(t, "PUT", "/apps/Capped/quotas", `{"apiRequestsPerDay": 5}`)
	wantRESTError(t, s.get(t, "/services/data/v59.0/sobjects", capped), 403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
	s.Clock.Advance(24 * time.Hour)
	capped = s.token(t, "CapKey0001", "CapSecret0001")
	r = s.get(t, "/services/data/v59.0/sobjects", capped)
	if r.Status != http.StatusOK || r.Header.Get("Sforce-Limit-Info") != "api-usage=1/100000; per-app-api-usage=1/5(appName=Capped)" {
		t.Errorf("a day later: %d, Sforce-Limit-Info %q", r.Status, r.Header.Get("Sforce-Limit-Info"))
	}
}

// limitEntryOf cuts one top-level entry, "Name":{…}, out of a /limits body as sent.
func limitEntryOf(body, name string) string {
	i := strings.Index(body, `"`+name+`":{`)
	if i < 0 {
		return ""
	}
	depth := 0
	for j := i + len(name) + 3; j < len(body); j++ {
		switch body[j] {
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				return body[i : j+1]
			}
		}
	}
	return ""
}

// The admin API refuses bad quotas with the admin API's error array, audits changes, and
// lists quotas with the apps.
func TestQuotaAdmin(t *testing.T) {
	s := startQuotas(t)
	for _, tt := range []struct{ body, msg string }{
		{`{"tokenRequestsPerHour": -1}`, "tokenRequestsPerHour: -1 is out of range: a quota is 0 (none) to 100000000"},
		{`{"apiRequestsPerDay": 100000001}`, "apiRequestsPerDay: 100000001 is out of range: a quota is 0 (none) to 100000000"},
		{`{"tokenRequestsPerHour": 10, "tokenRequestsPerDay": 5}`, "tokenRequestsPerHour: 10 per hour is more than the 5 per day: it could never be reached"},
	} {
		r := s.admin(t, "PUT", "/apps/Capped/quotas", tt.body)
		wantRESTError(t, r, 400, "INVALID_INPUT", tt.msg)
	}
	for _, body := range []string{`{"tokensPerHour": 1}`, `{"apiRequestsPerDay": "5"}`, `{"apiRequestsPerDay": 1.5}`, `[]`, ``} {
		if r := s.admin(t, "PUT", "/apps/Capped/quotas", body); r.Status != 400 || !strings.Contains(r.Body, "INVALID_INPUT") {
			t.Errorf("PUT %s: %d %s, want 400 INVALID_INPUT", body, r.Status, r.Body)
		}
	}
	if r := s.admin(t, "GET", "/apps/Nope/quotas", ""); r.Status != 404 {
		t.Errorf("unknown app: %d %s", r.Status, r.Body)
	}
	if r := s.admin(t, "PUT", "/apps/Capped/quotas", `{"tokenRequestsPerDay": 2400, "apiRequestsPerDay": 500}`); r.Status != 200 {
		t.Fatalf("PUT: %d %s", r.Status, r.Body)
	}
	r := s.admin(t, "GET", "/audit-trail", "")
	if !strings.Contains(r.Body, "Changed the quotas of connected app Capped from 100 token requests per hour to 100 token requests per hour, 2400 token requests per day, 500 API requests per day") {
		t.Errorf("no audit row for the change: %s", r.Body)
	}
	var apps []struct {
		Name   string         `json:"name"`
		Quotas map[string]int `json:"quotas"`
	}
	if err := json.Unmarshal([]byte(s.admin(t, "GET", "/apps", "").Body), &apps); err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]int{}
	for _, a := range apps {
		got[a.Name] = a.Quotas
	}
	wantApps := map[string]map[string]int{
		"Capped":        {"tokenRequestsPerHour": 100, "tokenRequestsPerDay": 2400, "apiRequestsPerDay": 500},
		"Free":          {"tokenRequestsPerHour": 0, "tokenRequestsPerDay": 0, "apiRequestsPerDay": 0},
		"Elsewhere App": {"tokenRequestsPerHour": 100, "tokenRequestsPerDay": 0, "apiRequestsPerDay": 1000},
	}
	for name, want := range wantApps {
		if diff := cmp.Diff(want, got[name]); diff != "" {
			t.Errorf("GET /apps %s quotas (-want +got):\n%s", name, diff)
		}
	}
}

// A stock client surfaces the refusal: golang.org/x/oauth2's clientcredentials returns
// *oauth2.RetrieveError with the code and description.
func TestQuotaOAuth2Client(t *testing.T) {
	s := startQuotas(t)
	s.admin(t, "PUT", "/apps/Free/quotas", `{"tokenRequestsPerHour": 1}`)
	cfg := clientcredentials.Config{ClientID: "FreeKey0002", ClientSecret: "FreeSecret0002", TokenURL: s.URL + "/services/oauth2/token",
		AuthStyle: oauth2.AuthStyleInParams}
	if _, err := cfg.Token(context.Background()); err != nil {
		t.Fatalf("first token: %v", err)
	}
	_, err := cfg.Token(context.Background())
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("second token: %v (%T), want *oauth2.RetrieveError", err, err)
	}
	if re.Response.StatusCode != 400 || re.ErrorCode != "rate_limit_exceeded" ||
		re.ErrorDescription != "token request quota exceeded: this connected app may have 1 token requests per hour; retry after 150s" {
		t.Errorf("RetrieveError: status %d, code %q, description %q", re.Response.StatusCode, re.ErrorCode, re.ErrorDescription)
	}
}

// With several nodes on one PostgreSQL database the quota holds across them: 2 nodes, 300
// racing token requests, a quota of 100 → exactly 100.
func TestNodesQuota(t *testing.T) {
	orgFile, _ := writeOrgFile(t, quotaOrgFile)
	nodes := startNodes(t, 2, Config{OrgFile: orgFile})
	granted, refused := raceTokens(t, nodes, 300, "CapKey0001", "CapSecret0001", tokenRefusal(100, "per hour", 150))
	if granted != 100 || refused != 200 {
		t.Fatalf("of 300 token requests racing over two nodes: %d granted, %d refused; want exactly 100 and 200", granted, refused)
	}
	for i, n := range nodes {
		r := n.admin(t, "GET", "/apps/Capped/quotas", "")
		if got := r.JSON(t)["usage"].(map[string]any)["tokenRequestsLastHour"]; got != 100.0 {
			t.Errorf("%s: usage last hour %v, want the shared 100", nodeName(i), got)
		}
	}
}

// jsforce surfaces both refusals: its authorize() rejects with the token endpoint's code
// and description, and a REST call past the API quota with REQUEST_LIMIT_EXCEEDED.
func TestQuotaJSForce(t *testing.T) {
	node := needJSForce(t)
	s := startQuotas(t)
	run := func() map[string]any {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "limits.js") // authorize, then conn.limits()
		cmd.Dir = jsforceDir
		cmd.Env = clientEnv("FF_URL="+s.URL, "FF_KEY=FreeKey0002", "FF_SECRET=FreeSecret0002")
		out, _ := cmd.Output()
		var got map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("node limits.js: %v; output %q", err, out)
		}
		return got
	}
	s.admin(t, "PUT", "/apps/Free/quotas", `{"tokenRequestsPerHour": 1}`)
	s.token(t, "FreeKey0002", "FreeSecret0002") // the hour's one token
	want := map[string]any{"error": "rate_limit_exceeded",
		"message": "token request quota exceeded: this connected app may have 1 token requests per hour; retry after 150s"}
	if diff := cmp.Diff(want, run()); diff != "" {
		t.Errorf("jsforce past the token quota (-want +got):\n%s", diff)
	}
	s.admin(t, "PUT", "/apps/Free/quotas", `{"tokenRequestsPerHour": 0, "apiRequestsPerDay": 1}`)
	if r := s.get(t, "/services/data/v59.0/", s.token(t, "FreeKey0002", "FreeSecret0002")); r.Status != 200 { // the day's one request
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	want = map[string]any{"error": "REQUEST_LIMIT_EXCEEDED", "message": "TotalRequests Limit exceeded."}
	if diff := cmp.Diff(want, run()); diff != "" {
		t.Errorf("jsforce past the API quota (-want +got):\n%s", diff)
	}
}
