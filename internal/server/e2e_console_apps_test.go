package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// App Manager's Settings side (issue 11 §1): New Connected App, New External Client App,
// View, Edit, Delete — over HTTP with a cookie jar, against the real token endpoint.

const appsPrefix = "/lightning/setup/NavigationMenus/"

var (
	consumerKeyRE    = regexp.MustCompile(`id="consumer-key">([^<]+)<`)
	consumerSecretRE = regexp.MustCompile(`id="consumer-secret">([^<]+)<`)
	appLinkRE        = regexp.MustCompile(`/lightning/setup/NavigationMenus/apps/([A-Za-z0-9]{15,18})/view`)
)

// newAppForm is the New Connected App form of seed 000: OAuth, the api scope, client
// credentials with the warning accepted, Run As the API-only user.
func newAppForm(name, runAs, token string) url.Values {
	return url.Values{"csrf": {token}, "name": {name}, "contactEmail": {"admin@console.example"},
		"oauthEnabled": {"1"}, "callbackUrl": {"https://localhost"}, "scopes": {"api"},
		"requireSecretWeb": {"1"}, "requireSecretRefresh": {"1"},
		"clientCredentials": {"1"}, "acceptClientCredentials": {"1"}, "runAs": {runAs}}
}

// createApp posts the form from the New page of path and returns the created page.
func createApp(t *testing.T, b *browser, path string, form func(token string) url.Values) response {
	t.Helper()
	page := b.get(appsPrefix + path)
	wantPage(t, page, http.StatusOK, "Save")
	return b.post(appsPrefix+path, form(csrf(t, page.Body)))
}

// appIDIn returns the app ID of the created page's Continue link.
func appIDIn(t *testing.T, page string) string {
	t.Helper()
	m := appLinkRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no app link in:\n%s", page)
	}
	return m[1]
}

func (s *testServer) tokenStatus(t *testing.T, key, secret string) int {
	t.Helper()
	return s.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {key}, "client_secret": {secret}}).Status
}

