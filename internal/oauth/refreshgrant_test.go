package oauth

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/store"
)

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
			return refreshForm("WebKey0001", "WebSecret01", newOpaque(secret.RefreshTokenPrefix))
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
