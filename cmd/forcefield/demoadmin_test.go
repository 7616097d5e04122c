package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// The demo org's administrator: the first start prints its login URL, username and a
// generated password once, and a browser logs in with them at once (issue 11 §3).

var (
	loginURLLine = regexp.MustCompile(`Log in with a browser at (\S+) `)
	usernameLine = regexp.MustCompile(`(?m)^\s+Username:\s+(\S+)$`)
	passwordLine = regexp.MustCompile(`(?m)^\s+Password:\s+(\S+)$`)
	csrfField    = regexp.MustCompile(`name="csrf" value="([^"]*)"`)
)

// webClient is a browser without a browser: a cookie jar, and redirects not followed so
// that each hop is checked.
type webClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newWebClient(t *testing.T, base string) *webClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &webClient{t: t, base: base, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a GET (form nil) or a form POST to a local path and returns status, Location
// and body.
func (w *webClient) do(path string, form url.Values) (int, string, string) {
	w.t.Helper()
	var (
		resp *http.Response
		err  error
	)
	if form == nil {
		resp, err = w.c.Get(w.base + path)
	} else {
		resp, err = w.c.PostForm(w.base+path, form)
	}
	if err != nil {
		w.t.Fatalf("%s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// login opens the login page (which sets the pre-session cookie), posts its form with
// the page's CSRF token, and returns the POST's status, Location and body.
func (w *webClient) login(username, pw string) (int, string, string) {
	w.t.Helper()
	status, _, page := w.do("/", nil)
	m := csrfField.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		w.t.Fatalf("GET / (login page): %d, csrf field found: %v\n%s", status, m != nil, page)
	}
	return w.do("/login", url.Values{"username": {username}, "pw": {pw}, "startURL": {"/"}, "csrf": {m[1]}})
}

func TestDemoAdminLogsInWithBrowser(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ff.db")
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm", "--log-level", "debug")
	loginURL, user, pass := loginURLLine.FindStringSubmatch(p.Stdout), usernameLine.FindStringSubmatch(p.Stdout), passwordLine.FindStringSubmatch(p.Stdout)
	if loginURL == nil || user == nil || pass == nil {
		t.Fatalf("first start did not print the administrator's login URL, username and password:\n%s", p.Stdout)
	}
	if loginURL[1] != p.URL+"/" || user[1] != "admin@demo.forcefield.local" {
		t.Errorf("login URL %q, username %q; want %q, admin@demo.forcefield.local", loginURL[1], user[1], p.URL+"/")
	}
	pw := pass[1]
	if !regexp.MustCompile(`^[0-9A-Za-z]{24}$`).MatchString(pw) {
		t.Errorf("generated password %q is not 24 random letters and digits", pw)
	}
	// Printed once, beside the consumer key and secret (before the admin token).
	if strings.Count(p.Stdout, pw) != 1 || strings.Index(p.Stdout, "Consumer Secret:") > strings.Index(p.Stdout, pw) {
		t.Errorf("the password is not printed once, after the consumer secret:\n%s", p.Stdout)
	}

	// A wrong password is refused; the printed one logs in and opens the home page.
	w := newWebClient(t, p.URL)
	if status, _, body := w.login(user[1], pw+"x"); status != http.StatusOK || !strings.Contains(body, `id="error"`) {
		t.Errorf("wrong password: %d, want the login page with an error\n%s", status, body)
	}
	if status, loc, body := w.login(user[1], pw); status != http.StatusFound || loc != "/" {
		t.Fatalf("login as the demo administrator: %d Location %q, want 302 /\n%s", status, loc, body)
	}
	if status, _, body := w.do("/", nil); status != http.StatusOK || !strings.Contains(body, "Logged in as <strong>admin@demo.forcefield.local</strong>") {
		t.Errorf("home page after login: %d\n%s", status, body)
	}

	// The integration user stays API-only: with a password, its login gets the API-only
	// page, not the home page.
	env := []string{"FORCEFIELD_ADMIN_TOKEN=adm", "FORCEFIELD_URL=" + p.URL, "FORCEFIELD_PASSWORD=Integration pass 1"}
	runCLI(t, env, "set-password", "integration@demo.forcefield.local")
	wi := newWebClient(t, p.URL)
	status, loc, body := wi.login("integration@demo.forcefield.local", "Integration pass 1")
	if status == http.StatusFound {
		status, _, body = wi.do(loc, nil)
	}
	if !strings.Contains(body, "Access Restricted for API Only Users") || strings.Contains(body, "Logged in as") {
		t.Errorf("integration user's browser login: %d, want the API-only page\n%s", status, body)
	}
	if out := runCLI(t, env, "users"); !strings.Contains(out, "admin@demo.forcefield.local") || !strings.Contains(out, "integration@demo.forcefield.local") {
		t.Errorf("users lists not both demo users:\n%s", out)
	}

	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.stderr)
	}
	// Never logged (even at debug level), and stored only as a hash.
	if log := p.stderr.String(); strings.Contains(log, pw) {
		t.Errorf("the server log contains the administrator's password:\n%s", log)
	}
	files, _ := filepath.Glob(db + "*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), pw) {
			t.Errorf("%s contains the administrator's password in plaintext", filepath.Base(f))
		}
	}

	// A later start prints no password, and the printed one still logs in.
	p2 := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm")
	if strings.Contains(p2.Stdout, "Password:") || strings.Contains(p2.Stdout, pw) {
		t.Errorf("second start printed a password:\n%s", p2.Stdout)
	}
	if status, loc, body := newWebClient(t, p2.URL).login(user[1], pw); status != http.StatusFound || loc != "/" {
		t.Errorf("login after restart: %d Location %q\n%s", status, loc, body)
	}
	p2.stop(t, syscall.SIGTERM)
}
