package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgfile"
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
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "ff.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f, err := orgfile.Parse(filepath.Join(dir, "w.yaml"), []byte(webOrg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := orgfile.Apply(ctx, db, f); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	e.db, e.dir = db, directory.New(db)
	e.sessions = session.NewManager(db, session.Options{Logger: log, Now: e.clock})
	t.Cleanup(func() { e.sessions.Close() })
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
	value := newOpaque(refreshPrefix)
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

// TestCodeGrant is grant_type=authorization_code, rule by rule (the webflow reference
// §3): the answer on the wire and the LoginHistory row, through the real handler.
func TestCodeGrant(t *testing.T) {
	e := newWebEnv(t)
	v43 := strings.Repeat("a", 43)
	for _, tc := range []struct {
		name  string
		code  codeSpec
		form  func(code string) url.Values
		basic string
		ip    string
		want  result
	}{
		{"ok, secret in the body", codeSpec{}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"ok, Basic", codeSpec{}, func(c string) url.Values { return codeForm("", "", c) }, "WebKey0001:WebSecret01", "",
			result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"secret required", codeSpec{}, func(c string) url.Values { return codeForm("WebKey0001", "", c) }, "", "",
			result{400, "invalid_client: invalid client credentials", "", "Invalid client credentials/OauthWebServer/"}},
		{"wrong secret", codeSpec{}, func(c string) url.Values { return codeForm("WebKey0001", "nope", c) }, "", "",
			result{400, "invalid_client: invalid client credentials", "", "Invalid client credentials/OauthWebServer/"}},
		{"unknown client", codeSpec{}, func(c string) url.Values { return codeForm("NoSuchKey1", "", c) }, "", "",
			result{400, "invalid_client_id: client identifier invalid", "", "Invalid client id/OauthWebServer/"}},
		{"public client, no secret: no signature", codeSpec{app: "Public", redirect: "http://localhost:1717/OauthRedirect"},
			func(c string) url.Values {
				return codeForm("PublicKey01", "", c, "redirect_uri", "http://localhost:1717/OauthRedirect")
			}, "", "",
			result{200, "", "access_token refresh_token scope instance_url id token_type issued_at", "Success/OauthWebServer/run@w.example"}},
		{"public client, a sent secret is checked", codeSpec{app: "Public", redirect: "http://localhost:1717/OauthRedirect"},
			func(c string) url.Values {
				return codeForm("PublicKey01", "wrong", c, "redirect_uri", "http://localhost:1717/OauthRedirect")
			}, "", "",
			result{400, "invalid_client: invalid client credentials", "", "Invalid client credentials/OauthWebServer/"}},
		{"code missing", codeSpec{}, func(string) url.Values { return codeForm("WebKey0001", "WebSecret01", "") }, "", "",
			result{400, "invalid_request: code parameter is required", "", "Invalid request/OauthWebServer/"}},
		{"code malformed", codeSpec{}, func(string) url.Values { return codeForm("WebKey0001", "WebSecret01", "aPrx!!") }, "", "",
			result{400, "invalid_grant: invalid authorization code", "", "Failed: Invalid authorization code/OauthWebServer/"}},
		{"code unknown", codeSpec{}, func(string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", newOpaque(codePrefix))
		}, "", "", result{400, "invalid_grant: expired authorization code", "", "Failed: Expired authorization code/OauthWebServer/"}},
		{"code of another app", codeSpec{app: "Public"}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{400, "invalid_grant: invalid authorization code", "", "Failed: Invalid authorization code/OauthWebServer/"}},
		{"code 15 minutes old", codeSpec{age: 15 * time.Minute}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{400, "invalid_grant: expired authorization code", "", "Failed: Expired authorization code/OauthWebServer/run@w.example"}},
		{"code 14 minutes old", codeSpec{age: 14 * time.Minute}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"redirect_uri differs", codeSpec{}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "redirect_uri", webCB+"/")
		}, "", "", result{400, "redirect_uri_mismatch: redirect_uri must match configuration", "", "Failed: Redirect URI mismatch/OauthWebServer/run@w.example"}},
		{"redirect_uri missing", codeSpec{}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "redirect_uri", "")
		}, "", "", result{400, "redirect_uri_mismatch: redirect_uri must match configuration", "", "Failed: Redirect URI mismatch/OauthWebServer/run@w.example"}},
		{"S256 without a method, 171-character verifier", codeSpec{challenge: s256(verifier171)}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", verifier171)
		}, "", "", result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"S256, wrong verifier", codeSpec{challenge: s256(verifier171), method: "S256"}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", verifier171[1:])
		}, "", "", result{400, "invalid_grant: invalid code verifier", "", "Failed: Invalid Code Verifier/OauthWebServer/run@w.example"}},
		{"S256, verifier missing", codeSpec{challenge: s256(verifier171)}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c)
		}, "", "", result{400, "invalid_grant: invalid code verifier", "", "Failed: Invalid Code Verifier/OauthWebServer/run@w.example"}},
		{"plain", codeSpec{challenge: v43, method: "plain"}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", v43)
		}, "", "", result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"plain, wrong verifier", codeSpec{challenge: v43, method: "plain"}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", strings.Repeat("b", 43))
		}, "", "", result{400, "invalid_grant: invalid code verifier", "", "Failed: Invalid Code Verifier/OauthWebServer/run@w.example"}},
		{"verifier shorter than 43", codeSpec{challenge: v43[:42], method: "plain"}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", v43[:42])
		}, "", "", result{400, "invalid_grant: invalid code verifier", "", "Failed: Invalid Code Verifier/OauthWebServer/run@w.example"}},
		{"verifier without a challenge is ignored", codeSpec{}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", verifier171)
		}, "", "", result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"PKCE required, code without challenge", codeSpec{app: "Pkce"}, func(c string) url.Values {
			return codeForm("PkceKey001", "WebSecret01", c, "code_verifier", verifier171)
		}, "", "", result{400, "invalid_grant: invalid code verifier", "", "Failed: Invalid Code Verifier/OauthWebServer/run@w.example"}},
		{"PKCE required, challenge met", codeSpec{app: "Pkce", challenge: s256(verifier171)}, func(c string) url.Values {
			return codeForm("PkceKey001", "WebSecret01", c, "code_verifier", verifier171)
		}, "", "", result{200, "", "access_token signature scope instance_url id token_type issued_at", "Success/OauthWebServer/run@w.example"}},
		{"inactive user", codeSpec{user: "idle"}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{400, "invalid_grant: inactive user", "", "User is Inactive/OauthWebServer/idle@w.example"}},
		{"approval removed since authorize", codeSpec{user: "other"}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{400, "invalid_grant: user hasn't approved this consumer", "", "Failed: User hasn't approved this consumer/OauthWebServer/other@w.example"}},
		{"admin-approved app, user not pre-authorized", codeSpec{app: "Admin"}, func(c string) url.Values { return codeForm("AdminKey01", "WebSecret01", c) }, "", "",
			result{400, "invalid_app_access: user is not admin approved to access this app", "", "User not admin approved to access this app/OauthWebServer/run@w.example"}},
		{"login IP ranges are not applied to the exchange", codeSpec{user: "fenced"}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{200, "", webKeys, "Success/OauthWebServer/fenced@w.example"}},
		{"no refresh_token scope: no refresh token", codeSpec{app: "NoRefresh"}, func(c string) url.Values { return codeForm("NoRefKey01", "WebSecret01", c) }, "", "",
			result{200, "", "access_token signature scope instance_url id token_type issued_at", "Success/OauthWebServer/run@w.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := e.putCode(tc.code)
			got, _ := e.post(tc.form(code), tc.basic, tc.ip)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}

	t.Run("a failed client authentication leaves the code usable; a used code is gone", func(t *testing.T) {
		code := e.putCode(codeSpec{})
		// golang.org/x/oauth2 tries Basic first and, on any error, the body.
		if got, _ := e.post(codeForm("", "", code), "WebKey0001:wrong", ""); got.Error != "invalid_client: invalid client credentials" {
			t.Fatalf("wrong Basic secret: %+v", got)
		}
		if got, _ := e.post(codeForm("WebKey0001", "WebSecret01", code), "", ""); got.Status != 200 {
			t.Fatalf("retry with the body: %+v", got)
		}
		want := result{400, "invalid_grant: expired authorization code", "", "Failed: Expired authorization code/OauthWebServer/"}
		if got, _ := e.post(codeForm("WebKey0001", "WebSecret01", code), "", ""); !cmp.Equal(want, got) {
			t.Errorf("reuse: %+v, want %+v", got, want)
		}
	})

	t.Run("a refused code is spent", func(t *testing.T) {
		code := e.putCode(codeSpec{challenge: s256(verifier171)})
		if got, _ := e.post(codeForm("WebKey0001", "WebSecret01", code, "code_verifier", v43), "", ""); got.Status != 400 {
			t.Fatalf("wrong verifier: %+v", got)
		}
		if got, _ := e.post(codeForm("WebKey0001", "WebSecret01", code, "code_verifier", verifier171), "", ""); got.Error != "invalid_grant: expired authorization code" {
			t.Errorf("right verifier after a refusal: %+v", got)
		}
	})

	t.Run("id_token", func(t *testing.T) {
		code := e.putCode(codeSpec{nonce: "n-0S6_WzA2Mj"})
		got, body := e.post(codeForm("WebKey0001", "WebSecret01", code), "", "")
		if got.Status != 200 {
			t.Fatalf("%+v", got)
		}
		var claims map[string]any
		if err := e.keys.VerifyJWT(body["id_token"].(string), &claims); err != nil {
			t.Fatalf("id_token does not verify against /id/keys: %v", err)
		}
		sum := sha256.Sum256([]byte(body["access_token"].(string)))
		now := e.clock().Unix()
		want := map[string]any{
			"at_hash": base64.RawURLEncoding.EncodeToString(sum[:16]), "sub": body["id"], "aud": "WebKey0001",
			"iss": "https://ff.test", "iat": float64(now), "exp": float64(now + 600), "nonce": "n-0S6_WzA2Mj",
			"auth_time": float64(e.clock().Add(-time.Minute).Unix()),
		}
		if diff := cmp.Diff(want, claims); diff != "" {
			t.Errorf("claims (-want +got)\n%s", diff)
		}
		payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(body["id_token"].(string), ".")[1])
		if !strings.HasPrefix(string(payload), `{"at_hash":`) {
			t.Errorf("payload %s: Salesforce's starts with at_hash", payload)
		}
		if body["scope"] != "api refresh_token openid" || !strings.HasPrefix(body["refresh_token"].(string), refreshPrefix) {
			t.Errorf("scope %v refresh_token %v", body["scope"], body["refresh_token"])
		}
	})

	t.Run("64 racing exchanges of one code: exactly one wins", func(t *testing.T) {
		code := e.putCode(codeSpec{})
		var ok, expired atomic.Int32
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := e.raw(codeForm("WebKey0001", "WebSecret01", code))
				switch {
				case w.Code == 200:
					ok.Add(1)
				case strings.Contains(w.Body.String(), "expired authorization code"),
					// The client-authentication throttle reserves an attempt per
					// request before the secret is checked (package throttle): past its
					// burst, concurrent requests of one key are refused first.
					strings.Contains(w.Body.String(), "rate_limit_exceeded"):
					expired.Add(1)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 || expired.Load() != 63 {
			t.Errorf("%d successes, %d refused; want 1 and 63", ok.Load(), expired.Load())
		}
	})
}

