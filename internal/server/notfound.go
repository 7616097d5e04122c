package server

import (
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
)

// withJSONNotFound answers, for every path under /services/ that no route serves,
// Salesforce's JSON errors instead of http.ServeMux's plain-text "404 page not found"
// and "Method Not Allowed", which clients cannot parse (issue 13 §1; the reference
// salesforce-rest-more.md §9):
//
//	404 [{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]
//	405 [{"message":"HTTP Method 'PATCH' not allowed. Allowed are GET,HEAD","errorCode":"METHOD_NOT_ALLOWED"}]
//
// The reference notes that a real instance may answer paths outside /services/data with
// an HTML page [UNCONFIRMED]; Forcefield answers JSON under all of /services/, as its
// issue asks, and leaves paths outside /services/ (/foo) to the mux's text answer.
//
// Routes registered later (the Bulk APIs' /services/async/) are more specific patterns
// and win over this fallback; nothing here needs to know them.
func withJSONNotFound(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/services/") && r.URL.Path != "/services" {
			mux.ServeHTTP(w, r)
			return
		}
		h, pattern := mux.Handler(r)
		if pattern != "" {
			// The route's own answers, and the mux's path-cleaning redirects. Through the
			// mux, not h, so that the route's path values are set.
			mux.ServeHTTP(w, r)
			return
		}
		// No route: ask the mux's own answer for its status and Allow header only.
		probe := &statusProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		if probe.status == http.StatusMethodNotAllowed {
			allow := strings.ReplaceAll(probe.header.Get("Allow"), " ", "")
			w.Header().Set("Allow", allow)
			apierror.Write(w, apierror.MethodNotAllowed(r.Method, allow))
			return
		}
		apierror.Write(w, apierror.ErrNotFound)
	})
}

// statusProbe is a ResponseWriter that keeps the header and status and drops the body.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header { return p.header }
func (p *statusProbe) WriteHeader(s int) {
	if p.status == 0 {
		p.status = s
	}
}
func (p *statusProbe) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	return len(b), nil
}
