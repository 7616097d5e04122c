package server

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// jsforce 3's web server flow with a real browser (issue 10 §5, salesforce-webflow.md §6.2):
// clients/jsforce/webflow.js builds the authorization URL, chromium logs in and approves,
// the code comes back to the test's callback, jsforce exchanges it and calls the API; then
// the access token is revoked through /services/oauth2/revoke and jsforce must refresh by
// itself with its refresh token.
func TestBrowserJSForceWebFlow(t *testing.T) {
	node := needJSForce(t)
	cb := newCallback(t)
	s := startWebOrg(t, cb.URL, false)
	b := newChromium(t)
	state := randomState(t)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "webflow.js")
	cmd.Dir = jsforceDir
	cmd.Env = clientEnv("FF_URL="+s.URL, "FF_KEY="+webKey, "FF_SECRET="+webSecret, "FF_CALLBACK="+cb.URL, "FF_STATE="+state)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer // read on a failure while node still runs
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := false
	defer func() {
		if !waited { // a failed step: end node before the test's directories go
			cancel()
			cmd.Wait()
		}
	}()
	lines := bufio.NewScanner(stdout)
	lines.Buffer(nil, 1<<20)
	next := func() map[string]any {
		t.Helper()
		if !lines.Scan() {
			t.Fatalf("webflow.js ended early: %v; stderr %s", lines.Err(), stderr.String())
		}
		var m map[string]any
		if err := json.Unmarshal(lines.Bytes(), &m); err != nil || m["error"] != nil {
			t.Fatalf("webflow.js: %v %s; stderr %s", err, lines.Bytes(), stderr.String())
		}
		return m
	}

	// jsforce's authorization URL: PKCE S256 without code_challenge_method (§0.1 item 2).
	authz, _ := next()["url"].(string)
	u, err := url.Parse(authz)
	if err != nil || !strings.HasPrefix(authz, s.URL+"/services/oauth2/authorize?") {
		t.Fatalf("authorization URL %q (%v), want %s/services/oauth2/authorize?…", authz, err, s.URL)
	}
	q := u.Query()
	if len(q.Get("code_challenge")) != 43 || q.Has("code_challenge_method") || q.Get("client_id") != webKey || q.Get("redirect_uri") != cb.URL {
		t.Errorf("authorization URL query %v: want a 43-character code_challenge without a method, client_id %s, redirect_uri %s", q, webKey, cb.URL)
	}

	b.open(authz)
	b.login(webUser, webPassword)
	b.approve()
	got := cb.wait(t)
	if got.Get("state") != state || len(got.Get("code")) < 5 || got.Has("error") {
		t.Fatalf("callback query %v, want a code and state %s", got, state)
	}
	if _, err := stdin.Write([]byte(got.Get("code") + "\n")); err != nil {
		t.Fatal(err)
	}

	res := next()
	orgID, userID := s.ids(t, webUser)
	if res["userId"] != userID || res["orgId"] != orgID || res["instanceUrl"] != s.URL || res["username"] != webUser {
		t.Errorf("jsforce session: user %v org %v instance %v username %v; want %s %s %s %s",
			res["userId"], res["orgId"], res["instanceUrl"], res["username"], userID, orgID, s.URL, webUser)
	}
	want := []any{webAccounts[0], webAccounts[1]}
	if diff := cmp.Diff(want, res["firstNames"]); diff != "" {
		t.Errorf("query before the revocation (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, res["secondNames"]); diff != "" {
		t.Errorf("query after the revocation, through jsforce's own refresh (-want +got):\n%s", diff)
	}
	first, _ := res["firstToken"].(string)
	second, _ := res["secondToken"].(string)
	if res["refreshes"] != 1.0 || first == second || second == "" {
		t.Errorf("jsforce refreshed %v times (want 1); access token changed: %v", res["refreshes"], first != second)
	}
	if rt, _ := res["refreshToken"].(string); !strings.HasPrefix(rt, "5Aep861") {
		t.Errorf("refresh token %.12q…, want one starting 5Aep861", rt)
	}
	if r := s.get(t, "/services/data/v59.0/limits", first); r.Status != http.StatusUnauthorized {
		t.Errorf("revoked access token: %d %s, want 401", r.Status, r.Body)
	}
	if r := s.get(t, "/services/data/v59.0/limits", second); r.Status != http.StatusOK {
		t.Errorf("refreshed access token: %d %s, want 200", r.Status, r.Body)
	}
	waited = true
	if err := cmd.Wait(); err != nil {
		t.Errorf("webflow.js: %v; stderr %s", err, stderr.String())
	}

	// One row each: the browser's login, the code exchange, jsforce's refresh (§2.2).
	wantRows := []string{
		"Application/UsernamePasswordUiLogin/Success/Browser",
		"Remote Access 2.0/OauthRefreshToken/Success/Web App",
		"Remote Access 2.0/OauthWebServer/Success/Web App",
	}
	if diff := cmp.Diff(wantRows, s.userLoginRows(t, webUser)); diff != "" {
		t.Errorf("LoginHistory of %s (-want +got):\n%s", webUser, diff)
	}
}
