package server

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Browser login (issue 10 §1; the webflow reference §2.1–§2.2) over HTTP on loopback.

const (
	msgGeneric   = "Please check your username and password. If you still can't log in, contact your Salesforce administrator."
	msgLockedOut = "Your account has been locked due to too many failed login attempts. Contact your Salesforce administrator, or wait until the lockout period expires."
	msgThrottled = "Too many login attempts. Wait a minute and try again."
	msgIP        = "You can't log in from this IP address. Contact your Salesforce administrator."
)

func TestWebLoginRefusals(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	id := func(u string) string { _, uid := s.ids(t, u); return uid }
	for _, tc := range []struct {
		name, username, pw string
		message            string // the login page's error text; "" for the API-only page
		status             string // LoginHistory status; "" for no row
		userID             string
	}{
		{"unknown username", "nobody@web.example", "whatever", msgGeneric, "", ""},
		{"user of no org, wrong case", "NOBODY@WEB.EXAMPLE", "whatever", msgGeneric, "", ""},
		{"wrong password", "alice@web.example", "Alice pass 2", msgGeneric, "Invalid Password", id("alice@web.example")},
		{"user without a password", "nopw@web.example", "anything", msgGeneric, "Invalid Password", id("nopw@web.example")},
		{"inactive user, right password", "gone@web.example", "Gone pass 1", msgGeneric, "User is Inactive", id("gone@web.example")},
		{"outside the profile's login IP ranges", "office@web.example", "Office pass 1", msgIP, "Restricted IP", id("office@web.example")},
		{"API-only profile", "api@web.example", "Api pass 1", "", "Failed: API-only user", id("api@web.example")},
		{"API-only permission set", "apips@web.example", "ApiPs pass 1", "", "Failed: API-only user", id("apips@web.example")},
		{"empty password", "alice@web.example", "", msgGeneric, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(s.loginRows(t))
			b := newBrowser(t, s.URL, nil)
			r := b.login(tc.username, tc.pw, "/")
			if r.Status != http.StatusOK {
				t.Fatalf("status %d, want 200 (the page again)\n%s", r.Status, r.Body)
			}
			if tc.message == "" {
				if !strings.Contains(r.Body, `<h1 id="api_only">Access Restricted for API Only Users</h1>`) ||
					!strings.Contains(r.Body, "You successfully updated your settings, and can no longer access the UI. Close this window to continue.") {
					t.Errorf("want the API-only page, got\n%s", r.Body)
				}
			} else if got := pageError(r.Body); got != tc.message {
				t.Errorf("error text %q, want %q", got, tc.message)
			}
			if c := b.cookie("sid"); c != nil {
				t.Errorf("refused login set a session cookie %q", c.Value)
			}
			if strings.Contains(r.Body, tc.pw) && tc.pw != "" {
				t.Error("the page echoes the password")
			}
			rows := s.loginRows(t)
			if tc.status == "" {
				if len(rows) != before {
					t.Errorf("%d new LoginHistory rows, want none: %v", len(rows)-before, rows[0])
				}
				return
			}
			if len(rows) != before+1 {
				t.Fatalf("%d new LoginHistory rows, want 1", len(rows)-before)
			}
			s.wantUILogin(t, tc.status, tc.userID)
		})
	}
}

