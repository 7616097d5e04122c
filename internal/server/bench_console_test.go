package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchMedian runs op b.N times and reports the median latency (median-ms): a figure
// that a few slow rounds on a shared machine do not move, unlike ns/op.
func benchMedian(b *testing.B, op func() bool) {
	times := make([]time.Duration, 0, 1024)
	for b.Loop() {
		start := time.Now()
		if !op() {
			b.Fatal("unexpected answer")
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}

// BenchmarkConsole times every Setup console page against Setup Home in the same run,
// over HTTP on loopback with a logged-in admin, in an org the size of a busy small org:
// the console test org plus 100 users, 50 connected apps, 200 token requests (half of
// them refused) and so 100 live API sessions.
//
//	go test ./internal/server -run '^$' -bench BenchmarkConsole -benchtime 200x -count 5
func BenchmarkConsole(b *testing.B) {
	var users, apps strings.Builder
	for i := range 100 {
		fmt.Fprintf(&users, "      - {username: bulk%03d@console.example, firstName: Bulk, lastName: User%03d, email: bulk%03d@console.example, profile: Integration}\n", i, i, i)
	}
	for i := range 50 {
		fmt.Fprintf(&apps, "      - {name: Bench App %02d, contactEmail: bench@console.example, callbackUrls: [\"https://localhost\"], scopes: [api]}\n", i)
	}
	file := strings.Replace(consoleOrgFile, "    connectedApps:\n", users.String()+"    connectedApps:\n", 1) + apps.String()
	dir := b.TempDir()
	orgFile := filepath.Join(dir, "console.yaml")
	if err := os.WriteFile(orgFile, []byte(file), 0o600); err != nil {
		b.Fatal(err)
	}
	s := startWith(b, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
	for i := range 100 {
		s.token(b, "ConsoleKey0001", "ConsoleSecret0001")
		s.postForm(b, "/services/oauth2/token", ccForm("NoSuchKey"+strconv.Itoa(i), "wrong"))
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string) {
		resp, err := c.Get(s.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	_, login := get("/login")
	resp, err := c.PostForm(s.URL+"/login", url.Values{"username": {consoleAdmin}, "pw": {consolePassword},
		"startURL": {"/"}, "csrf": {csrfRE.FindStringSubmatch(login)[1]}})
	if err != nil || resp.StatusCode != http.StatusFound {
		b.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	id := func(listPath, pattern string) string {
		_, list := get(listPath)
		m := regexp.MustCompile(pattern).FindStringSubmatch(list)
		if m == nil {
			b.Fatalf("%s lacks %s", listPath, pattern)
		}
		return m[1]
	}
	profile := id("/lightning/setup/EnhancedProfiles/home", `EnhancedProfiles/([0-9A-Za-z]{18})/view">System Administrator<`)
	app := id("/lightning/setup/NavigationMenus/home", `apps/([0-9A-Za-z]{18})/view">Console Integration<`)
	user := id("/lightning/setup/ManageUsers/home", `ManageUsers/([0-9A-Za-z]{18})/view">Admin, Ada<`)

	for _, p := range []struct{ name, path string }{
		{"setup-home", "SetupOneHome/home"},
		{"users-list", "ManageUsers/home"},
		{"user-view", "ManageUsers/" + user + "/view"},
		{"profiles-list", "EnhancedProfiles/home"},
		{"profile-view", "EnhancedProfiles/" + profile + "/view"},
		{"permsets-list", "PermSets/home"},
		{"apps-list", "NavigationMenus/home"},
		{"app-view", "NavigationMenus/apps/" + app + "/view"},
		{"app-manage", "NavigationMenus/apps/" + app + "/manage"},
		{"oauth-usage", "ConnectedAppsUsage/home"},
		{"login-history", "OrgLoginHistory/home"},
		{"sessions", "SessionManagementPage/home"},
		{"audit-trail", "SecurityEvents/home"},
		{"api-usage", "ApiUsage/home"},
	} {
		b.Run(p.name, func(b *testing.B) {
			benchMedian(b, func() bool {
				status, body := get("/lightning/setup/" + p.path)
				return status == http.StatusOK && strings.HasSuffix(strings.TrimSpace(body), "</html>")
			})
		})
	}
}