// raw sends a token request and returns the recorder (safe from many goroutines).
func (e *webEnv) raw(form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "192.0.2.1:40000"
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, req)
	return w
}

// TestRefreshGrant is grant_type=refresh_token, rule by rule (the webflow reference §4).
func TestRefreshGrant(t *testing.T) {
	e := newWebEnv(t)
	const refreshKeys = "access_token signature scope instance_url id token_type issued_at"
	type tok struct {
		app, user     string
		age, lastUsed time.Duration
	}
	for _, tc := range []struct {
		name  string
		tok   tok
		form  func(rt string) url.Values
		basic string
		ip    string
		want  result
	}{
		{"ok: no refresh_token in the answer, an id_token with openid", tok{"Web", "run", time.Hour, 0},
			func(rt string) url.Values { return refreshForm("WebKey0001", "WebSecret01", rt) }, "", "",
			result{200, "", "access_token signature scope id_token instance_url id token_type issued_at", "Success/OauthRefreshToken/run@w.example"}},
		{"ok, Basic", tok{"Web", "run", 0, 0}, func(rt string) url.Values {
			return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
		}, "WebKey0001:WebSecret01", "",
			result{200, "", "access_token signature scope id_token instance_url id token_type issued_at", "Success/OauthRefreshToken/run@w.example"}},
		{"extra parameters are ignored", tok{"Idle", "run", 0, 0}, func(rt string) url.Values {
			return refreshForm("IdleKey001", "WebSecret01", rt, "code_verifier", verifier171, "redirect_uri", "https://elsewhere.example/", "format", "json")
		}, "", "", result{200, "", refreshKeys, "Success/OauthRefreshToken/run@w.example"}},
		{"secret required", tok{"Web", "run", 0, 0}, func(rt string) url.Values { return refreshForm("WebKey0001", "", rt) }, "", "",
			result{400, "invalid_client: invalid client credentials", "", "Invalid client credentials/OauthRefreshToken/"}},
		{"public client without a secret", tok{"Public", "run", 0, 0}, func(rt string) url.Values { return refreshForm("PublicKey01", "", rt) }, "", "",
			result{200, "", "access_token scope instance_url id token_type issued_at", "Success/OauthRefreshToken/run@w.example"}},
		{"public client, wrong secret", tok{"Public", "run", 0, 0}, func(rt string) url.Values { return refreshForm("PublicKey01", "x", rt) }, "", "",
			result{400, "invalid_client: invalid client credentials", "", "Invalid client credentials/OauthRefreshToken/"}},
		{"refresh_token missing", tok{"Web", "run", 0, 0}, func(string) url.Values { return refreshForm("WebKey0001", "WebSecret01", "") }, "", "",
			result{400, "invalid_request: refresh_token parameter is required", "", "Invalid request/OauthRefreshToken/"}},
		{"unknown token", tok{"Web", "run", 0, 0}, func(string) url.Values {
			return refreshForm("WebKey0001", "WebSecret01", newOpaque(refreshPrefix))
		}, "", "", result{400, "invalid_grant: expired access/refresh token", "", "Failed: Expired refresh token/OauthRefreshToken/"}},
		{"another app's token", tok{"Public", "run", 0, 0}, func(rt string) url.Values { return refreshForm("WebKey0001", "WebSecret01", rt) }, "", "",
			result{400, "invalid_grant: expired access/refresh token", "", "Failed: Expired refresh token/OauthRefreshToken/"}},
		{"policy zero: the first refresh fails", tok{"Zero", "run", 0, 0}, func(rt string) url.Values { return refreshForm("ZeroKey001", "WebSecret01", rt) }, "", "",
			result{400, "invalid_grant: expired access/refresh token", "", "Failed: Expired refresh token/OauthRefreshToken/run@w.example"}},
		{"inactivity 1h: unused for 59 minutes", tok{"Idle", "run", 5 * time.Hour, 59 * time.Minute}, func(rt string) url.Values { return refreshForm("IdleKey001", "WebSecret01", rt) }, "", "",
			result{200, "", refreshKeys, "Success/OauthRefreshToken/run@w.example"}},
		{"inactivity 1h: unused for an hour", tok{"Idle", "run", 5 * time.Hour, time.Hour}, func(rt string) url.Values { return refreshForm("IdleKey001", "WebSecret01", rt) }, "", "",
			result{400, "invalid_grant: expired access/refresh token", "", "Failed: Expired refresh token/OauthRefreshToken/run@w.example"}},
		{"inactivity 1h: never used, issued an hour ago", tok{"Idle", "run", time.Hour, 0}, func(rt string) url.Values { return refreshForm("IdleKey001", "WebSecret01", rt) }, "", "",
			result{400, "invalid_grant: expired access/refresh token", "", "Failed: Expired refresh token/OauthRefreshToken/run@w.example"}},
		{"lifetime 2h: 119 minutes old, used a second ago", tok{"Life", "run", 119 * time.Minute, time.Second}, func(rt string) url.Values { return refreshForm("LifeKey001", "WebSecret01", rt) }, "", "",
			result{200, "", refreshKeys, "Success/OauthRefreshToken/run@w.example"}},
		{"lifetime 2h: 2 hours old, used a second ago", tok{"Life", "run", 2 * time.Hour, time.Second}, func(rt string) url.Values { return refreshForm("LifeKey001", "WebSecret01", rt) }, "", "",
			result{400, "invalid_grant: expired access/refresh token", "", "Failed: Expired refresh token/OauthRefreshToken/run@w.example"}},
		{"inactive user", tok{"Web", "idle", 0, 0}, func(rt string) url.Values { return refreshForm("WebKey0001", "WebSecret01", rt) }, "", "",
			result{400, "invalid_grant: inactive user", "", "User is Inactive/OauthRefreshToken/idle@w.example"}},
		{"outside the profile's login IP ranges", tok{"Web", "fenced", 0, 0}, func(rt string) url.Values { return refreshForm("WebKey0001", "WebSecret01", rt) }, "", "",
			result{400, "invalid_grant: ip restricted", "", "Restricted IP/OauthRefreshToken/fenced@w.example"}},
		{"inside the profile's login IP ranges", tok{"Web", "fenced", 0, 0}, func(rt string) url.Values { return refreshForm("WebKey0001", "WebSecret01", rt) }, "", "198.51.100.9",
			result{200, "", "access_token signature scope id_token instance_url id token_type issued_at", "Success/OauthRefreshToken/fenced@w.example"}},
		{"IP relaxation BYPASS", tok{"Bypass", "fenced", 0, 0}, func(rt string) url.Values { return refreshForm("BypassKey1", "WebSecret01", rt) }, "", "",
			result{200, "", refreshKeys, "Success/OauthRefreshToken/fenced@w.example"}},
		{"admin-approved app, user not pre-authorized", tok{"Admin", "run", 0, 0}, func(rt string) url.Values { return refreshForm("AdminKey01", "WebSecret01", rt) }, "", "",
			result{400, "invalid_app_access: user is not admin approved to access this app", "", "User not admin approved to access this app/OauthRefreshToken/run@w.example"}},
		{"rotation: a new refresh_token", tok{"Rotating", "run", 0, 0}, func(rt string) url.Values { return refreshForm("RotKey0001", "WebSecret01", rt) }, "", "",
			result{200, "", "access_token refresh_token signature scope instance_url id token_type issued_at", "Success/OauthRefreshToken/run@w.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt, _ := e.putRefresh(tc.tok.app, tc.tok.user, tc.tok.age, tc.tok.lastUsed)
			got, _ := e.post(tc.form(rt), tc.basic, tc.ip)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}

	t.Run("a use is recorded and slides the inactivity policy", func(t *testing.T) {
		rt, stored := e.putRefresh("Idle", "run", 0, 0)
		e.advance(50 * time.Minute)
		if got, _ := e.post(refreshForm("IdleKey001", "WebSecret01", rt), "", ""); got.Status != 200 {
			t.Fatalf("after 50 minutes: %+v", got)
		}
		e.advance(50 * time.Minute) // 100 minutes after issue, 50 after the use
		if got, _ := e.post(refreshForm("IdleKey001", "WebSecret01", rt), "", ""); got.Status != 200 {
			t.Fatalf("50 minutes after a use: %+v", got)
		}
		// Uses are written in batches, with the sessions' activity.
		if err := e.sessions.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		ts, err := e.db.RefreshTokens(context.Background(), store.GrantFilter{ID: stored.ID})
		if err != nil || len(ts) != 1 || ts[0].UseCount != 2 || !ts[0].LastUsedAt.Equal(e.clock().Truncate(time.Millisecond)) {
			t.Errorf("stored %+v, %v: want 2 uses, last now", ts, err)
		}
		e.advance(time.Hour)
		if got, _ := e.post(refreshForm("IdleKey001", "WebSecret01", rt), "", ""); got.Error != "invalid_grant: expired access/refresh token" {
			t.Errorf("an hour after the last use: %+v", got)
		}
	})

	t.Run("rotation: the old token is spent; presenting it again revokes the family", func(t *testing.T) {
		rt, _ := e.putRefresh("Rotating", "run", 0, 0)
		_, first := e.post(refreshForm("RotKey0001", "WebSecret01", rt), "", "")
		next, _ := first["refresh_token"].(string)
		if next == "" || next == rt {
			t.Fatalf("rotation returned %q", next)
		}
		_, second := e.post(refreshForm("RotKey0001", "WebSecret01", next), "", "")
		third, _ := second["refresh_token"].(string)
		access, _ := second["access_token"].(string)
		if _, err := e.sessions.Validate(context.Background(), access); err != nil {
			t.Fatalf("the access token of the chain's current token: %v", err)
		}
		want := result{400, "invalid_grant: expired access/refresh token", "", "Failed: Expired refresh token/OauthRefreshToken/run@w.example"}
		// Within rotationGrace of its rotation, the spent token is refused as a request
		// that raced the rotation: the family lives on.
		if got, _ := e.post(refreshForm("RotKey0001", "WebSecret01", next), "", ""); !cmp.Equal(want, got) {
			t.Fatalf("the spent second token right after its rotation: %+v", got)
		}
		if _, err := e.sessions.Validate(context.Background(), access); err != nil {
			t.Fatalf("a racing request revoked the family: %v", err)
		}
		e.advance(rotationGrace)
		if got, _ := e.post(refreshForm("RotKey0001", "WebSecret01", rt), "", ""); !cmp.Equal(want, got) {
			t.Fatalf("reuse of the first token: %+v", got)
		}
		if got, _ := e.post(refreshForm("RotKey0001", "WebSecret01", third), "", ""); got.Error != "invalid_grant: expired access/refresh token" {
			t.Errorf("the family's newest token after a reuse: %+v", got)
		}
		if _, err := e.sessions.Validate(context.Background(), access); err == nil {
			t.Errorf("an access token minted from the family survived the reuse")
		}
	})

	t.Run("64 racing rotations of one token: exactly one wins", func(t *testing.T) {
		rt, stored := e.putRefresh("Rotating", "run", 0, 0)
		var ok, refused atomic.Int32
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := e.raw(refreshForm("RotKey0001", "WebSecret01", rt))
				switch {
				case w.Code == 200:
					ok.Add(1)
				case strings.Contains(w.Body.String(), "expired access/refresh token"),
					strings.Contains(w.Body.String(), "rate_limit_exceeded"): // as above
					refused.Add(1)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 || refused.Load() != 63 {
			t.Errorf("%d successes, %d refused; want 1 and 63", ok.Load(), refused.Load())
		}
		family, err := e.db.RefreshTokens(context.Background(), store.GrantFilter{FamilyID: stored.FamilyID})
		if err != nil {
			t.Fatal(err)
		}
		// The winner's successor is the family's one live token: losers that read the
		// token after the rotation raced it, they did not reuse it (rotationGrace).
		live := 0
		for _, f := range family {
			if f.RotatedAt.IsZero() {
				live++
			}
		}
		if len(family) != 2 || live != 1 {
			t.Errorf("family of %d tokens, %d live; want 2 and 1: %+v", len(family), live, family)
		}
	})
}

// TestRefreshRevocation: revoking a refresh token ends it, its family and every access
// token minted from it; revoking an access token leaves the refresh token usable (the
// webflow reference §4.7). Introspection sees refresh tokens.
func TestRefreshRevocation(t *testing.T) {
	e := newWebEnv(t)
	ctx := context.Background()
	send := func(path string, form url.Values, basic string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic != "" {
			id, sec, _ := strings.Cut(basic, ":")
			req.SetBasicAuth(id, sec)
		}
		req.RemoteAddr = "192.0.2.1:40000"
		w := httptest.NewRecorder()
		e.mux.ServeHTTP(w, req)
		return w
	}
	code := e.putCode(codeSpec{})
	_, body := e.post(codeForm("WebKey0001", "WebSecret01", code), "", "")
	rt, first := body["refresh_token"].(string), body["access_token"].(string)
	_, body = e.post(refreshForm("WebKey0001", "WebSecret01", rt), "", "")
	second := body["access_token"].(string)

	t.Run("introspection of a refresh token", func(t *testing.T) {
		w := send("/services/oauth2/introspect", url.Values{"token": {rt}, "token_type_hint": {"refresh_token"}}, "WebKey0001:WebSecret01")
		var got map[string]any
		json.Unmarshal(w.Body.Bytes(), &got)
		if got["active"] != true || got["token_type"] != "refresh_token" || got["username"] != "run@w.example" || got["client_id"] != "WebKey0001" {
			t.Errorf("%d %s", w.Code, w.Body)
		}
		w = send("/services/oauth2/introspect", url.Values{"token": {rt}}, "PublicKey01:WebSecret01")
		if strings.TrimSpace(w.Body.String()) != `{"active":false}` {
			t.Errorf("another app sees the token: %s", w.Body)
		}
	})

	t.Run("revoking an access token leaves the refresh token alive", func(t *testing.T) {
		if w := send("/services/oauth2/revoke", url.Values{"token": {second}}, ""); w.Code != 200 {
			t.Fatalf("revoke: %d %s", w.Code, w.Body)
		}
		if _, err := e.sessions.Validate(ctx, second); err == nil {
			t.Error("revoked access token still valid")
		}
		if _, err := e.sessions.Validate(ctx, first); err != nil {
			t.Errorf("its sibling: %v", err)
		}
		got, b := e.post(refreshForm("WebKey0001", "WebSecret01", rt), "", "")
		if got.Status != 200 {
			t.Fatalf("refresh after revoking an access token: %+v", got)
		}
		second = b["access_token"].(string)
	})

	t.Run("revoking the refresh token ends its access tokens", func(t *testing.T) {
		if w := send("/services/oauth2/revoke", url.Values{"token": {rt}}, ""); w.Code != 200 || w.Body.Len() != 0 {
			t.Fatalf("revoke: %d %s", w.Code, w.Body)
		}
		for _, a := range []string{first, second} {
			if _, err := e.sessions.Validate(ctx, a); err == nil {
				t.Errorf("access token minted from a revoked refresh token still valid")
			}
		}
		want := result{400, "invalid_grant: expired access/refresh token", "", "Failed: Expired refresh token/OauthRefreshToken/"}
		if got, _ := e.post(refreshForm("WebKey0001", "WebSecret01", rt), "", ""); !cmp.Equal(want, got) {
			t.Errorf("refresh after revocation: %+v", got)
		}
		w := send("/services/oauth2/revoke", url.Values{"token": {rt}}, "")
		if w.Code != 400 || strings.TrimSpace(w.Body.String()) != `{"error":"invalid_token","error_description":"Token was invalid"}` {
			t.Errorf("second revocation: %d %s", w.Code, w.Body)
		}
		w = send("/services/oauth2/introspect", url.Values{"token": {rt}}, "WebKey0001:WebSecret01")
		if strings.TrimSpace(w.Body.String()) != `{"active":false}` {
			t.Errorf("introspection after revocation: %s", w.Body)
		}
	})

	t.Run("refreshes racing a revocation leave no live access token", func(t *testing.T) {
		for round := range 5 {
			v, _ := e.putRefresh("Web", "run", 0, 0)
			var mu sync.Mutex
			var issued []string
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range 32 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if i == 16 {
						if w := send("/services/oauth2/revoke", url.Values{"token": {v}}, ""); w.Code != 200 {
							t.Errorf("revoke: %d %s", w.Code, w.Body)
						}
						return
					}
					w := e.raw(refreshForm("WebKey0001", "WebSecret01", v))
					if w.Code == 200 {
						var b map[string]any
						json.Unmarshal(w.Body.Bytes(), &b)
						mu.Lock()
						issued = append(issued, b["access_token"].(string))
						mu.Unlock()
					}
				}()
			}
			close(start)
			wg.Wait()
			for _, a := range issued {
				if _, err := e.sessions.Validate(ctx, a); err == nil {
					t.Errorf("round %d: an access token issued while its refresh token was revoked survived (%d issued)", round, len(issued))
				}
			}
		}
	})

	t.Run("JWT access tokens end with their refresh token", func(t *testing.T) {
		// The session manager's JWT mode: the Web app's tokens stay opaque, so the
		// revocation path is the same call (evict) for both kinds; EnableJWT is what
		// makes a JWT's live set, checked in session's own tests.
		if err := e.sessions.EnableJWT(ctx, e.keys, "https://ff.test"); err != nil {
			t.Fatal(err)
		}
		v, stored := e.putRefresh("Web", "run", 0, 0)
		token, sess, err := e.sessions.IssueJWT(ctx, org.Session{OrgID: stored.OrgID, UserID: stored.UserID, AppID: stored.AppID,
			Scopes: []string{"api"}, CreatedAt: e.clock(), LastActivity: e.clock(), Timeout: time.Hour, RefreshTokenID: stored.ID},
			org.LoginEvent{Time: e.clock()}, "WebKey0001")
		if err != nil {
			t.Fatal(err)
		}
		_ = sess
		if _, err := e.sessions.Validate(ctx, token); err != nil {
			t.Fatal(err)
		}
		if w := send("/services/oauth2/revoke", url.Values{"token": {v}}, ""); w.Code != 200 {
			t.Fatalf("revoke: %d %s", w.Code, w.Body)
		}
		if _, err := e.sessions.Validate(ctx, token); err == nil {
			t.Errorf("a JWT access token minted from a revoked refresh token still validates")
		}
	})
}

// FuzzWebGrantParams sends arbitrary code, code_verifier, redirect_uri and refresh_token
// values to both grants of a public client; "{code}" and "{rt}" stand for a fresh valid
// code (with an S256 challenge of verifier171) and a live refresh token. Whatever comes
// in, the answer is a 200 token or a Salesforce-shaped 4xx JSON error, never a 5xx.
func FuzzWebGrantParams(f *testing.F) {
	e := newWebEnv(f)
	const cb = "http://localhost:1717/OauthRedirect"
	f.Add("authorization_code", "{code}", verifier171, cb, "")
	f.Add("authorization_code", "{code}", "", cb, "")
	f.Add("authorization_code", "aPrx", strings.Repeat("~", 200), "", "")
	f.Add("authorization_code", "aPrx"+strings.Repeat("A", 43), "x", cb+"?a=b", "")
	f.Add("refresh_token", "", "", "", "{rt}")
	f.Add("refresh_token", "", verifier171, cb, "5Aep861")
	f.Add("refresh_token", "", "", "", "5Aep861\x00%zz")
	f.Fuzz(func(t *testing.T, grant, code, verifier, redirect, rt string) {
		e.t = t // the helpers report to the running input
		if strings.Contains(code, "{code}") {
			code = strings.ReplaceAll(code, "{code}", e.putCode(codeSpec{app: "Public", redirect: cb, challenge: s256(verifier171)}))
		}
		if strings.Contains(rt, "{rt}") {
			v, _ := e.putRefresh("Public", "run", 0, 0)
			rt = strings.ReplaceAll(rt, "{rt}", v)
		}
		form := url.Values{"grant_type": {grant}, "client_id": {"PublicKey01"}, "code": {code}, "code_verifier": {verifier},
			"redirect_uri": {redirect}, "refresh_token": {rt}}
		w := e.raw(form)
		if w.Code >= 500 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		var body map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("not JSON: %q", w.Body)
		}
		if w.Code != 200 {
			if _, ok := body["error"].(string); !ok || w.Code != 400 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if _, ok := body["error_description"].(string); !ok {
				t.Fatalf("no description: %s", w.Body)
			}
		}
	})
}
