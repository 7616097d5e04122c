package oauth

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// BenchmarkClientCredentialsHandler issues client-credentials tokens through the real
// handler, session manager and SQLite store (no network) on every core. Every request
// comes from the same address with the same consumer key, so all of them go through the
// same throttle bucket: the worst case for the limiter's lock. docs/performance.md
// ("Throttle") compares it before and after the atomic reservation:
//
//	go test ./internal/oauth -run '^$' -bench ClientCredentialsHandler -count 6 -cpu 2
func BenchmarkClientCredentialsHandler(b *testing.B) {
	dir := b.TempDir()
	const org = `orgs:
  - name: B
    profiles: [{name: P, permissions: [ApiEnabled]}]
    users: [{username: b@b.example, lastName: B, email: b@b.example, profile: P}]
    connectedApps: [{name: C, scopes: [api], consumerKey: BenchCc01, consumerSecret: BenchSecret01, clientCredentials: {enabled: true, runAs: b@b.example}}]
`
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "ff.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f, err := orgfile.Parse(filepath.Join(dir, "b.yaml"), []byte(org))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := orgfile.Apply(ctx, db, f); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	sessions := session.NewManager(db, session.Options{Logger: log})
	defer sessions.Close()
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
