package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// The console's Profiles and Permission Sets (issue 11 §1), through HTTP with a cookie
// jar: the rules (duplicate names, IP ranges, escaping, read-only viewers, CSRF), and that
// a change reaches live sessions at once. The clicks are in
// e2e_console_profiles_browser_test.go.

const profilesHome = "/lightning/setup/EnhancedProfiles/home"

var (
	profileIDRE = regexp.MustCompile(`/lightning/setup/EnhancedProfiles/([0-9A-Za-z]{18})/edit`)
	permSetIDRE = regexp.MustCompile(`/lightning/setup/PermSets/([0-9A-Za-z]{18})/view`)
)

// optionValue is the value of the <option> whose text is text.
func optionValue(t *testing.T, page, text string) string {
	t.Helper()
	m := regexp.MustCompile(`<option value="([^"]+)"[^>]*>` + regexp.QuoteMeta(text) + `</option>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no option %q in:\n%s", text, page)
	}
	return m[1]
}

// newProfile is New Profile: name cloned from the profile named from; it returns the
// answer to the POST.
func newProfile(t *testing.T, b *browser, from, name string) response {
	t.Helper()
	page := b.get("/lightning/setup/EnhancedProfiles/new")
	wantPage(t, page, http.StatusOK, "Existing Profile", "Profile Name")
	return b.post("/lightning/setup/EnhancedProfiles/new", url.Values{"csrf": {csrf(t, page.Body)},
		"From": {optionValue(t, page.Body, from)}, "Name": {name}})
}

// mustNewProfile clones a profile and returns its ID.
func mustNewProfile(t *testing.T, b *browser, from, name string) string {
	t.Helper()
	r := newProfile(t, b, from, name)
	m := profileIDRE.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("New Profile %q: %d Location %q\n%s", name, r.Status, r.Header.Get("Location"), r.Body)
	}
	return m[1]
}

// profileID returns the ID of the profile named name from the Profiles list.
func profileID(t *testing.T, b *browser, name string) string {
	t.Helper()
	page := b.get(profilesHome)
	m := regexp.MustCompile(`EnhancedProfiles/([0-9A-Za-z]{18})/view">` + regexp.QuoteMeta(name) + `<`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no profile %q in the list:\n%s", name, page.Body)
	}
	return m[1]
}

// postForm GETs a console form page and POSTs it with its CSRF token and the values.
func postConsoleForm(t *testing.T, b *browser, path string, values url.Values) response {
	t.Helper()
	page := b.get(path)
	if page.Status != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, page.Status, page.Body)
	}
	values.Set("csrf", csrf(t, page.Body))
	return b.post(path, values)
}

// apiOnlyUserFile adds a user on the console's "API Integration" profile, restating the
// profile as the console left it (API Enabled and API Only User, nothing else).
const apiOnlyUserFile = `orgs:
  - name: Console Org
    myDomain: consoleorg
    profiles:
      - name: API Integration
        permissions: [ApiEnabled, ApiUserOnly]
    users:
      - {username: integration@console.example, lastName: Integration, email: integration@console.example, profile: API Integration, password: "Console pass 1"}
`

// wantAPIOnlyUser creates a user on "API Integration" through the admin API's apply and
// checks that the profile the console saved is exactly the file's (the apply leaves it
// unchanged) and that the login page refuses the user (seed 000's profile).
func wantAPIOnlyUser(t *testing.T, s *testServer) {
	t.Helper()
	r := s.admin(t, http.MethodPost, "/apply?name=integration-user.yaml", apiOnlyUserFile)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "profiles: 0 created, 0 updated, 1 unchanged") ||
		!strings.Contains(r.Body, "users: 1 created") {
		t.Fatalf("apply the integration user: %d %s", r.Status, r.Body)
	}
	b := newBrowser(t, s.URL, nil)
	wantPage(t, b.login("integration@console.example", consolePassword, "/lightning/setup/SetupOneHome/home"),
		http.StatusOK, "Access Restricted for API Only Users")
	if b.cookie("sid") != nil {
		t.Error("an API-only user got a UI session")
	}
}

