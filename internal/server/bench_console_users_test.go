package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkConsoleUsersList measures Setup → Users (every user of the org with their
// profile, and Last Login from one query of the org's latest login history rows) against
// Setup Home in the same run (the baseline console page: the org's counts), both over
// HTTP on loopback with a logged-in cookie, reporting the median latency (median-ms). The
// org holds the console test org's 6 users plus 100 more; the admin's UI login and one
// client credentials token are in the login history.
//
// Run:
//
//	go test ./internal/server -run '^$' -bench BenchmarkConsoleUsersList -benchtime 200x -count 5
func BenchmarkConsoleUsersList(b *testing.B) {
	dir := b.TempDir()
	var extra strings.Builder
	for i := range 100 {
		fmt.Fprintf(&extra, "      - {username: bulk%03d@console.example, firstName: Bulk, lastName: User%03d, email: bulk%03d@console.example, profile: Integration}\n", i, i, i)
	}
	file := strings.Replace(consoleOrgFile, "    connectedApps:\n", extra.String()+"    connectedApps:\n", 1)
	if err := os.WriteFile(dir+"/org.yaml", []byte(file), 0o600); err != nil {
		b.Fatal(err)
	}
	s := startWith(b, Config{DBPath: dir + "/ff.db", OrgFile: dir + "/org.yaml"})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := c.Get(s.URL + "/login")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	resp, err := c.PostForm(s.URL+"/login", url.Values{"username": {consoleAdmin}, "pw": {consolePassword},
		"startURL": {"/lightning/setup/SetupOneHome/home"}, "csrf": {fuzzCSRF.FindStringSubmatch(string(body))[1]}})
	if err != nil || resp.StatusCode != http.StatusFound {
		b.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	// Give some users a login history row, so Last Login is read and shown.
	if r := s.postForm(b, "/services/oauth2/token", ccForm("ConsoleKey0001", "ConsoleSecret0001")); r.Status != http.StatusOK {
		b.Fatalf("token: %d %s", r.Status, r.Body)
	}
	getPage := func(path, want string) bool {
		r, err := c.Get(s.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		return r.StatusCode == http.StatusOK && strings.Contains(string(body), want)
	}
	measure := func(b *testing.B, op func() bool) {
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
	b.Run("setup-home", func(b *testing.B) {
		measure(b, func() bool { return getPage("/lightning/setup/SetupOneHome/home", "Get a Token") })
	})
	b.Run("users-list", func(b *testing.B) {
		measure(b, func() bool { return getPage(usersHome, "bulk099@console.example") })
	})
}
