package dataapi

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// BenchmarkAPIQuota is the cost of the per-app API quota check (quotas.go) on a REST
// request — GET /services/data/v59.0/bench, a resource answering 204, so that the
// request is the authentication and counting every REST request pays — with no counter (the baseline), a counter and an app
// without a quota, and an app with a quota it never reaches, in the same run. Reports the
// median in median-us:
//
//	go test ./internal/dataapi -run '^$' -bench APIQuota -count 6
func BenchmarkAPIQuota(b *testing.B) {
	const orgYAML = `orgs:
  - name: B
    dailyApiRequests: 100000000
    profiles: [{name: P, permissions: [ApiEnabled]}]
    users: [{username: b@b.example, lastName: B, email: b@b.example, profile: P}]
    connectedApps:
      - {name: Free, scopes: [api]}
      - {name: Capped, scopes: [api], quotas: {apiRequestsPerDay: 100000000}}
`
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "ff.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	f, err := orgfile.Parse("b.yaml", []byte(orgYAML))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := orgfile.Apply(ctx, db, f); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	sessions := session.NewManager(db, session.Options{Logger: log})
	b.Cleanup(func() { sessions.Close() })
	users, _ := db.Users(ctx, "")
	apps, _ := db.ConnectedApps(ctx, "")
	tokens := map[string]string{}
	for _, app := range apps {
		now := time.Now().UTC()
		tok, _, err := sessions.Issue(ctx, org.Session{OrgID: app.OrgID, UserID: users[0].ID, AppID: app.ID, Scopes: []string{"api"},
			LoginType: org.LoginSubTypeClientCredentials, CreatedAt: now, LastActivity: now, Timeout: 2 * time.Hour},
			org.LoginEvent{OrgID: app.OrgID, UserID: users[0].ID, AppID: app.ID, Time: now, Status: org.LoginStatusSuccess})
		if err != nil {
			b.Fatal(err)
		}
		tokens[app.Name] = tok
	}
	for _, c := range []struct {
		name, app string
		quotas    *limits.AppQuotas
	}{
		{"no-counter", "Free", nil},
		{"counter/no-quota", "Free", limits.NewAppQuotas(nil)},
		{"counter/quota", "Capped", limits.NewAppQuotas(nil)},
	} {
		b.Run(c.name, func(b *testing.B) {
			mux := http.NewServeMux()
			api := New(directory.New(db), sessions, limits.New(nil), "http://ff.test", log)
			if c.quotas != nil {
				api.EnableQuotas(c.quotas)
			}
			api.Handle("bench", func(w http.ResponseWriter, _ *http.Request, _ *Caller, _ []string) error {
				w.WriteHeader(http.StatusNoContent)
				return nil
			})
			api.Register(mux)
			times := make([]time.Duration, 0, 1024)
			for b.Loop() {
				req := httptest.NewRequest("GET", "/services/data/v59.0/bench", nil)
				req.Header.Set("Authorization", "Bearer "+tokens[c.app])
				w := httptest.NewRecorder()
				start := time.Now()
				mux.ServeHTTP(w, req)
				times = append(times, time.Since(start))
				if w.Code != http.StatusNoContent {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1000, "median-us")
		})
	}
}
