package server

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Who may use the console (issue 11 §3), through HTTP with a cookie jar.

func TestConsoleLoginRedirect(t *testing.T) {
	s := startConsole(t)
	b := newBrowser(t, s.URL, nil)
	r := b.get("/lightning/setup/ManageUsers/home")
	if r.Status != http.StatusFound || r.Header.Get("Location") != "/?startURL="+url.QueryEscape("/lightning/setup/ManageUsers/home") {
		t.Fatalf("no session: %d Location %q, want 302 to the login page", r.Status, r.Header.Get("Location"))
	}
	b.mustLogin(consoleAdmin, consolePassword, "/lightning/setup/ManageUsers/home")
}

func TestConsoleSetupHome(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleAdmin)
	r := b.get("/lightning/setup/SetupOneHome/home")
	wantPage(t, r, http.StatusOK, "Console Org", `id="count-users">6<`, "client_id=ConsoleKey0001",
		"runs as "+consoleAPIOnly, s.URL+"/services/oauth2/token")
	wantConsoleHeaders(t, r.Header)
	if got := b.get("/lightning/setup/").Header.Get("Location"); got != "/lightning/setup/SetupOneHome/home" {
		t.Errorf("/lightning/setup/ redirects to %q", got)
	}
	wantPage(t, b.get("/lightning/setup/NoSuchPage/home"), http.StatusNotFound, "Page Not Found")
}

func TestConsoleAccess(t *testing.T) {
	s := startConsole(t)
	for _, tc := range []struct {
		user   string
		status int
		want   string
	}{
		{consoleAdmin, http.StatusOK, "Setup Home"},
		{consoleUserAdmin, http.StatusOK, "Setup Home"},
		{consoleAppAdmin, http.StatusOK, "Setup Home"},
		{consoleViewer, http.StatusOK, "read only"},
		{consoleNobody, http.StatusForbidden, "Insufficient Privileges"},
	} {
		t.Run(tc.user, func(t *testing.T) {
			b := consoleLogin(t, s, tc.user)
			r := b.get("/lightning/setup/SetupOneHome/home")
			wantPage(t, r, tc.status, tc.want)
			wantConsoleHeaders(t, r.Header)
		})
	}
	// An API-only user never gets a UI session (weblogin's rule, seed 000's profile).
	b := newBrowser(t, s.URL, nil)
	r := b.login(consoleAPIOnly, consolePassword, "/lightning/setup/SetupOneHome/home")
	wantPage(t, r, http.StatusOK, "Access Restricted for API Only Users")
	if b.cookie("sid") != nil {
		t.Error("an API-only user got a UI session")
	}
}

// A form posted from another site's page — the right cookie and even the right token, but
// an Origin naming another host — changes nothing (issue 11 §3); the same post from the
// console's own page works.
func TestConsoleCrossOriginPost(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleAdmin)
	post := func(origin, username string) response {
		t.Helper()
		page := b.get("/lightning/setup/ManageUsers/new")
		form := newUserForm(t, page.Body, username, "Crossed")
		req := newRequest(t, http.MethodPost, s.URL+"/lightning/setup/ManageUsers/new", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", origin)
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return response{resp.StatusCode, resp.Header, string(body)}
	}
	wantPage(t, post("https://evil.example", "crossed@console.example"), http.StatusForbidden, "Invalid Request")
	wantPage(t, post("null", "crossed2@console.example"), http.StatusSeeOther) // privacy modes send "null": the token alone decides
	wantPage(t, post(s.URL, "same@console.example"), http.StatusSeeOther)
	users := b.get(usersHome).Body
	if strings.Contains(users, "crossed@console.example") {
		t.Error("a cross-origin post created a user")
	}
	if !strings.Contains(users, "same@console.example") {
		t.Error("a same-origin post created no user")
	}
}
