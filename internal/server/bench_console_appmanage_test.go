package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"
)

// BenchmarkConsoleAppManage measures a connected app's Manage page (the app, its
// credentials, its Run As user, its profiles and permission sets, read from the store, and
// the page rendered) against Setup Home in the same run (the baseline: the org's counts
// and the token panel), both as GETs over HTTP on loopback by a logged-in admin, reporting
// the median latency (median-ms).
//
// Run:
//
//	go test ./internal/server -run '^$' -bench BenchmarkConsoleAppManage -benchtime 300x -count 5
func BenchmarkConsoleAppManage(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(dir+"/console.yaml", []byte(consoleOrgFile), 0o600); err != nil {
		b.Fatal(err)
	}
	s := startWith(b, Config{DBPath: dir + "/ff.db", OrgFile: dir + "/console.yaml"})
	var apps []struct{ ID, Name string }
	if err := json.Unmarshal([]byte(s.admin(b, http.MethodGet, "/apps", "").Body), &apps); err != nil {
		b.Fatal(err)
	}
	manage := ""
	for _, a := range apps {
		if a.Name == "Console Integration" {
			manage = "/lightning/setup/NavigationMenus/apps/" + a.ID + "/manage"
		}
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := c.Get(s.URL + "/login")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	login := url.Values{"username": {consoleAdmin}, "pw": {consolePassword}, "startURL": {"/lightning/setup/SetupOneHome/home"},
		"csrf": {fuzzCSRF.FindStringSubmatch(string(body))[1]}}
	if r, err := c.PostForm(s.URL+"/login", login); err != nil || r.StatusCode != http.StatusFound {
		b.Fatalf("login: %v %v", r, err)
	}
	get := func(path string) bool {
		resp, err := c.Get(s.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
	measure := func(b *testing.B, path string) {
		times := make([]time.Duration, 0, 1024)
		for b.Loop() {
			start := time.Now()
			if !get(path) {
				b.Fatalf("GET %s: not 200", path)
			}
			times = append(times, time.Since(start))
		}
		slices.Sort(times)
		b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	}
	b.Run("setup-home", func(b *testing.B) { measure(b, "/lightning/setup/SetupOneHome/home") })
	b.Run("app-manage", func(b *testing.B) { measure(b, manage) })
}
