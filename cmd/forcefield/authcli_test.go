package main

import (
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPasswordVerbs sets the demo user's password from standard input and from
// FORCEFIELD_PASSWORD, resets its security token, and logs in with the password flow.
func TestPasswordVerbs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ff.db")
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm")
	env := []string{"FORCEFIELD_ADMIN_TOKEN=adm", "FORCEFIELD_URL=" + p.URL}
	key, sec := keyLine.FindStringSubmatch(p.Stdout)[1], secretLine.FindStringSubmatch(p.Stdout)[1]
	const user = "integration@demo.forcefield.local"

	cmd := exec.Command(binary, "set-password", user)
	cmd.Env = append(cmd.Environ(), env...)
	cmd.Stdin = strings.NewReader("from stdin 123\n")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "from stdin") {
		t.Fatalf("set-password (stdin): %v\n%s", err, out)
	}
	out2 := runCLI(t, append(env, "FORCEFIELD_PASSWORD=from env 4567"), "set-password", user)
	if strings.Contains(out2, "from env") {
		t.Errorf("set-password echoed the password:\n%s", out2)
	}
	tokOut := runCLI(t, env, "reset-security-token", user)
	m := regexp.MustCompile(`Security Token: (\S+)`).FindStringSubmatch(tokOut)
	if m == nil || len(m[1]) != 24 {
		t.Fatalf("reset-security-token:\n%s", tokOut)
	}
	login := func(pw string) int {
		resp, err := http.PostForm(p.URL+"/services/oauth2/token", url.Values{"grant_type": {"password"},
			"client_id": {key}, "client_secret": {sec}, "username": {user}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := login("from env 4567" + m[1]); got != http.StatusOK {
		t.Errorf("login with the env password and new token: %d", got)
	}
	if got := login("from stdin 123" + m[1]); got != http.StatusBadRequest {
		t.Errorf("login with the replaced password: %d", got)
	}
}
