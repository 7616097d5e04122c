package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The pages an admin watches (issue 11): Connected Apps OAuth Usage, Login History,
// Session Management, View Setup Audit Trail, API Usage — over HTTP with a cookie jar.

// hostileApp is an app whose name is markup and a spreadsheet formula at once.
const hostileApp = `=HYPERLINK("http://evil.example")<script>alert(1)</script>`

// startMonitorConsole is the console org plus the hostile app.
func startMonitorConsole(t *testing.T) *testServer {
	t.Helper()
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "console.yaml")
	content := consoleOrgFile + `      - name: '` + hostileApp + `'
        contactEmail: admin@console.example
        scopes: [api]
        consumerKey: HostileKey0001
        consumerSecret: HostileSecret0001
      - {name: Web App, scopes: [api, refresh_token], callbackUrls: ["https://web.example/cb"], consumerKey: WebAppKey01, consumerSecret: WebAppSecret01}
`
	if err := os.WriteFile(orgFile, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
}

var barRE = regexp.MustCompile(`data-group="([^"]*)" data-series="([^"]*)" data-count="(\d+)"`)

// chartBars reads an SVG chart's bars back from a page: "group|series" → count, zero
// bars left out.
func chartBars(page string) map[string]int {
	out := map[string]int{}
	for _, m := range barRE.FindAllStringSubmatch(page, -1) {
		n, _ := strconv.Atoi(m[3])
		if n > 0 {
			out[m[1]+"|"+m[2]] = n
		}
	}
	return out
}

// wantEscaped checks that a page shows the hostile app's name escaped and never raw.
func wantEscaped(t *testing.T, page string) {
	t.Helper()
	if strings.Contains(page, "<script>alert(1)") || strings.Contains(page, "<script>ua") {
		t.Errorf("a hostile value reached the page unescaped:\n%s", page)
	}
}

// parseCSV reads a download.
func parseCSV(t *testing.T, r response) [][]string {
	t.Helper()
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("download: %d %v\n%s", r.Status, r.Header, r.Body)
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, r.Body)
	}
	return rows
}

func TestConsoleMonitorLoginHistory(t *testing.T) {
	s := startMonitorConsole(t)
	// A failed UI login with a hostile User-Agent, a failed token request of the hostile
	// app, a successful one of Console Integration; the admin's own login succeeds.
	bad := newBrowser(t, s.URL, nil)
	bad.ua = "<script>ua</script>"
	bad.login(consoleUserAdmin, "wrong password", "/lightning/setup/SetupOneHome/home")
	if r := s.postForm(t, "/services/oauth2/token", ccForm("HostileKey0001", "wrong")); r.Status != http.StatusBadRequest {
		t.Fatalf("hostile app token: %d", r.Status)
	}
	s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	b := consoleLogin(t, s, consoleAdmin)

	r := b.get("/lightning/setup/OrgLoginHistory/home")
	wantPage(t, r, http.StatusOK, "Login History", consoleUserAdmin, "Invalid Password", consoleAPIOnly, "Console Integration",
		"Remote Access 2.0", "Invalid client credentials", "&lt;script&gt;alert(1)&lt;/script&gt;", `<svg class="chart"`)
	wantConsoleHeaders(t, r.Header)
	wantEscaped(t, r.Body)
	// The test clock stands at 10:00 UTC: every attempt is in the chart's last bar.
	want := map[string]int{"10:00|Success": 2, "10:00|Failure": 2}
	if diff := cmp.Diff(want, chartBars(r.Body)); diff != "" {
		t.Errorf("chart bars (-want +got):\n%s", diff)
	}

	rows := parseCSV(t, b.get("/lightning/setup/OrgLoginHistory/home?format=csv"))
	if diff := cmp.Diff([]string{"Username", "Login Time", "Login Type", "Login Subtype", "Source IP", "Status", "Browser",
		"Platform", "Application", "API Type", "API Version", "Login URL"}, rows[0]); diff != "" {
		t.Errorf("CSV header (-want +got):\n%s", diff)
	}
	got := map[string]bool{}
	for _, row := range rows[1:] {
		got[row[0]+"|"+row[5]+"|"+row[8]] = true
	}
	for _, w := range []string{consoleUserAdmin + "|Invalid Password|Browser", consoleAdmin + "|Success|Browser",
		consoleAPIOnly + "|Success|Console Integration", "|Invalid client credentials|'" + hostileApp} {
		if !got[w] {
			t.Errorf("CSV lacks %q: %v", w, got)
		}
	}

	// Filters: failures only, of one user; a malformed time is a 400 beside the field.
	r = b.get("/lightning/setup/OrgLoginHistory/home?status=Failed&user=" + url.QueryEscape(consoleUserAdmin))
	wantPage(t, r, http.StatusOK, `id="login-count">1 login attempt(s)`, "Invalid Password")
	rows = parseCSV(t, b.get("/lightning/setup/OrgLoginHistory/home?format=csv&status=Success"))
	if len(rows) != 3 {
		t.Errorf("successes in the CSV: %d rows, want header + 2", len(rows))
	}
	wantPage(t, b.get("/lightning/setup/OrgLoginHistory/home?from=yesterday"), http.StatusBadRequest, "Enter a date and time")
	r = b.get("/lightning/setup/OrgLoginHistory/home?from=2026-11-22T11:00")
	wantPage(t, r, http.StatusOK, `id="login-count">0 login attempt(s)`)

	// Login History needs Manage Users: the viewer is refused.
	wantPage(t, consoleLogin(t, s, consoleViewer).get("/lightning/setup/OrgLoginHistory/home"), http.StatusForbidden, "Insufficient Privileges")
}