// The seed's walk in one form: create the app with Run As beside the flow, read the key and
// secret from the response (shown once), get a token with them and call the data API;
// then Edit turns the flow off and Delete ends the app.
func TestConsoleAppsCreateAndUse(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleAdmin)
	_, runAs := s.ids(t, consoleAPIOnly)

	list := b.get(appsPrefix + "home")
	wantPage(t, list, http.StatusOK, "App Manager", "Console Integration", "Console_Integration", ">Connected<",
		"New Connected App", "New External Client App")
	wantConsoleHeaders(t, list.Header)

	// Refused: the warning not accepted; nothing is created and the form comes back.
	r := createApp(t, b, "apps/new", func(tok string) url.Values {
		f := newAppForm("Seed App", runAs, tok)
		f.Del("acceptClientCredentials")
		return f
	})
	wantPage(t, r, http.StatusBadRequest, "accept the warning", `value="Seed App"`)
	if strings.Contains(b.get(appsPrefix+"home").Body, "Seed App") {
		t.Fatal("a refused create left an app")
	}

	r = createApp(t, b, "apps/new", func(tok string) url.Values { return newAppForm("Seed App", runAs, tok) })
	wantPage(t, r, http.StatusOK, "shown only once", "Consumer Key", "Consumer Secret")
	wantConsoleHeaders(t, r.Header)
	key, secret := consumerKeyRE.FindStringSubmatch(r.Body), consumerSecretRE.FindStringSubmatch(r.Body)
	if key == nil || secret == nil {
		t.Fatalf("the created page lacks the key or secret:\n%s", r.Body)
	}
	id := appIDIn(t, r.Body)

	tok := s.token(t, key[1], secret[1])
	if got := s.get(t, "/services/data/v62.0/limits", tok); got.Status != http.StatusOK || !strings.Contains(got.Body, "DailyApiRequests") {
		t.Fatalf("data API with the console app's token: %d %s", got.Status, got.Body)
	}

	view := b.get(appsPrefix + "apps/" + id + "/view")
	wantPage(t, view, http.StatusOK, "Seed_App", key[1], consoleAPIOnly, "Manage user data via APIs (api)",
		"apps/"+id+"/consumer", "Manage Consumer Details")
	for _, p := range []string{view.Body, b.get(appsPrefix + "home").Body, b.get("/lightning/setup/SetupOneHome/home").Body} {
		if strings.Contains(p, secret[1]) {
			t.Error("the consumer secret was shown again")
		}
	}
	audit := s.admin(t, http.MethodGet, "/audit-trail", "")
	if !strings.Contains(audit.Body, "Created connected app Seed App") || !strings.Contains(audit.Body, consoleAdmin) || strings.Contains(audit.Body, secret[1]) {
		t.Errorf("audit trail: want the creation by %s and no secret:\n%s", consoleAdmin, audit.Body)
	}

	// Edit: the flow off; the next token request is refused.
	edit := b.get(appsPrefix + "apps/" + id + "/edit")
	wantPage(t, edit, http.StatusOK, `value="Seed App"`, "https://localhost")
	f := newAppForm("Seed App", runAs, csrf(t, edit.Body))
	f.Del("clientCredentials")
	if r := b.post(appsPrefix+"apps/"+id+"/edit", f); r.Status != http.StatusSeeOther || r.Header.Get("Location") != appsPrefix+"apps/"+id+"/view" {
		t.Fatalf("edit: %d %s", r.Status, r.Body)
	}
	if st := s.tokenStatus(t, key[1], secret[1]); st == http.StatusOK {
		t.Error("a token was issued with the client credentials flow turned off")
	}

	// Delete: the app, its key and its sessions end.
	confirm := b.get(appsPrefix + "apps/" + id + "/delete")
	wantPage(t, confirm, http.StatusOK, "Delete <strong id=\"app-name\">Seed App</strong>?", "cannot be undone")
	r = b.post(appsPrefix+"apps/"+id+"/delete", url.Values{"csrf": {csrf(t, confirm.Body)}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != appsPrefix+"home" {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if got := s.get(t, "/services/data/v62.0/limits", tok); got.Status != http.StatusUnauthorized {
		t.Errorf("a session of the deleted app: %d, want 401", got.Status)
	}
	if st := s.tokenStatus(t, key[1], secret[1]); st == http.StatusOK {
		t.Error("the deleted app's key and secret still get a token")
	}
	wantPage(t, b.get(appsPrefix+"apps/"+id+"/view"), http.StatusNotFound, "Data Not Available")
	if strings.Contains(b.get(appsPrefix+"home").Body, "Seed App") {
		t.Error("the deleted app is still listed")
	}
}

// New External Client App: its own labels, no Run As among its settings, and a token
// once its Run As policy is set (here through the org's other app's Run As rule: the
// service's CheckRunAs is tested in internal/setup).
func TestConsoleAppsExternalClientApp(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleAppAdmin)
	page := b.get(appsPrefix + "apps/new-external")
	wantPage(t, page, http.StatusOK, "New External Client App", ">External Client App Name<", ">Distribution State<",
		">Flow Enablement<", ">Security<", "Edit Policies")
	if strings.Contains(page.Body, `id="runAs"`) {
		t.Error("the External Client App settings offer Run As (a policy)")
	}
	f := newAppForm("Partner Feed", "", csrf(t, page.Body))
	f.Del("runAs")
	r := b.post(appsPrefix+"apps/new-external", f)
	wantPage(t, r, http.StatusOK, "shown only once", "External Client App Name")
	id := appIDIn(t, r.Body)
	wantPage(t, b.get(appsPrefix+"home"), http.StatusOK, "Partner_Feed", ">External Client App<")
	wantPage(t, b.get(appsPrefix+"apps/"+id+"/view"), http.StatusOK, "Distribution State", "a policy: Manage")
}

// Hostile values are escaped on every page that shows them.
func TestConsoleAppsEscaping(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleAdmin)
	r := createApp(t, b, "apps/new", func(tok string) url.Values {
		f := newAppForm(`<script>alert(1)</script>`, "", tok)
		f.Set("description", `"><img src=x onerror=alert(2)>`)
		f.Del("clientCredentials")
		return f
	})
	wantPage(t, r, http.StatusOK, "&lt;script&gt;alert(1)&lt;/script&gt;")
	id := appIDIn(t, r.Body)
	for _, p := range []string{r.Body, b.get(appsPrefix + "home").Body, b.get(appsPrefix + "apps/" + id + "/view").Body,
		b.get(appsPrefix + "apps/" + id + "/edit").Body} {
		if strings.Contains(p, "<script>alert") || strings.Contains(p, "<img src=x") {
			t.Errorf("a hostile value reached a page unescaped:\n%s", p)
		}
	}
	wantPage(t, b.get(appsPrefix+"home"), http.StatusOK, "script_alert_1_script")
}

