package server

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// Setup → Users in the console (issue 11 §1), over HTTP with a cookie jar: New User, the
// list, access, CSRF, escaping, Freeze (enforced at the UI login and the token endpoint),
// Reset Password and Reset Security Token shown once.

const usersHome = "/lightning/setup/ManageUsers/home"

// consoleUserPath is a user's console page.
func consoleUserPath(t *testing.T, s *testServer, username, page string) string {
	t.Helper()
	_, id := s.ids(t, username)
	return "/lightning/setup/ManageUsers/" + id + "/" + page
}

// profileOption returns the value of the Profile option named name in a New User page.
func profileOption(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`<option value="([^"]+)">` + regexp.QuoteMeta(name) + `</option>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no profile %q in:\n%s", name, page)
	}
	return m[1]
}

// newUserForm is a valid New User form on the Integration profile.
func newUserForm(t *testing.T, page, username, lastName string) url.Values {
	return url.Values{"csrf": {csrf(t, page)}, "FirstName": {"Ivy"}, "LastName": {lastName}, "Email": {username},
		"Username": {username}, "Profile": {profileOption(t, page, "Integration")}, "IsActive": {"1"},
		"TimeZoneSidKey": {"Europe/Paris"}, "LocaleSidKey": {"en_US"}, "LanguageLocaleKey": {"en_US"}}
}

func TestConsoleUsersCreate(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleUserAdmin)
	list := b.get(usersHome)
	wantPage(t, list, http.StatusOK, "New User", "Full Name", "Alias", "Username", "Last Login", "Active", "Profile", "Frozen",
		"Admin, Ada", consoleAPIOnly)
	wantConsoleHeaders(t, list.Header)
	// Last Login: the logged-in user's row shows when (the others never logged in).
	if n := strings.Count(list.Body, " UTC</td>"); n != 1 {
		t.Errorf("%d users with a Last Login, want 1 (%s)", n, consoleUserAdmin)
	}

	page := b.get("/lightning/setup/ManageUsers/new")
	wantPage(t, page, http.StatusOK, `<label for="LastName" class="req">Last Name</label>`, `<label for="Profile" class="req">Profile</label>`)
	form := newUserForm(t, page.Body, "ivy@console.example", "<script>alert(1)</script>")
	r := b.post("/lightning/setup/ManageUsers/new", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("New User: %d\n%s", r.Status, r.Body)
	}
	view := b.get(r.Header.Get("Location"))
	wantPage(t, view, http.StatusOK, "ivy@console.example", "Europe/Paris", "Integration", "&lt;script&gt;alert(1)&lt;/script&gt;")
	list = b.get(usersHome)
	wantPage(t, list, http.StatusOK, "ivy@console.example", "&lt;script&gt;alert(1)&lt;/script&gt;, Ivy")
	for _, p := range []string{view.Body, list.Body} {
		if strings.Contains(p, "<script>") {
			t.Error("the hostile last name reached a page unescaped")
		}
	}

	// The same username again (any case): Salesforce's error beside the field, 400.
	page = b.get("/lightning/setup/ManageUsers/new")
	form = newUserForm(t, page.Body, "IVY@console.example", "Again")
	r = b.post("/lightning/setup/ManageUsers/new", form)
	wantPage(t, r, http.StatusBadRequest, `id="Username-error">Duplicate Username. The username already exists in this or another Salesforce organization.`,
		`value="Again"`)
	// Missing fields: each error beside its input.
	form = url.Values{"csrf": {csrf(t, page.Body)}, "Username": {"not an email"}}
	r = b.post("/lightning/setup/ManageUsers/new", form)
	wantPage(t, r, http.StatusBadRequest, `id="LastName-error"`, `id="Email-error"`, `id="Username-error"`, `id="Profile-error"`)

	// A generated password is shown once, in the POST's answer, and logs the user in.
	page = b.get("/lightning/setup/ManageUsers/new")
	form = newUserForm(t, page.Body, "gen@console.example", "Generated")
	form.Set("Profile", profileOption(t, page.Body, "Standard User"))
	form.Set("GeneratePassword", "1")
	r = b.post("/lightning/setup/ManageUsers/new", form)
	pw := shownSecret(t, r)
	if strings.Contains(r.Header.Get("Location"), pw) || r.Header.Get("Cache-Control") != "no-store" {
		t.Error("the password page is cacheable or redirects")
	}
	newBrowser(t, s.URL, nil).mustLogin("gen@console.example", pw, "/")

	trail := s.auditTrail(t, "")
	if trail[0].CreatedBy != consoleUserAdmin || !strings.Contains(trail[0].Display, "gen@console.example") {
		t.Errorf("newest audit row %+v, want one by %s", trail[0], consoleUserAdmin)
	}
	for _, row := range trail {
		if strings.Contains(row.Display, pw) {
			t.Error("the audit trail carries the password")
		}
	}
}

// shownSecret returns the secret a page shows once (span#shown-secret).
func shownSecret(t *testing.T, r response) string {
	t.Helper()
	m := regexp.MustCompile(`id="shown-secret">([^<]+)<`).FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		t.Fatalf("no secret shown: %d\n%s", r.Status, r.Body)
	}
	return m[1]
}

// A read-only viewer sees the list but no New User button; POSTs are refused and change
// nothing. A POST without, or with a wrong, CSRF token changes nothing either.
func TestConsoleUsersReadOnlyAndCSRF(t *testing.T) {
	s := startConsole(t)
	viewer := consoleLogin(t, s, consoleViewer)
	list := viewer.get(usersHome)
	wantPage(t, list, http.StatusOK, consoleAdmin)
	if strings.Contains(list.Body, "New User") {
		t.Error("a viewer sees New User")
	}
	view := viewer.get(consoleUserPath(t, s, consoleNobody, "view"))
	wantPage(t, view, http.StatusOK, consoleNobody)
	for _, w := range []string{">Freeze<", ">Reset Password<", "<form"} {
		if strings.Contains(view.Body, w) {
			t.Errorf("a viewer's user page has %q", w)
		}
	}
	admin := consoleLogin(t, s, consoleAdmin)
	page := admin.get("/lightning/setup/ManageUsers/new")
	form := newUserForm(t, page.Body, "sneaky@console.example", "Sneaky")
	wantPage(t, viewer.get("/lightning/setup/ManageUsers/new"), http.StatusForbidden, "Insufficient Privileges")
	wantPage(t, viewer.post("/lightning/setup/ManageUsers/new", form), http.StatusForbidden, "Insufficient Privileges")
	wantPage(t, viewer.post(consoleUserPath(t, s, consoleNobody, "freeze"), url.Values{"csrf": {"x"}}), http.StatusForbidden)

	noToken := url.Values{}
	for k, v := range form {
		if k != "csrf" {
			noToken[k] = v
		}
	}
	wantPage(t, admin.post("/lightning/setup/ManageUsers/new", noToken), http.StatusForbidden, "Invalid Request")
	noToken.Set("csrf", "wrong")
	wantPage(t, admin.post("/lightning/setup/ManageUsers/new", noToken), http.StatusForbidden, "Invalid Request")
	// A freeze form's token is no good for another user's freeze, nor for New User.
	nobodyView := admin.get(consoleUserPath(t, s, consoleNobody, "view"))
	freezeTok := regexp.MustCompile(`action="[^"]*/freeze"><input type="hidden" name="csrf" value="([^"]+)"`).FindStringSubmatch(nobodyView.Body)
	if freezeTok == nil {
		t.Fatalf("no Freeze form:\n%s", nobodyView.Body)
	}
	wantPage(t, admin.post(consoleUserPath(t, s, consoleViewer, "freeze"), url.Values{"csrf": {freezeTok[1]}}), http.StatusForbidden, "Invalid Request")
	form.Set("csrf", freezeTok[1])
	wantPage(t, admin.post("/lightning/setup/ManageUsers/new", form), http.StatusForbidden, "Invalid Request")

	if list := admin.get(usersHome); strings.Contains(list.Body, "sneaky@") || strings.Contains(list.Body, `class="status-fail">Frozen<`) {
		t.Errorf("a refused POST changed something:\n%s", list.Body)
	}
}

// Freezing the app's Run As user stops its client credentials tokens and the user's UI
// login; unfreezing restores both.
func TestConsoleUsersFreeze(t *testing.T) {
	s := startConsole(t)
	admin := consoleLogin(t, s, consoleAdmin)
	freeze := func(username, action string) {
		t.Helper()
		view := admin.get(consoleUserPath(t, s, username, "view"))
		tok := regexp.MustCompile(`action="[^"]*/` + action + `"><input type="hidden" name="csrf" value="([^"]+)"`).FindStringSubmatch(view.Body)
		if tok == nil {
			t.Fatalf("no %s form:\n%s", action, view.Body)
		}
		if r := admin.post(consoleUserPath(t, s, username, action), url.Values{"csrf": {tok[1]}}); r.Status != http.StatusSeeOther {
			t.Fatalf("%s %s: %d\n%s", action, username, r.Status, r.Body)
		}
	}
	if !s.tokenWorks(t, "ConsoleKey0001", "ConsoleSecret0001") {
		t.Fatal("no token before the freeze")
	}
	view := admin.get(consoleUserPath(t, s, consoleAPIOnly, "view"))
	wantPage(t, view, http.StatusOK, "Run As", "Console Integration")

	freeze(consoleAPIOnly, "freeze")
	wantPage(t, admin.get(consoleUserPath(t, s, consoleAPIOnly, "view")), http.StatusOK, `id="user-frozen">Frozen<`, "Unfreeze")
	r := s.postForm(t, "/services/oauth2/token", ccForm("ConsoleKey0001", "ConsoleSecret0001"))
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `"error":"invalid_grant"`) || !strings.Contains(r.Body, "inactive user") {
		t.Errorf("frozen Run As user: %d %s, want 400 invalid_grant inactive user", r.Status, r.Body)
	}
	if got := s.lastLogin(t)["status"]; got != "User is Frozen" {
		t.Errorf("login history status %v, want User is Frozen", got)
	}

	// A frozen user cannot log in to the UI; the session they had ended.
	nobody := consoleLogin(t, s, consoleUserAdmin)
	freeze(consoleUserAdmin, "freeze")
	wantPage(t, nobody.get(usersHome), http.StatusFound)
	login := newBrowser(t, s.URL, nil).login(consoleUserAdmin, consolePassword, usersHome)
	wantPage(t, login, http.StatusOK, "Please check your username and password.")
	_, uid := s.ids(t, consoleUserAdmin)
	s.wantUILogin(t, "User is Frozen", uid)

	freeze(consoleAPIOnly, "unfreeze")
	freeze(consoleUserAdmin, "unfreeze")
	if !s.tokenWorks(t, "ConsoleKey0001", "ConsoleSecret0001") {
		t.Error("no token after unfreezing")
	}
	consoleLogin(t, s, consoleUserAdmin)
	// Nobody freezes themselves: the button is not offered.
	if strings.Contains(admin.get(consoleUserPath(t, s, consoleAdmin, "view")).Body, ">Freeze<") {
		t.Error("the admin's own page offers Freeze")
	}
}

// Reset Password shows the new password once (the POST's answer) and it works at the login
// page; the old one and the user's sessions end. Reset Security Token likewise.
func TestConsoleUsersResetPassword(t *testing.T) {
	s := startConsole(t)
	admin := consoleLogin(t, s, consoleAdmin)
	victim := consoleLogin(t, s, consoleViewer)
	view := admin.get(consoleUserPath(t, s, consoleViewer, "view"))
	tok := regexp.MustCompile(`action="[^"]*/resetPassword"><input type="hidden" name="csrf" value="([^"]+)"`).FindStringSubmatch(view.Body)
	if tok == nil {
		t.Fatalf("no Reset Password form:\n%s", view.Body)
	}
	r := admin.post(consoleUserPath(t, s, consoleViewer, "resetPassword"), url.Values{"csrf": {tok[1]}})
	pw := shownSecret(t, r)
	wantConsoleHeaders(t, r.Header)
	if again := admin.get(consoleUserPath(t, s, consoleViewer, "view")); strings.Contains(again.Body, pw) {
		t.Error("the password is shown again")
	}
	wantPage(t, victim.get(usersHome), http.StatusFound) // the session ended
	wantPage(t, newBrowser(t, s.URL, nil).login(consoleViewer, consolePassword, usersHome), http.StatusOK, "Please check your username and password.")
	newBrowser(t, s.URL, nil).mustLogin(consoleViewer, pw, usersHome)

	tok = regexp.MustCompile(`action="[^"]*/resetSecurityToken"><input type="hidden" name="csrf" value="([^"]+)"`).FindStringSubmatch(view.Body)
	r = admin.post(consoleUserPath(t, s, consoleViewer, "resetSecurityToken"), url.Values{"csrf": {tok[1]}})
	if st := shownSecret(t, r); len(st) != 24 {
		t.Errorf("security token %q", st)
	}
}

// formToken returns the CSRF token of the page's form that posts to an action ending in
// suffix.
func formToken(t *testing.T, page, suffix string) string {
	t.Helper()
	m := regexp.MustCompile(`action="[^"]*` + regexp.QuoteMeta(suffix) + `"><input type="hidden" name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form posting to …%s:\n%s", suffix, page)
	}
	return m[1]
}

// Edit: deactivating the app's Run As user is allowed (as in Salesforce), the Edit page
// says what it does to the app, and the app's token requests then fail.
func TestConsoleUsersEditDeactivate(t *testing.T) {
	s := startConsole(t)
	admin := consoleLogin(t, s, consoleUserAdmin)
	edit := admin.get(consoleUserPath(t, s, consoleAPIOnly, "edit"))
	wantPage(t, edit, http.StatusOK, `id="runas-warning"`, "Console Integration", "token requests for that app fail",
		`value="apionly@console.example"`, `<label for="IsActive">Active</label>`)
	form := url.Values{"csrf": {csrf(t, edit.Body)}, "FirstName": {"Api"}, "LastName": {"Integration"},
		"Email": {consoleAPIOnly}, "Username": {consoleAPIOnly}, "Profile": {profileOption(t, strings.Replace(edit.Body, " selected", "", 1), "Integration")},
		"TimeZoneSidKey": {"America/Los_Angeles"}, "LocaleSidKey": {"en_US"}, "LanguageLocaleKey": {"en_US"}}
	// A bad email is refused beside its field and changes nothing.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("Email", "nope")
	wantPage(t, admin.post(consoleUserPath(t, s, consoleAPIOnly, "edit"), bad), http.StatusBadRequest, `id="Email-error"`)
	if !s.tokenWorks(t, "ConsoleKey0001", "ConsoleSecret0001") {
		t.Fatal("a refused edit stopped the app's tokens")
	}
	if r := admin.post(consoleUserPath(t, s, consoleAPIOnly, "edit"), form); r.Status != http.StatusSeeOther {
		t.Fatalf("Edit: %d\n%s", r.Status, r.Body)
	}
	wantPage(t, admin.get(consoleUserPath(t, s, consoleAPIOnly, "view")), http.StatusOK, `id="user-active">Inactive<`, "Api Integration")
	r := s.postForm(t, "/services/oauth2/token", ccForm("ConsoleKey0001", "ConsoleSecret0001"))
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "inactive user") {
		t.Errorf("inactive Run As user: %d %s", r.Status, r.Body)
	}
	// Nobody deactivates themselves.
	self := admin.get(consoleUserPath(t, s, consoleUserAdmin, "edit"))
	form = url.Values{"csrf": {csrf(t, self.Body)}, "LastName": {"Manager"}, "Email": {consoleUserAdmin}, "Username": {consoleUserAdmin},
		"Profile": {profileOption(t, strings.Replace(self.Body, " selected", "", 1), "User Manager")}}
	wantPage(t, admin.post(consoleUserPath(t, s, consoleUserAdmin, "edit"), form), http.StatusBadRequest, "You can&#39;t deactivate your own user.")
}

