package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// The token endpoint's side of the web server flow, end to end: codes are inserted through
// the store as the authorize endpoint inserts them (the browser-driven version is
// another test's), exchanged and refreshed by golang.org/x/oauth2 over loopback HTTP, with
// the server's clock moved past each refresh token policy.

const webGrantsOrg = `
orgs:
  - name: Web
    profiles:
      - {name: Dev, permissions: [ApiEnabled]}
    users:
      - {username: dev@web.example, lastName: Dev, email: dev@web.example, profile: Dev, password: "dev password 1"}
      - {username: ops@web.example, lastName: Ops, email: ops@web.example, profile: Dev, password: "ops password 1"}
    connectedApps:
      - {name: Go App, scopes: [api, refresh_token, openid], callbackUrls: ["http://127.0.0.1:8765/cb"], consumerKey: GoAppKey01, consumerSecret: GoAppSecret01}
      - {name: Idle App, scopes: [api, refresh_token], callbackUrls: ["http://127.0.0.1:8765/cb"], consumerKey: IdleAppKey1, consumerSecret: GoAppSecret01, refreshTokenPolicy: "specific_inactivity:1:HOURS"}
      - {name: Life App, scopes: [api, refresh_token], callbackUrls: ["http://127.0.0.1:8765/cb"], consumerKey: LifeAppKey1, consumerSecret: GoAppSecret01, refreshTokenPolicy: "specific_lifetime:2:HOURS"}
      - {name: Zero App, scopes: [api, refresh_token], callbackUrls: ["http://127.0.0.1:8765/cb"], consumerKey: ZeroAppKey1, consumerSecret: GoAppSecret01, refreshTokenPolicy: zero}
      - {name: Rotating App, scopes: [api, refresh_token], callbackUrls: ["http://127.0.0.1:8765/cb"], consumerKey: RotAppKey01, consumerSecret: GoAppSecret01, refreshTokenRotation: true}
`

const goAppCallback = "http://127.0.0.1:8765/cb"

// webGrants is a server with webGrantsOrg and helpers to insert what the authorize
// endpoint would.
type webGrants struct {
	*testServer
	apps  map[string]org.ConnectedApp
	users map[string]sfid.ID
}

func startWebGrants(t *testing.T) *webGrants {
	t.Helper()
	s := startOrg(t, webGrantsOrg, false)
	w := &webGrants{testServer: s.testServer, apps: map[string]org.ConnectedApp{}, users: map[string]sfid.ID{}}
	ctx := context.Background()
	apps, err := s.st.ConnectedApps(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		w.apps[a.Name] = a
	}
	users, err := s.st.Users(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		w.users[u.Username] = u.ID
	}
	return w
}

// approveAndCode records dev@'s approval of app and stores an authorization code for it
// with an S256 challenge of verifier ("" for none), as the approval page would.
func (w *webGrants) approveAndCode(t *testing.T, appName, username, verifier string) string {
	t.Helper()
	ctx := context.Background()
	app := w.apps[appName]
	user := w.users[username]
	if err := w.st.PutApproval(ctx, org.Approval{OrgID: app.OrgID, UserID: user, AppID: app.ID, Scopes: app.Scopes}); err != nil {
		t.Fatal(err)
	}
	var b [32]byte
	rand.Read(b[:])
	code := "aPrx" + base64.RawURLEncoding.EncodeToString(b[:])
	h := sha256.Sum256([]byte(code))
	now := w.Clock.Now()
	c := org.AuthCode{CodeHash: h[:], OrgID: app.OrgID, UserID: user, AppID: app.ID, RedirectURI: goAppCallback,
		Scopes: app.Scopes, AuthTime: now, CreatedAt: now, ExpiresAt: now.Add(org.AuthCodeLifetime)}
	if verifier != "" {
		c.Challenge = oauth2.S256ChallengeFromVerifier(verifier) // no method: S256, as jsforce sends it
	}
	if err := w.st.PutAuthCode(ctx, c); err != nil {
		t.Fatal(err)
	}
	return code
}

