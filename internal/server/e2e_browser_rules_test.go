package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// The browser's side of the rules (issue 10 §1–§2, salesforce-webflow.md §1.4, §2.1): the
// session cookie's flags as chromium stores them (and the cookie refused by the REST API),
// logout, an API-only user's refusal, Deny on the approval page, a forged Allow from another
// page, and the user-agent flow's fragment. One server (both listeners) and one chromium for
// all of it; each subtest starts with an empty cookie jar.
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

	t.Run("forged Allow from another page", func(t *testing.T) {
		// The user is logged in and looking at "Allow Access?"; another page posts Allow for
		// the same pending request. Each defence on its own: from another site (localhost,
		// not 127.0.0.1) even a form carrying the real CSRF token fails, because the
		// SameSite=Lax cookie stays home on a cross-site POST; from the same site the cookie
		// goes along, and the missing token must stop it. Neither may bring a code back.
		b.clearCookies()
		authz := s.URL + "/services/oauth2/authorize?" + url.Values{
			"response_type": {"code"}, "client_id": {webKey}, "redirect_uri": {cb.URL}, "state": {"forged"}}.Encode()
		b.open(authz)
		b.login(webUser, webPassword)
		b.do("wait for the approval page", chromedp.WaitVisible(chromedp.ID("allow")))
		source, token := b.value(`input[name="source"]`), b.value(`input[name="csrf"]`)
		action := s.URL + "/setup/secur/RemoteAccessAuthorizationPage.apexp"
		form := func(fields string) string {
			return `<form method="post" action="` + action + `"><input name="source" value="` + source + `">` +
				`<input name="action" value="allow">` + fields + `</form><script>document.forms[0].submit()</script>`
		}
		for _, tc := range []struct{ name, host, fields string }{
			{"cross-site, with the token", "localhost", `<input name="csrf" value="` + token + `">`},
			{"same site, without the token", "127.0.0.1", ""},
		} {
			b.openAndFollow(strings.Replace(newAttackerPage(t, form(tc.fields)), "127.0.0.1", tc.host, 1))
			select {
			case q := <-cb.got:
				t.Errorf("%s: the forged Allow brought the callback %v", tc.name, q)
			default:
			}
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

// newAttackerPage serves one HTML page on its own loopback port and returns its URL
// (http://127.0.0.1:PORT/).
func newAttackerPage(t *testing.T, html string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><title>Elsewhere</title>"+html)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
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