// Permission Set Assignments: add and remove from the user's page.
func TestConsoleUsersPermissionSets(t *testing.T) {
	s := startConsole(t)
	withSets := strings.Replace(consoleOrgFile, "    users:\n", "    permissionSets:\n      - {name: API_Access, permissions: [ApiEnabled]}\n    users:\n", 1)
	if r := s.admin(t, http.MethodPost, "/apply", withSets); r.Status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	admin := consoleLogin(t, s, consoleAdmin)
	view := admin.get(consoleUserPath(t, s, consoleNobody, "view"))
	wantPage(t, view, http.StatusOK, `<label for="PermissionSet">Available Permission Sets</label>`, "No permission sets assigned.")
	ps := regexp.MustCompile(`<option value="([^"]+)">API_Access</option>`).FindStringSubmatch(view.Body)
	if ps == nil {
		t.Fatalf("API_Access not offered:\n%s", view.Body)
	}
	r := admin.post(consoleUserPath(t, s, consoleNobody, "permissionSets"), url.Values{"csrf": {formToken(t, view.Body, "/permissionSets")}, "PermissionSet": {ps[1]}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("assign: %d\n%s", r.Status, r.Body)
	}
	view = admin.get(consoleUserPath(t, s, consoleNobody, "view"))
	if strings.Contains(view.Body, "No permission sets assigned.") {
		t.Fatal("the assignment is not listed")
	}
	r = admin.post(consoleUserPath(t, s, consoleNobody, "permissionSets/"+ps[1]+"/remove"), url.Values{"csrf": {formToken(t, view.Body, "/remove")}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("remove: %d\n%s", r.Status, r.Body)
	}
	wantPage(t, admin.get(consoleUserPath(t, s, consoleNobody, "view")), http.StatusOK, "No permission sets assigned.")
	trail := s.auditTrail(t, "")
	if trail[0].Action != "unassignedPermissionSet" || trail[1].Action != "assignedPermissionSet" || trail[0].CreatedBy != consoleAdmin {
		t.Errorf("audit trail starts %+v, %+v", trail[0], trail[1])
	}
}

// Unlock: a user locked out by invalid logins is shown as such and unlocked by the button.
func TestConsoleUsersUnlock(t *testing.T) {
	s := startConsole(t)
	admin := consoleLogin(t, s, consoleAdmin)
	if strings.Contains(admin.get(consoleUserPath(t, s, consoleNobody, "view")).Body, ">Unlock<") {
		t.Error("Unlock offered for a user who is not locked out")
	}
	for range 10 { // the default Maximum invalid login attempts
		newBrowser(t, s.URL, nil).login(consoleNobody, "wrong password", "/")
	}
	wantPage(t, newBrowser(t, s.URL, fromAddress(t, "127.0.0.3")).login(consoleNobody, consolePassword, "/"), http.StatusOK, "locked")
	view := admin.get(consoleUserPath(t, s, consoleNobody, "view"))
	wantPage(t, view, http.StatusOK, `id="locked-banner"`)
	if r := admin.post(consoleUserPath(t, s, consoleNobody, "unlock"), url.Values{"csrf": {formToken(t, view.Body, "/unlock")}}); r.Status != http.StatusSeeOther {
		t.Fatalf("unlock: %d\n%s", r.Status, r.Body)
	}
	// From another address (the first one is throttled, which Unlock does not touch).
	newBrowser(t, s.URL, fromAddress(t, "127.0.0.3")).mustLogin(consoleNobody, consolePassword, "/")
}

// 16 New User forms for one username posted at once: exactly one user is created, the
// others are told the username is taken.
func TestConsoleUsersCreateRace(t *testing.T) {
	s := startConsole(t)
	admin := consoleLogin(t, s, consoleAdmin)
	page := admin.get("/lightning/setup/ManageUsers/new")
	form := newUserForm(t, page.Body, "race@console.example", "Racer")
	const n = 16
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := admin.c.PostForm(s.URL+"/lightning/setup/ManageUsers/new", form)
			if err != nil {
				statuses <- 0
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusBadRequest && !strings.Contains(string(body), "Duplicate Username.") {
				statuses <- -1
				return
			}
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for st := range statuses {
		count[st]++
	}
	if count[http.StatusSeeOther] != 1 || count[http.StatusBadRequest] != n-1 {
		t.Errorf("statuses %v, want one 303 and %d 400 Duplicate Username", count, n-1)
	}
	if got := strings.Count(admin.get(usersHome).Body, ">race@console.example<"); got != 1 {
		t.Errorf("the list shows the user %d times", got)
	}
}
