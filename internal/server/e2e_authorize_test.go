package server

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// GET|POST /services/oauth2/authorize, the approval page and the user-agent flow (issue 10
// §2; the webflow reference §1, §2.3, §5.1), over HTTP on loopback with a cookie jar.

const callback = "http://localhost:1717/OauthRedirect"

func TestAuthorizeErrors(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	loggedIn := newBrowser(t, s.URL, nil)
	loggedIn.mustLogin("alice@web.example", "Alice pass 1", "/")
	anon := newBrowser(t, s.URL, nil)
	cb := url.QueryEscape(callback)
	const errPage = "/setup/secur/RemoteAccessErrorPage.apexp?"
	for _, tc := range []struct {
		name   string
		b      *browser
		query  string
		status int
		body   string // exact body (bare pages)
		loc    string // exact Location (redirects)
	}{
		// Rows 1–3: bare form-encoded 400 pages, never a redirect.
		{"no client_id", anon, "response_type=code&redirect_uri=" + cb, 400,
			"error=invalid_client_id&error_description=client%20identifier%20invalid", ""},
		{"unknown client_id", anon, "response_type=code&client_id=NoSuchKey&redirect_uri=" + cb, 400,
			"error=invalid_client_id&error_description=client%20identifier%20invalid", ""},
		{"no redirect_uri", anon, "response_type=code&client_id=WebKey000001", 400,
			"error=redirect_uri_missing&error_description=redirect_uri%20not%20provided", ""},
		{"redirect_uri mismatch", anon, "response_type=code&client_id=WebKey000001&redirect_uri=https%3A%2F%2Fevil.example%2Fcb", 400,
			"error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration", ""},
		{"redirect_uri with a trailing slash", anon, "response_type=code&client_id=WebKey000001&redirect_uri=" + cb + "%2F", 400,
			"error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration", ""},
		{"bad client and bad redirect: the client first", anon, "response_type=nope&client_id=NoSuchKey&redirect_uri=https%3A%2F%2Fevil.example", 400,
			"error=invalid_client_id&error_description=client%20identifier%20invalid", ""},
		// Row 4: redirected, in the query, with state.
		{"unsupported response_type", anon, "response_type=id_token&client_id=WebKey000001&state=st&redirect_uri=" + cb, 302, "",
			callback + "?error=unsupported_response_type&error_description=response+type+not+supported&state=st"},
		{"no response_type", anon, "client_id=WebKey000001&redirect_uri=" + cb, 302, "",
			callback + "?error=unsupported_response_type&error_description=response+type+not+supported"},
		{"callback with a query of its own", anon, "response_type=x&client_id=WebKey000001&state=a+b&redirect_uri=" + url.QueryEscape("https://app.example/cb?tenant=1"), 302, "",
			"https://app.example/cb?tenant=1&error=unsupported_response_type&error_description=response+type+not+supported&state=a+b"},
		// Row 5: PKCE required, no challenge: the generic error page.
		{"PKCE required, no challenge", anon, "response_type=code&client_id=PkceKey00001&redirect_uri=" + url.QueryEscape("https://pkce.example/cb"), 302, "",
			errPage + "error=invalid_request&error_description=missing+required+code+challenge"},
		// Row 6: a scope the app lacks: the error page.
		{"scope not allowed", anon, "response_type=code&client_id=WebKey000001&scope=api+full&redirect_uri=" + cb, 302, "",
			errPage + "error=invalid_scope&error_description=the+requested+scope+is+not+allowed"},
		{"malformed challenge", anon, "response_type=code&client_id=WebKey000001&state=st&code_challenge=short&redirect_uri=" + cb, 302, "",
			callback + "?error=invalid_request&error_description=invalid+code+challenge&state=st"},
		{"unknown challenge method", anon, "response_type=code&client_id=WebKey000001&code_challenge=" + strings.Repeat("a", 43) + "&code_challenge_method=S512&redirect_uri=" + cb, 302, "",
			callback + "?error=invalid_request&error_description=invalid+code+challenge+method"},
		{"token id_token without openid", anon, "response_type=token+id_token&scope=api&client_id=WebKey000001&redirect_uri=" + cb, 302, "",
			callback + "#error=invalid_request&error_description=openid+scope+required+for+id_token"},
		// Row 8: immediate=true without a session, or without an approval.
		{"immediate, not logged in", anon, "response_type=code&client_id=WebKey000001&state=st&immediate=true&redirect_uri=" + cb, 302, "",
			callback + "?error=immediate_unsuccessful&error_description=immediate+unsuccessful&state=st"},
		{"immediate, not approved", loggedIn, "response_type=code&client_id=WebKey000001&state=st&immediate=true&redirect_uri=" + cb, 302, "",
			callback + "?error=immediate_unsuccessful&error_description=immediate+unsuccessful&state=st"},
		{"immediate, token flow: in the fragment", anon, "response_type=token&client_id=WebKey000001&state=st&immediate=true&redirect_uri=" + cb, 302, "",
			callback + "#error=immediate_unsuccessful&error_description=immediate+unsuccessful&state=st"},
		{"immediate with prompt=login", loggedIn, "response_type=code&client_id=ApprovedKey1&immediate=true&prompt=login&redirect_uri=" + url.QueryEscape("https://approved.example/cb"), 302, "",
			"https://approved.example/cb?error=immediate_unsuccessful&error_description=immediate+unsuccessful"},
		// Row 10: admin-approved app, user not pre-authorized.
		{"admin approved, not pre-authorized", loggedIn, "response_type=code&client_id=PartnerKey01&state=st&redirect_uri=" + url.QueryEscape("https://partner.example/cb"), 302, "",
			""}, // checked below: goes through the approval URL first
		{"parameter repeated with different values", anon, "response_type=code&client_id=WebKey000001&client_id=Other&redirect_uri=" + cb, 400,
			"error=invalid_request&error_description=parameter%20client_id%20given%20more%20than%20once%20with%20different%20values", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.b.get("/services/oauth2/authorize?" + tc.query)
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d\n%s", r.Status, tc.status, r.Body)
			}
			if tc.body != "" {
				if r.Body != tc.body || r.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
					t.Errorf("body %q (%s), want %q text/plain", r.Body, r.Header.Get("Content-Type"), tc.body)
				}
			}
			if tc.loc != "" && r.Header.Get("Location") != tc.loc {
				t.Errorf("Location\n got %s\nwant %s", r.Header.Get("Location"), tc.loc)
			}
		})
	}
	// The error page itself: Salesforce's two lines.
	r := anon.get(errPage + "error=invalid_scope&error_description=the+requested+scope+is+not+allowed")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.") ||
		!strings.Contains(r.Body, "OAUTH_APPROVAL_ERROR_GENERIC : An unexpected error has occurred during authentication. Please try again.") {
		t.Errorf("error page: %d\n%s", r.Status, r.Body)
	}
	// POST with a form body is the same as GET.
	pr := anon.post("/services/oauth2/authorize", url.Values{"response_type": {"code"}, "client_id": {"WebKey000001"}, "redirect_uri": {"https://nope.example"}})
	if pr.Status != 400 || pr.Body != "error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration" {
		t.Errorf("POST authorize: %d %q", pr.Status, pr.Body)
	}
	// Row 10 through the approval page URL.
	loc := follow(t, loggedIn, "/services/oauth2/authorize?response_type=code&client_id=PartnerKey01&state=st&redirect_uri="+url.QueryEscape("https://partner.example/cb"))
	if want := "https://partner.example/cb?error=OAUTH_APP_ACCESS_DENIED&error_description=user+is+not+admin+approved+to+access+this+app&state=st"; loc != want {
		t.Errorf("admin approved, not pre-authorized:\n got %s\nwant %s", loc, want)
	}
	// A user of another org: the app is not installed there (row 7).
	other := newBrowser(t, s.URL, nil)
	other.mustLogin("other@other.example", "Other pass 1", "/")
	if loc := follow(t, other, webAuthorize("")); loc != callback+"?error=invalid_client&error_description=app+must+be+installed+into+org&state=st" {
		t.Errorf("user of another org: %s", loc)
	}
}

