package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// The browser's side of the rules (issue 10 §1–§2, salesforce-webflow.md §1.4, §2.1): the
// session cookie's flags as chromium stores them, an API-only user's refusal, and Deny on
// the approval page. One server (both listeners) and one chromium for all of it.
func TestBrowserLoginRules(t *testing.T) {
	cb := newCallback(t)
	s := startWebOrg(t, cb.URL, true)
	b := newChromium(t, trustCert(t, s.CertFile))

	t.Run("session cookie over TLS", func(t *testing.T) {
		b.clearCookies()
		b.open(s.HTTPS + "/")
		b.login(webUser, webPassword)
		sid := b.cookies(s.HTTPS)["sid"]
		wantSID(t, sid, true)
		// The cookie the browser holds is a UI session: no API access with it.
		wantRESTError(t, s.get(t, "/services/data/v59.0/limits", sid.Value), 401,
			"INVALID_SESSION_ID", "This session is not valid for use with the REST API")
	})

	t.Run("session cookie over plain HTTP, and logout", func(t *testing.T) {
		b.clearCookies()
		b.open(s.URL + "/")
		b.login(webUser, webPassword)
		wantSID(t, b.cookies(s.URL)["sid"], false)

		b.open(s.URL + "/secur/logout.jsp")
		if sid := b.cookies(s.URL)["sid"]; sid != nil {
			t.Errorf("after logout the browser still holds sid (expires %v)", sid.Expires)
		}
		b.open(s.URL + "/")
		b.do("the login page after logout", chromedp.WaitVisible(chromedp.ID("username")))
	})

	t.Run("API-only user", func(t *testing.T) {
		b.clearCookies()
		authz := s.URL + "/services/oauth2/authorize?" + url.Values{
			"response_type": {"code"}, "client_id": {webKey}, "redirect_uri": {cb.URL}, "state": {"api-only"}}.Encode()
		b.open(authz)
		b.login(apiOnlyUser, webPassword)
		b.waitText("Access Restricted for API Only Users")
		if sid := b.cookies(s.URL)["sid"]; sid != nil {
			t.Errorf("an API-only user got a UI session cookie")
		}
		select {
		case q := <-cb.got:
			t.Errorf("the callback was called for an API-only user: %v", q)
		default:
		}
		want := []string{"Application/UsernamePasswordUiLogin/Failed: API-only user/Browser"}
		if diff := cmp.Diff(want, s.userLoginRows(t, apiOnlyUser)); diff != "" {
			t.Errorf("LoginHistory of %s (-want +got):\n%s", apiOnlyUser, diff)
		}
	})

	t.Run("Deny", func(t *testing.T) {
		b.clearCookies()
		state := randomState(t)
		authz := s.URL + "/services/oauth2/authorize?" + url.Values{
			"response_type": {"code"}, "client_id": {webKey}, "redirect_uri": {cb.URL}, "state": {state}}.Encode()
		b.open(authz)
		b.login(webUser, webPassword)
		b.deny()
		want := url.Values{"error": {"access_denied"}, "error_description": {"end-user denied authorization"}, "state": {state}}
		if diff := cmp.Diff(want, cb.wait(t)); diff != "" {
			t.Errorf("callback after Deny (-want +got):\n%s", diff)
		}
		// Form encoding, as observed: end-user+denied+authorization (§1.4).
		if loc := b.location(); !strings.Contains(loc, "error_description=end-user+denied+authorization") {
			t.Errorf("callback URL %s, want error_description=end-user+denied+authorization", loc)
		}
	})

	t.Run("user-agent flow", func(t *testing.T) {
		b.clearCookies()
		state := randomState(t)
		authz := s.URL + "/services/oauth2/authorize?" + url.Values{
			"response_type": {"token"}, "client_id": {webKey}, "redirect_uri": {cb.URL}, "state": {state}}.Encode()
		b.open(authz)
		b.login(webUser, webPassword)
		b.approve()
		// The tokens travel in the fragment (§5.1), which the browser keeps to itself.
		if q := cb.wait(t); len(q) != 0 {
			t.Errorf("the callback's query %v, want none: the tokens belong in the fragment", q)
		}
		loc := b.location()
		_, frag, _ := strings.Cut(loc, "#")
		f, err := url.ParseQuery(frag)
		if err != nil {
			t.Fatalf("callback fragment %q: %v", frag, err)
		}
		got := map[string]string{"instance_url": f.Get("instance_url"), "id": f.Get("id"), "token_type": f.Get("token_type"),
			"state": f.Get("state"), "scope": f.Get("scope")}
		want := map[string]string{"instance_url": s.URL, "id": s.identityURL(t, webUser), "token_type": "Bearer",
			"state": state, "scope": "api id refresh_token"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("callback fragment (-want +got):\n%s", diff)
		}
		if !strings.HasPrefix(f.Get("refresh_token"), "5Aep861") || f.Get("issued_at") == "" {
			t.Errorf("fragment refresh_token %.12q…, issued_at %q: want both", f.Get("refresh_token"), f.Get("issued_at"))
		}
		if r := s.get(t, "/services/data/v59.0/limits", f.Get("access_token")); r.Status != http.StatusOK {
			t.Errorf("the fragment's access token at the REST API: %d %s", r.Status, r.Body)
		}
		n := 0
		for _, row := range s.userLoginRows(t, webUser) {
			if row == "Remote Access 2.0/OauthUserAgent/Success/Web App" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d OauthUserAgent LoginHistory rows for %s, want 1: %v", n, webUser, s.userLoginRows(t, webUser))
		}
	})
}

// wantSID checks the UI session cookie's flags: HttpOnly, SameSite=Lax, Path=/, and Secure
// exactly when it was set over TLS.
func wantSID(t *testing.T, sid *network.Cookie, secure bool) {
	t.Helper()
	if sid == nil {
		t.Fatal("no sid cookie after the login")
	}
	got := map[string]any{"HttpOnly": sid.HTTPOnly, "SameSite": sid.SameSite, "Secure": sid.Secure, "Path": sid.Path}
	want := map[string]any{"HttpOnly": true, "SameSite": network.CookieSameSiteLax, "Secure": secure, "Path": "/"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sid cookie flags (-want +got):\n%s", diff)
	}
	if sid.Value == "" {
		t.Error("sid cookie is empty")
	}
}
