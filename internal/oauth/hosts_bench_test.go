package oauth

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/session"
)

// BenchmarkTokenByHost issues client-credentials tokens through SalesforceHosts and the
// real handler, once with Host 127.0.0.1 (the base URL, as before) and once with the org's
// My Domain name (host classification, the context value, the org read for instance_url),
// in the same run, so the ratio is the cost of answering for Salesforce's names
// (docs/performance.md, "Salesforce's login hosts"):
//
//	go test ./internal/oauth -run '^$' -bench TokenByHost -count 6 -cpu 2
func BenchmarkTokenByHost(b *testing.B) {
	const org = `orgs:
  - name: B
    myDomain: bench
    profiles: [{name: P, permissions: [ApiEnabled]}]
    users: [{username: b@b.example, lastName: B, email: b@b.example, profile: P}]
    connectedApps: [{name: C, scopes: [api], consumerKey: BenchCc01, consumerSecret: BenchSecret01, clientCredentials: {enabled: true, runAs: b@b.example}}]
`
	to := openTestOrg(b, org, session.Options{})
	db, log := to.db, to.log
	sessions := to.sessions
	mux := http.NewServeMux()
	NewServer(Config{Directory: directory.New(db), Sessions: sessions, BaseURL: "http://ff.test", Logger: log, Lockouts: db}).Register(mux)
	h := SalesforceHosts(mux)
	body := url.Values{"grant_type": {"client_credentials"}, "client_id": {"BenchCc01"}, "client_secret": {"BenchSecret01"}}.Encode()
	for _, host := range []string{"127.0.0.1:8443", "bench.my.salesforce.com"} {
		b.Run("host="+host, func(b *testing.B) {
			b.SetParallelism(32)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(body))
					req.Host = host
					req.TLS = &tls.ConnectionState{}
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("%d %s", w.Code, w.Body)
					}
				}
			})
		})
	}
}

// BenchmarkSalesforceHostsMiddleware is the middleware alone around a handler that does
// nothing: what every request pays (host=127.0.0.1) and what a Salesforce-host request
// pays for its classification and context value.
//
//	go test ./internal/oauth -run '^$' -bench SalesforceHostsMiddleware -benchmem -count 6
func BenchmarkSalesforceHostsMiddleware(b *testing.B) {
	h := SalesforceHosts(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for _, host := range []string{"127.0.0.1:8443", "login.salesforce.com", "acme.my.salesforce.com:8443"} {
		b.Run("host="+host, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/services/data", nil)
			req.Host = host
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(nil, req)
			}
		})
	}
}