// Seed 000 over HTTP: clone Standard User as "API Integration", tick API Enabled and API
// Only User, save; the profile shows them, and a user on it is API only.
func TestConsoleProfilesAPIOnly(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleAdmin)
	id := mustNewProfile(t, b, "Standard User", "API Integration")
	edit := "/lightning/setup/EnhancedProfiles/" + id + "/edit"
	wantPage(t, b.get(edit), http.StatusOK, `<label for="perm_ApiEnabled">API Enabled</label>`,
		`<label for="perm_ApiUserOnly">API Only User</label>`, `<label for="SessionTimeout">Session Times Out After</label>`,
		`<input type="checkbox" id="perm_ApiEnabled" name="perm_ApiEnabled" value="on" checked>`)
	r := postConsoleForm(t, b, edit, url.Values{"Name": {"API Integration"}, "perm_ApiEnabled": {"on"}, "perm_ApiUserOnly": {"on"}, "SessionTimeout": {"0"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.Status, r.Body)
	}
	view := b.get(r.Header.Get("Location"))
	wantPage(t, view, http.StatusOK, "Profile: API Integration",
		`<dt>API Enabled</dt><dd class="perm" data-perm="ApiEnabled"><span class="status-ok" aria-label="enabled">`,
		`<dt>API Only User</dt><dd class="perm" data-perm="ApiUserOnly"><span class="status-ok" aria-label="enabled">`)
	wantConsoleHeaders(t, view.Header)
	wantAPIOnlyUser(t, s)
	var displays []string
	for _, row := range s.auditTrail(t, "") {
		if row.CreatedBy == consoleAdmin {
			displays = append(displays, row.Display)
		}
	}
	want := []string{"Changed profile API Integration: API Only User on", "Created profile API Integration (cloned from Standard User)"}
	if strings.Join(displays, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit rows by %s, newest first: %q, want %q", consoleAdmin, displays, want)
	}
}

