package server

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The Setup console's test org and helpers (issue 11), shared by every e2e_console_*
// test: the cookie-jar browser (e2e_weblogin_helpers_test.go) for the rules, Chromium
// (browser_helpers_test.go) for the clicks.

// Console users and their passwords.
const (
	consoleAdmin     = "admin@console.example"   // ModifyAllData: every page, every form
	consoleUserAdmin = "users@console.example"   // ManageUsers only
	consoleAppAdmin  = "apps@console.example"    // CustomizeApplication only
	consoleViewer    = "viewer@console.example"  // ViewSetup only: read-only pages
	consoleNobody    = "nobody@console.example"  // no Setup permission
	consoleAPIOnly   = "apionly@console.example" // API Only User: refused at the login page
	consolePassword  = "Console pass 1"
)

const consoleOrgFile = `
orgs:
  - name: Console Org
    myDomain: consoleorg
    profiles:
      - name: System Administrator
        permissions: [ApiEnabled, ModifyAllData, ViewAllData, CustomizeApplication, ManageUsers, ViewSetup]
      - name: User Manager
        permissions: [ApiEnabled, ManageUsers, ViewSetup]
      - name: App Builder
        permissions: [ApiEnabled, CustomizeApplication, ViewSetup]
      - name: Auditor
        permissions: [ViewSetup]
      - name: Standard User
        permissions: [ApiEnabled]
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
    users:
      - {username: admin@console.example, firstName: Ada, lastName: Admin, email: admin@console.example, profile: System Administrator, password: "Console pass 1"}
      - {username: users@console.example, lastName: Manager, email: users@console.example, profile: User Manager, password: "Console pass 1"}
      - {username: apps@console.example, lastName: Builder, email: apps@console.example, profile: App Builder, password: "Console pass 1"}
      - {username: viewer@console.example, lastName: Viewer, email: viewer@console.example, profile: Auditor, password: "Console pass 1"}
      - {username: nobody@console.example, lastName: Nobody, email: nobody@console.example, profile: Standard User, password: "Console pass 1"}
      - {username: apionly@console.example, lastName: Integration, email: apionly@console.example, profile: Integration, password: "Console pass 1"}
    connectedApps:
      - name: Console Integration
        contactEmail: admin@console.example
        scopes: [api]
        consumerKey: ConsoleKey0001
        consumerSecret: ConsoleSecret0001
        clientCredentials: {enabled: true, runAs: apionly@console.example}
`

// startConsole runs a server with the console org.
func startConsole(t *testing.T) *testServer {
	t.Helper()
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "console.yaml")
	if err := os.WriteFile(orgFile, []byte(consoleOrgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	return startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
}

// consoleLogin returns a cookie-jar browser logged in as username.
func consoleLogin(t *testing.T, s *testServer, username string) *browser {
	t.Helper()
	b := newBrowser(t, s.URL, nil)
	b.mustLogin(username, consolePassword, "/lightning/setup/SetupOneHome/home")
	return b
}

// wantPage checks a console page's status and that its body contains every want.
func wantPage(t *testing.T, r response, status int, want ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d\n%s", r.Status, status, r.Body)
	}
	for _, w := range want {
		if !strings.Contains(r.Body, w) {
			t.Errorf("page lacks %q:\n%s", w, r.Body)
		}
	}
}

// wantConsoleHeaders checks the security headers every console page carries.
func wantConsoleHeaders(t *testing.T, h http.Header) {
	t.Helper()
	for k, want := range map[string]string{
		"Cache-Control":   "no-store",
		"X-Frame-Options": "DENY",
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
			"frame-ancestors 'none'; base-uri 'none'",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}
