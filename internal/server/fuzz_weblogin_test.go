package server

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Fuzzing the login form and the authorize parameters through the real server: bad input
// never crashes, never answers 5xx, and never redirects off the server except to a
// registered callback.

// startWebFuzz starts the web org for a fuzz test.
func startWebFuzz(f *testing.F) *testServer {
	dir := f.TempDir()
	orgFile := filepath.Join(dir, "org.yaml")
	if err := os.WriteFile(orgFile, []byte(webOrgFile), 0o600); err != nil {
		f.Fatal(err)
	}
	return startWith(f, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
}

func noRedirectJarClient(f *testing.F) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var fuzzCSRF = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

func FuzzLoginForm(f *testing.F) {
	s := startWebFuzz(f)
	c := noRedirectJarClient(f)
	resp, err := c.Get(s.URL + "/login")
	if err != nil {
		f.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token := fuzzCSRF.FindSubmatch(page)[1]
	f.Add("username=alice%40web.example&pw=Alice+pass+1&startURL=%2F%2Fevil.example", true)
	f.Add("username=alice%40web.example&pw=x&startURL=%2Fhome", true)
	f.Add("username=%00&pw=%ff%fe&startURL=%5C%5Cevil", true)
	f.Add("username=a&username=b&pw=", false)
	f.Add("%zz=1", true)
	f.Add(strings.Repeat("a", 20000), true)
	f.Fuzz(func(t *testing.T, body string, withToken bool) {
		if withToken {
			body += "&csrf=" + url.QueryEscape(string(token))
		}
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/login", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK, http.StatusForbidden:
		case http.StatusFound:
			loc := resp.Header.Get("Location")
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.Contains(loc, "\\") {
				t.Fatalf("login redirected to %q", loc)
			}
			// Log out again so that the next input starts from the login page.
			if r, err := c.Get(s.URL + "/secur/logout.jsp"); err == nil {
				r.Body.Close()
			}
		default:
			t.Fatalf("POST /login %q: status %d", body, resp.StatusCode)
		}
	})
}

func FuzzAuthorizeRequest(f *testing.F) {
	s := startWebFuzz(f)
	c := noRedirectJarClient(f)
	f.Add("response_type=code&client_id=WebKey000001&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&state=x", "GET")
	f.Add("response_type=token&client_id=WebKey000001&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&immediate=true", "POST")
	f.Add("response_type=code&client_id=WebKey000001&redirect_uri=https%3A%2F%2Fevil.example&scope=full", "GET")
	f.Add("client_id=%zz", "GET")
	f.Add("response_type=code&client_id=PkceKey00001&redirect_uri=https%3A%2F%2Fpkce.example%2Fcb&code_challenge=a", "PUT")
	f.Fuzz(func(t *testing.T, query, method string) {
		var req *http.Request
		if method == "POST" {
			req, _ = http.NewRequest(http.MethodPost, s.URL+"/services/oauth2/authorize", strings.NewReader(query))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			m := http.MethodGet
			if method == "PUT" {
				m = http.MethodPut
			}
			u, err := url.Parse(s.URL + "/services/oauth2/authorize")
			if err != nil {
				t.Fatal(err)
			}
			u.RawQuery = query
			req, err = http.NewRequest(m, u.String(), nil)
			if err != nil {
				return // not a request a client could send
			}
		}
		resp, err := c.Do(req)
		if err != nil {
			return // a URL Go's client refuses to send
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusBadRequest, http.StatusMethodNotAllowed:
		case http.StatusFound:
			loc := resp.Header.Get("Location")
			ok := strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//")
			for _, cb := range []string{"http://localhost:1717/OauthRedirect", "https://app.example/cb?tenant=1", "https://pkce.example/cb"} {
				ok = ok || strings.HasPrefix(loc, cb+"?") || strings.HasPrefix(loc, cb+"&") || strings.HasPrefix(loc, cb+"#")
			}
			if !ok {
				t.Fatalf("authorize %q redirected to %q", query, loc)
			}
		default:
			t.Fatalf("authorize %s %q: status %d", method, query, resp.StatusCode)
		}
	})
}
