package server

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkConsoleMonitor times the monitoring pages against Setup Home in the same run,
// with 200 login attempts (half refused) and 100 live API sessions in the org:
//
//	go test ./internal/server -run '^$' -bench ConsoleMonitor -count 5
func BenchmarkConsoleMonitor(b *testing.B) {
	dir := b.TempDir()
	orgFile := filepath.Join(dir, "console.yaml")
	if err := os.WriteFile(orgFile, []byte(consoleOrgFile), 0o600); err != nil {
		b.Fatal(err)
	}
	s := startWith(b, Config{DBPath: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
	for i := range 100 {
		s.token(b, "ConsoleKey0001", "ConsoleSecret0001")
		s.postForm(b, "/services/oauth2/token", ccForm("NoSuchKey"+strconv.Itoa(i), "wrong"))
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) string {
		resp, err := c.Get(s.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(body)
	}
	m := csrfRE.FindStringSubmatch(get("/login"))
	resp, err := c.PostForm(s.URL+"/login", url.Values{"username": {consoleAdmin}, "pw": {consolePassword},
		"startURL": {"/lightning/setup/SetupOneHome/home"}, "csrf": {m[1]}})
	if err != nil || resp.StatusCode != http.StatusFound {
		b.Fatalf("login: %v %v", err, resp)
	}
	resp.Body.Close()
	for _, page := range []string{"SetupOneHome", "OrgLoginHistory", "SessionManagementPage", "ConnectedAppsUsage", "SecurityEvents", "ApiUsage"} {
		b.Run(page, func(b *testing.B) {
			for b.Loop() {
				if body := get("/lightning/setup/" + page + "/home"); !strings.Contains(body, "</html>") {
					b.Fatal("no page")
				}
			}
		})
	}
}
