package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Connected Apps OAuth Usage (Block / Unblock, per-user usage and Revoke), the audit trail
// those changes leave, and API Usage.

var appIDRE = regexp.MustCompile(`data-app="([^"]+)"`)

func TestConsoleMonitorBlockApp(t *testing.T) {
	s := startMonitorConsole(t)
	tok := s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	viewer := consoleLogin(t, s, consoleViewer)
	r := viewer.get("/lightning/setup/ConnectedAppsUsage/home")
	wantPage(t, r, http.StatusOK, "Connected Apps OAuth Usage", "Console Integration", `class="user-count"`, "Manage App Policies")
	wantConsoleHeaders(t, r.Header)
	if strings.Contains(r.Body, ">Block<") || strings.Contains(r.Body, `name="csrf"`) {
		t.Errorf("the viewer sees a Block form:\n%s", r.Body)
	}
	m := appIDRE.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no app row:\n%s", r.Body)
	}
	block := "/lightning/setup/ConnectedAppsUsage/" + m[1] + "/block"

	apps := consoleLogin(t, s, consoleAppAdmin)
	page := apps.get("/lightning/setup/ConnectedAppsUsage/home")
	wantPage(t, page, http.StatusOK, ">Block<")
	// Refused: the viewer (read only), users@ (no Customize Application), no CSRF token.
	for name, b := range map[string]*browser{"viewer": viewer, "users@": consoleLogin(t, s, consoleUserAdmin)} {
		if r := b.post(block, url.Values{"blocked": {"true"}, "csrf": {csrf(t, page.Body)}}); r.Status != http.StatusForbidden {
			t.Errorf("%s blocking: %d, want 403", name, r.Status)
		}
	}
	wantPage(t, apps.post(block, url.Values{"blocked": {"true"}}), http.StatusForbidden, "Invalid Request")
	wantPage(t, apps.post(block, url.Values{"blocked": {"maybe"}, "csrf": {csrf(t, page.Body)}}), http.StatusBadRequest)
	if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusOK {
		t.Fatalf("a refused block ended the token: %d", g.Status)
	}

	// Block: the token dies, no new token, the row says Unblock.
	if r := apps.post(block, url.Values{"blocked": {"true"}, "csrf": {csrf(t, page.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("block: %d %s", r.Status, r.Body)
	}
	if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusUnauthorized {
		t.Errorf("the blocked app's token still works: %d", g.Status)
	}
	wantOAuthError(t, s.postForm(t, "/services/oauth2/token", ccForm("ConsoleKey0001", "ConsoleSecret0001")),
		http.StatusBadRequest, "OAUTH_APP_BLOCKED", "this app is blocked by admin")
	page = apps.get("/lightning/setup/ConnectedAppsUsage/home")
	wantPage(t, page, http.StatusOK, ">Unblock<", "Blocked")

	// Unblock: tokens again.
	if r := apps.post(block, url.Values{"blocked": {"false"}, "csrf": {csrf(t, page.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("unblock: %d %s", r.Status, r.Body)
	}
	tok = s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusOK {
		t.Errorf("after unblocking: %d", g.Status)
	}

	// The audit trail: both changes by apps@, newest first; the CSV has them too.
	audit := viewer.get("/lightning/setup/SecurityEvents/home")
	wantPage(t, audit, http.StatusOK, "View Setup Audit Trail")
	wantEscaped(t, audit.Body)
	var got []string
	for _, m := range regexp.MustCompile(`audit-user">([^<]*)</td><td></td><td class="audit-display">([^<]*)<`).FindAllStringSubmatch(audit.Body, 2) {
		got = append(got, m[1]+"|"+m[2])
	}
	want := []string{consoleAppAdmin + "|Unblocked connected app Console Integration", consoleAppAdmin + "|Blocked connected app Console Integration"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("newest audit rows (-want +got):\n%s", diff)
	}
	rows := parseCSV(t, viewer.get("/lightning/setup/SecurityEvents/home?format=csv"))
	if diff := cmp.Diff([]string{"Date", "User", "Source Namespace Prefix", "Action", "Section", "Delegate User"}, rows[0]); diff != "" {
		t.Errorf("CSV header (-want +got):\n%s", diff)
	}
	if len(rows) < 3 || rows[1][1] != consoleAppAdmin || rows[1][3] != "Unblocked connected app Console Integration" || rows[1][4] != "Connected Apps" {
		t.Errorf("CSV rows: %q", rows[:min(len(rows), 3)])
	}
	wantPage(t, viewer.get("/lightning/setup/SecurityEvents/home?page=x"), http.StatusBadRequest)
	wantPage(t, viewer.get("/lightning/setup/SecurityEvents/home?page=99"), http.StatusOK, "No setup changes on this page")
}

func TestConsoleMonitorAppUsers(t *testing.T) {
	s := startMonitorConsole(t)
	tok := s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	admin := consoleLogin(t, s, consoleAdmin)
	m := appIDRE.FindStringSubmatch(admin.get("/lightning/setup/ConnectedAppsUsage/home").Body)
	if m == nil {
		t.Fatal("no app row")
	}
	users := "/lightning/setup/ConnectedAppsUsage/" + m[1] + "/users"
	page := admin.get(users)
	wantPage(t, page, http.StatusOK, "Connected App User&#39;s Usage", consoleAPIOnly, `class="use-count">2<`, ">Revoke<", ">Revoke All<")
	wantPage(t, consoleLogin(t, s, consoleViewer).get(users), http.StatusOK, consoleAPIOnly)
	if strings.Contains(consoleLogin(t, s, consoleViewer).get(users).Body, ">Revoke<") {
		t.Error("the viewer sees Revoke")
	}
	wantPage(t, admin.get("/lightning/setup/ConnectedAppsUsage/nope/users"), http.StatusNotFound)

	uid := regexp.MustCompile(`name="user" value="([^"]+)"`).FindStringSubmatch(page.Body)
	if uid == nil {
		t.Fatal("no Revoke form")
	}
	if r := admin.post("/lightning/setup/ConnectedAppsUsage/"+m[1]+"/revoke", url.Values{"user": {uid[1]}, "csrf": {csrf(t, page.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusUnauthorized {
		t.Errorf("a revoked user's token still works: %d", g.Status)
	}
	wantPage(t, admin.get(users), http.StatusOK, "No user has an active token of this app.")
	// With no live token the app leaves the list.
	wantPage(t, admin.get("/lightning/setup/ConnectedAppsUsage/home"), http.StatusOK, "No connected app has an active access or refresh token.")
	wantPage(t, admin.get("/lightning/setup/SecurityEvents/home"), http.StatusOK,
		"Revoked connected app Console Integration for user "+consoleAPIOnly+": 0 OAuth token(s), 2 session(s)")
}

func TestConsoleMonitorAPIUsage(t *testing.T) {
	s := startMonitorConsole(t)
	tok := s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	for range 3 {
		if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusOK {
			t.Fatalf("data API: %d", g.Status)
		}
	}
	b := consoleLogin(t, s, consoleViewer)
	r := b.get("/lightning/setup/ApiUsage/home")
	wantPage(t, r, http.StatusOK, "API Usage", `id="api-used">3<`, `class="app-total">3<`, "Console Integration")
	wantConsoleHeaders(t, r.Header)
	if diff := cmp.Diff(map[string]int{"10:00|Console Integration": 3}, chartBars(r.Body)); diff != "" {
		t.Errorf("chart bars (-want +got):\n%s", diff)
	}
}

// Token requests racing a block: whatever they got, no token of a blocked app works once
// the block and the requests are done (the block's sweep ends sessions committed before
// it; a request whose session commits after it sees the block and ends its own).
func TestConsoleMonitorBlockRace(t *testing.T) {
	s := startMonitorConsole(t)
	s.token(t, "ConsoleKey0001", "ConsoleSecret0001")
	apps := consoleLogin(t, s, consoleAppAdmin)
	page := apps.get("/lightning/setup/ConnectedAppsUsage/home")
	m := appIDRE.FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatal("no app row")
	}
	// n clients each request tokens until they are refused as blocked.
	const n = 16
	tokens := make(chan string, 10000)
	var refusedOther atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				r := s.postForm(t, "/services/oauth2/token", ccForm("ConsoleKey0001", "ConsoleSecret0001"))
				switch {
				case r.Status == http.StatusOK:
					tokens <- r.JSON(t)["access_token"].(string)
				case strings.Contains(r.Body, "OAUTH_APP_BLOCKED"):
					return
				default:
					refusedOther.Add(1)
					if refusedOther.Load() > 1000 {
						t.Errorf("token request: %d %s", r.Status, r.Body)
						return
					}
				}
			}
		}()
	}
	close(start)
	time.Sleep(50 * time.Millisecond) // let tokens flow before the block
	if r := apps.post("/lightning/setup/ConnectedAppsUsage/"+m[1]+"/block", url.Values{"blocked": {"true"}, "csrf": {csrf(t, page.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("block: %d %s", r.Status, r.Body)
	}
	wg.Wait()
	close(tokens)
	got := 0
	for tok := range tokens {
		got++
		if g := s.get(t, "/services/data/v59.0/limits", tok); g.Status != http.StatusUnauthorized {
			t.Errorf("a token issued around the block still works: %d", g.Status)
		}
	}
	t.Logf("%d tokens issued around the block, %d other refusals", got, refusedOther.Load())
	if got == 0 {
		t.Error("no token was issued before the block: the race was not run")
	}
}

// A blocked web app: its refresh token ends, the authorize endpoint redirects with
// OAUTH_APP_BLOCKED, and the admin API's test shortcut refuses to mint; unblocked, the
// shortcut and the refresh grant work again.
func TestConsoleMonitorBlockWebApp(t *testing.T) {
	s := startMonitorConsole(t)
	mint := func() response {
		return s.admin(t, http.MethodPost, "/oauth-tokens", `{"app": "Web App", "user": "`+consoleAdmin+`"}`)
	}
	r := mint()
	if r.Status != http.StatusCreated {
		t.Fatalf("mint: %d %s", r.Status, r.Body)
	}
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {"WebAppKey01"}, "client_secret": {"WebAppSecret01"},
		"refresh_token": {r.JSON(t)["refreshToken"].(string)}}
	if g := s.postForm(t, "/services/oauth2/token", refresh); g.Status != http.StatusOK {
		t.Fatalf("refresh before the block: %d %s", g.Status, g.Body)
	}
	apps := consoleLogin(t, s, consoleAppAdmin)
	page := apps.get("/lightning/setup/ConnectedAppsUsage/home")
	m := regexp.MustCompile(`data-app="([^"]+)">\s*<td class="app-name">Web App`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("Web App is not listed:\n%s", page.Body)
	}
	block := "/lightning/setup/ConnectedAppsUsage/" + m[1] + "/block"
	if r := apps.post(block, url.Values{"blocked": {"true"}, "csrf": {csrf(t, page.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("block: %d %s", r.Status, r.Body)
	}
	if g := s.postForm(t, "/services/oauth2/token", refresh); g.Status != http.StatusBadRequest {
		t.Errorf("the blocked app's refresh token still works: %d %s", g.Status, g.Body)
	}
	b := consoleLogin(t, s, consoleAdmin)
	loc := b.get("/services/oauth2/authorize?response_type=code&client_id=WebAppKey01&state=st&redirect_uri=" + url.QueryEscape("https://web.example/cb")).Header.Get("Location")
	u, err := url.Parse(loc)
	if err != nil || u.Host != "web.example" || u.Query().Get("error") != "OAUTH_APP_BLOCKED" || u.Query().Get("state") != "st" {
		t.Errorf("authorize for a blocked app redirects to %q", loc)
	}
	if r := mint(); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "is blocked") {
		t.Errorf("minting for a blocked app: %d %s", r.Status, r.Body)
	}
	page = apps.get("/lightning/setup/ConnectedAppsUsage/home")
	if r := apps.post(block, url.Values{"blocked": {"false"}, "csrf": {csrf(t, page.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("unblock: %d %s", r.Status, r.Body)
	}
	r = mint()
	if r.Status != http.StatusCreated {
		t.Fatalf("mint after unblocking: %d %s", r.Status, r.Body)
	}
	refresh.Set("refresh_token", r.JSON(t)["refreshToken"].(string))
	if g := s.postForm(t, "/services/oauth2/token", refresh); g.Status != http.StatusOK {
		t.Errorf("refresh after unblocking: %d %s", g.Status, g.Body)
	}
}
