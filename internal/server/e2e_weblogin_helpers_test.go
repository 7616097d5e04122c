package server

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The browser side without a browser: an http.Client with a cookie jar that does not
// follow redirects, so that every hop of the login and authorize flows is asserted. The
// e2e tests drive the same pages from Chromium.

const webOrgFile = `
orgs:
  - name: Web Org
    myDomain: weborg
    maxLoginAttempts: 3
    lockoutMinutes: 15
    profiles:
      - name: Web User
        permissions: [ApiEnabled]
      - name: API Only
        permissions: [ApiEnabled, ApiUserOnly]
      - name: Office
        permissions: [ApiEnabled]
        loginIpRanges: [{start: 203.0.113.0, end: 203.0.113.255}]
      - name: Partner
        permissions: [ApiEnabled]
    permissionSets:
      - name: Integration Only
        permissions: [ApiUserOnly]
    users:
      - {username: alice@web.example, firstName: Alice, lastName: Able, email: alice@web.example, profile: Web User, password: "Alice pass 1"}
      - {username: lock@web.example, lastName: Lock, email: lock@web.example, profile: Web User, password: "Lock pass 1"}
      - {username: gone@web.example, lastName: Gone, email: gone@web.example, profile: Web User, password: "Gone pass 1", active: false}
      - {username: api@web.example, lastName: Api, email: api@web.example, profile: API Only, password: "Api pass 1"}
      - {username: apips@web.example, lastName: ApiPs, email: apips@web.example, profile: Web User, permissionSets: [Integration Only], password: "ApiPs pass 1"}
      - {username: office@web.example, lastName: Office, email: office@web.example, profile: Office, password: "Office pass 1"}
      - {username: partner@web.example, lastName: Partner, email: partner@web.example, profile: Partner, password: "Partner pass 1"}
      - {username: nopw@web.example, lastName: NoPw, email: nopw@web.example, profile: Web User}
    connectedApps:
      - name: Web App
        contactEmail: team@web.example
        scopes: [api, id, refresh_token, openid]
        consumerKey: WebKey000001
        consumerSecret: WebSecret000001
        callbackUrls: [http://localhost:1717/OauthRedirect, "https://app.example/cb?tenant=1"]
      - name: Partner App
        contactEmail: team@web.example
        scopes: [api]
        consumerKey: PartnerKey01
        consumerSecret: PartnerSecret01
        callbackUrls: [https://partner.example/cb]
        permittedUsers: AdminApprovedPreAuthorized
        profiles: [Partner]
      - name: Approved App
        contactEmail: team@web.example
        scopes: [api, web]
        consumerKey: ApprovedKey1
        consumerSecret: ApprovedSecret1
        callbackUrls: [https://approved.example/cb]
        approvedUsers: [alice@web.example]
        clientCredentials: {enabled: true, runAs: alice@web.example}
      - name: PKCE App
        contactEmail: team@web.example
        scopes: [api, refresh_token]
        consumerKey: PkceKey00001
        consumerSecret: PkceSecret00001
        callbackUrls: [https://pkce.example/cb]
        pkceRequired: true
        consumerSecretOptional: true
  - name: Other Org
    maxLoginAttempts: 100
    profiles:
      - name: Standard User
        permissions: [ApiEnabled]
    users:
      - {username: other@other.example, lastName: Other, email: other@other.example, profile: Standard User, password: "Other pass 1"}
`

// browser is a cookie-keeping client for one test.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	jar  *cookiejar.Jar
	ua   string
}

func newBrowser(t *testing.T, base string, client *http.Client) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if client != nil {
		c.Transport = client.Transport
	}
	return &browser{t: t, base: base, c: c, jar: jar,
		ua: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"}
}

// do sends a request and reads the whole answer; path may be absolute or a local path.
func (b *browser) do(method, path string, form url.Values) (response, *http.Response) {
	b.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.base + path
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("User-Agent", b.ua)
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(data)}, resp
}

func (b *browser) get(path string) response {
	b.t.Helper()
	r, _ := b.do(http.MethodGet, path, nil)
	return r
}

func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	r, _ := b.do(http.MethodPost, path, form)
	return r
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

// csrf is the CSRF token of a page's form.
func csrf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field in page:\n%s", page)
	}
	return m[1]
}

// login opens the login page and posts the form; it returns the POST's answer.
func (b *browser) login(username, pw, startURL string) response {
	b.t.Helper()
	page := b.get("/login")
	if page.Status != http.StatusOK {
		b.t.Fatalf("GET /login: %d %s", page.Status, page.Body)
	}
	return b.post("/login", url.Values{"username": {username}, "pw": {pw}, "startURL": {startURL}, "csrf": {csrf(b.t, page.Body)}})
}

// mustLogin logs in and checks the redirect to startURL.
func (b *browser) mustLogin(username, pw, startURL string) {
	b.t.Helper()
	r := b.login(username, pw, startURL)
	if r.Status != http.StatusFound || r.Header.Get("Location") != startURL {
		b.t.Fatalf("login as %s: %d Location %q, want 302 %q\n%s", username, r.Status, r.Header.Get("Location"), startURL, r.Body)
	}
}

// cookie returns the named cookie the jar would send to the base URL.
func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.base)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// loginRows returns the LoginHistory rows, newest first.
func (s *testServer) loginRows(t *testing.T) []map[string]any {
	t.Helper()
	r := s.admin(t, http.MethodGet, "/login-history?limit=1000", "")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.Body), &rows); err != nil {
		t.Fatalf("login history: %v: %s", err, r.Body)
	}
	return rows
}

// wantUILogin checks the newest LoginHistory row is a UI login with status for userID.
func (s *testServer) wantUILogin(t *testing.T, status, userID string) {
	t.Helper()
	row := s.lastLogin(t)
	if row["loginType"] != "Application" || row["loginSubType"] != "UsernamePasswordUiLogin" || row["status"] != status || row["application"] != "Browser" {
		t.Errorf("login history = %v/%v/%v/%v, want Application/UsernamePasswordUiLogin/%s/Browser", row["loginType"], row["loginSubType"], row["status"], row["application"], status)
	}
	if got, _ := row["userId"].(string); got != userID {
		t.Errorf("login history userId = %q, want %q", got, userID)
	}
}

// tlsClientFor returns a client trusting the server's generated certificate.
func tlsClientFor(t *testing.T, certFile string) *http.Client {
	t.Helper()
	pemBytes, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("no certificate in " + certFile)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// fromAddress returns a client whose connections come from the loopback address ip
// (127.0.0.2, say): a second "source address" on one machine.
func fromAddress(t *testing.T, ip string) *http.Client {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

var errorDivRE = regexp.MustCompile(`<div id="error"[^>]*>([^<]*)</div>`)

// pageError is the text of a login page's error div ("" without one).
func pageError(page string) string {
	m := errorDivRE.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// webAuthorize is an authorize URL for the Web App with extra parameters.
func webAuthorize(extra string) string {
	return "/services/oauth2/authorize?response_type=code&client_id=WebKey000001&redirect_uri=" +
		url.QueryEscape("http://localhost:1717/OauthRedirect") + "&state=st" + extra
}