// follow GETs path and follows local redirects until one leaves the server (or a page is
// served, which fails the test); it returns that redirect's Location.
func follow(t *testing.T, b *browser, path string) string {
	t.Helper()
	for range 10 {
		r := b.get(path)
		if r.Status != http.StatusFound {
			t.Fatalf("GET %s: %d, want a redirect\n%s", path, r.Status, r.Body)
		}
		loc := r.Header.Get("Location")
		if !strings.HasPrefix(loc, "/") {
			return loc
		}
		path = loc
	}
	t.Fatal("redirect loop")
	return ""
}

var sourceRE = regexp.MustCompile(`name="source" value="([^"]*)"`)

// approve submits the approval page's form with action.
func approve(t *testing.T, b *browser, page, action string) response {
	t.Helper()
	m := sourceRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no approval form:\n%s", page)
	}
	return b.post("/setup/secur/RemoteAccessAuthorizationPage.apexp", url.Values{"source": {m[1]}, "csrf": {csrf(t, page)}, "action": {action}})
}

// codeOf checks a callback Location and returns its code.
func codeOf(t *testing.T, loc, redirectURI, state string) string {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(loc, redirectURI+"?") {
		t.Fatalf("callback %q, want %s?code=…", loc, redirectURI)
	}
	q := u.Query()
	code := q.Get("code")
	if !regexp.MustCompile(`^aPrx[A-Za-z0-9_-]{43}$`).MatchString(code) || q.Get("state") != state {
		t.Fatalf("callback %q: code %q state %q", loc, code, q.Get("state"))
	}
	return code
}

