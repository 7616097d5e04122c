package server

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// walkOrgFile is an org as a new Salesforce org starts: an administrator and the standard
// "Standard User" profile (which reads and creates Accounts), nothing for integrations.
const walkOrgFile = `
orgs:
  - name: Walk Org
    profiles:
      - name: System Administrator
        permissions: [ApiEnabled, ModifyAllData, ViewAllData, CustomizeApplication, ManageUsers, ViewSetup]
      - name: Standard User
        permissions: [ApiEnabled]
        objects: {Account: [Read, Create, Edit]}
        fields: {"Account.*": [Read, Edit]}
    users:
      - {username: admin@walk.example, firstName: Wanda, lastName: Admin, email: admin@walk.example, profile: System Administrator, password: "Console pass 1"}
`

// Seed 000 (../shared/seeds/000_*.txt) start to finish, by clicking in Chromium on an org
// with no integration set up — issue 11 §4's first test. Every input is found by its
// Salesforce label:
//
//  1. Profiles → New: Existing Profile "Standard User", Profile Name "Client Creds Test",
//     Save; then API Enabled and API Only User, Save.
//  2. Users → New User: First Name, Last Name "Integration", Email, Username, Profile, Save.
//  3. App Manager → New Connected App: Connected App Name, Contact Email, Enable OAuth
//     Settings, Callback URL https://localhost, Selected OAuth Scopes "Manage user data via
//     APIs (api)", Enable Client Credentials Flow and its warning, Save, Continue.
//  4. Manage → Edit Policies → Run As: the integration user, Save.
//  5. Manage Consumer Details: the password again, then the Consumer Key.
//
// Then, as the seed does with Postman, a client credentials token with the key and secret
// the console showed, and data API calls with it that run as the integration user.
func TestConsoleSeedWalk(t *testing.T) {
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "walk.yaml")
	if err := os.WriteFile(orgFile, []byte(walkOrgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
	b := newChromium(t, wideWindow)
	b.open(s.URL + "/lightning/setup/SetupOneHome/home")
	b.login("admin@walk.example", consolePassword)
	b.waitText("No app has the client credentials flow enabled")

	// 1. The integration profile, cloned from Standard User.
	b.open(s.URL + "/lightning/setup/EnhancedProfiles/home")
	b.press("New")
	b.choose("Existing Profile", "Standard User")
	b.fill("Profile Name", "Client Creds Test")
	b.press("Save")
	b.waitText("Edit Profile: Client Creds Test")
	b.setChecked("API Enabled", true)
	b.setChecked("API Only User", true)
	b.press("Save")
	b.waitText("Profile: Client Creds Test")

	// 2. The integration user on it.
	b.open(s.URL + "/lightning/setup/ManageUsers/home")
	b.press("New User")
	b.fill("First Name", "Acme")
	b.fill("Last Name", "Integration")
	b.fill("Email", "team@walk.example")
	b.fill("Username", "acme.integration@walk.example")
	b.choose("Profile", "Client Creds Test")
	b.press("Save")
	b.waitText("User Detail")

	// 3. The connected app, without Run As: the seed sets it under Edit Policies.
	b.open(s.URL + "/lightning/setup/NavigationMenus/home")
	b.press("New Connected App")
	b.fill("Connected App Name", "Acme Integration")
	b.fill("Contact Email", "team@walk.example")
	b.setChecked("Enable OAuth Settings", true)
	b.fill("Callback URL", "https://localhost")
	b.choose("Selected OAuth Scopes", "Manage user data via APIs (api)")
	b.setChecked("Enable Client Credentials Flow", true)
	b.setChecked("Accept the client credentials warning", true)
	b.press("Save")
	b.waitText("shown only once")
	key, secret := b.textOf("#consumer-key"), b.textOf("#consumer-secret")
	b.press("Continue")
	b.waitText("Acme_Integration") // the API Name Salesforce would have filled in

	// No Run As yet: the token endpoint refuses, as Salesforce does.
	if s.tokenWorks(t, key, secret) {
		t.Fatal("a token before Run As was set")
	}

	// 4. Manage → Edit Policies → Run As.
	b.press("Manage")
	b.press("Edit Policies")
	b.choose("Run As", "acme.integration@walk.example")
	b.press("Save")
	b.waitText("The policies were saved.")

	// 5. Manage Consumer Details after the password again: the key, never the secret.
	b.press("Manage Consumer Details")
	b.fill("Password", consolePassword)
	b.press("Verify")
	text := b.waitText("Consumer Key and Secret")
	if !strings.Contains(text, key) || strings.Contains(text, secret) {
		t.Errorf("Manage Consumer Details: want the key %s and no secret, got:\n%s", key, text)
	}

	// The integration: a token with the console's key and secret, then the data API as
	// the integration user, with the profile's Account access cloned from Standard User.
	tok := s.token(t, key, secret)
	if got := ccUsername(t, s, key, secret); got != "acme.integration@walk.example" {
		t.Errorf("the token runs as %q", got)
	}
	api := &dataServer{testServer: s}
	r := api.call(t, tok, http.MethodPost, "/services/data/v62.0/sobjects/Account", `{"Name":"Walked In"}`)
	if r.Status != http.StatusCreated {
		t.Fatalf("create an Account with the token: %d %s", r.Status, r.Body)
	}
	r = api.call(t, tok, http.MethodGet, "/services/data/v62.0/query?q=SELECT+Name,CreatedBy.Username+FROM+Account", "")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `"Walked In"`) || !strings.Contains(r.Body, "acme.integration@walk.example") {
		t.Errorf("query the Account back: %d %s", r.Status, r.Body)
	}

	// Setup Home now offers the curl line for the app.
	b.open(s.URL + "/lightning/setup/SetupOneHome/home")
	if text := b.waitText("Get a Token"); !strings.Contains(text, "client_id="+key) {
		t.Errorf("Setup Home lacks the app's curl line:\n%s", text)
	}
	b.screenshot("walk-setup-home")
}