func TestWebLoginSuccess(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	_, alice := s.ids(t, "alice@web.example")
	b := newBrowser(t, s.URL, nil)
	// Not logged in: / is the login page, with the username pre-filled from login_hint.
	if r := b.get("/?login_hint=" + url.QueryEscape("alice@web.example")); r.Status != http.StatusOK ||
		!strings.Contains(r.Body, `<input id="username" name="username" type="text" value="alice@web.example"`) ||
		!strings.Contains(r.Body, `<input id="password" name="pw" type="password"`) || !strings.Contains(r.Body, `<input id="Login"`) {
		t.Fatalf("login page: %d\n%s", r.Status, r.Body)
	}
	// The username is matched without regard to case, as in Salesforce.
	_, resp := b.do(http.MethodPost, "/login", url.Values{"username": {"Alice@Web.Example"}, "pw": {"Alice pass 1"},
		"startURL": {"/home/home.jsp?x=1"}, "csrf": {csrf(t, b.get("/login").Body)}})
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/home/home.jsp?x=1" {
		t.Fatalf("login: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var sid *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "sid" {
			sid = c
		}
	}
	if sid == nil || !sid.HttpOnly || sid.SameSite != http.SameSiteLaxMode || sid.Path != "/" || sid.Secure {
		t.Fatalf("sid cookie over plain HTTP = %+v, want HttpOnly, SameSite=Lax, Path=/, not Secure", sid)
	}
	s.wantUILogin(t, "Success", alice)
	// Logged in: / is the home page.
	if r := b.get("/"); r.Status != http.StatusOK || !strings.Contains(r.Body, `Logged in as <strong>alice@web.example</strong>`) ||
		!strings.Contains(r.Body, "Web Org") || !strings.Contains(r.Body, `href="/secur/logout.jsp"`) {
		t.Fatalf("home page: %d\n%s", r.Status, r.Body)
	}
	// The UI session opens the UI only: as a bearer token it is refused by the REST API.
	if r := s.get(t, "/services/data/v60.0/sobjects", sid.Value); r.Status != http.StatusUnauthorized && r.Status != http.StatusForbidden {
		t.Errorf("UI session on the REST API: %d %s, want refused", r.Status, r.Body)
	}
	// Logout revokes the session: the old cookie value no longer logs anybody in.
	if r := b.get("/secur/logout.jsp"); r.Status != http.StatusFound || r.Header.Get("Location") != "/" {
		t.Fatalf("logout: %d %q", r.Status, r.Header.Get("Location"))
	}
	if b.cookie("sid") != nil {
		t.Error("logout left the sid cookie in the browser")
	}
	replay := newBrowser(t, s.URL, nil)
	u, _ := url.Parse(s.URL)
	replay.jar.SetCookies(u, []*http.Cookie{{Name: "sid", Value: sid.Value}})
	if r := replay.get("/"); !strings.Contains(r.Body, `id="Login"`) {
		t.Errorf("the logged-out session still opens the home page:\n%s", r.Body)
	}
}

// The sid cookie is Secure when the login came over TLS.
func TestWebLoginCookieOverTLS(t *testing.T) {
	s := startOrg(t, webOrgFile, true)
	b := newBrowser(t, s.HTTPS, tlsClientFor(t, s.CertFile))
	page, resp := b.do(http.MethodGet, "/login", nil)
	for _, c := range resp.Cookies() {
		if c.Name == "login_csrf" && (!c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode) {
			t.Errorf("login_csrf cookie over TLS = %+v, want Secure, HttpOnly, SameSite=Lax", c)
		}
	}
	_, resp = b.do(http.MethodPost, "/login", url.Values{"username": {"alice@web.example"}, "pw": {"Alice pass 1"},
		"startURL": {"/"}, "csrf": {csrf(t, page.Body)}})
	var found bool
	for _, c := range resp.Cookies() {
		if c.Name == "sid" {
			found = true
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("sid cookie over TLS = %+v, want Secure, HttpOnly, SameSite=Lax", c)
			}
		}
	}
	if !found {
		t.Fatalf("no sid cookie: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestWebLoginCSRF(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	b := newBrowser(t, s.URL, nil)
	token := csrf(t, b.get("/login").Body)
	other := newBrowser(t, s.URL, nil)
	otherToken := csrf(t, other.get("/login").Body)
	form := func(tok string) url.Values {
		return url.Values{"username": {"alice@web.example"}, "pw": {"Alice pass 1"}, "startURL": {"/"}, "csrf": {tok}}
	}
	for _, tc := range []struct {
		name string
		b    *browser
		form url.Values
	}{
		{"no token", b, form("")},
		{"wrong token", b, form(token[:len(token)-2] + "xx")},
		{"another browser's token", b, form(otherToken)},
		{"no pre-session cookie", newBrowser(t, s.URL, nil), form(token)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.b.post("/login", tc.form)
			if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Invalid Page Request") {
				t.Errorf("status %d, want 403 Invalid Page Request\n%s", r.Status, r.Body)
			}
			if tc.b.cookie("sid") != nil {
				t.Error("a forged login set a session")
			}
		})
	}
	// A genuine token posted from another site's page (Origin) is refused too.
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/login", strings.NewReader(form(token).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if resp, err := b.c.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin login POST: %v %v, want 403", resp.StatusCode, err)
	} else {
		resp.Body.Close()
	}
	// The real form still works, with or without a same-origin Origin.
	if r := b.post("/login", form(token)); r.Status != http.StatusFound {
		t.Errorf("genuine login: %d", r.Status)
	}
}

