package server

import (
	"net/http"
	"strings"
	"testing"
)

// The monitoring pages in Chromium: the clicks an admin makes — filter Login History,
// tick a session and press Remove (the token it stands for stops working over HTTP),
// Block and Unblock an app — and a screenshot of every page.
func TestConsoleMonitorBrowser(t *testing.T) {
	s := startMonitorConsole(t)
	tok := s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	for range 4 {
		if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusOK {
			t.Fatalf("data API: %d", g.Status)
		}
	}
	newBrowser(t, s.URL, nil).login(consoleUserAdmin, "wrong password", "/lightning/setup/SetupOneHome/home")
	s.postForm(t, "/services/oauth2/token", ccForm("HostileKey0001", "wrong"))

	b := newChromium(t, wideWindow)
	consoleChromium(s, b, consoleAdmin)

	b.open(s.URL + "/lightning/setup/ConnectedAppsUsage/home")
	b.waitText("Console Integration")
	b.screenshot("monitor-usage")

	b.open(s.URL + "/lightning/setup/OrgLoginHistory/home")
	text := b.waitText("Logins per Hour")
	if !strings.Contains(text, "<script>alert(1)</script>") {
		t.Errorf("the hostile app name is not shown as text:\n%s", text)
	}
	b.screenshot("monitor-loginhistory")
	b.choose("Status", "Failed")
	b.press("Apply")
	text = b.waitText("2 login attempt(s)")
	if strings.Contains(text, "\tSuccess\t") {
		t.Errorf("the Failed filter shows a success:\n%s", text)
	}

	b.open(s.URL + "/lightning/setup/ApiUsage/home")
	b.waitText("DailyApiRequests per Connected App")
	b.screenshot("monitor-apiusage")

	// Remove the app's session by ticking it.
	ids := s.sessionIDs(t, consoleAPIOnly)
	if len(ids) != 1 {
		t.Fatalf("apionly sessions: %v", ids)
	}
	b.open(s.URL + "/lightning/setup/SessionManagementPage/home")
	b.waitText("Current Session")
	b.screenshot("monitor-sessions")
	b.setChecked("Select "+consoleAPIOnly+" Oauth2 "+ids[0], true)
	b.press("Remove")
	b.waitText("Session Management")
	if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusUnauthorized {
		t.Errorf("the removed session still works: %d", g.Status)
	}

	// Block, then Unblock, by clicking.
	tok = s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	b.open(s.URL + "/lightning/setup/ConnectedAppsUsage/home")
	b.waitText("Console Integration")
	b.press("Block")
	b.waitText("Unblock")
	if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusUnauthorized {
		t.Errorf("the blocked app's token still works: %d", g.Status)
	}
	if r := s.postForm(t, "/services/oauth2/token", ccForm("ConsoleKey0001", "ConsoleSecret0001")); r.Status != http.StatusBadRequest {
		t.Errorf("a blocked app got a token: %d", r.Status)
	}
	b.press("Unblock")
	// Unblocked and with no live token left, the app leaves the list (Salesforce: "If all
	// tokens for an app are revoked or expired, the app disappears from this list").
	b.waitText("No connected app has an active access or refresh token.")
	s.token(t, "ConsoleKey0001", "ConsoleSecret0001")

	b.open(s.URL + "/lightning/setup/SecurityEvents/home")
	text = b.waitText("Unblocked connected app Console Integration")
	if !strings.Contains(text, consoleAdmin) {
		t.Errorf("the audit trail does not name the admin:\n%s", text)
	}
	b.screenshot("monitor-audit")
}
