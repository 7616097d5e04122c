package server

import (
	"strings"
	"testing"
)

// Users → New User by clicking, in Chromium, by Salesforce's labels: the seed documents'
// integration user on an API-only profile, then the list shows them; the detail page's
// Freeze and Unfreeze buttons; the new password shown once by Reset Password logs in.
func TestConsoleUsersBrowser(t *testing.T) {
	s := startConsole(t)
	b := newChromium(t, wideWindow)
	consoleChromium(s, b, consoleAdmin)
	b.open(s.URL + usersHome)
	b.waitText("admin@console.example")
	b.screenshot("users-list")

	b.press("New User")
	b.waitText("Locale Settings")
	b.fill("First Name", "Iris")
	b.fill("Last Name", "Integration")
	b.fill("Email", "iris@console.example")
	b.fill("Username", "iris@console.example")
	b.choose("Profile", "Integration")
	b.setChecked("Active", true)
	b.choose("Time Zone", "(GMT+01:00) Central European Standard Time (Europe/Paris)")
	b.fill("Password", "Iris pass 1234")
	b.screenshot("users-new")
	b.press("Save")
	text := b.waitText("User Detail")
	for _, want := range []string{"iris@console.example", "Integration", "Europe/Paris", "Active"} {
		if !strings.Contains(text, want) {
			t.Errorf("the new user's page lacks %q:\n%s", want, text)
		}
	}
	b.screenshot("users-view")

	b.press("Freeze")
	if text := b.waitText("This user is frozen"); !strings.Contains(text, "Unfreeze") {
		t.Errorf("no Unfreeze after Freeze:\n%s", text)
	}
	b.press("Unfreeze")
	b.waitText("Freeze")

	b.open(s.URL + usersHome)
	if text := b.waitText("iris@console.example"); !strings.Contains(text, "Integration, Iris") {
		t.Errorf("the list lacks the new user:\n%s", text)
	}

	// Reset Password on a user who has one, then log in with the shown password.
	b.open(s.URL + consoleUserPath(t, s, consoleNobody, "view"))
	b.press("Reset Password")
	text = b.waitText("shown only now")
	pw := between(text, "New Password", "Done")
	if len(pw) < 8 {
		t.Fatalf("no password shown:\n%s", text)
	}
	b.screenshot("users-reset-password")
	newBrowser(t, s.URL, nil).mustLogin(consoleNobody, pw, "/")
}

// between returns the trimmed text between the first before and the next after.
func between(s, before, after string) string {
	_, rest, ok := strings.Cut(s, before)
	if !ok {
		return ""
	}
	mid, _, _ := strings.Cut(rest, after)
	return strings.TrimSpace(mid)
}
