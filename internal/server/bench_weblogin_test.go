package server

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"
)

// BenchmarkWebFlow measures the browser side over HTTP on loopback against the client
// credentials grant in the same run (the baseline: one token request), reporting the
// median latency (median-ms):
//
//   - authorize-code: a logged-in browser whose approval is on record gets a code — GET
//     /services/oauth2/authorize (stores the pending request) and GET of the approval URL
//     (takes it, stores the code): two requests and three database writes;
//   - ui-login: GET /login and POST /login with the right password (one argon2id
//     verification pair, a session and its LoginHistory row), against
//   - password-grant: the username-password grant (the same password check).
//
// Run:
//
//	go test ./internal/server -run '^$' -bench BenchmarkWebFlow -benchtime 200x -count 5
func BenchmarkWebFlow(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(dir+"/org.yaml", []byte(webOrgFile), 0o600); err != nil {
		b.Fatal(err)
	}
	s := startWith(b, Config{DB: dir + "/ff.db", OrgFile: dir + "/org.yaml"})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) *http.Response {
		resp, err := c.Get(s.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	post := func(path string, form url.Values) *http.Response {
		resp, err := c.PostForm(s.URL+path, form)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	page, err := c.Get(s.URL + "/login")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	token := fuzzCSRF.FindStringSubmatch(string(body))[1]
	login := url.Values{"username": {"alice@web.example"}, "pw": {"Alice pass 1"}, "startURL": {"/"}, "csrf": {token}}
	if r := post("/login", login); r.StatusCode != http.StatusFound {
		b.Fatalf("login: %d", r.StatusCode)
	}
	authorize := "/services/oauth2/authorize?response_type=code&client_id=ApprovedKey1&state=b&redirect_uri=" + url.QueryEscape("https://approved.example/cb")
	b.Run("client-credentials", func(b *testing.B) {
		benchMedian(b, func() bool {
			return post("/services/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"ApprovedKey1"},
				"client_secret": {"ApprovedSecret1"}}).StatusCode == http.StatusOK
		})
	})
	b.Run("authorize-code", func(b *testing.B) {
		benchMedian(b, func() bool {
			r := get(authorize)
			r = get(r.Header.Get("Location"))
			return r.StatusCode == http.StatusFound && strings.Contains(r.Header.Get("Location"), "code=aPrx")
		})
	})
	b.Run("ui-login", func(b *testing.B) {
		benchMedian(b, func() bool {
			page, err := c.Get(s.URL + "/login")
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(page.Body)
			page.Body.Close()
			login.Set("csrf", fuzzCSRF.FindStringSubmatch(string(body))[1])
			return post("/login", login).StatusCode == http.StatusFound
		})
	})
	b.Run("password-grant", func(b *testing.B) {
		benchMedian(b, func() bool {
			return post("/services/oauth2/token", passwordForm("ApprovedKey1", "ApprovedSecret1", "alice@web.example", "Alice pass 1")).StatusCode == http.StatusOK
		})
	})
}
