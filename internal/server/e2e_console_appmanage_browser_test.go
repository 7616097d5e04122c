package server

import (
	"strings"
	"testing"
)

// Issue 11 §4 in Chromium, on the console org's "Console Integration": Edit Policies →
// Run As (a client credentials token then runs as the new user), Manage Consumer Details
// with a wrong then the right password, Generate staged credentials (the new secret read
// from the page) → both pairs get tokens over HTTP → Rotate → both still do → Delete the
// old pair → only the new one does.
func TestConsoleAppManageBrowser(t *testing.T) {
	s := startConsole(t)
	b := newChromium(t, wideWindow)
	consoleChromium(s, b, consoleAdmin)
	manage := s.URL + consoleAppPath(t, s, "manage")

	b.open(manage)
	b.waitText("Client Credentials Flow")
	b.screenshot("appmanage-manage")

	b.press("Edit Policies")
	b.waitText("Session Policies")
	b.choose("Run As", consoleUserAdmin)
	b.choose("Timeout Value", "2 hours")
	b.screenshot("appmanage-policies")
	b.press("Save")
	text := b.waitText("The policies were saved.")
	if !strings.Contains(text, consoleUserAdmin) || !strings.Contains(text, "2 hours") {
		t.Errorf("the Manage page after Save:\n%s", text)
	}
	if got := ccUsername(t, s, "ConsoleKey0001", "ConsoleSecret0001"); got != consoleUserAdmin {
		t.Errorf("after Run As changed, a client credentials token runs as %q, want %q", got, consoleUserAdmin)
	}

	b.press("Manage Consumer Details")
	b.waitText("Verify your identity")
	b.fill("Password", "not my password")
	b.press("Verify")
	b.waitText("Your password is incorrect.")
	b.screenshot("appmanage-verify")
	b.fill("Password", consolePassword)
	b.press("Verify")
	text = b.waitText("Consumer Key and Secret")
	if !strings.Contains(text, "ConsoleKey0001") || strings.Contains(text, "ConsoleSecret0001") {
		t.Errorf("the consumer page:\n%s", text)
	}
	b.screenshot("appmanage-consumer")

	b.press("Generate")
	b.waitText("New Consumer Credentials")
	newKey, newSecret := b.textOf("#new-consumer-key"), b.textOf("#new-consumer-secret")
	b.screenshot("appmanage-staged")
	if !s.tokenWorks(t, "ConsoleKey0001", "ConsoleSecret0001") || !s.tokenWorks(t, newKey, newSecret) {
		t.Fatal("while staged, both the old and the new pair must get tokens")
	}

	b.press("Rotate")
	b.waitText("The staged credentials are now active.")
	if !s.tokenWorks(t, "ConsoleKey0001", "ConsoleSecret0001") || !s.tokenWorks(t, newKey, newSecret) {
		t.Fatal("right after Rotate, both pairs must get tokens")
	}

	b.press("Delete")
	b.waitText("They no longer authenticate.")
	if s.tokenWorks(t, "ConsoleKey0001", "ConsoleSecret0001") {
		t.Error("the deleted pair still gets tokens")
	}
	if !s.tokenWorks(t, newKey, newSecret) {
		t.Error("the new pair stopped working")
	}
	if got := ccUsername(t, s, newKey, newSecret); got != consoleUserAdmin {
		t.Errorf("the new pair's token runs as %q, want %q", got, consoleUserAdmin)
	}
	if strings.Contains(b.location(), newSecret) {
		t.Error("the new secret is in the URL")
	}
}