func TestConsoleProfilesRules(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleAdmin)

	t.Run("duplicate name", func(t *testing.T) {
		wantPage(t, newProfile(t, b, "Standard User", "standard user"), http.StatusBadRequest,
			"Profile Name: a profile named &#34;Standard User&#34; already exists", `value="standard user"`)
	})
	t.Run("16 racing New Profile", func(t *testing.T) {
		page := b.get("/lightning/setup/EnhancedProfiles/new")
		form := url.Values{"csrf": {csrf(t, page.Body)}, "From": {optionValue(t, page.Body, "Standard User")}, "Name": {"Racer"}}
		statuses := make([]int, 16)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, _ := b.do(http.MethodPost, "/lightning/setup/EnhancedProfiles/new", form)
				statuses[i] = r.Status
			}()
		}
		wg.Wait()
		won := 0
		for _, st := range statuses {
			switch st {
			case http.StatusSeeOther:
				won++
			case http.StatusBadRequest:
			default:
				t.Errorf("a racing New Profile answered %d", st)
			}
		}
		if won != 1 || strings.Count(b.get(profilesHome).Body, ">Racer<") != 1 {
			t.Errorf("%d racing requests won, want exactly one profile Racer", won)
		}
	})
	id := profileID(t, b, "Standard User")
	ips := "/lightning/setup/EnhancedProfiles/" + id + "/ips"
	t.Run("bad IP ranges", func(t *testing.T) {
		for _, tc := range []struct{ start, end, want string }{
			{"10.0.0.9", "10.0.0.1", "start 10.0.0.9 is after end 10.0.0.1"},
			{"10.0.0.1", "2001:db8::1", "start and end must both be IPv4 or both IPv6"},
			{"10.0.0.256", "10.0.0.1", "&#34;10.0.0.256&#34; is not an IP address"},
		} {
			wantPage(t, postConsoleForm(t, b, ips, url.Values{"StartAddress": {tc.start}, "EndAddress": {tc.end}}), http.StatusBadRequest, tc.want)
		}
		if r := postConsoleForm(t, b, ips, url.Values{"StartAddress": {"10.0.0.1"}, "EndAddress": {"10.0.0.255"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("a good range: %d\n%s", r.Status, r.Body)
		}
		wantPage(t, b.get("/lightning/setup/EnhancedProfiles/"+id+"/view"), http.StatusOK, "<td>10.0.0.1</td><td>10.0.0.255</td>")
		if strings.Contains(b.get(ips).Body, "10.0.0.9") {
			t.Error("a refused range was stored")
		}
	})
	t.Run("hostile name is escaped", func(t *testing.T) {
		hostile := `<script>alert("x")</script>`
		mustNewProfile(t, b, "Standard User", hostile)
		for _, page := range []string{profilesHome, "/lightning/setup/EnhancedProfiles/" + profileIDEscaped(t, b) + "/view"} {
			body := b.get(page).Body
			if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
				t.Errorf("%s does not escape the name:\n%s", page, body)
			}
		}
	})
	t.Run("CSRF missing", func(t *testing.T) {
		edit := "/lightning/setup/EnhancedProfiles/" + id + "/edit"
		r := b.post(edit, url.Values{"Name": {"Hijacked"}, "perm_ModifyAllData": {"on"}, "SessionTimeout": {"0"}})
		wantPage(t, r, http.StatusForbidden, "Invalid Request")
		r = b.post("/lightning/setup/EnhancedProfiles/"+id+"/delete", url.Values{"csrf": {"forged"}})
		wantPage(t, r, http.StatusForbidden, "Invalid Request")
		if body := b.get(profilesHome).Body; strings.Contains(body, "Hijacked") || !strings.Contains(body, ">Standard User<") {
			t.Errorf("a forged post changed the profiles:\n%s", body)
		}
	})
	t.Run("delete", func(t *testing.T) {
		view := b.get("/lightning/setup/EnhancedProfiles/" + id + "/view")
		r := b.post("/lightning/setup/EnhancedProfiles/"+id+"/delete", url.Values{"csrf": {csrf(t, view.Body)}})
		wantPage(t, r, http.StatusBadRequest, "You can&#39;t delete a profile that is assigned to users")
		racer := profileID(t, b, "Racer")
		view = b.get("/lightning/setup/EnhancedProfiles/" + racer + "/view")
		r = b.post("/lightning/setup/EnhancedProfiles/"+racer+"/delete", url.Values{"csrf": {csrf(t, view.Body)}})
		if r.Status != http.StatusSeeOther || strings.Contains(b.get(profilesHome).Body, ">Racer<") {
			t.Errorf("deleting an unused profile: %d\n%s", r.Status, r.Body)
		}
	})

	t.Run("malformed input", func(t *testing.T) {
		edit := "/lightning/setup/EnhancedProfiles/" + id + "/edit"
		wantPage(t, postConsoleForm(t, b, edit, url.Values{"Name": {"Standard User"}, "SessionTimeout": {"forever"}}), http.StatusBadRequest,
			"Session Times Out After: choose one of the values offered")
		wantPage(t, postConsoleForm(t, b, edit, url.Values{"Name": {"Standard User"}, "SessionTimeout": {"5"}}), http.StatusBadRequest,
			"Session Times Out After: 5 minutes is not between 15 minutes and 24 hours")
		page := b.get("/lightning/setup/EnhancedProfiles/new")
		for _, from := range []string{"garbage", "00e000000000000AAA"} {
			r := b.post("/lightning/setup/EnhancedProfiles/new", url.Values{"csrf": {csrf(t, page.Body)}, "From": {from}, "Name": {"X"}})
			wantPage(t, r, http.StatusBadRequest, "Review the errors on this page.")
		}
		for _, p := range []string{"EnhancedProfiles/nope/view", "EnhancedProfiles/" + id + "/fields/Nope__c", "PermSets/00e000000000000AAA/view",
			"EnhancedProfiles/" + id + "/fields/User"} {
			wantPage(t, b.get("/lightning/setup/"+p), http.StatusNotFound, "Data Not Available")
		}
		if strings.Contains(b.get(profilesHome).Body, ">X<") {
			t.Error("a malformed New Profile created a profile")
		}
	})
	t.Run("viewer is read only", func(t *testing.T) {
		v := consoleLogin(t, s, consoleViewer)
		for _, page := range []string{profilesHome, "/lightning/setup/EnhancedProfiles/" + id + "/view", "/lightning/setup/PermSets/home"} {
			r := v.get(page)
			wantPage(t, r, http.StatusOK)
			if strings.Contains(r.Body, "<form") || strings.Contains(r.Body, ">New</a>") || strings.Contains(r.Body, ">Edit</a>") || strings.Contains(r.Body, "<button") {
				t.Errorf("%s shows a viewer a form or button:\n%s", page, r.Body)
			}
		}
		for _, page := range []string{"new", id + "/edit", id + "/ips", id + "/objects", id + "/fields/Account"} {
			wantPage(t, v.get("/lightning/setup/EnhancedProfiles/"+page), http.StatusForbidden, "Insufficient Privileges")
		}
		r := v.post("/lightning/setup/EnhancedProfiles/"+id+"/edit", url.Values{"Name": {"Viewer Was Here"}, "perm_ModifyAllData": {"on"}, "SessionTimeout": {"0"}})
		wantPage(t, r, http.StatusForbidden, "Insufficient Privileges")
		r = v.post("/lightning/setup/PermSets/new", url.Values{"Label": {"Viewer Set"}})
		wantPage(t, r, http.StatusForbidden, "Insufficient Privileges")
		if body := b.get(profilesHome).Body + b.get("/lightning/setup/PermSets/home").Body; strings.Contains(body, "Viewer") {
			t.Errorf("a viewer's post changed something:\n%s", body)
		}
	})
}

