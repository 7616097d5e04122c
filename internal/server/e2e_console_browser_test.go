package server

import (
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
