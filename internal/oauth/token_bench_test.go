package oauth

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/session"
)

// BenchmarkClientCredentialsHandler issues client-credentials tokens through the real
// handler, session manager and SQLite store (no network) on every core. Every request
// comes from the same address with the same consumer key, so all of them go through the
// same throttle bucket: the worst case for the limiter's lock. docs/performance.md
// ("Throttle") compares it before and after the atomic reservation:
//
//	go test ./internal/oauth -run '^$' -bench ClientCredentialsHandler -count 6 -cpu 2
func BenchmarkClientCredentialsHandler(b *testing.B) {
	const org = `orgs:
  - name: B
    profiles: [{name: P, permissions: [ApiEnabled]}]
    users: [{username: b@b.example, lastName: B, email: b@b.example, profile: P}]
    connectedApps: [{name: C, scopes: [api], consumerKey: BenchCc01, consumerSecret: BenchSecret01, clientCredentials: {enabled: true, runAs: b@b.example}}]
`
	to := openTestOrg(b, org, session.Options{})
	db, log := to.db, to.log
	sessions := to.sessions
	mux := http.NewServeMux()
	NewServer(Config{Directory: directory.New(db), Sessions: sessions, BaseURL: "http://ff.test", Logger: log, Lockouts: db}).Register(mux)
	body := url.Values{"grant_type": {"client_credentials"}, "client_id": {"BenchCc01"}, "client_secret": {"BenchSecret01"}}.Encode()
	b.SetParallelism(32) // 32 goroutines per CPU: enough requests in flight for group commit
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
}
