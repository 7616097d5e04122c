package server

import (
	"strings"
	"testing"
)

// Seed 000's profile, clicked in Chromium by Salesforce's labels: Profiles → New,
// Existing Profile "Standard User", Profile Name "API Integration", Save; tick API Enabled
// and API Only User, Save. A user on the profile is then refused at the login page. A
// permission set is created the same way. Screenshots: profiles-list, profiles-new,
// profiles-view, permsets-list, permsets-view.
func TestConsoleProfilesBrowser(t *testing.T) {
	s := startConsole(t)
	b := newChromium(t, wideWindow)
	consoleChromium(s, b, consoleAdmin)

	b.open(s.URL + profilesHome)
	b.waitText("System Administrator")
	b.screenshot("profiles-list")
	b.press("New")
	b.waitText("Existing Profile")
	b.choose("Existing Profile", "Standard User")
	b.fill("Profile Name", "API Integration")
	b.screenshot("profiles-new")
	b.press("Save")
	b.waitText("Edit Profile: API Integration")
	b.setChecked("API Enabled", true)
	b.setChecked("API Only User", true)
	b.press("Save")
	b.waitText("Profile: API Integration")
	for _, perm := range []string{"ApiEnabled", "ApiUserOnly"} {
		if got := b.textOf(`[data-perm="` + perm + `"]`); !strings.Contains(got, "Enabled") {
			t.Errorf("the profile shows %s as %q, want it enabled", perm, got)
		}
	}
	if got := b.textOf(`[data-perm="ModifyAllData"]`); strings.Contains(got, "Enabled") {
		t.Errorf("the clone has Modify All Data: %q", got)
	}
	b.screenshot("profiles-view")
	wantAPIOnlyUser(t, s)
	view := b.location()
	b.open(strings.TrimSuffix(view, "/view") + "/objects")
	b.waitText("Object Settings")
	b.setChecked("Account Read", true)
	b.screenshot("profiles-objects")
	b.press("Save")
	b.waitText("Profile: API Integration")
	if got := b.textOf("#object-settings tbody"); !strings.Contains(got, "Account") {
		t.Errorf("Object Settings after ticking Account Read: %q", got)
	}

	b.open(s.URL + "/lightning/setup/PermSets/home")
	b.waitText("Permission Sets")
	b.press("New")
	b.waitText("New Permission Set")
	b.fill("Label", "Account Editors")
	b.press("Save")
	b.waitText("Permission Set: Account Editors")
	if got := b.textOf("#permset-api-name"); got != "Account_Editors" {
		t.Errorf("API Name %q, want Account_Editors", got)
	}
	b.press("Edit")
	b.waitText("Edit Permission Set")
	b.setChecked("View Setup and Configuration", true)
	b.press("Save")
	b.waitText("Permission Set: Account Editors")
	b.screenshot("permsets-view")
	b.open(s.URL + "/lightning/setup/PermSets/home")
	b.waitText("Account_Editors")
	b.screenshot("permsets-list")
}
