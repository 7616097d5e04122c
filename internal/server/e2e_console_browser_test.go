package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The console in Chromium: the login brings the browser back to the Setup page it asked
// for, and Setup Home shows the org's "get a token" line.
func TestConsoleBrowserHome(t *testing.T) {
	s := startConsole(t)
	b := newChromium(t, wideWindow)
	consoleChromium(s, b, consoleAdmin)
	if loc := b.location(); loc != s.URL+"/lightning/setup/SetupOneHome/home" {
		t.Fatalf("after login the browser is at %s", loc)
	}
	text := b.waitText("Get a Token")
	if !strings.Contains(text, "client_id=ConsoleKey0001") {
		t.Errorf("Setup Home lacks the curl line:\n%s", text)
	}
	b.screenshot("setup-home")
}

// Who may not use the console, in Chromium: an API-only user is stopped at the login page,
// and a user without a Setup permission gets "Insufficient Privileges" and no Setup menu.
func TestConsoleBrowserRefusals(t *testing.T) {
	s := startConsole(t)
	b := newChromium(t, wideWindow)
	b.open(s.URL + "/lightning/setup/SetupOneHome/home")
	b.login(consoleAPIOnly, consolePassword)
	b.waitText("Access Restricted for API Only Users")

	b = newChromium(t, wideWindow)
	b.open(s.URL + "/lightning/setup/ManageUsers/home")
	b.login(consoleNobody, consolePassword)
	text := b.waitText("Insufficient Privileges")
	if strings.Contains(text, "App Manager") || strings.Contains(text, "New User") {
		t.Errorf("a user without Setup permissions sees Setup:\n%s", text)
	}
	b.screenshot("console-insufficient")
}

// A forged form on another origin (another port of 127.0.0.1: the same site, so the
// browser sends the session cookie along) posts New User to the console by script as
// soon as the logged-in admin opens it. The console refuses it — no CSRF token, and an
// Origin that is not its own — and no user is created.
func TestConsoleBrowserCSRF(t *testing.T) {
	s := startConsole(t)
	// A complete, valid form (the attacker knows a profile's ID): only the CSRF defence
	// stands between it and a new user.
	bot, err := s.st.UserByUsername(context.Background(), consoleAPIOnly)
	if err != nil {
		t.Fatal(err)
	}
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><body><form method="post" action="%s/lightning/setup/ManageUsers/new">
<input name="LastName" value="Forged"><input name="Email" value="forged@console.example">
<input name="Username" value="forged@console.example"><input name="IsActive" value="1">
<input name="Profile" value="%s"><input name="TimeZoneSidKey" value="Europe/Paris">
<input name="LocaleSidKey" value="en_US"><input name="LanguageLocaleKey" value="en_US">
</form><script>document.forms[0].submit()</script></body></html>`, s.URL, bot.ProfileID)
	}))
	defer evil.Close()
	b := newChromium(t, wideWindow)
	consoleChromium(s, b, consoleAdmin)
	b.open(evil.URL)
	b.waitText("Invalid Request")
	if u := s.admin(t, http.MethodGet, "/users", ""); strings.Contains(u.Body, "forged@console.example") {
		t.Fatal("the forged form created a user")
	}
}