// Without CustomizeApplication (or ModifyAllData) the forms are not shown and their POSTs
// change nothing; without a CSRF token neither does an admin's.
func TestConsoleAppsAccess(t *testing.T) {
	s := startConsole(t)
	admin := consoleLogin(t, s, consoleAdmin)
	appsBefore := s.admin(t, http.MethodGet, "/apps", "").Body
	viewID := appIDIn(t, admin.get(appsPrefix+"home").Body)
	for _, user := range []string{consoleViewer, consoleUserAdmin} {
		t.Run(user, func(t *testing.T) {
			b := consoleLogin(t, s, user)
			list := b.get(appsPrefix + "home")
			wantPage(t, list, http.StatusOK, "Console Integration")
			if strings.Contains(list.Body, "New Connected App") || strings.Contains(list.Body, "/edit") {
				t.Error("a user without Customize Application is offered New or Edit")
			}
			view := b.get(appsPrefix + "apps/" + viewID + "/view")
			wantPage(t, view, http.StatusOK, "ConsoleKey0001")
			if strings.Contains(view.Body, "<form") {
				t.Error("a read-only viewer got a form on the app page")
			}
			for _, p := range []string{"apps/new", "apps/new-external", "apps/" + viewID + "/edit", "apps/" + viewID + "/delete"} {
				wantPage(t, b.get(appsPrefix+p), http.StatusForbidden, "Insufficient Privileges")
			}
			for _, p := range []string{"apps/new", "apps/new-external", "apps/" + viewID + "/edit", "apps/" + viewID + "/delete"} {
				wantPage(t, b.post(appsPrefix+p, newAppForm("Sneaky", "", "x")), http.StatusForbidden, "Insufficient Privileges")
			}
		})
	}
	for _, p := range []string{"apps/new", "apps/" + viewID + "/edit", "apps/" + viewID + "/delete"} {
		wantPage(t, admin.post(appsPrefix+p, newAppForm("Sneaky", "", "")), http.StatusForbidden, "Invalid Request")
	}
	if after := s.admin(t, http.MethodGet, "/apps", "").Body; after != appsBefore {
		t.Errorf("refused posts changed the apps:\nbefore %s\nafter %s", appsBefore, after)
	}
	wantPage(t, admin.get(appsPrefix+"apps/0H4000000000000/view"), http.StatusNotFound, "Data Not Available")
	wantPage(t, admin.get(appsPrefix+"apps/nonsense/view"), http.StatusNotFound, "Data Not Available")
}

// Malformed forms get a 4xx page and change nothing.
func TestConsoleAppsBadInput(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleAdmin)
	before := s.admin(t, http.MethodGet, "/apps", "").Body
	page := b.get(appsPrefix + "apps/new")
	tok := csrf(t, page.Body)
	for name, edit := range map[string]func(url.Values){
		"unknown scope":     func(f url.Values) { f.Set("scopes", "api,admin") },
		"garbage Run As":    func(f url.Values) { f.Set("runAs", "'; DROP TABLE users; --") },
		"huge name":         func(f url.Values) { f.Set("name", strings.Repeat("n", 10000)) },
		"bad API Name":      func(f url.Values) { f.Set("apiName", "<b>x</b>") },
		"no contact email":  func(f url.Values) { f.Del("contactEmail") },
		"callback javascri": func(f url.Values) { f.Set("callbackUrl", "javascript alert(1)") },
	} {
		t.Run(name, func(t *testing.T) {
			f := newAppForm("Bad Input", "", tok)
			edit(f)
			r := b.post(appsPrefix+"apps/new", f)
			wantPage(t, r, http.StatusBadRequest, "Review the errors on this page")
			if strings.Contains(r.Body, "<b>x</b>") {
				t.Error("the API Name came back unescaped")
			}
		})
	}
	r := b.postMultipart(appsPrefix+"apps/new", nil, "", "", "")
	wantPage(t, r, http.StatusForbidden, "Invalid Request")
	req, _ := http.NewRequest(http.MethodPost, s.URL+appsPrefix+"apps/new", strings.NewReader("--x\r\nbroken"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a broken multipart body: %d, want 400", resp.StatusCode)
	}
	if after := s.admin(t, http.MethodGet, "/apps", "").Body; after != before {
		t.Error("malformed forms changed the apps")
	}
}