// profileIDEscaped finds the hostile profile's ID (its link text is escaped).
func profileIDEscaped(t *testing.T, b *browser) string {
	t.Helper()
	m := regexp.MustCompile(`EnhancedProfiles/([0-9A-Za-z]{18})/view">&lt;script`).FindStringSubmatch(b.get(profilesHome).Body)
	if m == nil {
		t.Fatal("no hostile profile in the list")
	}
	return m[1]
}

// A profile change reaches a live session at once: the client credentials token of the
// app's Run As user (profile Integration, no object access) cannot query Accounts until
// the console gives the profile Read on Account, then can with the same token (and sees
// Industry once Field-Level Security gives Read Access on it), and cannot once Read is
// taken away.
func TestConsoleProfilesLiveSession(t *testing.T) {
	s := startConsole(t)
	token := s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	query := "/services/data/v59.0/query?q=" + url.QueryEscape("SELECT Id FROM Account")
	if r := s.get(t, query, token); r.Status == http.StatusOK {
		t.Fatalf("before the change the query answered 200: %s", r.Body)
	}
	b := consoleLogin(t, s, consoleAdmin)
	objects := "/lightning/setup/EnhancedProfiles/" + profileID(t, b, "Integration") + "/objects"
	wantPage(t, b.get(objects), http.StatusOK, `<label class="visually-hidden" for="obj_Account_Read">Account Read</label>`)
	if r := postConsoleForm(t, b, objects, url.Values{"obj_Account_Read": {"on"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("save Object Settings: %d\n%s", r.Status, r.Body)
	}
	if r := s.get(t, query, token); r.Status != http.StatusOK {
		t.Fatalf("after Read on Account the same token's query: %d %s", r.Status, r.Body)
	}
	// Field-Level Security: Industry is hidden until the profile gets Read Access on it.
	industry := "/services/data/v59.0/query?q=" + url.QueryEscape("SELECT Industry FROM Account")
	if r := s.get(t, industry, token); r.Status == http.StatusOK {
		t.Fatalf("Industry without field access answered 200: %s", r.Body)
	}
	fields := strings.TrimSuffix(objects, "/objects") + "/fields/Account"
	wantPage(t, b.get(fields), http.StatusOK, "Field-Level Security: Account",
		`<label class="visually-hidden" for="fld_Industry_Read">Industry Read Access</label>`)
	if r := postConsoleForm(t, b, fields, url.Values{"fld_Industry_Read": {"on"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("save Field-Level Security: %d\n%s", r.Status, r.Body)
	}
	if r := s.get(t, industry, token); r.Status != http.StatusOK {
		t.Fatalf("Industry with Read Access, the same token: %d %s", r.Status, r.Body)
	}
	wantPage(t, b.get(fields), http.StatusOK, `id="fld_Industry_Read" name="fld_Industry_Read" value="on" checked`)
	if r := postConsoleForm(t, b, objects, url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("clear Object Settings: %d\n%s", r.Status, r.Body)
	}
	if r := s.get(t, query, token); r.Status == http.StatusOK {
		t.Fatalf("after Read was taken away the query answered 200: %s", r.Body)
	}
}

// Permission sets: New, permissions, Manage Assignments — a set giving View Setup and
// Configuration opens Setup to a user without it, in the session they already have, and
// Delete takes it away with the assignment.
func TestConsolePermSets(t *testing.T) {
	s := startConsole(t)
	admin := consoleLogin(t, s, consoleAdmin)
	nobody := consoleLogin(t, s, consoleNobody)
	wantPage(t, nobody.get("/lightning/setup/SetupOneHome/home"), http.StatusForbidden, "Insufficient Privileges")

	r := postConsoleForm(t, admin, "/lightning/setup/PermSets/new", url.Values{"Label": {"Setup Viewers"}})
	m := permSetIDRE.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("New Permission Set: %d %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	base := "/lightning/setup/PermSets/" + m[1]
	wantPage(t, postConsoleForm(t, admin, "/lightning/setup/PermSets/new", url.Values{"Label": {"Setup-Viewers"}}), http.StatusBadRequest,
		"already has this label or API Name (Setup_Viewers)")
	if r := postConsoleForm(t, admin, base+"/edit", url.Values{"Label": {"Setup Viewers"}, "perm_ViewSetup": {"on"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", r.Status, r.Body)
	}
	_, nobodyID := s.ids(t, consoleNobody)
	if r := postConsoleForm(t, admin, base+"/assignments", url.Values{"user_" + nobodyID: {"on"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("assign: %d\n%s", r.Status, r.Body)
	}
	wantPage(t, admin.get(base+"/view"), http.StatusOK, `<dd id="permset-api-name">Setup_Viewers</dd>`, consoleNobody)
	wantPage(t, admin.get("/lightning/setup/PermSets/home"), http.StatusOK, ">Setup Viewers<", "<td>Setup_Viewers</td>\n  <td>1</td>")
	wantPage(t, nobody.get("/lightning/setup/SetupOneHome/home"), http.StatusOK, "read only")

	view := admin.get(base + "/view")
	if r := admin.post(base+"/delete", url.Values{"csrf": {csrf(t, view.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d\n%s", r.Status, r.Body)
	}
	wantPage(t, nobody.get("/lightning/setup/SetupOneHome/home"), http.StatusForbidden, "Insufficient Privileges")
	wantPage(t, admin.get(base+"/view"), http.StatusNotFound)
	var actions []string
	for _, row := range s.auditTrail(t, "") {
		if row.CreatedBy == consoleAdmin {
			actions = append(actions, row.Action)
		}
	}
	if got := strings.Join(actions, " "); got != "deletedPermSet assignedPermissionSet updated created" {
		t.Errorf("audit actions by %s, newest first: %q", consoleAdmin, got)
	}
}