// exchange trades a code at the token endpoint.
func exchange(t *testing.T, s *testServer, code, verifier string) response {
	t.Helper()
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback},
		"client_id": {"WebKey000001"}, "client_secret": {"WebSecret000001"}}
	if verifier != "" {
		f.Set("code_verifier", verifier)
	}
	return s.postForm(t, "/services/oauth2/token", f)
}

func TestAuthorizeCodeFlow(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	b := newBrowser(t, s.URL, nil)
	verifier := strings.Repeat("v", 171) // jsforce's length
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	// Not logged in: authorize → the login page, continuing to the approval page.
	r := b.get(webAuthorize("&login_hint=alice%40web.example&nonce=n1&code_challenge=" + challenge))
	loginLoc := r.Header.Get("Location")
	if r.Status != http.StatusFound || !strings.HasPrefix(loginLoc, "/?ec=302&login_hint=alice%40web.example&startURL=%2Fsetup%2Fsecur%2FRemoteAccessAuthorizationPage.apexp%3Fsource%3D") {
		t.Fatalf("authorize without a session: %d %q", r.Status, loginLoc)
	}
	page := b.get(loginLoc)
	if !strings.Contains(page.Body, `value="alice@web.example"`) {
		t.Errorf("login_hint not pre-filled:\n%s", page.Body)
	}
	u, _ := url.Parse(loginLoc)
	approvalURL := u.Query().Get("startURL")
	lr := b.post("/login", url.Values{"username": {"alice@web.example"}, "pw": {"Alice pass 1"}, "startURL": {approvalURL}, "csrf": {csrf(t, page.Body)}})
	if lr.Status != http.StatusFound || lr.Header.Get("Location") != approvalURL {
		t.Fatalf("login: %d %q, want %q", lr.Status, lr.Header.Get("Location"), approvalURL)
	}
	ap := b.get(approvalURL)
	for _, want := range []string{"<h1>Allow Access?</h1>", `<strong id="app_name">Web App</strong>`, "<li>Access and manage your data (api)</li>",
		"<li>Perform requests on your behalf at any time (refresh_token, offline_access)</li>", `<button id="allow"`, `<button id="deny"`,
		`<strong id="approval_user">alice@web.example</strong>`} {
		if !strings.Contains(ap.Body, want) {
			t.Errorf("approval page lacks %q", want)
		}
	}
	if ap.Header.Get("X-Frame-Options") != "DENY" {
		t.Error("approval page may be framed (clickjacking)")
	}
	// Allow → the callback with a code and the state; the code works once, with the
	// verifier.
	ar := approve(t, b, ap.Body, "allow")
	code := codeOf(t, ar.Header.Get("Location"), callback, "st")
	if r := exchange(t, s.testServer, code, "wrong"+verifier); r.Status != http.StatusBadRequest {
		t.Errorf("exchange with a wrong verifier: %d %s", r.Status, r.Body)
	}
	// (A failed exchange consumed the code, per the grants' rule; authorize again.)
	loc := follow(t, b, webAuthorize("&code_challenge="+challenge))
	code = codeOf(t, loc, callback, "st")
	tok := exchange(t, s.testServer, code, verifier)
	if tok.Status != http.StatusOK {
		t.Fatalf("exchange: %d %s", tok.Status, tok.Body)
	}
	body := tok.JSON(t)
	if body["refresh_token"] == nil || body["scope"] != "api id refresh_token openid" {
		t.Errorf("token response: %v", body)
	}
	// Approved now: the next authorize skips the page (that was the second round above);
	// prompt=consent asks again.
	if r := b.get(follow2(t, b, webAuthorize("&prompt=consent"))); !strings.Contains(r.Body, "Allow Access?") {
		t.Errorf("prompt=consent did not show the approval page:\n%s", r.Body)
	}
	// Deny → access_denied in the query, with the state.
	s.Clock.Advance(time.Second)
	den := b.get(follow2(t, b, webAuthorize("&prompt=consent")))
	dr := approve(t, b, den.Body, "deny")
	if want := callback + "?error=access_denied&error_description=end-user+denied+authorization&state=st"; dr.Header.Get("Location") != want {
		t.Errorf("Deny: %q, want %q", dr.Header.Get("Location"), want)
	}
	// The request ended: replaying the form gets the 1800 page.
	if r := approve(t, b, den.Body, "allow"); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "1800 : There was a problem in setting up your remote access.") {
		t.Errorf("replayed approval: %d\n%s", r.Status, r.Body)
	}
}

