package server

import (
	"net/http"
	"strings"
	"testing"
)

// Seed 000's App Manager steps in Chromium, by Salesforce's labels: New Connected App,
// Enable OAuth Settings, Callback URL, the api scope, Enable Client Credentials Flow with
// its warning accepted and — where the flow is enabled, not elsewhere — Run As; then the
// key and secret from the page get a token that calls the data API. Then New External
// Client App.
func TestConsoleAppsBrowser(t *testing.T) {
	s := startConsole(t)
	b := newChromium(t, wideWindow)
	consoleChromium(s, b, consoleAdmin)

	b.open(s.URL + appsPrefix + "home")
	b.waitText("Console Integration")
	b.screenshot("apps-list")

	b.press("New Connected App")
	b.waitText("Basic Information")
	b.fill("Connected App Name", "Seed App")
	b.fill("API Name", "Seed_Integration")
	b.fill("Contact Email", "admin@console.example")
	b.fill("Description", "Server-to-server integration of seed 000")
	b.setChecked("Enable OAuth Settings", true)
	b.fill("Callback URL", "https://localhost")
	b.choose("Selected OAuth Scopes", "Manage user data via APIs (api)")
	b.setChecked("Enable Client Credentials Flow", true)
	b.setChecked("Accept the client credentials warning", true)
	b.choose("Run As", consoleAPIOnly)
	b.screenshot("apps-new")
	b.press("Save")
	b.waitText("shown only once")
	b.screenshot("apps-created")
	key, secret := b.textOf("#consumer-key"), b.textOf("#consumer-secret")

	tok := s.token(t, key, secret)
	if r := s.get(t, "/services/data/v62.0/sobjects", tok); r.Status != http.StatusOK || !strings.Contains(r.Body, `"sobjects"`) {
		t.Fatalf("data API with the clicked app's token: %d %s", r.Status, r.Body)
	}

	b.press("Continue")
	text := b.waitText("API Name")
	for _, want := range []string{"Seed_Integration", key, consoleAPIOnly, "Manage user data via APIs (api)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the app's page lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, secret) {
		t.Error("the app's page shows the secret again")
	}
	b.screenshot("apps-view")

	b.open(s.URL + appsPrefix + "home")
	b.press("New External Client App")
	b.waitText("Flow Enablement")
	b.fill("External Client App Name", "Partner Feed")
	b.fill("Callback URL", "https://partner.example/callback")
	b.choose("Selected OAuth Scopes", "Manage user data via APIs (api)")
	b.setChecked("Enable Client Credentials Flow", true)
	b.setChecked("Accept the client credentials warning", true)
	b.screenshot("apps-new-external")
	b.press("Save")
	b.waitText("shown only once")
	if got := b.textOf("#app-name"); got != "Partner Feed" {
		t.Errorf("created %q, want Partner Feed", got)
	}
	b.open(s.URL + appsPrefix + "home")
	if text := b.waitText("Partner_Feed"); !strings.Contains(text, "External Client App") {
		t.Errorf("the list lacks the External Client App:\n%s", text)
	}
}
