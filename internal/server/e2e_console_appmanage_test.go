package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// A connected app's Manage side in the console (issue 11 §1 "Manage → Edit Policies",
// "Manage Consumer Details"), over HTTP with a cookie jar: the rules — who may change
// what, CSRF, the password verification and its age — and that every change goes through
// the Setup service (audit rows by the logged-in user, the token endpoint seeing it).

const consoleAppCreds = "/apps/Console%20Integration/credentials"

// consoleAppPath is the console path of a page of "Console Integration".
func consoleAppPath(t *testing.T, s *testServer, page string) string {
	t.Helper()
	apps := decode[[]struct{ ID, Name string }](t, s.admin(t, http.MethodGet, "/apps", ""), http.StatusOK)
	for _, a := range apps {
		if a.Name == "Console Integration" {
			return "/lightning/setup/NavigationMenus/apps/" + a.ID + "/" + page
		}
	}
	t.Fatal("no app Console Integration")
	return ""
}

// ccUsername gets a client credentials token with the pair and returns the username the
// userinfo endpoint names for it.
func ccUsername(t *testing.T, s *testServer, key, secret string) string {
	t.Helper()
	r := s.get(t, "/services/oauth2/userinfo", s.token(t, key, secret))
	if r.Status != http.StatusOK {
		t.Fatalf("userinfo: %d %s", r.Status, r.Body)
	}
	name, _ := r.JSON(t)["preferred_username"].(string)
	return name
}

// consoleCredStates is the app's pairs as the admin API lists them: key → state.
func consoleCredStates(t *testing.T, s *testServer) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range decode[[]credentialJSON](t, s.admin(t, http.MethodGet, consoleAppCreds, ""), http.StatusOK) {
		out[c.ConsumerKey] = c.State
	}
	return out
}

var verificationRE = regexp.MustCompile(`name="verification" value="([^"]*)"`)

// verifyConsumer posts the password on Manage Consumer Details and returns the page and
// its verification token.
func verifyConsumer(t *testing.T, s *testServer, b *browser, pw string) (response, string) {
	t.Helper()
	path := consoleAppPath(t, s, "consumer")
	page := b.get(path)
	wantPage(t, page, http.StatusOK, "Verify your identity", `<label for="password">Password</label>`)
	r := b.post(path, url.Values{"csrf": {csrf(t, page.Body)}, "password": {pw}})
	m := verificationRE.FindStringSubmatch(r.Body)
	if m == nil {
		return r, ""
	}
	return r, m[1]
}

func TestConsoleAppManagePage(t *testing.T) {
	s := startConsole(t)
	manage := consoleAppPath(t, s, "manage")
	admin := consoleLogin(t, s, consoleAdmin)
	r := admin.get(manage)
	wantPage(t, r, http.StatusOK, "Console Integration", `id="consumer-key">ConsoleKey0001<`, "Selected OAuth Scopes", ">api<",
		"Permitted Users", "All users may self-authorize", "IP Relaxation", "Enforce IP restrictions", "Refresh Token Policy",
		"Refresh token is valid until revoked", "Timeout Value", "--None--", "Client Credentials Flow", `id="run-as">`+consoleAPIOnly,
		"Profiles", "Permission Sets", ">Edit Policies<", ">Manage Consumer Details<", ">Manage Profiles<", ">Manage Permission Sets<")
	wantConsoleHeaders(t, r.Header)

	// Read only for View Setup alone; no Manage Profiles without Modify All Data.
	r = consoleLogin(t, s, consoleViewer).get(manage)
	wantPage(t, r, http.StatusOK, "All users may self-authorize")
	for _, no := range []string{"Edit Policies", "Manage Consumer Details", "<form"} {
		if strings.Contains(r.Body, no) {
			t.Errorf("the viewer's Manage page offers %q", no)
		}
	}
	apps := consoleLogin(t, s, consoleAppAdmin)
	r = apps.get(manage)
	wantPage(t, r, http.StatusOK, ">Edit Policies<")
	if strings.Contains(r.Body, "Manage Profiles") {
		t.Error("Manage Profiles offered without Modify All Data")
	}
	wantPage(t, apps.get(consoleAppPath(t, s, "profiles")), http.StatusForbidden, "Insufficient Privileges")
	wantPage(t, consoleLogin(t, s, consoleNobody).get(manage), http.StatusForbidden, "Insufficient Privileges")
	wantPage(t, admin.get("/lightning/setup/NavigationMenus/apps/0H4000000000000AAA/manage"), http.StatusNotFound, "Data Not Available")
	wantPage(t, admin.get("/lightning/setup/NavigationMenus/apps/nope/manage"), http.StatusNotFound)
}

