package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
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
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// webOrg has one app per web flow setting, users for every user-policy rule, and a
// profile whose login IP ranges exclude the tests' default address (192.0.2.1).
const webOrg = `orgs:
  - name: Web
    profiles:
      - {name: Open, permissions: [ApiEnabled]}
      - {name: Fenced, permissions: [ApiEnabled], loginIpRanges: [{start: 198.51.100.0, end: 198.51.100.255}]}
    users:
      - {username: run@w.example, lastName: Run, email: run@w.example, profile: Open}
      - {username: idle@w.example, lastName: Idle, email: idle@w.example, profile: Open, active: false}
      - {username: fenced@w.example, lastName: Fenced, email: fenced@w.example, profile: Fenced}
      - {username: other@w.example, lastName: Other, email: other@w.example, profile: Open}
    connectedApps:
      - {name: Web, scopes: [api, refresh_token, openid], callbackUrls: ["https://app.example/cb"], consumerKey: WebKey0001, consumerSecret: WebSecret01, idTokenValidityMinutes: 10}
      - {name: Public, scopes: [api, refresh_token], callbackUrls: ["http://localhost:1717/OauthRedirect"], consumerKey: PublicKey01, consumerSecret: WebSecret01, consumerSecretOptional: true, refreshSecretOptional: true}
      - {name: Pkce, scopes: [api], callbackUrls: ["https://app.example/cb"], consumerKey: PkceKey001, consumerSecret: WebSecret01, pkceRequired: true}
      - {name: Rotating, scopes: [api, refresh_token], callbackUrls: ["https://app.example/cb"], consumerKey: RotKey0001, consumerSecret: WebSecret01, refreshTokenRotation: true}
      - {name: Zero, scopes: [api, refresh_token], callbackUrls: ["https://app.example/cb"], consumerKey: ZeroKey001, consumerSecret: WebSecret01, refreshTokenPolicy: zero}
      - {name: Idle, scopes: [api, refresh_token], callbackUrls: ["https://app.example/cb"], consumerKey: IdleKey001, consumerSecret: WebSecret01, refreshTokenPolicy: "specific_inactivity:1:HOURS"}
      - {name: Life, scopes: [api, refresh_token], callbackUrls: ["https://app.example/cb"], consumerKey: LifeKey001, consumerSecret: WebSecret01, refreshTokenPolicy: "specific_lifetime:2:HOURS"}
      - {name: Admin, scopes: [api, refresh_token], callbackUrls: ["https://app.example/cb"], consumerKey: AdminKey01, consumerSecret: WebSecret01, permittedUsers: AdminApprovedPreAuthorized, profiles: [Fenced]}
      - {name: NoRefresh, scopes: [api], callbackUrls: ["https://app.example/cb"], consumerKey: NoRefKey01, consumerSecret: WebSecret01}
      - {name: Bypass, scopes: [api, refresh_token], callbackUrls: ["https://app.example/cb"], consumerKey: BypassKey1, consumerSecret: WebSecret01, ipRelaxation: BYPASS}
`

const webCB = "https://app.example/cb"

// webEnv is a token endpoint over a real SQLite store with a movable clock.
type webEnv struct {
	t        testing.TB
	db       *sqlite.DB
	dir      *directory.Directory
	sessions *session.Manager
	keys     *session.Keyring
	mux      *http.ServeMux
	now      atomic.Int64 // unix nanoseconds
	apps     map[string]org.ConnectedApp
	users    map[string]sfid.ID
}

func (e *webEnv) clock() time.Time         { return time.Unix(0, e.now.Load()).UTC() }
func (e *webEnv) advance(d time.Duration)  { e.now.Add(int64(d)) }
func (e *webEnv) user(name string) sfid.ID { return e.users[name+"@w.example"] }

