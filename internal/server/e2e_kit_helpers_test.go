package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"testing"
	"time"
)

// The cross-feature tests of issue 14 §6: real clients (jsforce, go-salesforce, sfauth)
// against faults injected through the admin API. Their org: one client-credentials app
// whose Run-As user reads Accounts, and two seeded Accounts.
const kitOrgFile = `
orgs:
  - name: Acme
    myDomain: acme
    dailyApiRequests: 100000
    profiles:
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
        objects: {Account: [Read]}
        fields: {Account.*: [Read]}
    users:
      - {username: sync@acme.example, lastName: Sync, email: team@acme.example, profile: Integration}
    connectedApps:
      - name: Orders Sync
        scopes: [api]
        consumerKey: KitKey000001
        consumerSecret: KitSecret000001
        clientCredentials: {enabled: true, runAs: sync@acme.example}
    records:
      - {object: Account, fields: {Name: Acme}}
      - {object: Account, fields: {Name: Globex}}
`

const (
	kitApp    = "Orders Sync"
	kitKey    = "KitKey000001"
	kitSecret = "KitSecret000001"
	kitSOQL   = "SELECT Name FROM Account ORDER BY Name"
)

// startKit runs a server with kitOrgFile.
func startKit(t *testing.T) *testServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, kitOrgFile)
	return startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile})
}

// adminOK sends an admin request and fails the test unless it answers want.
func (s *testServer) adminOK(t *testing.T, want int, method, path, body string) map[string]any {
	t.Helper()
	r := s.admin(t, method, path, body)
	if r.Status != want {
		t.Fatalf("admin %s %s: %d %s, want %d", method, path, r.Status, r.Body, want)
	}
	if r.Body == "" || r.Body[0] != '{' {
		return nil
	}
	return r.JSON(t)
}

// kitLogins counts the app's successful logins in the login history.
func (s *testServer) kitLogins(t *testing.T) int {
	t.Helper()
	r := s.admin(t, http.MethodGet, "/login-history?limit=10000", "")
	var rows []struct{ Application, Status string }
	if err := json.Unmarshal([]byte(r.Body), &rows); err != nil {
		t.Fatalf("login history: %v: %s", err, r.Body)
	}
	n := 0
	for _, l := range rows {
		if l.Application == kitApp && l.Status == "Success" {
			n++
		}
	}
	return n
}

// jsRepl is a running clients/jsforce/repl.js.
type jsRepl struct {
	in  io.WriteCloser
	out *bufio.Scanner
}

// startJSRepl starts repl.js against s with env added.
func startJSRepl(t *testing.T, s *testServer, env ...string) *jsRepl {
	t.Helper()
	node := needJSForce(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	cmd := exec.CommandContext(ctx, node, "repl.js")
	cmd.Dir = jsforceDir
	cmd.Env = clientEnv(append([]string{"FF_URL=" + s.URL, "FF_KEY=" + kitKey, "FF_SECRET=" + kitSecret}, env...)...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Wait(); cancel() })
	return &jsRepl{in: in, out: bufio.NewScanner(out)}
}

// do sends one command and returns its JSON answer.
func (r *jsRepl) do(t *testing.T, cmd string) map[string]any {
	t.Helper()
	if _, err := io.WriteString(r.in, cmd+"\n"); err != nil {
		t.Fatalf("repl.js %q: %v", cmd, err)
	}
	if !r.out.Scan() {
		t.Fatalf("repl.js %q: no answer (%v)", cmd, r.out.Err())
	}
	var m map[string]any
	if err := json.Unmarshal(r.out.Bytes(), &m); err != nil {
		t.Fatalf("repl.js %q: %v: %s", cmd, err, r.out.Bytes())
	}
	return m
}