func TestConsoleAppManagePolicies(t *testing.T) {
	s := startConsole(t)
	path := consoleAppPath(t, s, "policies")
	admin := consoleLogin(t, s, consoleAdmin)
	page := admin.get(path)
	wantPage(t, page, http.StatusOK, `<label for="permittedUsers">Permitted Users</label>`, `<label for="ipRelaxation">IP Relaxation</label>`,
		`<label for="refreshTokenPolicy">Refresh Token Policy</label>`, `<label for="sessionTimeout">Timeout Value</label>`,
		`<label for="runAs">Run As</label>`, "Admin approved users are pre-authorized", "Relax IP restrictions", "Expire refresh token after")
	_, usersID := s.ids(t, consoleUserAdmin)
	form := func(token string, change func(url.Values)) url.Values {
		v := url.Values{"csrf": {token}, "permittedUsers": {"AllSelfAuthorized"}, "ipRelaxation": {"ENFORCE"},
			"refreshTokenPolicy": {"infinite"}, "refreshTokenValidityPeriod": {""}, "refreshTokenValidityUnit": {"DAYS"},
			"sessionTimeout": {"0"}, "runAs": {usersID}}
		if change != nil {
			change(v)
		}
		return v
	}
	token := csrf(t, page.Body)
	before := consoleCredStates(t, s)
	wantRunAs := func(want string) {
		t.Helper()
		if got := ccUsername(t, s, "ConsoleKey0001", "ConsoleSecret0001"); got != want {
			t.Errorf("a client credentials token runs as %q, want %q", got, want)
		}
	}

	t.Run("refused", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			b      *browser
			form   url.Values
			status int
			want   string
		}{
			{"no CSRF token", admin, form("", nil), http.StatusForbidden, "Invalid Request"},
			{"another form's token", admin, form(csrf(t, admin.get(consoleAppPath(t, s, "consumer")).Body), nil), http.StatusForbidden, "Invalid Request"},
			{"viewer", consoleLogin(t, s, consoleViewer), form(token, nil), http.StatusForbidden, "Insufficient Privileges"},
			{"user manager", consoleLogin(t, s, consoleUserAdmin), form(token, nil), http.StatusForbidden, "Insufficient Privileges"},
			{"timeout outside the choices", admin, form(token, func(v url.Values) { v.Set("sessionTimeout", "7") }), http.StatusBadRequest,
				"Timeout Value: 7 minutes is outside 15 minutes to 24 hours"},
			{"unenforced IP relaxation", admin, form(token, func(v url.Values) { v.Set("ipRelaxation", "BYPASS_2FACTOR") }), http.StatusBadRequest,
				"is not enforced by Forcefield"},
			{"hostile refresh period", admin, form(token, func(v url.Values) {
				v.Set("refreshTokenPolicy", "specific_lifetime")
				v.Set("refreshTokenValidityPeriod", `<script>alert(1)</script>`)
			}), http.StatusBadRequest, "&lt;script&gt;alert(1)&lt;/script&gt;"},
			{"run as nobody", admin, form(token, func(v url.Values) { v.Set("runAs", "005000000000000AAA") }), http.StatusBadRequest, "Run As: no user"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.b.post(path, tc.form)
				wantPage(t, r, tc.status, tc.want)
				if strings.Contains(r.Body, "<script>") {
					t.Error("the page echoes a hostile value unescaped")
				}
			})
		}
		wantRunAs(consoleAPIOnly)
	})

	t.Run("saved", func(t *testing.T) {
		r := admin.post(path, form(token, func(v url.Values) { v.Set("sessionTimeout", "120") }))
		if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Header.Get("Location"), "/manage?saved=policies") {
			t.Fatalf("save: %d %s\n%s", r.Status, r.Header.Get("Location"), r.Body)
		}
		wantPage(t, admin.get(r.Header.Get("Location")), http.StatusOK, "The policies were saved.", `id="run-as">`+consoleUserAdmin, "2 hours")
		wantRunAs(consoleUserAdmin)
		row := s.auditTrail(t, "?limit=1")[0]
		if row.CreatedBy != consoleAdmin || row.Action != "changedConnectedAppPolicies" ||
			row.Display != "Changed the policies of connected app Console Integration: Timeout Value from --None-- to 2 hours; Run As from "+
				consoleAPIOnly+" to "+consoleUserAdmin {
			t.Errorf("audit row = %+v", row)
		}
	})
	if d := cmp.Diff(before, consoleCredStates(t, s)); d != "" {
		t.Errorf("policies changed the credentials (-want +got):\n%s", d)
	}
}