// startURL is a local path or nothing: the login form is no open redirect.
func TestWebLoginOpenRedirect(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	for _, tc := range []struct{ startURL, want string }{
		{"https://evil.example/", "/"},
		{"//evil.example/x", "/"},
		{"/\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"\n//evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"http:/evil.example", "/"},
		{"", "/"},
		{"/setup/secur/RemoteAccessAuthorizationPage.apexp?source=abc", "/setup/secur/RemoteAccessAuthorizationPage.apexp?source=abc"},
	} {
		t.Run(tc.startURL, func(t *testing.T) {
			b := newBrowser(t, s.URL, nil)
			r := b.login("alice@web.example", "Alice pass 1", tc.startURL)
			if r.Status != http.StatusFound || r.Header.Get("Location") != tc.want {
				t.Errorf("startURL %q: %d Location %q, want %q", tc.startURL, r.Status, r.Header.Get("Location"), tc.want)
			}
			// The form rendered with such a startURL carries the safe value too.
			page := b.get("/login?startURL=" + url.QueryEscape(tc.startURL))
			if strings.Contains(page.Body, "evil.example") {
				t.Errorf("login page carries the foreign startURL:\n%s", page.Body)
			}
		})
	}
}

func TestWebLoginLockout(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	_, lock := s.ids(t, "lock@web.example")
	b := newBrowser(t, s.URL, nil)
	// maxLoginAttempts (3) wrong passwords, each an Invalid Password row.
	for range 3 {
		if r := b.login("lock@web.example", "wrong", "/"); pageError(r.Body) != msgGeneric {
			t.Fatalf("wrong password: %q", pageError(r.Body))
		}
		s.wantUILogin(t, "Invalid Password", lock)
	}
	// Locked: the right password is refused too.
	if r := b.login("lock@web.example", "Lock pass 1", "/"); pageError(r.Body) != msgLockedOut || b.cookie("sid") != nil {
		t.Fatalf("locked user, right password: %q", pageError(r.Body))
	}
	s.wantUILogin(t, "Password Lockout", lock)
	// The lockout is the user's, shared with the password grant (one password check).
	wantOAuthError(t, s.postForm(t, "/services/oauth2/token", passwordForm("WebKey000001", "WebSecret000001", "lock@web.example", "Lock pass 1")),
		http.StatusBadRequest, "invalid_grant", "authentication failure")
	s.wantLogin(t, "OauthUsernamePassword", "Password Lockout", lock)
	s.Clock.Advance(15 * time.Minute)
	b.mustLogin("lock@web.example", "Lock pass 1", "/")
	s.wantUILogin(t, "Success", lock)
}

// Guessing is throttled per (username, address): past the burst an address gets the
// throttle's answer even for the right password — nothing is checked or counted — while
// the real user at another address logs in.
func TestWebLoginThrottle(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	_, other := s.ids(t, "other@other.example")
	attacker := newBrowser(t, s.URL, nil)
	for i := range 10 {
		if r := attacker.login("other@other.example", "guess", "/"); pageError(r.Body) != msgGeneric {
			t.Fatalf("guess %d: %q", i+1, pageError(r.Body))
		}
	}
	before := len(s.loginRows(t))
	if r := attacker.login("other@other.example", "Other pass 1", "/"); pageError(r.Body) != msgThrottled || attacker.cookie("sid") != nil {
		t.Fatalf("11th attempt from the same address: %q, want the throttle's text and no session", pageError(r.Body))
	}
	s.wantUILogin(t, "Login rate exceeded", other)
	if n := len(s.loginRows(t)); n != before+1 {
		t.Errorf("%d rows for the throttled attempt, want 1", n-before)
	}
	// Unknown usernames are throttled the same way (and leave no row).
	for range 10 {
		attacker.login("ghost@other.example", "guess", "/")
	}
	if r := attacker.login("ghost@other.example", "guess", "/"); pageError(r.Body) != msgThrottled {
		t.Errorf("unknown username past the burst: %q", pageError(r.Body))
	}
	// The real user, from another address, is not slowed down.
	real := newBrowser(t, s.URL, fromAddress(t, "127.0.0.2"))
	real.mustLogin("other@other.example", "Other pass 1", "/")
	if row := s.lastLogin(t); row["sourceIp"] != "127.0.0.2" || row["status"] != "Success" {
		t.Errorf("real user's login: %v", row)
	}
}

// Racing wrong passwords from one address: no more than the burst is checked.
func TestWebLoginThrottleRace(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	b := newBrowser(t, s.URL, nil)
	token := csrf(t, b.get("/login").Body)
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[string]int{}
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := b.post("/login", url.Values{"username": {"other@other.example"}, "pw": {"guess"}, "startURL": {"/"}, "csrf": {token}})
			mu.Lock()
			counts[pageError(r.Body)]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if counts[msgGeneric] != 10 || counts[msgThrottled] != 22 {
		t.Errorf("32 racing guesses: %v, want 10 checked and 22 throttled", counts)
	}
}