// follow2 GETs an authorize URL and returns the local page it redirects to.
func follow2(t *testing.T, b *browser, path string) string {
	t.Helper()
	r := b.get(path)
	loc := r.Header.Get("Location")
	if r.Status != http.StatusFound || !strings.HasPrefix(loc, "/") {
		t.Fatalf("GET %s: %d %q, want a local redirect", path, r.Status, loc)
	}
	return loc
}

// prompt=login re-authenticates a logged-in browser once, without a loop.
func TestAuthorizePromptLogin(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	b := newBrowser(t, s.URL, nil)
	b.mustLogin("alice@web.example", "Alice pass 1", "/")
	s.Clock.Advance(time.Second)
	before := len(s.loginRows(t))
	r := b.get("/services/oauth2/authorize?response_type=code&client_id=ApprovedKey1&state=st&prompt=login&redirect_uri=" + url.QueryEscape("https://approved.example/cb"))
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, "/?ec=302&startURL=") {
		t.Fatalf("prompt=login with a session: %d %q, want the login page", r.Status, loc)
	}
	// The approval URL with the old session goes back to the login page…
	u, _ := url.Parse(loc)
	approvalURL := u.Query().Get("startURL")
	if r := b.get(approvalURL); !strings.HasPrefix(r.Header.Get("Location"), "/?ec=302") {
		t.Fatalf("old session at the approval URL: %d %q", r.Status, r.Header.Get("Location"))
	}
	// …and after logging in again it completes (Approved App: no page).
	page := b.get(loc)
	lr := b.post("/login", url.Values{"username": {"alice@web.example"}, "pw": {"Alice pass 1"}, "startURL": {approvalURL}, "csrf": {csrf(t, page.Body)}})
	if lr.Header.Get("Location") != approvalURL {
		t.Fatalf("login: %q", lr.Header.Get("Location"))
	}
	codeOf(t, follow(t, b, approvalURL), "https://approved.example/cb", "st")
	if n := len(s.loginRows(t)) - before; n != 1 {
		t.Errorf("%d login rows, want 1 (the new UI login)", n)
	}
}

// Pre-authorized users of an admin-approved app skip the page; approved users (the org
// file's approvedUsers) skip it too; immediate=true with both gets the code at once.
func TestAuthorizeSkipsApproval(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	partner := newBrowser(t, s.URL, nil)
	partner.mustLogin("partner@web.example", "Partner pass 1", "/")
	codeOf(t, follow(t, partner, "/services/oauth2/authorize?response_type=code&client_id=PartnerKey01&state=p&redirect_uri="+url.QueryEscape("https://partner.example/cb")),
		"https://partner.example/cb", "p")
	alice := newBrowser(t, s.URL, nil)
	alice.mustLogin("alice@web.example", "Alice pass 1", "/")
	r := alice.get("/services/oauth2/authorize?response_type=code&client_id=ApprovedKey1&immediate=true&state=i&redirect_uri=" + url.QueryEscape("https://approved.example/cb"))
	codeOf(t, r.Header.Get("Location"), "https://approved.example/cb", "i")
}