func newWebEnv(t testing.TB) *webEnv {
	t.Helper()
	ctx := context.Background()
	e := &webEnv{t: t, apps: map[string]org.ConnectedApp{}, users: map[string]sfid.ID{}}
	e.now.Store(time.Now().UnixNano())
	to := openTestOrg(t, webOrg, session.Options{Now: e.clock})
	db, log := to.db, to.log
	e.db, e.dir = db, directory.New(db)
	e.sessions = to.sessions
	e.keys = session.NewKeyring(db, session.KeyringOptions{Now: e.clock})
	if err := e.keys.Maintain(ctx); err != nil {
		t.Fatal(err)
	}
	e.mux = http.NewServeMux()
	NewServer(Config{Directory: e.dir, Sessions: e.sessions, BaseURL: "https://ff.test", Logger: log, Lockouts: db,
		Keys: e.keys, Grants: db, Now: e.clock}).Register(e.mux)
	apps, err := db.ConnectedApps(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		e.apps[a.Name] = a
	}
	users, err := db.Users(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		e.users[u.Username] = u.ID
	}
	// Approvals given on the approval page (run on every app; fenced and idle on Web and
	// Bypass); other@ never approved anything.
	for name, a := range e.apps {
		approve := []string{"run"}
		if name == "Web" || name == "Bypass" {
			approve = append(approve, "fenced", "idle")
		}
		for _, u := range approve {
			if err := db.PutApproval(ctx, org.Approval{OrgID: a.OrgID, UserID: e.user(u), AppID: a.ID, Scopes: a.Scopes}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return e
}

// codeSpec describes an authorization code to store as the authorize endpoint would.
type codeSpec struct {
	app, user, redirect string
	challenge, method   string
	age                 time.Duration // how long ago it was issued (expiry: 15 minutes)
	nonce               string
}

// putCode stores a code and returns its value.
func (e *webEnv) putCode(c codeSpec) string {
	e.t.Helper()
	app := e.apps[cmpOr(c.app, "Web")]
	code := newOpaque(codePrefix)
	created := e.clock().Add(-c.age)
	err := e.db.PutAuthCode(context.Background(), org.AuthCode{CodeHash: opaqueHash(code), OrgID: app.OrgID,
		UserID: e.user(cmpOr(c.user, "run")), AppID: app.ID, RedirectURI: cmpOr(c.redirect, webCB),
		Challenge: c.challenge, ChallengeMethod: c.method, Scopes: app.Scopes, Nonce: c.nonce,
		AuthTime: created.Add(-time.Minute), CreatedAt: created, ExpiresAt: created.Add(org.AuthCodeLifetime)})
	if err != nil {
		e.t.Fatal(err)
	}
	return code
}

// putRefresh stores a refresh token issued age ago (last used lastUsed ago, 0: never).
func (e *webEnv) putRefresh(appName, user string, age, lastUsed time.Duration) (string, org.RefreshToken) {
	e.t.Helper()
	app := e.apps[appName]
	value := newOpaque(secret.RefreshTokenPrefix)
	t := org.RefreshToken{TokenHash: opaqueHash(value), OrgID: app.OrgID, UserID: e.user(user), AppID: app.ID,
		Scopes: app.Scopes, CreatedAt: e.clock().Add(-age)}
	if lastUsed > 0 {
		t.LastUsedAt = e.clock().Add(-lastUsed)
	}
	if err := e.db.PutRefreshToken(context.Background(), &t); err != nil {
		e.t.Fatal(err)
	}
	return value, t
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// result is what a token request shows: status, error or success keys, and the
// LoginHistory row it wrote ("status/subtype/username", "" for none).
type result struct {
	Status int
	Error  string
	Keys   string
	Login  string
}

// post sends a token request from ip (default 192.0.2.1), with Basic credentials when
// basic is "id:secret".
func (e *webEnv) post(form url.Values, basic, ip string) (result, map[string]any) {
	e.t.Helper()
	before := e.newestLogin()
	req := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != "" {
		id, sec, _ := strings.Cut(basic, ":")
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(sec))
	}
	req.RemoteAddr = cmpOr(ip, "192.0.2.1") + ":40000"
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, req)
	got := result{Status: w.Code}
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		e.t.Fatalf("body %q: %v", w.Body, err)
	}
	if w.Code == 200 {
		got.Keys = strings.Join(jsonKeys(e.t, w.Body.Bytes()), " ")
	} else {
		got.Error = fmt.Sprint(body["error"], ": ", body["error_description"])
	}
	if ev, ok := e.newestLoginEvent(); ok && ev.ID != before {
		user := ""
		if !ev.UserID.IsZero() {
			p, err := e.dir.Principal(context.Background(), ev.UserID)
			if err != nil {
				e.t.Fatal(err)
			}
			user = p.User.Username
		}
		got.Login = ev.Status + "/" + ev.LoginSubType + "/" + user
	}
	return got, body
}

func (e *webEnv) newestLoginEvent() (org.LoginEvent, bool) {
	rows, err := e.db.LoginHistory(context.Background(), store.LoginFilter{Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(rows) == 0 {
		return org.LoginEvent{}, false
	}
	return rows[0], true
}

func (e *webEnv) newestLogin() sfid.ID {
	ev, _ := e.newestLoginEvent()
	return ev.ID
}

func codeForm(client, secret, code string, extra ...string) url.Values {
	v := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {webCB}}
	if client != "" {
		v.Set("client_id", client)
	}
	if secret != "" {
		v.Set("client_secret", secret)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			v.Del(extra[i])
		} else {
			v.Set(extra[i], extra[i+1])
		}
	}
	return v
}

func refreshForm(client, secret, token string, extra ...string) url.Values {
	v := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}, "client_id": {client}}
	if secret != "" {
		v.Set("client_secret", secret)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

// s256 is RFC 7636's S256 challenge of a verifier.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

const (
	// verifier171 is what jsforce and sf send: base64url of 128 random bytes.
	verifier171 = "yG2pW7kGmF2pQ0rV6mJ7sN1aZ9cX3eB5dH8fK4lT0uY2wI6oP9qR3sE7gJ1hL5nM8vC4xA0zD2bF6kS9tU3jW7yQ1iO5pE8rT2aG6dH0lK4nM7cX3vB9zF5sJ1wY8uI2oP6qE0rA4gT7hD3kL9mN5bV1xC8zS2fJ6wU0yI4oQ7pR3eT9aG5dH1kL8nM2cV6xB0zF4sJ7wY3uI9oP5qE1rA8gT2hD6kL0mN4"
	webKeys     = "access_token refresh_token signature scope id_token instance_url id token_type issued_at"
)