func TestConsoleAppManageConsumer(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleAdmin)
	_, adminID := s.ids(t, consoleAdmin)

	t.Run("a wrong password counts toward the lockout", func(t *testing.T) {
		r, tok := verifyConsumer(t, s, b, "not my password")
		wantPage(t, r, http.StatusBadRequest, "Your password is incorrect.")
		if tok != "" || strings.Contains(r.Body, "ConsoleKey0001") {
			t.Error("a wrong password showed the consumer details")
		}
		id, _ := sfid.Parse(adminID)
		lock, err := s.st.Lockout(t.Context(), id)
		if err != nil || lock.Failures != 1 {
			t.Errorf("invalid logins after a wrong verification = %+v, %v; want 1", lock, err)
		}
	})

	page, tok := verifyConsumer(t, s, b, consolePassword)
	wantPage(t, page, http.StatusOK, "Consumer Details", "ConsoleKey0001", ">Active<", ">Generate<", ">Rotate Consumer Secret<",
		"an existing secret cannot be revealed")
	wantConsoleHeaders(t, page.Header)
	if tok == "" {
		t.Fatal("no verification token on the consumer page")
	}
	act := func(b *browser, action, token string, extra url.Values) response {
		t.Helper()
		v := url.Values{"csrf": {csrf(t, page.Body)}, "verification": {token}}
		for k, x := range extra {
			v[k] = x
		}
		return b.post(consoleAppPath(t, s, "consumer/"+action), v)
	}
	want := map[string]string{"ConsoleKey0001": "Active"}

	t.Run("refused actions change nothing", func(t *testing.T) {
		wantPage(t, act(b, "stage", "", nil), http.StatusForbidden, "Verify your identity again")
		wantPage(t, act(b, "stage", tok[:len(tok)-2]+"xx", nil), http.StatusForbidden, "Verify your identity again")
		r := b.post(consoleAppPath(t, s, "consumer/stage"), url.Values{"verification": {tok}})
		wantPage(t, r, http.StatusForbidden, "Invalid Request")
		// Another session's verification is not this one's.
		other := consoleLogin(t, s, consoleAdmin)
		wantPage(t, act(other, "stage", tok, url.Values{"csrf": {csrf(t, other.get(consoleAppPath(t, s, "consumer")).Body)}}),
			http.StatusForbidden, "Invalid Request")
		wantPage(t, act(consoleLogin(t, s, consoleViewer), "stage", tok, nil), http.StatusForbidden, "Insufficient Privileges")
		if d := cmp.Diff(want, consoleCredStates(t, s)); d != "" {
			t.Errorf("credentials (-want +got):\n%s", d)
		}
	})

	var newKey, newSecret string
	t.Run("generate, rotate, delete", func(t *testing.T) {
		r := act(b, "stage", tok, nil)
		wantPage(t, r, http.StatusOK, "New Consumer Credentials", ">Staged<", ">Rotate<")
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the page showing a new secret is cached: %q", r.Header.Get("Cache-Control"))
		}
		newKey = regexp.MustCompile(`id="new-consumer-key">([^<]+)<`).FindStringSubmatch(r.Body)[1]
		newSecret = regexp.MustCompile(`id="new-consumer-secret">([^<]+)<`).FindStringSubmatch(r.Body)[1]
		want[newKey] = "Staged"
		if d := cmp.Diff(want, consoleCredStates(t, s)); d != "" {
			t.Errorf("after Generate (-want +got):\n%s", d)
		}
		wantPage(t, act(b, "stage", tok, nil), http.StatusBadRequest, "already has staged credentials")
		if !s.tokenWorks(t, "ConsoleKey0001", "ConsoleSecret0001") || !s.tokenWorks(t, newKey, newSecret) {
			t.Fatal("both pairs must work while one is staged")
		}
		wantPage(t, act(b, "rotate", tok, nil), http.StatusOK, "now active")
		want["ConsoleKey0001"], want[newKey] = "Rotated", "Active"
		if d := cmp.Diff(want, consoleCredStates(t, s)); d != "" {
			t.Errorf("after Rotate (-want +got):\n%s", d)
		}
		if !s.tokenWorks(t, "ConsoleKey0001", "ConsoleSecret0001") || !s.tokenWorks(t, newKey, newSecret) {
			t.Fatal("both pairs must work right after a rotation")
		}
		var oldID string
		for _, c := range decode[[]credentialJSON](t, s.admin(t, http.MethodGet, consoleAppCreds, ""), http.StatusOK) {
			if c.ConsumerKey == "ConsoleKey0001" {
				oldID = c.ID
			}
		}
		wantPage(t, act(b, "delete", tok, url.Values{"credential": {oldID}}), http.StatusOK, "no longer authenticate")
		delete(want, "ConsoleKey0001")
		if d := cmp.Diff(want, consoleCredStates(t, s)); d != "" {
			t.Errorf("after Delete (-want +got):\n%s", d)
		}
		if s.tokenWorks(t, "ConsoleKey0001", "ConsoleSecret0001") || !s.tokenWorks(t, newKey, newSecret) {
			t.Error("after Delete only the new pair must work")
		}
		rows := s.auditTrail(t, "?limit=3")
		for i, action := range []string{"deletedConsumerCredentials", "rotatedConsumerCredentials", "stagedConsumerCredentials"} {
			if rows[i].CreatedBy != consoleAdmin || rows[i].Action != action || strings.Contains(rows[i].Display, newSecret) {
				t.Errorf("audit row %d = %+v, want %s by %s without the secret", i, rows[i], action, consoleAdmin)
			}
		}
	})

	t.Run("a verification older than 10 minutes is refused", func(t *testing.T) {
		s.Clock.Advance(10*time.Minute + time.Second)
		wantPage(t, act(b, "rotate-secret", tok, nil), http.StatusForbidden, "Verify your identity again")
		if d := cmp.Diff(want, consoleCredStates(t, s)); d != "" {
			t.Errorf("an expired verification changed the credentials (-want +got):\n%s", d)
		}
		_, fresh := verifyConsumer(t, s, b, consolePassword)
		r := act(b, "rotate-secret", fresh, nil)
		wantPage(t, r, http.StatusOK, "The consumer secret was rotated", `id="new-consumer-key">`+newKey+`<`)
	})
}

