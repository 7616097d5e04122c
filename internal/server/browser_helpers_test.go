package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The browser harness of issue 10 §5: Debian's chromium, headless, driven over the DevTools
// protocol by chromedp — real pages, real cookies, real redirects. Used by
// e2e_browser_*_test.go. The page ids are the web flow's (docs/web-flow.md): login form
// inputs username and password, button Login; approval buttons allow and deny.

// chromiumPath is Debian's chromium (package chromium; .ci/run installs it).
const chromiumPath = "/usr/bin/chromium"

// browserStep bounds each step (a navigation, a click and the page it loads): generous for a
// loaded 2-core machine, short enough that a page that never comes fails the test quickly.
const browserStep = 30 * time.Second

// chromium is one headless chromium with a profile of its own (so its own cookie jar).
type chromium struct {
	t   *testing.T
	ctx context.Context
}

// browserOption adjusts the chromium command line.
type browserOption func(*[]chromedp.ExecAllocatorOption)

// trustCert makes the browser accept the certificate in certFile (Forcefield's self-signed
// TLS listener) and no other bad certificate: chromium's
// --ignore-certificate-errors-spki-list with the certificate's public key hash, which
// chromium honours when --user-data-dir is set.
func trustCert(t *testing.T, certFile string) browserOption {
	t.Helper()
	b, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		t.Fatalf("%s: no PEM certificate", certFile)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return func(o *[]chromedp.ExecAllocatorOption) {
		*o = append(*o, chromedp.Flag("ignore-certificate-errors-spki-list", base64.StdEncoding.EncodeToString(sum[:])))
	}
}

// needChromium returns chromium's path, or skips the test — failing instead when CI is set.
func needChromium(t *testing.T) string {
	t.Helper()
	return needTool(t, chromiumPath, "apt-get install chromium (Debian's package)")
}

// newChromium starts a headless chromium for the test; it is closed when the test ends.
func newChromium(t *testing.T, opts ...browserOption) *chromium {
	t.Helper()
	path := needChromium(t)
	var out lockedBuffer
	alloc := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		// CI runs as root, where chromium refuses to start with its sandbox.
		chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()),
		// Loopback only: no proxy from the environment, no Google services.
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.CombinedOutput(&out),
	)
	for _, o := range opts {
		o(&alloc)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), alloc...)
	ctx, cancel := chromedp.NewContext(actx)
	// The first run starts chromium; it must use the context NewContext returned (a
	// derived, shorter one would end the browser with it).
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("start chromium: %v\n%s", err, out.String())
	}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	return &chromium{t: t, ctx: ctx}
}

// do runs steps with a time limit; on failure it reports where the browser was.
func (b *chromium) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// fatalf fails the test with the page the browser shows.
func (b *chromium) fatalf(format string, args ...any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	b.t.Fatalf("%s\nbrowser at %s showing:\n%s", fmt.Sprintf(format, args...), loc, text)
}

// open navigates to u and waits for the first document to load.
func (b *chromium) open(u string) {
	b.t.Helper()
	b.do("open "+u, chromedp.Navigate(u))
}

// openAndFollow navigates to u and waits until the page it ends on (after a form the page
// submits by script, say) has loaded.
func (b *chromium) openAndFollow(u string) {
	b.t.Helper()
	b.open(u)
	b.do("wait for the page to settle", chromedp.Poll[chromedp.Void](
		`document.readyState === "complete" && !location.href.startsWith("`+u+`")`))
}

// value is the value of the first form field the CSS selector finds.
func (b *chromium) value(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		b.fatalf("value of %s: %v", sel, err)
	}
	return v
}

// location is the URL the browser shows.
func (b *chromium) location() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("location: %v", err)
	}
	return loc
}

// waitText waits until the page's text contains want, across navigations (a page that
// redirects by script included), and returns the whole text.
func (b *chromium) waitText(want string) string {
	b.t.Helper()
	deadline := time.Now().Add(browserStep)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		cancel()
		if err == nil && strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			b.fatalf("the page never showed %q (last error %v)", want, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// login fills the login form the browser shows (or is about to show, after the authorize
// endpoint's redirect) and submits it, as a person types: the username field may be
// pre-filled from login_hint, so it is cleared first.
func (b *chromium) login(username, password string) {
	b.t.Helper()
	b.do("fill the login form",
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.Clear(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	b.click("Login")
}

// approve clicks Allow on the approval page.
func (b *chromium) approve() {
	b.t.Helper()
	b.do("wait for the approval page", chromedp.WaitVisible(chromedp.ID("allow")))
	b.click("allow")
}

// deny clicks Deny on the approval page.
func (b *chromium) deny() {
	b.t.Helper()
	b.do("wait for the approval page", chromedp.WaitVisible(chromedp.ID("deny")))
	b.click("deny")
}

// click clicks the element with the id and waits for the navigation it starts. A
// navigation that fails to load (a callback nobody listens on any more) is not an error
// here: the caller checks where the browser went.
func (b *chromium) click(id string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	_, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID(id)))
	var le *chromedp.LoadError
	if err != nil && !errors.As(err, &le) {
		b.fatalf("click #%s: %v", id, err)
	}
}

// cookies returns the browser's cookies for the URLs, read through the DevTools protocol
// (Network.getCookies), which sees HttpOnly cookies and their flags.
func (b *chromium) cookies(urls ...string) map[string]*network.Cookie {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: urls})
	if err != nil {
		b.t.Fatalf("Network.getCookies: %v", err)
	}
	out := map[string]*network.Cookie{}
	for _, c := range res.Cookies {
		out[c.Name] = c
	}
	return out
}