func (w *webGrants) oauth2Config(key string, style oauth2.AuthStyle) *oauth2.Config {
	return &oauth2.Config{ClientID: key, ClientSecret: "GoAppSecret01", RedirectURL: goAppCallback,
		Endpoint: oauth2.Endpoint{AuthURL: w.URL + "/services/oauth2/authorize", TokenURL: w.URL + "/services/oauth2/token", AuthStyle: style}}
}

// refresh runs golang.org/x/oauth2's refresh (a token whose Expiry has passed, the only
// way it refreshes: Salesforce sends no expires_in).
func refresh(cfg *oauth2.Config, rt string) (*oauth2.Token, error) {
	return cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: rt, Expiry: time.Unix(1, 0)}).Token()
}

func TestWebServerFlowGoOAuth2(t *testing.T) {
	w := startWebGrants(t)
	ctx := context.Background()

	for _, tc := range []struct {
		name  string
		style oauth2.AuthStyle
	}{{"AutoDetect (Basic first)", oauth2.AuthStyleAutoDetect}, {"InHeader", oauth2.AuthStyleInHeader}, {"InParams", oauth2.AuthStyleInParams}} {
		t.Run("Exchange with VerifierOption, "+tc.name, func(t *testing.T) {
			cfg := w.oauth2Config("GoAppKey01", tc.style)
			verifier := oauth2.GenerateVerifier()
			code := w.approveAndCode(t, "Go App", "dev@web.example", verifier)
			tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatalf("Exchange: %v", err)
			}
			if !strings.HasPrefix(tok.RefreshToken, "5Aep861") || tok.TokenType != "Bearer" || !tok.Expiry.IsZero() {
				t.Errorf("token %+v: want a 5Aep861… refresh token, Bearer, no expiry", tok)
			}
			if tok.Extra("instance_url") != w.URL || tok.Extra("scope") != "api refresh_token openid" || tok.Extra("id_token") == nil {
				t.Errorf("extra: instance_url %v scope %v id_token %v", tok.Extra("instance_url"), tok.Extra("scope"), tok.Extra("id_token") != nil)
			}
			wantLive(t, w.testServer, tok.AccessToken, "the exchanged access token")

			// A TokenSource that refreshes keeps the refresh token (none comes back).
			next, err := refresh(cfg, tok.RefreshToken)
			if err != nil {
				t.Fatalf("refresh: %v", err)
			}
			if next.AccessToken == tok.AccessToken || next.RefreshToken != tok.RefreshToken {
				t.Errorf("refresh: access %q (was %q), refresh %q (was %q)", next.AccessToken, tok.AccessToken, next.RefreshToken, tok.RefreshToken)
			}
			wantLive(t, w.testServer, next.AccessToken, "the refreshed access token")
			wantLive(t, w.testServer, tok.AccessToken, "the first access token after a refresh")

			if _, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier)); !retrieveError(err, "invalid_grant", "expired authorization code") {
				t.Errorf("second exchange: %v", err)
			}
		})
	}

	t.Run("Basic refused, then the body: the code survives the first attempt", func(t *testing.T) {
		verifier := oauth2.GenerateVerifier()
		code := w.approveAndCode(t, "Go App", "dev@web.example", verifier)
		req := newRequest(t, http.MethodPost, w.URL+"/services/oauth2/token", strings.NewReader(url.Values{
			"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {goAppCallback}, "code_verifier": {verifier}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("GoAppKey01", "not-the-secret")
		if r := do(t, req); r.Status != 400 || r.Body != `{"error":"invalid_client","error_description":"invalid client credentials"}`+"\n" {
			t.Fatalf("bad Basic: %d %s", r.Status, r.Body)
		}
		if _, err := w.oauth2Config("GoAppKey01", oauth2.AuthStyleInParams).Exchange(ctx, code, oauth2.VerifierOption(verifier)); err != nil {
			t.Errorf("the body attempt: %v", err)
		}
	})

	t.Run("wrong verifier", func(t *testing.T) {
		code := w.approveAndCode(t, "Go App", "dev@web.example", oauth2.GenerateVerifier())
		_, err := w.oauth2Config("GoAppKey01", oauth2.AuthStyleInParams).Exchange(ctx, code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		if !retrieveError(err, "invalid_grant", "invalid code verifier") {
			t.Errorf("Exchange: %v", err)
		}
		rows := w.loginRows(t, "dev@web.example", 1)
		if rows[0] != "Remote Access 2.0/OauthWebServer/Failed: Invalid Code Verifier/Go App" {
			t.Errorf("login history %v", rows)
		}
	})
}

// retrieveError reports whether err is golang.org/x/oauth2's error with this code and
// description.
func retrieveError(err error, code, desc string) bool {
	re, ok := err.(*oauth2.RetrieveError)
	return ok && re.ErrorCode == code && re.ErrorDescription == desc && re.Response.StatusCode == 400
}

// loginRows returns a user's newest n LoginHistory rows as type/subtype/status/application.
func (w *webGrants) loginRows(t *testing.T, username string, n int) []string {
	t.Helper()
	r := w.admin(t, http.MethodGet, "/login-history?user="+string(w.users[username])+"&limit=10", "")
	var rows []struct{ LoginType, LoginSubType, Status, Application string }
	if err := json.Unmarshal([]byte(r.Body), &rows); err != nil || len(rows) < n {
		t.Fatalf("login history: %v %s", err, r.Body)
	}
	var out []string
	for _, x := range rows[:n] {
		out = append(out, x.LoginType+"/"+x.LoginSubType+"/"+x.Status+"/"+x.Application)
	}
	return out
}

// mint uses the admin API's test shortcut.
func (w *webGrants) mint(t *testing.T, app, user string) (token, id, sfdxURL string) {
	t.Helper()
	r := w.admin(t, http.MethodPost, "/oauth-tokens", `{"app":"`+app+`","user":"`+user+`"}`)
	if r.Status != http.StatusCreated {
		t.Fatalf("mint: %d %s", r.Status, r.Body)
	}
	m := r.JSON(t)
	if strings.Contains(w.admin(t, http.MethodGet, "/oauth-tokens", "").Body, m["refreshToken"].(string)) {
		t.Errorf("the token listing shows a refresh token")
	}
	return m["refreshToken"].(string), m["id"].(string), m["sfdxAuthUrl"].(string)
}

func TestRefreshTokenPolicies(t *testing.T) {
	w := startWebGrants(t)
	const expired = "expired access/refresh token"
	step := func(t *testing.T, key, rt string, advance time.Duration, wantOK bool) {
		t.Helper()
		w.Clock.Advance(advance)
		tok, err := refresh(w.oauth2Config(key, oauth2.AuthStyleInParams), rt)
		if wantOK {
			if err != nil {
				t.Fatalf("after %v: %v", advance, err)
			}
			wantLive(t, w.testServer, tok.AccessToken, "refreshed token")
		} else if !retrieveError(err, "invalid_grant", expired) {
			t.Fatalf("after %v: %v, want invalid_grant %q", advance, err, expired)
		}
	}
	t.Run("valid until revoked", func(t *testing.T) {
		rt, _, _ := w.mint(t, "Go App", "dev@web.example")
		step(t, "GoAppKey01", rt, 0, true)
		step(t, "GoAppKey01", rt, 4000*time.Hour, true)
	})
	t.Run("immediately expire", func(t *testing.T) {
		rt, _, _ := w.mint(t, "Zero App", "dev@web.example")
		step(t, "ZeroAppKey1", rt, 0, false)
	})
	t.Run("expire if not used for 1 hour", func(t *testing.T) {
		rt, _, _ := w.mint(t, "Idle App", "dev@web.example")
		step(t, "IdleAppKey1", rt, 59*time.Minute, true)
		step(t, "IdleAppKey1", rt, 59*time.Minute, true) // 118 minutes after issue, 59 after the use
		step(t, "IdleAppKey1", rt, time.Hour, false)
	})
	t.Run("expire after 2 hours", func(t *testing.T) {
		rt, _, _ := w.mint(t, "Life App", "dev@web.example")
		step(t, "LifeAppKey1", rt, 119*time.Minute, true)
		step(t, "LifeAppKey1", rt, time.Minute, false)
	})
	t.Run("rotation", func(t *testing.T) {
		rt, _, _ := w.mint(t, "Rotating App", "dev@web.example")
		cfg := w.oauth2Config("RotAppKey01", oauth2.AuthStyleInParams)
		// golang.org/x/oauth2 honours a rotated token (the webflow reference §4.4).
		src := cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: rt, Expiry: time.Unix(1, 0)})
		tok, err := src.Token()
		if err != nil || tok.RefreshToken == rt || !strings.HasPrefix(tok.RefreshToken, "5Aep861") {
			t.Fatalf("rotation: %v %+v", err, tok)
		}
		if _, err := refresh(cfg, tok.RefreshToken); err != nil {
			t.Fatalf("the rotated token: %v", err)
		}
		if _, err := refresh(cfg, rt); !retrieveError(err, "invalid_grant", expired) {
			t.Errorf("the rotated-out token: %v", err)
		}
	})
	rows := w.loginRows(t, "dev@web.example", 1)
	if rows[0] != "Remote Access 2.0/OauthRefreshToken/Failed: Expired refresh token/Rotating App" {
		t.Errorf("login history %v", rows)
	}
}

func TestRefreshTokenRevocation(t *testing.T) {
	w := startWebGrants(t)
	ctx := context.Background()
	cfg := w.oauth2Config("GoAppKey01", oauth2.AuthStyleAutoDetect)
	exchange := func(t *testing.T) *oauth2.Token {
		t.Helper()
		v := oauth2.GenerateVerifier()
		tok, err := cfg.Exchange(ctx, w.approveAndCode(t, "Go App", "dev@web.example", v), oauth2.VerifierOption(v))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	revoke := func(t *testing.T, tok string) {
		t.Helper()
		if r := w.postForm(t, "/services/oauth2/revoke", url.Values{"token": {tok}}); r.Status != 200 {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
	}

	t.Run("revoke the access token, then refresh", func(t *testing.T) {
		tok := exchange(t)
		revoke(t, tok.AccessToken)
		wantDead(t, w.testServer, tok.AccessToken, "revoked access token")
		next, err := refresh(cfg, tok.RefreshToken)
		if err != nil {
			t.Fatalf("refresh after revoking the access token: %v", err)
		}
		wantLive(t, w.testServer, next.AccessToken, "refreshed")
	})
	t.Run("revoke the refresh token, then refresh", func(t *testing.T) {
		tok := exchange(t)
		next, err := refresh(cfg, tok.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		revoke(t, tok.RefreshToken)
		wantDead(t, w.testServer, tok.AccessToken, "the exchange's access token")
		wantDead(t, w.testServer, next.AccessToken, "the refresh's access token")
		if _, err := refresh(cfg, tok.RefreshToken); !retrieveError(err, "invalid_grant", "expired access/refresh token") {
			t.Errorf("refresh after revocation: %v", err)
		}
	})
	t.Run("a password change ends refresh tokens", func(t *testing.T) {
		tok := exchange(t)
		if r := w.admin(t, http.MethodPut, "/users/dev@web.example/password", `{"password":"a new password 2"}`); r.Status != http.StatusNoContent {
			t.Fatalf("set password: %d %s", r.Status, r.Body)
		}
		wantDead(t, w.testServer, tok.AccessToken, "after a password change")
		if _, err := refresh(cfg, tok.RefreshToken); !retrieveError(err, "invalid_grant", "expired access/refresh token") {
			t.Errorf("refresh after a password change: %v", err)
		}
	})
	t.Run("removing the approval ends refresh tokens", func(t *testing.T) {
		tok := exchange(t)
		other, _, _ := w.mint(t, "Idle App", "dev@web.example")
		r := w.admin(t, http.MethodDelete, "/users/dev@web.example/approvals?app=Go+App", "")
		if r.Status != 200 || !strings.Contains(r.Body, `"approvals":1`) || !strings.Contains(r.Body, `"oauthTokens":`) {
			t.Fatalf("revoke approvals: %d %s", r.Status, r.Body)
		}
		wantDead(t, w.testServer, tok.AccessToken, "after the approval was removed")
		if _, err := refresh(cfg, tok.RefreshToken); !retrieveError(err, "invalid_grant", "expired access/refresh token") {
			t.Errorf("refresh after the approval was removed: %v", err)
		}
		if _, err := refresh(w.oauth2Config("IdleAppKey1", oauth2.AuthStyleInParams), other); err != nil {
			t.Errorf("another app's token: %v", err)
		}
	})
	t.Run("deactivation through the org file ends refresh tokens", func(t *testing.T) {
		rt, _, _ := w.mint(t, "Go App", "ops@web.example")
		deactivate := strings.Replace(webGrantsOrg, `profile: Dev, password: "ops password 1"}`, `profile: Dev, password: "ops password 1", active: false}`, 1)
		if r := w.admin(t, http.MethodPost, "/apply?name=web.yaml", deactivate); r.Status != 200 {
			t.Fatalf("apply: %d %s", r.Status, r.Body)
		}
		if _, err := refresh(cfg, rt); !retrieveError(err, "invalid_grant", "expired access/refresh token") {
			t.Errorf("refresh after deactivation: %v", err)
		}
		if r := w.admin(t, http.MethodGet, "/oauth-tokens?user=ops@web.example", ""); r.Body != "[]" && r.Body != "[]\n" {
			t.Errorf("ops@ still has tokens: %s", r.Body)
		}
	})
	t.Run("admin revocation of one token", func(t *testing.T) {
		rt, id, _ := w.mint(t, "Go App", "dev@web.example")
		list := w.admin(t, http.MethodGet, "/oauth-tokens?user=dev@web.example&app=Go+App", "")
		if !strings.Contains(list.Body, id) {
			t.Fatalf("listing lacks %s: %s", id, list.Body)
		}
		if r := w.admin(t, http.MethodDelete, "/oauth-tokens/"+id, ""); r.Status != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		if _, err := refresh(cfg, rt); !retrieveError(err, "invalid_grant", "expired access/refresh token") {
			t.Errorf("refresh after admin revocation: %v", err)
		}
		if r := w.admin(t, http.MethodDelete, "/oauth-tokens/"+id, ""); r.Status != http.StatusNotFound {
			t.Errorf("second revocation: %d %s", r.Status, r.Body)
		}
	})
}

func TestPlatformCLIRefresh(t *testing.T) {
	w := startWebGrants(t)
	// The built-in app exists, with the settings sf needs.
	r := w.admin(t, http.MethodGet, "/apps", "")
	var apps []struct {
		Name                                          string
		CallbackURLs                                  []string
		ConsumerSecretOptional, RefreshSecretOptional bool
		Credentials                                   []struct{ ConsumerKey string }
	}
	if err := json.Unmarshal([]byte(r.Body), &apps); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range apps {
		if a.Name == "Salesforce CLI" {
			found = len(a.Credentials) == 1 && a.Credentials[0].ConsumerKey == "PlatformCLI" && a.ConsumerSecretOptional &&
				a.RefreshSecretOptional && len(a.CallbackURLs) == 1 && a.CallbackURLs[0] == "http://localhost:1717/OauthRedirect"
		}
	}
	if !found {
		t.Fatalf("no built-in Salesforce CLI app in %s", r.Body)
	}
	// The shortcut's sfdx auth URL, used as sf uses it: no secret.
	_, _, sfdx := w.mint(t, "Salesforce CLI", "dev@web.example")
	u, err := url.Parse(sfdx)
	if err != nil || u.Scheme != "force" {
		t.Fatalf("sfdx auth URL %q: %v", sfdx, err)
	}
	parts := strings.SplitN(strings.TrimPrefix(sfdx, "force://"), ":", 3)
	rt := strings.SplitN(parts[2], "@", 2)[0]
	if parts[0] != "PlatformCLI" || parts[1] != "" {
		t.Fatalf("sfdx auth URL %q: want force://PlatformCLI::<token>@host", sfdx)
	}
	resp := w.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"PlatformCLI"}})
	if resp.Status != 200 {
		t.Fatalf("refresh without a secret: %d %s", resp.Status, resp.Body)
	}
	m := resp.JSON(t)
	wantLive(t, w.testServer, m["access_token"].(string), "PlatformCLI session")
	if _, ok := m["signature"]; ok {
		t.Errorf("a public client's response carries a signature: %s", resp.Body)
	}
	if rows := w.loginRows(t, "dev@web.example", 1); rows[0] != "Remote Access 2.0/OauthRefreshToken/Success/Salesforce CLI" {
		t.Errorf("login history %v", rows)
	}

	// An org file that declares the key takes it from the built-in app.
	own := webGrantsOrg + `      - {name: Our CLI, scopes: [api, refresh_token], callbackUrls: ["http://localhost:1717/OauthRedirect"], consumerKey: PlatformCLI, consumerSecret: OurCliSecret1, consumerSecretOptional: true, refreshSecretOptional: true}
`
	if r := w.admin(t, http.MethodPost, "/apply?name=web.yaml", own); r.Status != 200 {
		t.Fatalf("apply an app with consumer key PlatformCLI: %d %s", r.Status, r.Body)
	}
	r = w.admin(t, http.MethodGet, "/apps", "")
	apps = nil
	if err := json.Unmarshal([]byte(r.Body), &apps); err != nil {
		t.Fatal(err)
	}
	holders := map[string]int{}
	for _, a := range apps {
		for _, c := range a.Credentials {
			if c.ConsumerKey == "PlatformCLI" {
				holders[a.Name]++
			}
		}
	}
	if diff := cmp.Diff(map[string]int{"Our CLI": 1}, holders); diff != "" {
		t.Errorf("holders of PlatformCLI (-want +got):\n%s", diff)
	}
	if rows := w.auditTrail(t, "?limit=20"); !strings.Contains(fmt.Sprint(rows), "Deleted consumer credentials") {
		t.Errorf("no audit row for the built-in app's key: %+v", rows)
	}
}

// TestCodeSweeperRuns: the background sweep deletes codes past their 15 minutes and keeps
// the others.
func TestCodeSweeperRuns(t *testing.T) {
	orgFile, dir := writeOrgFile(t, webGrantsOrg)
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile, CredentialSweepInterval: 10 * time.Millisecond})
	ctx := context.Background()
	apps, err := s.st.ConnectedApps(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	users, err := s.st.Users(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	now := s.Clock.Now()
	put := func(name string, issued time.Time) []byte {
		h := sha256.Sum256([]byte(name))
		if err := s.st.PutAuthCode(ctx, org.AuthCode{CodeHash: h[:], OrgID: apps[0].OrgID, UserID: users[0].ID, AppID: apps[0].ID,
			RedirectURI: goAppCallback, CreatedAt: issued, ExpiresAt: issued.Add(org.AuthCodeLifetime)}); err != nil {
			t.Fatal(err)
		}
		return h[:]
	}
	old := put("old", now.Add(-16*time.Minute))
	live := put("live", now.Add(-14*time.Minute))
	// Codes have no read but the taking one: take the expired code until the sweeper has
	// deleted it first, putting it back each time we got it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := s.st.TakeAuthCode(ctx, old)
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("the expired code is still stored after 10 s")
		}
		old = put("old", now.Add(-16*time.Minute))
		// The sweep is a cluster timer (cluster.Timers.Due): on PostgreSQL it runs again
		// only once the server's clock has passed the next run, and this clock is frozen.
		s.Clock.Advance(20 * time.Millisecond)
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := s.st.TakeAuthCode(ctx, live); err != nil { // still there: the sweep keeps live codes
		t.Errorf("the sweep deleted a live code: %v", err)
	}
}
