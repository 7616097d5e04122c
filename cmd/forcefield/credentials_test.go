package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runCLIFail runs a verb that must fail and returns its output.
func runCLIFail(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(cmd.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf("forcefield %s succeeded, want an error:\n%s", strings.Join(args, " "), out)
	}
	return string(out)
}

var credIDLine = regexp.MustCompile(`credential (0Hx\w{15})`)

func TestCredentialVerbs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ff.db")
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm")
	env := []string{"FORCEFIELD_ADMIN_TOKEN=adm", "FORCEFIELD_URL=" + p.URL}
	const app = "Demo Integration"
	oldKey, oldSecret := keyLine.FindStringSubmatch(p.Stdout)[1], secretLine.FindStringSubmatch(p.Stdout)[1]

	if out := runCLIFail(t, env, "rotate-credentials", app); !strings.Contains(out, "has no staged credentials to rotate") {
		t.Errorf("rotate-credentials with nothing staged:\n%s", out)
	}
	out := runCLI(t, env, "stage-credentials", app)
	key, sec, id := keyLine.FindStringSubmatch(out), secretLine.FindStringSubmatch(out), credIDLine.FindStringSubmatch(out)
	if key == nil || sec == nil || id == nil || key[1] == oldKey {
		t.Fatalf("stage-credentials:\n%s", out)
	}
	if out := runCLIFail(t, env, "stage-credentials", app); !strings.Contains(out, "already has staged credentials") {
		t.Errorf("staging twice:\n%s", out)
	}
	for _, pair := range [][2]string{{oldKey, oldSecret}, {key[1], sec[1]}} {
		if _, status := getToken(t, p.URL, pair[0], pair[1]); status != 200 {
			t.Errorf("while staged, key %s…: status %d", pair[0][:8], status)
		}
	}
	out = runCLI(t, env, "credentials", app)
	if !strings.Contains(out, "STATE") || !strings.Contains(out, "Staged") || !strings.Contains(out, "Active") || strings.Contains(out, sec[1]) {
		t.Errorf("credentials:\n%s", out)
	}
	oldID := ""
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "Active") {
			oldID = strings.Fields(line)[0]
		}
	}
	if out := runCLIFail(t, env, "delete-credentials", app, oldID); !strings.Contains(out, "is the app's active pair") {
		t.Errorf("deleting the active pair:\n%s", out)
	}
	if out := runCLI(t, env, "rotate-credentials", app); !strings.Contains(out, "credential "+id[1]+" is now the active pair") {
		t.Errorf("rotate-credentials:\n%s", out)
	}
	if out := runCLI(t, env, "credentials", app); !strings.Contains(out, "Rotated") {
		t.Errorf("credentials after rotate:\n%s", out)
	}
	if out := runCLI(t, env, "delete-credentials", app, oldID); !strings.Contains(out, "Deleted credential "+oldID) {
		t.Errorf("delete-credentials:\n%s", out)
	}
	if _, status := getToken(t, p.URL, oldKey, oldSecret); status != 400 {
		t.Errorf("old pair after delete: status %d, want 400", status)
	}
	if _, status := getToken(t, p.URL, key[1], sec[1]); status != 200 {
		t.Errorf("new pair after delete: status %d, want 200", status)
	}

	out = runCLI(t, env, "audit-trail", "--limit", "3")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "ACTION") ||
		!strings.Contains(lines[1], "deletedConsumerCredentials") || !strings.Contains(lines[2], "rotatedConsumerCredentials") ||
		!strings.Contains(lines[3], "stagedConsumerCredentials") || !strings.Contains(lines[1], "admin token") {
		t.Errorf("audit-trail --limit 3:\n%s", out)
	}
	if strings.Contains(out, sec[1]) || strings.Contains(out, oldSecret) {
		t.Errorf("audit-trail shows a secret:\n%s", out)
	}
	if out := runCLI(t, env, "audit-trail", "--json", "--limit", "1000"); !strings.Contains(out, `"demo org at first start"`) {
		t.Errorf("audit-trail --json does not show the demo org's creation:\n%s", out)
	}
}