// An API-only user cannot complete authorize: the login page refuses them the UI.
func TestAuthorizeAPIOnlyUser(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	b := newBrowser(t, s.URL, nil)
	loc := follow2(t, b, webAuthorize(""))
	u, _ := url.Parse(loc)
	page := b.get(loc)
	r := b.post("/login", url.Values{"username": {"api@web.example"}, "pw": {"Api pass 1"}, "startURL": {u.Query().Get("startURL")}, "csrf": {csrf(t, page.Body)}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Access Restricted for API Only Users") {
		t.Fatalf("API-only login during authorize: %d\n%s", r.Status, r.Body)
	}
	if r := b.get(u.Query().Get("startURL")); r.Status != http.StatusFound || !strings.HasPrefix(r.Header.Get("Location"), "/?ec=302") {
		t.Errorf("approval URL after the API-only page: %d %q, want the login page again", r.Status, r.Header.Get("Location"))
	}
}

// A user made API-only after logging in cannot complete authorize with that session.
func TestAuthorizeUserMadeAPIOnly(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	b := newBrowser(t, s.URL, nil)
	b.mustLogin("alice@web.example", "Alice pass 1", "/")
	changed := strings.Replace(webOrgFile, "profile: Web User, password: \"Alice pass 1\"", "profile: API Only, password: \"Alice pass 1\"", 1)
	if changed == webOrgFile {
		t.Fatal("org file edit did not apply")
	}
	if r := s.admin(t, http.MethodPost, "/apply", changed); r.Status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	r := b.get(follow2(t, b, "/services/oauth2/authorize?response_type=code&client_id=ApprovedKey1&state=st&redirect_uri="+url.QueryEscape("https://approved.example/cb")))
	if r.Status != http.StatusFound || !strings.HasPrefix(r.Header.Get("Location"), "/?ec=302") {
		t.Fatalf("approval URL for a user made API-only: %d %q, want the login page", r.Status, r.Header.Get("Location"))
	}
	page := b.get(r.Header.Get("Location"))
	u, _ := url.Parse(r.Header.Get("Location"))
	lr := b.post("/login", url.Values{"username": {"alice@web.example"}, "pw": {"Alice pass 1"}, "startURL": {u.Query().Get("startURL")}, "csrf": {csrf(t, page.Body)}})
	if !strings.Contains(lr.Body, "Access Restricted for API Only Users") {
		t.Errorf("login of the user made API-only: %d\n%s", lr.Status, lr.Body)
	}
	if r := b.get("/services/oauth2/authorize?response_type=code&client_id=ApprovedKey1&immediate=true&redirect_uri=" + url.QueryEscape("https://approved.example/cb")); r.Header.Get("Location") !=
		"https://approved.example/cb?error=immediate_unsuccessful&error_description=immediate+unsuccessful" {
		t.Errorf("immediate for a user made API-only: %q", r.Header.Get("Location"))
	}
}

func TestAuthorizeApprovalCSRF(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	b := newBrowser(t, s.URL, nil)
	b.mustLogin("alice@web.example", "Alice pass 1", "/")
	page := b.get(follow2(t, b, webAuthorize("")))
	source := sourceRE.FindStringSubmatch(page.Body)[1]
	mallory := newBrowser(t, s.URL, nil)
	mallory.mustLogin("partner@web.example", "Partner pass 1", "/")
	malloryPage := mallory.get(follow2(t, mallory, webAuthorize("")))
	for _, tc := range []struct {
		name string
		b    *browser
		form url.Values
	}{
		{"no token", b, url.Values{"source": {source}, "action": {"allow"}}},
		{"wrong token", b, url.Values{"source": {source}, "action": {"allow"}, "csrf": {"x" + csrf(t, page.Body)}}},
		{"another session's token", b, url.Values{"source": {source}, "action": {"allow"}, "csrf": {csrf(t, malloryPage.Body)}}},
		{"no session", newBrowser(t, s.URL, nil), url.Values{"source": {source}, "action": {"allow"}, "csrf": {csrf(t, page.Body)}}},
		{"unknown action", b, url.Values{"source": {source}, "action": {"maybe"}, "csrf": {csrf(t, page.Body)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.b.post("/setup/secur/RemoteAccessAuthorizationPage.apexp", tc.form)
			if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "Invalid Page Request") {
				t.Errorf("%d, want 403 Invalid Page Request\n%s", r.Status, r.Body)
			}
		})
	}
	// The genuine token from another site's page (Origin) is refused.
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/setup/secur/RemoteAccessAuthorizationPage.apexp",
		strings.NewReader(url.Values{"source": {source}, "action": {"allow"}, "csrf": {csrf(t, page.Body)}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if resp, err := b.c.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin approval POST: %v %v, want 403", resp, err)
	} else {
		resp.Body.Close()
	}
	// The genuine form still completes: nothing above consumed the request.
	codeOf(t, approve(t, b, page.Body, "allow").Header.Get("Location"), callback, "st")
}

// 64 racing Allows of one request (double clicks, tabs): exactly one code.
func TestAuthorizeApprovalRace(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	b := newBrowser(t, s.URL, nil)
	b.mustLogin("alice@web.example", "Alice pass 1", "/")
	page := b.get(follow2(t, b, webAuthorize("")))
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes, refused := 0, 0
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := approve(t, b, page.Body, "allow")
			mu.Lock()
			defer mu.Unlock()
			if r.Status == http.StatusFound && strings.Contains(r.Header.Get("Location"), "code=aPrx") {
				codes++
			} else if r.Status == http.StatusBadRequest {
				refused++
			}
		}()
	}
	wg.Wait()
	if codes != 1 || refused != 63 {
		t.Errorf("64 racing Allows: %d codes, %d refused; want 1 and 63", codes, refused)
	}
}

