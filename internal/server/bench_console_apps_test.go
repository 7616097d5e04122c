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

// BenchmarkConsoleApps measures the App Manager list (every app of the org with its type
// and actions; 50 apps here) against Setup Home (the baseline: counts and the token
// panel) in the same run, over HTTP on loopback with a logged-in session, reporting the
// median latency (median-ms).
//
// Run:
//
//	go test ./internal/server -run '^$' -bench BenchmarkConsoleApps -benchtime 300x -count 5
func BenchmarkConsoleApps(b *testing.B) {
	dir := b.TempDir()
	var file strings.Builder
	file.WriteString(consoleOrgFile)
	for i := range 50 {
		fmt.Fprintf(&file, "      - {name: Bench App %02d, contactEmail: bench@console.example, callbackUrls: [\"https://localhost\"], scopes: [api]}\n", i)
	}
	if err := os.WriteFile(dir+"/org.yaml", []byte(file.String()), 0o600); err != nil {
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
	token := fuzzCSRF.FindStringSubmatch(string(body))[1]
	resp, err := c.PostForm(s.URL+"/login", url.Values{"username": {consoleAdmin}, "pw": {consolePassword}, "startURL": {"/lightning/setup/SetupOneHome/home"}, "csrf": {token}})
	if err != nil || resp.StatusCode != http.StatusFound {
		b.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	get := func(path, want string) bool {
		resp, err := c.Get(s.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK && strings.Contains(string(data), want)
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
		measure(b, func() bool { return get("/lightning/setup/SetupOneHome/home", "Get a Token") })
	})
	b.Run("apps-list", func(b *testing.B) {
		measure(b, func() bool { return get("/lightning/setup/NavigationMenus/home", "Bench App 49") })
	})
}
