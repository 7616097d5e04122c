package server

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// `sf org login web` completed by a headless browser (issue 10 §5, salesforce-webflow.md
// §6.1, §7.4). sf opens the authorization URL with the npm package open, which on Linux
// runs its bundled xdg-open; with no desktop (DISPLAY, WAYLAND_DISPLAY and
// XDG_CURRENT_DESKTOP empty) xdg-open's generic mode runs $BROWSER "<url>". BROWSER is a
// two-line script that writes the URL to a file and exits 0 at once (sf aborts when the
// opener exits non-zero, and waits for it otherwise); this test, which drives chromium,
// picks the URL up, logs in and approves. The browser lands on sf's own callback server,
// http://localhost:1717/OauthRedirect, and sf finishes the exchange by itself with the
// built-in PlatformCLI app (no secret, PKCE without a method). Then `sf data query` runs
// on the stored auth, before and after the user's sessions are revoked — the second time
// through sf's refresh with the refresh token the browser flow gave it.
func TestBrowserSFLoginWeb(t *testing.T) {
	sf := needSF(t)
	needChromium(t)
	needFreePort(t, 1717, "sf org login web's fixed callback port")
	s := startWebOrg(t, "http://127.0.0.1/unused", false)
	b := newChromium(t)

	dir := t.TempDir()
	urlFile := filepath.Join(dir, "url")
	script := filepath.Join(dir, "browser.sh")
	writeFile(t, dir, "browser.sh", "#!/bin/sh\n"+
		"# $BROWSER for xdg-open: hand the URL to the test that drives chromium, and return at once.\n"+
		"printf '%s\\n' \"$1\" > '"+urlFile+".tmp' && mv '"+urlFile+".tmp' '"+urlFile+"'\n")
	if err := os.Chmod(script, 0o700); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, sf.node, sf.run, "org", "login", "web", "--instance-url", s.URL, "--alias", "ffweb", "--json")
	cmd.Env = append(append([]string{}, sf.env...),
		"BROWSER="+script, "DISPLAY=", "WAYLAND_DISPLAY=", "XDG_CURRENT_DESKTOP=", "SF_CONTAINER_MODE=", "SFDX_CONTAINER_MODE=")
	var stdout, stderr lockedBuffer // read while sf runs when a step fails
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		cancel()
		<-done
	}()

	// sf starts its callback server, then opens the browser.
	var authz string
	for deadline := time.Now().Add(time.Minute); authz == ""; {
		if data, err := os.ReadFile(urlFile); err == nil {
			authz = strings.TrimSpace(string(data))
			break
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("sf org login web ended before opening a browser: %v\nstdout %s\nstderr %s", err, stdout.String(), stderr.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("sf never ran $BROWSER\nstderr %s", stderr.String())
		}
	}
	u, err := url.Parse(authz)
	if err != nil || !strings.HasPrefix(authz, s.URL+"/services/oauth2/authorize?") {
		t.Fatalf("sf opened %q (%v), want %s/services/oauth2/authorize?…", authz, err, s.URL)
	}
	q := u.Query()
	wantQ := map[string]string{"client_id": "PlatformCLI", "redirect_uri": "http://localhost:1717/OauthRedirect",
		"prompt": "login", "response_type": "code", "scope": "refresh_token api web"}
	for k, want := range wantQ {
		if q.Get(k) != want {
			t.Errorf("authorization URL %s = %q, want %q", k, q.Get(k), want)
		}
	}
	if len(q.Get("code_challenge")) != 43 || q.Has("code_challenge_method") || len(q.Get("state")) != 12 {
		t.Errorf("authorization URL %v: want a 43-character code_challenge without a method and a 12-hex state", q)
	}

	b.open(authz)
	b.login(webUser, webPassword)
	b.approve()

	var err2 error
	select {
	case err2 = <-done:
		done <- err2
	case <-time.After(time.Minute):
		t.Fatalf("sf org login web did not finish after the approval; the browser is at %s\nstderr %s", b.location(), stderr.String())
	}
	var login map[string]any
	if jerr := json.Unmarshal([]byte(stdout.String()), &login); jerr != nil || err2 != nil {
		t.Fatalf("sf org login web: %v (%v)\nstdout %s\nstderr %s", err2, jerr, stdout.String(), stderr.String())
	}
	orgID, userID := s.ids(t, webUser)
	res, _ := login["result"].(map[string]any)
	gotLogin := map[string]any{"username": res["username"], "orgId": res["orgId"], "instanceUrl": res["instanceUrl"],
		"loginUrl": res["loginUrl"], "clientId": res["clientId"]}
	// loginUrl is --instance-url as oclif's URL flag normalizes it (URL.href: a trailing slash).
	wantLogin := map[string]any{"username": webUser, "orgId": orgID, "instanceUrl": s.URL, "loginUrl": s.URL + "/", "clientId": "PlatformCLI"}
	if diff := cmp.Diff(wantLogin, gotLogin); diff != "" {
		t.Errorf("sf org login web result (-want +got):\n%s\nuser %s", diff, userID)
	}

	query := func(what string) {
		t.Helper()
		out, err := sf.json(t, nil, "data", "query", "-q", "SELECT Name FROM Account ORDER BY Name", "-o", "ffweb")
		if err != nil {
			t.Fatalf("sf data query (%s): %v: %v", what, err, out)
		}
		var names []string
		r, _ := out["result"].(map[string]any)
		recs, _ := r["records"].([]any)
		for _, rec := range recs {
			n, _ := rec.(map[string]any)["Name"].(string)
			names = append(names, n)
		}
		if diff := cmp.Diff(webAccounts, names); diff != "" {
			t.Errorf("sf data query (%s) (-want +got):\n%s", what, diff)
		}
	}
	query("the access token from the code exchange")
	s.revokeUserSessions(t, webUser)
	query("after the sessions were revoked: sf refreshes with its refresh token")

	wantRows := []string{
		"Application/UsernamePasswordUiLogin/Success/Browser",
		"Remote Access 2.0/OauthRefreshToken/Success/Salesforce CLI",
		"Remote Access 2.0/OauthWebServer/Success/Salesforce CLI",
	}
	if diff := cmp.Diff(wantRows, s.userLoginRows(t, webUser)); diff != "" {
		t.Errorf("LoginHistory of %s (-want +got):\n%s", webUser, diff)
	}
}

// needFreePort skips (fails under CI) when a fixed port a client needs is taken on loopback.
func needFreePort(t *testing.T, port int, why string) {
	t.Helper()
	for _, host := range []string{"127.0.0.1", "::1"} {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if err != nil {
			if !errors.Is(err, syscall.EADDRINUSE) {
				continue // no such loopback here (IPv6 off): nobody can hold the port on it
			}
			skipUnlessCI(t, "port %d (%s) is taken: %v", port, why, err)
		}
		ln.Close()
	}
}