// The user-agent flow: tokens in the fragment, LoginHistory OauthUserAgent.
func TestAuthorizeUserAgentFlow(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	_, alice := s.ids(t, "alice@web.example")
	b := newBrowser(t, s.URL, nil)
	b.mustLogin("alice@web.example", "Alice pass 1", "/")
	page := b.get(follow2(t, b, "/services/oauth2/authorize?response_type=token+id_token&client_id=WebKey000001&nonce=n1&state=ua&redirect_uri="+url.QueryEscape(callback)))
	loc := approve(t, b, page.Body, "allow").Header.Get("Location")
	base, frag, ok := strings.Cut(loc, "#")
	if !ok || base != callback {
		t.Fatalf("user-agent callback %q", loc)
	}
	if strings.Contains(base, "access_token") {
		t.Error("tokens in the query")
	}
	keys := regexp.MustCompile(`(^|&)([a-z_]+)=`).FindAllStringSubmatch(frag, -1)
	var order []string
	for _, k := range keys {
		order = append(order, k[2])
	}
	if got, want := strings.Join(order, ","), "access_token,refresh_token,instance_url,id,issued_at,scope,id_token,token_type,state"; got != want {
		t.Errorf("fragment keys %s, want %s", got, want)
	}
	f, _ := url.ParseQuery(frag)
	if f.Get("token_type") != "Bearer" || f.Get("state") != "ua" || f.Get("scope") != "api id refresh_token openid" || !strings.HasPrefix(f.Get("refresh_token"), "5Aep861") {
		t.Errorf("fragment %v", f)
	}
	s.wantLogin(t, "OauthUserAgent", "Success", alice)
	// The access token works on the REST API.
	if r := s.get(t, "/services/data/v60.0/sobjects", f.Get("access_token")); r.Status != http.StatusOK {
		t.Errorf("user-agent token on the REST API: %d %s", r.Status, r.Body)
	}
}

// prompt=login on a frozen clock: the session, the request and the new login share one
// instant, and still the old session must log in again and the new one completes.
func TestAuthorizePromptLoginSameInstant(t *testing.T) {
	s := startOrg(t, webOrgFile, false)
	b := newBrowser(t, s.URL, nil)
	b.mustLogin("alice@web.example", "Alice pass 1", "/")
	loc := follow2(t, b, "/services/oauth2/authorize?response_type=code&client_id=ApprovedKey1&state=st&prompt=login&redirect_uri="+url.QueryEscape("https://approved.example/cb"))
	u, _ := url.Parse(loc)
	approvalURL := u.Query().Get("startURL")
	if r := b.get(approvalURL); !strings.HasPrefix(r.Header.Get("Location"), "/?ec=302") {
		t.Fatalf("the session of authorize time at the approval URL: %d %q, want the login page", r.Status, r.Header.Get("Location"))
	}
	b.mustLogin("alice@web.example", "Alice pass 1", approvalURL)
	codeOf(t, follow(t, b, approvalURL), "https://approved.example/cb", "st")
}
