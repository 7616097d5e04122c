package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// End-to-end tests of the REST data API: salesforce-rest.md §0, §2, §5, §6 and
// salesforce-oauth.md §6.2, §8.2.

// testVersions checks GET /services/data, which needs no session.
func testVersions(t *testing.T, s *testServer) {
	versionRE := regexp.MustCompile(`^\d\d\.0$`)
	var first string
	for _, path := range []string{"/services/data", "/services/data/"} {
		t.Run(path, func(t *testing.T) {
			r := s.get(t, path, "") // no authentication needed
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != restContentType {
				t.Errorf("Content-Type = %q, want %q", ct, restContentType)
			}
			var versions []map[string]string
			if err := json.Unmarshal([]byte(r.Body), &versions); err != nil {
				t.Fatalf("not a JSON array of objects: %v\n%s", err, r.Body)
			}
			if len(versions) == 0 {
				t.Fatal("empty versions list")
			}
			winter24 := map[string]string{"label": "Winter '24", "url": "/services/data/v59.0", "version": "59.0"}
			found := false
			for _, v := range versions {
				if len(v) != 3 || v["label"] == "" {
					t.Errorf("entry %v: want exactly label, url and version", v)
				}
				// sfdx-core validates /^[1-9]\d\.0$/ (salesforce-rest.md §2).
				if !versionRE.MatchString(v["version"]) {
					t.Errorf("version %q does not match %s", v["version"], versionRE)
				}
				if want := "/services/data/v" + v["version"]; v["url"] != want {
					t.Errorf("url = %q, want %q", v["url"], want)
				}
				if cmp.Equal(v, winter24) {
					found = true
				}
			}
			if !found {
				t.Errorf("no entry %v in %s", winter24, r.Body)
			}
			if first == "" {
				first = r.Body
			} else if r.Body != first {
				t.Errorf("%s answers differently from /services/data:\n%s\n%s", path, r.Body, first)
			}
		})
	}
	t.Run("POST", func(t *testing.T) {
		r := s.postForm(t, "/services/data", nil)
		wantRESTError(t, r, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method 'POST' not allowed. Allowed are GET,HEAD")
	})
}

// usageRE matches the Sforce-Limit-Info header of the test org (limit 1000).
var usageRE = regexp.MustCompile(`^api-usage=(\d+)/1000$`)

// usage returns N of the response's Sforce-Limit-Info: api-usage=N/1000.
func usage(t *testing.T, r response) int {
	t.Helper()
	h := r.Header.Get("Sforce-Limit-Info")
	m := usageRE.FindStringSubmatch(h)
	if m == nil {
		t.Fatalf("Sforce-Limit-Info = %q, want api-usage=N/1000", h)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestDataAPI(t *testing.T) {
	s := start(t)
	tok := s.token(t, "AcmeKey0001", "AcmeSecret0001")

	t.Run("versions list", func(t *testing.T) { testVersions(t, s) })

	t.Run("resource map", func(t *testing.T) {
		for _, v := range []string{"59.0", "63.0"} {
			r := s.get(t, "/services/data/v"+v+"/", tok)
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != restContentType {
				t.Errorf("Content-Type = %q", ct)
			}
			var m map[string]string
			if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
				t.Fatalf("not a JSON object of strings: %v\n%s", err, r.Body)
			}
			if got, want := m["limits"], "/services/data/v"+v+"/limits"; got != want {
				t.Errorf("limits = %q, want %q", got, want)
			}
			if got, want := m["identity"], s.identityURL(t, "integration@acme.example"); got != want {
				t.Errorf("identity = %q, want %q", got, want)
			}
			usage(t, r)
		}
		// Without the trailing slash too.
		if r := s.get(t, "/services/data/v59.0", tok); r.Status != http.StatusOK || !regexp.MustCompile(`"limits":"/services/data/v59.0/limits"`).MatchString(r.Body) {
			t.Errorf("GET /services/data/v59.0: %d %s", r.Status, r.Body)
		}
	})

	t.Run("limits", func(t *testing.T) {
		prev := -1
		// simple-salesforce calls …/limits/ with a trailing slash (salesforce-rest.md §6).
		for _, path := range []string{"/services/data/v59.0/limits", "/services/data/v59.0/limits/", "/services/data/v67.0/limits"} {
			r := s.get(t, path, tok)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: status %d: %s", path, r.Status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != restContentType {
				t.Errorf("Content-Type = %q", ct)
			}
			all := topLimits(t, r.Body)
			remaining := all["DailyApiRequests"].Remaining
			want := map[string]limitPair{"DailyApiRequests": {1000, remaining},
				"DailyBulkApiBatches": {15000, 15000}, "DailyBulkV2QueryJobs": {10000, 10000},
				"DailyBulkV2QueryFileStorageMB": {976562, 976562}}
			body := map[string]limitPair{}
			for k := range want {
				body[k] = all[k]
			}
			if diff := cmp.Diff(want, body); diff != "" {
				t.Errorf("%s body (-want +got):\n%s", path, diff)
			}
			// The header counts this request; so does Remaining.
			if used := usage(t, r); used != 1000-remaining {
				t.Errorf("%s: Sforce-Limit-Info used %d, but Remaining is %d of 1000", path, used, remaining)
			}
			if prev >= 0 && remaining != prev-1 {
				t.Errorf("%s: Remaining = %d after %d: want one less per request", path, remaining, prev)
			}
			prev = remaining
		}
	})

	t.Run("errors after authentication", func(t *testing.T) {
		for _, tc := range []struct {
			method, path string
			status       int
			code, msg    string
		}{
			{"GET", "/services/data/v59.0/nosuchresource", 404, "NOT_FOUND", "The requested resource does not exist"},
			{"GET", "/services/data/v59.0/limits/extra", 404, "NOT_FOUND", "The requested resource does not exist"},
			{"GET", "/services/data/v59.0/Limits", 404, "NOT_FOUND", "The requested resource does not exist"},
			{"POST", "/services/data/v59.0/limits", 405, "METHOD_NOT_ALLOWED", "HTTP Method 'POST' not allowed. Allowed are GET,HEAD"},
			{"DELETE", "/services/data/v59.0/limits/", 405, "METHOD_NOT_ALLOWED", "HTTP Method 'DELETE' not allowed. Allowed are GET,HEAD"},
		} {
			t.Run(tc.method+" "+tc.path, func(t *testing.T) {
				req := newRequest(t, tc.method, s.URL+tc.path, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				r := do(t, req)
				wantRESTError(t, r, tc.status, tc.code, tc.msg)
				usage(t, r) // Sforce-Limit-Info on errors too (salesforce-rest.md §6)
			})
		}
	})

	t.Run("unsupported versions", func(t *testing.T) {
		for _, v := range []string{"v19.0", "v99.0", "vfoo", "v59.1", "59.0", "v5.0", "v059.0", "latest"} {
			for _, auth := range []string{"", "Bearer " + tok} {
				r := s.getAuth(t, "/services/data/"+v+"/limits", auth)
				wantRESTError(t, r, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
			}
		}
	})

	t.Run("authentication", func(t *testing.T) {
		noAPI := s.token(t, "NoAPIKey0009", "NoAPISecret0009") // the token IS issued (salesforce-oauth.md §8.2)
		idOnly := s.token(t, "IdOnlyKey0011", "IdOnlySecret0011")
		for _, tc := range []struct {
			name, auth string
			status     int
			code, msg  string // empty for success
			counted    bool   // past the token check: carries Sforce-Limit-Info
		}{
			{"no Authorization", "", 401, "INVALID_SESSION_ID", "Session expired or invalid", false},
			{"garbage bearer token", "Bearer 00D000000000000!garbage", 401, "INVALID_SESSION_ID", "Session expired or invalid", false},
			{"empty bearer token", "Bearer ", 401, "INVALID_SESSION_ID", "Session expired or invalid", false},
			{"token with a character changed", "Bearer " + tok[:len(tok)-1] + "#", 401, "INVALID_SESSION_ID", "Session expired or invalid", false},
			{"Basic scheme", "Basic xxx", 401, "INVALID_AUTH_HEADER", "INVALID_HEADER_TYPE", false},
			{"OAuth scheme (jsforce streaming)", "OAuth " + tok, 200, "", "", true},
			{"Bearer scheme", "Bearer " + tok, 200, "", "", true},
			{"user without API Enabled", "Bearer " + noAPI, 403, "API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization.", true},
			{"session without api scope", "Bearer " + idOnly, 401, "INVALID_SESSION_ID", "This session is not valid for use with the REST API", true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.getAuth(t, "/services/data/v59.0/limits", tc.auth)
				if tc.code == "" {
					if r.Status != tc.status {
						t.Errorf("status %d, want %d: %s", r.Status, tc.status, r.Body)
					}
				} else {
					wantRESTError(t, r, tc.status, tc.code, tc.msg)
				}
				if tc.counted {
					usage(t, r)
				}
			})
		}
	})
}

// tinyOrg is an org whose daily API limit is 3 requests.
const tinyOrg = `
orgs:
  - name: Tiny
    dailyApiRequests: 3
    profiles:
      - name: Integration
        permissions: [ApiEnabled]
    users:
      - {username: api@tiny.example, lastName: API, email: api@tiny.example, profile: Integration}
    connectedApps:
      - name: Tiny App
        scopes: [api]
        consumerKey: TinyKey0001
        consumerSecret: TinySecret0001
        clientCredentials: {enabled: true, runAs: api@tiny.example}
`

func TestDataAPIDailyLimit(t *testing.T) {
	orgFile, dir := writeOrgFile(t, tinyOrg)
	s := startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile})
	tok := s.token(t, "TinyKey0001", "TinySecret0001")
	for i := 1; i <= 3; i++ {
		r := s.get(t, "/services/data/v59.0/limits", tok)
		if r.Status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, r.Status, r.Body)
		}
		if got, want := topLimits(t, r.Body)["DailyApiRequests"], (limitPair{3, 3 - i}); got != want {
			t.Errorf("request %d: DailyApiRequests %v, want %v", i, got, want)
		}
		if got, want := r.Header.Get("Sforce-Limit-Info"), fmt.Sprintf("api-usage=%d/3", i); got != want {
			t.Errorf("request %d: Sforce-Limit-Info = %q, want %q", i, got, want)
		}
	}
	for _, path := range []string{"/services/data/v59.0/limits", "/services/data/v59.0/", "/services/data/v59.0/sobjects/Account", "/services/data/v59.0/query?q=SELECT+Id+FROM+Account"} {
		r := s.get(t, path, tok)
		wantRESTError(t, r, http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
		if got := r.Header.Get("Sforce-Limit-Info"); got != "api-usage=3/3" {
			t.Errorf("Sforce-Limit-Info = %q, want api-usage=3/3", got)
		}
	}
	// The versions list needs no session and is not counted.
	if r := s.get(t, "/services/data", ""); r.Status != http.StatusOK {
		t.Errorf("versions list over the limit: %d %s", r.Status, r.Body)
	}
	// A day later the allowance is back (the old session has timed out by then).
	s.Clock.Advance(24 * time.Hour)
	tok = s.token(t, "TinyKey0001", "TinySecret0001")
	if r := s.get(t, "/services/data/v59.0/limits", tok); r.Status != http.StatusOK {
		t.Errorf("next day: %d %s", r.Status, r.Body)
	}
}
