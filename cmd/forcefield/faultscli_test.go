package main

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The fault verbs against a running server with the demo org: inject a REST fault, see a
// client's call get it and the list count the hit, clear it; expire the app's sessions and
// see the token die; exhaust DailyApiRequests and see the next call refused.
func TestFaultVerbs(t *testing.T) {
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "ff.db"), "--admin-token", "adm")
	key, secret := keyLine.FindStringSubmatch(p.Stdout)[1], secretLine.FindStringSubmatch(p.Stdout)[1]
	admin := []string{"FORCEFIELD_ADMIN_TOKEN=adm", "FORCEFIELD_URL=" + p.URL}
	client := []string{"FORCEFIELD_LOGIN_URL=" + p.URL, "FORCEFIELD_CLIENT_ID=" + key, "FORCEFIELD_CLIENT_SECRET=" + secret}
	tok := strings.TrimSpace(runCLI(t, client, "token"))
	// api calls /limits with tok as an integration would, and returns an error with the
	// body for anything but a 200.
	api := func() (string, error) {
		req, _ := http.NewRequest(http.MethodGet, p.URL+"/services/data/v59.0/limits", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return string(b), fmt.Errorf("status %d", resp.StatusCode)
		}
		return string(b), nil
	}

	out := runCLI(t, admin, "fault", "--family", "rest", "--answer", "UNABLE_TO_LOCK_ROW", "--count", "1")
	m := regexp.MustCompile(`^Fault (\d+) injected: rest requests answer UNABLE_TO_LOCK_ROW\.\n$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("fault:\n%s", out)
	}
	if out, err := api(); err == nil || !strings.Contains(out, "UNABLE_TO_LOCK_ROW") {
		t.Errorf("api with the fault: err=%v\n%s", err, out)
	}
	out = runCLI(t, admin, "faults")
	if !strings.Contains(out, "HITS") || !regexp.MustCompile(`(?m)^`+m[1]+`\s.*UNABLE_TO_LOCK_ROW\s+1\s+0\s.*\s1\s*$`).MatchString(out) {
		t.Errorf("faults:\n%s", out)
	}
	if out := runCLI(t, admin, "clear-faults", m[1]); out != "Cleared fault "+m[1]+".\n" {
		t.Errorf("clear-faults ID: %q", out)
	}
	if out := runCLI(t, admin, "clear-faults"); out != "Cleared 0 fault(s).\n" {
		t.Errorf("clear-faults: %q", out)
	}
	if out, err := api(); err != nil {
		t.Fatalf("api after clearing: %v\n%s", err, out)
	}

	if out := runCLI(t, admin, "expire-sessions", "--app", "Demo Integration"); !strings.HasPrefix(out, "Expired 1 session(s)") {
		t.Errorf("expire-sessions: %q", out)
	}
	if out, err := api(); err == nil || !strings.Contains(out, "INVALID_SESSION_ID") {
		t.Errorf("api with an expired session: err=%v\n%s", err, out)
	}
	tok = strings.TrimSpace(runCLI(t, client, "token"))
	if out := runCLI(t, admin, "exhaust-limit"); !regexp.MustCompile(`^DailyApiRequests: 0 of \d+ remaining`).MatchString(out) {
		t.Errorf("exhaust-limit: %q", out)
	}
	if out, err := api(); err == nil || !strings.Contains(out, "REQUEST_LIMIT_EXCEEDED") {
		t.Errorf("api after exhaust-limit: err=%v\n%s", err, out)
	}
}
