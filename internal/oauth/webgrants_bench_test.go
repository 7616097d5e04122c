package oauth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// BenchmarkTokenGrants issues tokens through the real handler, session manager and SQLite
// store (no network) on every core, three grants against the same server in one run, so
// that their ratio is measured under the same conditions (issue 10 §6, docs/performance.md
// "Refresh tokens and authorization codes"):
//
//   - client_credentials: the baseline;
//
//   - refresh_token: 64 refresh tokens of one app (integrations each hold their own),
//     no rotation, the default policy; each refresh finds its token in the Manager's
//     cache (one read per token and process), records the use in memory (written in
//     batches) and issues the session;
//
//   - authorization_code: a fresh code per request (inserted before the timer starts),
//     no PKCE, scopes api and refresh_token: each exchange takes the code, stores a new
//     refresh token and issues the session.
//
//     go test ./internal/oauth -c -o /tmp/oauth.test
//     for i in 1 2 3 4 5 6; do /tmp/oauth.test -test.run '^$' -test.bench TokenGrants -test.cpu 2; done
//
// (one process per round, each round running the three grants back to back, so that the
// ratios compare grants measured seconds apart on a shared machine).
func BenchmarkTokenGrants(b *testing.B) {
	ctx := context.Background()
	// Each grant runs on a database of its own, so that none pays for the rows another
	// left behind.
	run := func(b *testing.B, st *benchStack, warm string, body func(i int64) string) {
		// One request before the clock starts: the client's operator-supplied secret is
		// verified (PBKDF2, ~90 ms) once per process, then remembered (clientauth.go).
		wreq := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(warm))
		wreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		ww := httptest.NewRecorder()
		st.mux.ServeHTTP(ww, wreq)
		if ww.Code != http.StatusOK {
			b.Fatalf("warm-up: %d %s", ww.Code, ww.Body)
		}
		var n atomic.Int64
		b.SetParallelism(32) // as BenchmarkClientCredentialsHandler: enough in flight for group commit
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(body(n.Add(1)-1)))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				w := httptest.NewRecorder()
				st.mux.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}

	b.Run("client_credentials", func(b *testing.B) {
		st := newBenchStack(b)
		body := url.Values{"grant_type": {"client_credentials"}, "client_id": {"BenchCc01"}, "client_secret": {"BenchSecret01"}}.Encode()
		run(b, st, body, func(int64) string { return body })
	})

	b.Run("refresh_token", func(b *testing.B) {
		st := newBenchStack(b)
		web, user, db := st.web, st.user, st.db
		bodies := make([]string, 64)
		for i := range bodies {
			v := newOpaque(secret.RefreshTokenPrefix)
			if err := db.PutRefreshToken(ctx, &org.RefreshToken{TokenHash: opaqueHash(v), OrgID: web.OrgID, UserID: user.ID,
				AppID: web.ID, Scopes: web.Scopes, CreatedAt: time.Now()}); err != nil {
				b.Fatal(err)
			}
			bodies[i] = url.Values{"grant_type": {"refresh_token"}, "refresh_token": {v}, "client_id": {"BenchWeb01"},
				"client_secret": {"BenchSecret01"}}.Encode()
		}
		run(b, st, bodies[0], func(i int64) string { return bodies[i%int64(len(bodies))] })
	})

	b.Run("authorization_code", func(b *testing.B) {
		st := newBenchStack(b)
		web, user, db := st.web, st.user, st.db
		bodies := make([]string, b.N+1) // the last one warms up
		now := time.Now()
		for i := range bodies {
			code := newOpaque(codePrefix)
			if err := db.PutAuthCode(ctx, org.AuthCode{CodeHash: opaqueHash(code), OrgID: web.OrgID, UserID: user.ID,
				AppID: web.ID, RedirectURI: "https://app.example/cb", Scopes: web.Scopes, CreatedAt: now,
				ExpiresAt: now.Add(time.Hour)}); err != nil {
				b.Fatal(err)
			}
			bodies[i] = url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"https://app.example/cb"},
				"client_id": {"BenchWeb01"}, "client_secret": {"BenchSecret01"}}.Encode()
		}
		run(b, st, bodies[b.N], func(i int64) string { return bodies[i] })
	})
}

// benchStack is a token endpoint over a new SQLite database with the benchmark's org.
type benchStack struct {
	db   *sqlite.DB
	mux  *http.ServeMux
	web  org.ConnectedApp
	user org.User
}

func newBenchStack(b *testing.B) *benchStack {
	b.Helper()
	const orgFile = `orgs:
  - name: B
    profiles: [{name: P, permissions: [ApiEnabled]}]
    users: [{username: b@b.example, lastName: B, email: b@b.example, profile: P}]
    connectedApps:
      - {name: C, scopes: [api], consumerKey: BenchCc01, consumerSecret: BenchSecret01, clientCredentials: {enabled: true, runAs: b@b.example}}
      - {name: W, scopes: [api, refresh_token], callbackUrls: ["https://app.example/cb"], consumerKey: BenchWeb01, consumerSecret: BenchSecret01, approvedUsers: [b@b.example]}
`
	ctx := context.Background()
	to := openTestOrg(b, orgFile, session.Options{})
	db, log := to.db, to.log
	sessions := to.sessions
	mux := http.NewServeMux()
	NewServer(Config{Directory: directory.New(db), Sessions: sessions, BaseURL: "http://ff.test", Logger: log,
		Lockouts: db, Grants: db}).Register(mux)
	apps, err := db.ConnectedApps(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	var web org.ConnectedApp
	for _, a := range apps {
		if a.Name == "W" {
			web = a
		}
	}
	users, err := db.Users(ctx, "")
	if err != nil {
		b.Fatal(err)
	}

	return &benchStack{db: db, mux: mux, web: web, user: users[0]}
}
