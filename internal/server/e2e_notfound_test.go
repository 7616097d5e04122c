package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Unknown paths under /services/ and unserved sObject sub-resources answer Salesforce's
// JSON errors (issue 13 §1; salesforce-rest-more.md §9), never Go's text page nor an
// external-ID lookup.

const notFoundBody = `[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`

func TestUnknownServicesPaths(t *testing.T) {
	s := startData(t)
	for _, tc := range []struct{ method, path string }{
		{"GET", "/services"},
		{"GET", "/services/"},
		{"GET", "/services/foo"},
		{"POST", "/services/foo/bar"},
		{"GET", "/services/apexrest/Widgets"},
		{"GET", "/services/oauth2/nothing"},
		{"DELETE", "/services/Soap/u/59.0"},
		{"GET", "/services/data/v59.0/foo"},
		{"GET", "/services/data/v99.0/limits"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			wantErrorBody(t, s.call(t, s.int, tc.method, tc.path, ""), http.StatusNotFound, notFoundBody)
		})
	}
	t.Run("wrong method on a served resource", func(t *testing.T) {
		wantErrorBody(t, s.call(t, s.int, "PATCH", "/sobjects", ""), http.StatusMethodNotAllowed,
			`[{"message":"HTTP Method 'PATCH' not allowed. Allowed are GET,HEAD","errorCode":"METHOD_NOT_ALLOWED"}]`)
	})
	t.Run("outside /services the mux's own answer stays", func(t *testing.T) {
		r := do(t, newRequest(t, "GET", s.URL+"/foo", nil))
		if r.Status != http.StatusNotFound || r.Body != "404 page not found\n" {
			t.Errorf("GET /foo: %d %q", r.Status, r.Body)
		}
	})
}

func TestUnservedSObjectSubresources(t *testing.T) {
	s := startData(t)
	for _, path := range []string{
		"/sobjects/Account/updated/extra",                        // served without sub-paths (e2e_replication_test.go)
		"/sobjects/Account/listviews/00BD0000005WcBeMAK/results", // served: a view of no org here (e2e_listviews_test.go)
		"/sobjects/Account/quickActions",
		"/sobjects/Account/describe/namedLayouts/UserAlt", // served: only User has UserAlt (layouts.go)
		"/sobjects/Invoice__c/describe/nothing",
	} {
		t.Run(path, func(t *testing.T) {
			wantErrorBody(t, s.call(t, s.int, "GET", path, ""), http.StatusNotFound, notFoundBody)
		})
	}
	t.Run("any other name is still an external ID field", func(t *testing.T) {
		wantErrorBody(t, s.call(t, s.int, "GET", "/sobjects/Account/Widget", ""), http.StatusNotFound,
			`[{"message":"Provided external ID field does not exist or is not accessible: Widget","errorCode":"NOT_FOUND"}]`)
	})
}

// TestJSONNotFoundMethods: a route registered for some methods answers others with
// Salesforce's METHOD_NOT_ALLOWED, not the mux's text (the Bulk APIs register such routes).
func TestJSONNotFoundMethods(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /services/x/{id}", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.PathValue("id"))) })
	mux.HandleFunc("POST /services/x/{id}", func(w http.ResponseWriter, r *http.Request) {})
	h := withJSONNotFound(mux)
	for _, tc := range []struct {
		method, path string
		status       int
		allow, body  string
	}{
		{"GET", "/services/x/7", 200, "", "7"}, // path values reach the route
		{"PATCH", "/services/x/7", 405, "GET,HEAD,POST", `[{"message":"HTTP Method 'PATCH' not allowed. Allowed are GET,HEAD,POST","errorCode":"METHOD_NOT_ALLOWED"}]`},
		{"GET", "/services/y", 404, "", notFoundBody},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
		if w.Code != tc.status || w.Header().Get("Allow") != tc.allow || w.Body.String() != tc.body {
			t.Errorf("%s %s: %d Allow %q %s, want %d Allow %q %s", tc.method, tc.path, w.Code, w.Header().Get("Allow"), w.Body, tc.status, tc.allow, tc.body)
		}
	}
}

// FuzzServicesPath: whatever the method and path under /services/, the whole server's
// handler answers a 404 or 405 in JSON, never the mux's text, and never a 5xx.
func FuzzServicesPath(f *testing.F) {
	s := start(f)
	for _, seed := range []struct{ method, path string }{
		{"GET", "foo"}, {"GET", "data/v59.0/sobjects/Account/updated"}, {"POST", "oauth2/x"},
		{"PATCH", "data/v59.0/sobjects"}, {"GET", "data/v59.0/sobjects/Account/describe/layouts"},
		{"GET", "async/59.0/job"}, {"GET", "data/v59.0/jobs/ingest"}, {"DELETE", ""}, {"GET", "a/../b"},
	} {
		f.Add(seed.method, seed.path)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		req, err := http.NewRequest(method, "http://ff.test/services/"+path, nil)
		if err != nil || !strings.HasPrefix(req.URL.Path, "/services") {
			return
		}
		req.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		s.http.Handler.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s: %d %s", method, req.URL.Path, w.Code, w.Body)
		}
		if (w.Code == http.StatusNotFound || w.Code == http.StatusMethodNotAllowed) && w.Header().Get("Content-Type") != "application/json;charset=UTF-8" {
			t.Fatalf("%s %s: %d %q %s", method, req.URL.Path, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	})
}