// sessionIDs lists the live sessions' IDs of a user through the admin API.
func (s *testServer) sessionIDs(t *testing.T, username string) []string {
	t.Helper()
	var users []struct{ ID, Username string }
	if err := json.Unmarshal([]byte(s.admin(t, http.MethodGet, "/users", "").Body), &users); err != nil {
		t.Fatal(err)
	}
	var ss []struct{ ID, UserID string }
	if err := json.Unmarshal([]byte(s.admin(t, http.MethodGet, "/sessions", "").Body), &ss); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, u := range users {
		for _, x := range ss {
			if u.Username == username && x.UserID == u.ID {
				out = append(out, x.ID)
			}
		}
	}
	return out
}

func TestConsoleMonitorSessions(t *testing.T) {
	s := startMonitorConsole(t)
	tok := s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	admin := consoleLogin(t, s, consoleAdmin)
	r := admin.get("/lightning/setup/SessionManagementPage/home")
	wantPage(t, r, http.StatusOK, "Session Management", consoleAPIOnly, "Console Integration", "Oauth2", "Current Session", ">Remove<")
	wantConsoleHeaders(t, r.Header)
	ids := s.sessionIDs(t, consoleAPIOnly)
	if len(ids) != 1 {
		t.Fatalf("apionly sessions: %v", ids)
	}

	// The viewer may not see or post; a post without a CSRF token changes nothing.
	viewer := consoleLogin(t, s, consoleViewer)
	wantPage(t, viewer.get("/lightning/setup/SessionManagementPage/home"), http.StatusForbidden, "Insufficient Privileges")
	wantPage(t, viewer.post("/lightning/setup/SessionManagementPage/remove", url.Values{"session-" + ids[0]: {"on"}, "csrf": {csrf(t, r.Body)}}),
		http.StatusForbidden)
	wantPage(t, admin.post("/lightning/setup/SessionManagementPage/remove", url.Values{"session-" + ids[0]: {"on"}}), http.StatusForbidden, "Invalid Request")
	if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusOK {
		t.Fatalf("the token died without a valid removal: %d", g.Status)
	}

	// users@ (Manage Users) removes it: the token stops working.
	um := consoleLogin(t, s, consoleUserAdmin)
	page := um.get("/lightning/setup/SessionManagementPage/home")
	wantPage(t, page, http.StatusOK, ids[0])
	if r := um.post("/lightning/setup/SessionManagementPage/remove", url.Values{"session-" + ids[0]: {"on"}, "csrf": {csrf(t, page.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("remove: %d %s", r.Status, r.Body)
	}
	if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusUnauthorized {
		t.Errorf("the removed session still works: %d", g.Status)
	}
	// Malformed and foreign IDs are 404s, an empty selection a 400.
	wantPage(t, um.post("/lightning/setup/SessionManagementPage/remove", url.Values{"session-nope": {"on"}, "csrf": {csrf(t, page.Body)}}), http.StatusNotFound)
	wantPage(t, um.post("/lightning/setup/SessionManagementPage/remove", url.Values{"csrf": {csrf(t, page.Body)}}), http.StatusBadRequest)

	// Remove All of a user (filtered), then the admin removes their own session: logged out.
	tok2 := s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	page = um.get("/lightning/setup/SessionManagementPage/home?user=" + url.QueryEscape(consoleAPIOnly))
	wantPage(t, page, http.StatusOK, "Remove All")
	m := regexp.MustCompile(`name="user" value="([^"]+)"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no Remove All form:\n%s", page.Body)
	}
	if r := um.post("/lightning/setup/SessionManagementPage/remove", url.Values{"user": {m[1]}, "csrf": {csrf(t, page.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("remove all: %d %s", r.Status, r.Body)
	}
	if g := s.get(t, "/services/data/v59.0/limits", tok2); g.Status != http.StatusUnauthorized {
		t.Errorf("Remove All left a session: %d", g.Status)
	}
	own := s.sessionIDs(t, consoleAdmin)
	page = admin.get("/lightning/setup/SessionManagementPage/home?user=" + url.QueryEscape(consoleAdmin))
	form := url.Values{"csrf": {csrf(t, page.Body)}}
	for _, id := range own {
		form.Set("session-"+id, "on")
	}
	if r := admin.post("/lightning/setup/SessionManagementPage/remove", form); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("removing one's own session: %d Location %q", r.Status, r.Header.Get("Location"))
	}
	if r := admin.get("/lightning/setup/SessionManagementPage/home"); r.Status != http.StatusFound {
		t.Errorf("after removing their own session the admin still sees the page: %d", r.Status)
	}

	// The audit trail names users@ for both removals.
	audit := um.get("/lightning/setup/SecurityEvents/home").Body
	for _, w := range []string{"Removed session " + ids[0] + " of user " + consoleAPIOnly, "Revoked 1 session(s) of user " + consoleAPIOnly} {
		if !regexp.MustCompile(`audit-user">` + regexp.QuoteMeta(consoleUserAdmin) + `</td><td></td><td class="audit-display">` + regexp.QuoteMeta(w)).MatchString(audit) {
			t.Errorf("audit trail lacks %q by %s", w, consoleUserAdmin)
		}
	}
}