// callbackListener is an OAuth client's redirect URI: a loopback listener that records what the
// authorization server sends the browser back with.
type callbackListener struct {
	URL string // http://127.0.0.1:PORT/callback
	got chan url.Values
}

// newCallback starts the listener; it stops when the test ends.
func newCallback(t *testing.T) *callbackListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &callbackListener{URL: "http://" + ln.Addr().String() + "/callback", got: make(chan url.Values, 4)}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		select {
		case c.got <- r.URL.Query():
		default:
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>Callback</title><p id=done>Callback received</p>")
	}), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return c
}

// wait returns the query of the first request to the callback.
func (c *callbackListener) wait(t *testing.T) url.Values {
	t.Helper()
	select {
	case q := <-c.got:
		return q
	case <-time.After(browserStep):
		t.Fatalf("nothing came to the callback %s", c.URL)
		return nil
	}
}

// lockedBuffer collects chromium's output for failure messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 64<<10 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The browser tests' org: a person who logs in with a browser (ModifyAllData, so the API
// calls see the seeded Accounts), an API-only user, a self-authorized web app whose callback
// is the test's listener, and a client-credentials app running as a separate admin that
// seeds data without writing LoginHistory rows for the person.
const webOrgTemplate = `
orgs:
  - name: Web Org
    myDomain: weborg
    dailyApiRequests: 100000
    profiles:
      - name: Web User
        permissions: [ApiEnabled, ModifyAllData]
      - name: API Only
        permissions: [ApiEnabled, ApiUserOnly]
    users:
      - {username: web@weborg.example, firstName: Web, lastName: User, email: team@weborg.example, profile: Web User, password: "` + webPassword + `"}
      - {username: admin@weborg.example, lastName: Admin, email: team@weborg.example, profile: Web User}
      - {username: apionly@weborg.example, lastName: ApiOnly, email: team@weborg.example, profile: API Only, password: "` + webPassword + `"}
    connectedApps:
      - name: Web App
        contactEmail: team@weborg.example
        scopes: [api, id, refresh_token]
        consumerKey: WebKey0001
        consumerSecret: WebSecret0001
        callbackUrls: ["CALLBACK"]
      - name: Seeder
        scopes: [api]
        consumerKey: SeedKey0001
        consumerSecret: SeedSecret0001
        clientCredentials: {enabled: true, runAs: admin@weborg.example}
`

// The web org's credentials.
const (
	webUser     = "web@weborg.example"
	apiOnlyUser = "apionly@weborg.example"
	webPassword = "browser pass 1"
	webKey      = "WebKey0001"
	webSecret   = "WebSecret0001"
)

// webAccounts are the Accounts startWebOrg creates, in name order.
var webAccounts = []string{"Web Alpha", "Web Beta"}

// startWebOrg starts the web org with Web App's callback URL set to callbackURL, seeds
// webAccounts, and makes the server's clock follow the real one (followRealTime).
func startWebOrg(t *testing.T, callbackURL string, withTLS bool) *tlsServer {
	t.Helper()
	s := startOrg(t, strings.Replace(webOrgTemplate, "CALLBACK", callbackURL, 1), withTLS)
	followRealTime(t, s.Clock)
	tok := s.token(t, "SeedKey0001", "SeedSecret0001")
	for _, name := range webAccounts {
		req := newRequest(t, http.MethodPost, s.URL+"/services/data/v59.0/sobjects/Account", strings.NewReader(`{"Name":"`+name+`"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		if r := do(t, req); r.Status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", name, r.Status, r.Body)
		}
	}
	return s
}

// followRealTime moves a test clock to now and keeps it ticking with real time until the
// test ends. A browser drops a cookie whose expiry, computed on the test clock's fixed
// 2026-11-22, is already past; and a frozen clock makes the authorize request and the login
// that answers it simultaneous, which a person (or a browser) never is.
func followRealTime(t *testing.T, c *clock) {
	c.Advance(time.Since(c.Now()))
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if d := time.Since(c.Now()); d > 0 {
					c.Advance(d)
				}
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done })
}

// userLoginRows returns a user's LoginHistory rows as "LoginType/LoginSubType/Status/Application",
// sorted, through the admin API.
func (s *testServer) userLoginRows(t *testing.T, username string) []string {
	t.Helper()
	_, userID := s.ids(t, username)
	r := s.admin(t, http.MethodGet, "/login-history?user="+userID, "")
	var rows []struct{ LoginType, LoginSubType, Status, Application string }
	if err := json.Unmarshal([]byte(r.Body), &rows); err != nil {
		t.Fatalf("login history: %v: %s", err, r.Body)
	}
	var out []string
	for _, row := range rows {
		out = append(out, row.LoginType+"/"+row.LoginSubType+"/"+row.Status+"/"+row.Application)
	}
	sort.Strings(out)
	return out
}

// clearCookies empties the browser's cookie jar (Network.clearBrowserCookies).
func (b *chromium) clearCookies() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		b.t.Fatalf("Network.clearBrowserCookies: %v", err)
	}
}

// randomState is an OAuth state value, 12 hex characters like sf's.
func randomState(t *testing.T) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}
