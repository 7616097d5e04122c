package server

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"testing"
	"time"
)

// BenchmarkConsoleProfiles measures the profile detail page (every permission with its
// label, session settings, IP ranges, Object Settings over the org's catalog, the
// profile's users) against Setup Home in the same run (the baseline), and the Profiles
// list, over HTTP on loopback with a logged-in admin, reporting the median latency
// (median-ms).
//
// Run:
//
//	go test ./internal/server -run '^$' -bench BenchmarkConsoleProfiles -benchtime 300x -count 5
func BenchmarkConsoleProfiles(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(dir+"/console.yaml", []byte(consoleOrgFile), 0o600); err != nil {
		b.Fatal(err)
	}
	s := startWith(b, Config{DBPath: dir + "/ff.db", OrgFile: dir + "/console.yaml"})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	read := func(resp *http.Response, err error) (int, string) {
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	_, page := read(c.Get(s.URL + "/login"))
	login := url.Values{"username": {consoleAdmin}, "pw": {consolePassword}, "startURL": {profilesHome},
		"csrf": {fuzzCSRF.FindStringSubmatch(page)[1]}}
	if st, _ := read(c.PostForm(s.URL+"/login", login)); st != http.StatusFound {
		b.Fatalf("login: %d", st)
	}
	_, list := read(c.Get(s.URL + profilesHome))
	m := regexp.MustCompile(`EnhancedProfiles/([0-9A-Za-z]{18})/view">System Administrator<`).FindStringSubmatch(list)
	if m == nil {
		b.Fatalf("no System Administrator in the list:\n%s", list)
	}
	for _, tc := range []struct{ name, path string }{
		{"setup-home", "/lightning/setup/SetupOneHome/home"},
		{"profile-view", "/lightning/setup/EnhancedProfiles/" + m[1] + "/view"},
		{"profiles-list", profilesHome},
	} {
		b.Run(tc.name, func(b *testing.B) {
			times := make([]time.Duration, 0, 1024)
			for b.Loop() {
				start := time.Now()
				if st, _ := read(c.Get(s.URL + tc.path)); st != http.StatusOK {
					b.Fatalf("GET %s: %d", tc.path, st)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}