// Manage Profiles feeds "Admin approved users are pre-authorized" at the token endpoint:
// the Run As user gets a token only while its profile is on the app.
func TestConsoleAppManageProfiles(t *testing.T) {
	s := startConsole(t)
	admin := consoleLogin(t, s, consoleAdmin)
	page := admin.get(consoleAppPath(t, s, "profiles"))
	wantPage(t, page, http.StatusOK, "Manage Profiles", ">Integration</label>", ">System Administrator</label>")
	m := regexp.MustCompile(`>Integration</label><input type="checkbox" id="[^"]+" name="profiles" value="([^"]+)"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no Integration checkbox:\n%s", page.Body)
	}
	wantPage(t, admin.post(consoleAppPath(t, s, "profiles"), url.Values{"profiles": {m[1]}}), http.StatusForbidden, "Invalid Request")
	wantPage(t, admin.post(consoleAppPath(t, s, "profiles"), url.Values{"csrf": {csrf(t, page.Body)}, "profiles": {"00e000000000000AAA"}}),
		http.StatusBadRequest, "no profile 00e000000000000AAA in this org")
	r := admin.post(consoleAppPath(t, s, "profiles"), url.Values{"csrf": {csrf(t, page.Body)}, "profiles": {m[1]}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save profiles: %d\n%s", r.Status, r.Body)
	}
	wantPage(t, admin.get(r.Header.Get("Location")), http.StatusOK, "<td>Integration</td>")

	policies := admin.get(consoleAppPath(t, s, "policies"))
	_, apiOnlyID := s.ids(t, consoleAPIOnly)
	_, usersID := s.ids(t, consoleUserAdmin)
	save := func(runAs string) {
		t.Helper()
		r := admin.post(consoleAppPath(t, s, "policies"), url.Values{"csrf": {csrf(t, policies.Body)}, "permittedUsers": {"AdminApprovedPreAuthorized"},
			"ipRelaxation": {"ENFORCE"}, "refreshTokenPolicy": {"infinite"}, "sessionTimeout": {"0"}, "runAs": {runAs}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save policies: %d\n%s", r.Status, r.Body)
		}
	}
	save(apiOnlyID)
	if got := ccUsername(t, s, "ConsoleKey0001", "ConsoleSecret0001"); got != consoleAPIOnly {
		t.Errorf("a pre-authorized Run As user's token runs as %q", got)
	}
	save(usersID) // User Manager: not on the app
	wantOAuthError(t, s.postForm(t, "/services/oauth2/token", ccForm("ConsoleKey0001", "ConsoleSecret0001")),
		http.StatusBadRequest, "invalid_app_access", "user is not admin approved to access this app")
}

// An External Client App's Manage page is its Policies tab; its Run As user must be API
// Only; a hostile app name is escaped.
func TestConsoleAppManageExternalClientApp(t *testing.T) {
	s := startConsole(t)
	_, apiOnly := s.ids(t, consoleAPIOnly)
	orgID, _ := s.ids(t, consoleAdmin)
	var eca org.ConnectedApp
	err := s.setup.Update(t.Context(), setup.Actor{Name: "test fixture"}, func(tx *setup.Tx) error {
		eca = org.ConnectedApp{OrgID: sfid.ID(orgID), Name: `Partner <script>alert(1)</script>`, ContactEmail: consoleAdmin,
			Kind: org.AppKindExternalClient, Scopes: []string{"api"}, ClientCredentialsEnabled: true, RunAsUserID: sfid.ID(apiOnly)}
		return tx.PutConnectedApp(t.Context(), &eca)
	})
	if err != nil {
		t.Fatal(err)
	}
	admin := consoleLogin(t, s, consoleAdmin)
	base := "/lightning/setup/NavigationMenus/apps/" + eca.ID.String() + "/"
	r := admin.get(base + "manage")
	wantPage(t, r, http.StatusOK, `href="`+base+`view" id="tab-settings">Settings</a>`, `aria-current="page" id="tab-policies">Policies</a>`,
		"External Client App Name", "Partner &lt;script&gt;alert(1)&lt;/script&gt;", `id="run-as">`+consoleAPIOnly)
	if strings.Contains(r.Body, "<script>") {
		t.Error("the Manage page renders the app name unescaped")
	}
	page := admin.get(base + "policies")
	wantPage(t, page, http.StatusOK, "must have the API Only User permission")
	_, usersID := s.ids(t, consoleUserAdmin)
	r = admin.post(base+"policies", url.Values{"csrf": {csrf(t, page.Body)}, "permittedUsers": {"AllSelfAuthorized"}, "ipRelaxation": {"ENFORCE"},
		"refreshTokenPolicy": {"infinite"}, "sessionTimeout": {"0"}, "runAs": {usersID}})
	wantPage(t, r, http.StatusBadRequest, "Run As: "+consoleUserAdmin+" must have the API Only User permission (External Client Apps)")
}
