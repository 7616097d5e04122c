package oauth

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/session"
)

// BenchmarkTokenQuota is the cost of the per-app token quota check (quota.go) on client
// credentials requests through the real handler, session manager and SQLite store: no
// counter at all (the baseline), a counter and an app without a quota, and an app with a
// quota it never reaches, in the same run. Reports the median in median-us:
//
//	go test ./internal/oauth -run '^$' -bench TokenQuota -count 6
func BenchmarkTokenQuota(b *testing.B) {
	const org = `orgs:
  - name: B
    profiles: [{name: P, permissions: [ApiEnabled]}]
    users: [{username: b@b.example, lastName: B, email: b@b.example, profile: P}]
    connectedApps:
      - {name: Free, scopes: [api], consumerKey: BenchFree01, consumerSecret: BenchSecret01, clientCredentials: {enabled: true, runAs: b@b.example}}
      - {name: Capped, scopes: [api], consumerKey: BenchCap01, consumerSecret: BenchSecret02, clientCredentials: {enabled: true, runAs: b@b.example},
         quotas: {tokenRequestsPerHour: 100000000, tokenRequestsPerDay: 100000000}}
`
	to := openTestOrg(b, org, session.Options{})
	for _, c := range []struct {
		name, key, secret string
		quotas            *limits.AppQuotas
	}{
		{"no-counter", "BenchFree01", "BenchSecret01", nil},
		{"counter/no-quota", "BenchFree01", "BenchSecret01", limits.NewAppQuotas(nil)},
		{"counter/quota", "BenchCap01", "BenchSecret02", limits.NewAppQuotas(nil)},
	} {
		b.Run(c.name, func(b *testing.B) {
			mux := http.NewServeMux()
			NewServer(Config{Directory: directory.New(to.db), Sessions: to.sessions, BaseURL: "http://ff.test", Logger: to.log,
				Lockouts: to.db, Quotas: c.quotas}).Register(mux)
			body := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.key}, "client_secret": {c.secret}}.Encode()
			times := make([]time.Duration, 0, 1024)
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				w := httptest.NewRecorder()
				start := time.Now()
				mux.ServeHTTP(w, req)
				times = append(times, time.Since(start))
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1000, "median-us")
		})
	}
}
