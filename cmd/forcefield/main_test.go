package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests run the real binary: flags, environment, first-start output, signals.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "forcefield-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "forcefield")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building forcefield: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running `forcefield serve`.
type proc struct {
	cmd    *exec.Cmd
	URL    string
	Stdout string // everything printed before "listening on"
	stderr *strings.Builder
	exited chan error
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

// serve starts the binary and waits until it prints its URL.
func startServe(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stderr: &strings.Builder{}, exited: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		p.exited <- cmd.Wait()
	}()
	var out strings.Builder
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("forcefield exited before listening:\n%s\n%s", out.String(), p.stderr.String())
			}
			out.WriteString(line + "\n")
			if m := listening.FindStringSubmatch(line); m != nil {
				p.URL, p.Stdout = m[1], out.String()
				go func() {
					for range lines {
					}
				}()
				t.Cleanup(func() { cmd.Process.Kill() })
				return p
			}
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("forcefield did not start:\n%s\n%s", out.String(), p.stderr.String())
		}
	}
}

// stop sends a signal and waits for the exit.
func (p *proc) stop(t *testing.T, sig os.Signal) error {
	t.Helper()
	p.cmd.Process.Signal(sig)
	select {
	case err := <-p.exited:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("forcefield did not exit")
		return nil
	}
}

func getToken(t *testing.T, base, key, secret string) (string, int) {
	t.Helper()
	resp, err := http.PostForm(base+"/services/oauth2/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {key}, "client_secret": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&body)
	return body.AccessToken, resp.StatusCode
}

func getLimits(t *testing.T, base, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/services/data/v59.0/limits", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

var (
	keyLine    = regexp.MustCompile(`Consumer Key:\s+(\S+)`)
	secretLine = regexp.MustCompile(`Consumer Secret:\s+(\S+)`)
	curlLine   = regexp.MustCompile(`curl -s (\S+) -d grant_type=client_credentials -d client_id=(\S+) -d client_secret=(\S+)`)
	adminLine  = regexp.MustCompile(`FORCEFIELD_ADMIN_TOKEN=(\S+)`)
)

func TestFirstStartDemoOrgThenGracefulStop(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ff.db")
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db)
	key, secret, curl := keyLine.FindStringSubmatch(p.Stdout), secretLine.FindStringSubmatch(p.Stdout), curlLine.FindStringSubmatch(p.Stdout)
	if key == nil || secret == nil || curl == nil || adminLine.FindString(p.Stdout) == "" {
		t.Fatalf("first start did not print key, secret, curl command and admin token:\n%s", p.Stdout)
	}
	if curl[1] != p.URL+"/services/oauth2/token" || curl[2] != key[1] || curl[3] != secret[1] {
		t.Errorf("curl command does not match the credentials: %q", curl[0])
	}
	tok, status := getToken(t, p.URL, key[1], secret[1])
	if status != 200 || getLimits(t, p.URL, tok) != 200 {
		t.Fatalf("demo credentials: token status %d", status)
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "forcefield stopped") {
		t.Errorf("no clean-stop log line:\n%s", p.stderr)
	}

	// A later start prints nothing secret and the demo credentials still work.
	p2 := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db)
	if strings.Contains(p2.Stdout, "Consumer Secret") || strings.Contains(p2.Stdout, "ADMIN_TOKEN") || strings.Contains(p2.Stdout, secret[1]) {
		t.Errorf("second start printed a secret:\n%s", p2.Stdout)
	}
	if _, status := getToken(t, p2.URL, key[1], secret[1]); status != 200 {
		t.Errorf("token after restart: %d", status)
	}
	if err := p2.stop(t, os.Interrupt); err != nil {
		t.Errorf("exit after SIGINT: %v", err)
	}
}

func TestKill9KeepsAcknowledgedTokens(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ff.db")
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm")
	key, secret := keyLine.FindStringSubmatch(p.Stdout)[1], secretLine.FindStringSubmatch(p.Stdout)[1]
	var tokens []string
	for i := 0; i < 20; i++ {
		tok, status := getToken(t, p.URL, key, secret)
		if status != 200 {
			t.Fatalf("token %d: status %d", i, status)
		}
		tokens = append(tokens, tok)
	}
	p.stop(t, syscall.SIGKILL)

	p2 := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm")
	for i, tok := range tokens {
		if s := getLimits(t, p2.URL, tok); s != 200 {
			t.Errorf("acknowledged token %d after kill -9: status %d", i, s)
		}
	}
	out := runCLI(t, []string{"FORCEFIELD_ADMIN_TOKEN=adm"}, "login-history", "--url", p2.URL, "--limit", "50", "--json")
	if n := strings.Count(out, `"status": "Success"`); n != len(tokens) {
		t.Errorf("login history has %d successful logins after kill -9, want %d", n, len(tokens))
	}
}

func TestEnvironmentConfiguresServe(t *testing.T) {
	dir := t.TempDir()
	p := startServe(t, []string{"FORCEFIELD_ADDR=127.0.0.1:0", "FORCEFIELD_DB=" + filepath.Join(dir, "env.db"), "FORCEFIELD_BASE_URL=https://acme.my.example.com/"})
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Errorf("FORCEFIELD_DB not used: %v", err)
	}
	curl := curlLine.FindStringSubmatch(p.Stdout)
	if curl == nil || curl[1] != "https://acme.my.example.com/services/oauth2/token" {
		t.Errorf("FORCEFIELD_BASE_URL not used (trailing slash dropped) in: %v", curl)
	}
	// The flag wins over the environment.
	p2 := startServe(t, []string{"FORCEFIELD_DB=" + filepath.Join(dir, "ignored.db")}, "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "flag.db"))
	if _, err := os.Stat(filepath.Join(dir, "ignored.db")); err == nil {
		t.Error("environment won over the --db flag")
	}
	p2.stop(t, syscall.SIGTERM)
}

func runCLI(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("forcefield %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestAdminVerbs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ff.db")
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm")
	env := []string{"FORCEFIELD_ADMIN_TOKEN=adm", "FORCEFIELD_URL=" + p.URL}
	key, oldSecret := keyLine.FindStringSubmatch(p.Stdout)[1], secretLine.FindStringSubmatch(p.Stdout)[1]

	if out := runCLI(t, env, "apps"); !strings.Contains(out, "Demo Integration") || !strings.Contains(out, "integration@demo.forcefield.local") || strings.Contains(out, oldSecret) {
		t.Errorf("apps:\n%s", out)
	}
	// The demo org is an Enterprise Edition org with two licences (its administrator and
	// its integration user): 100,000 + 2 × 1,000 requests.
	if out := runCLI(t, env, "orgs"); !strings.Contains(out, "EDITION") || !strings.Contains(out, "Enterprise") || !strings.Contains(out, "102000") {
		t.Errorf("orgs:\n%s", out)
	}
	if out := runCLI(t, env, "users"); !strings.Contains(out, "integration@demo.forcefield.local") {
		t.Errorf("users:\n%s", out)
	}
	out := runCLI(t, env, "rotate-secret", "Demo Integration")
	newSecret := secretLine.FindStringSubmatch(out)
	if newSecret == nil || newSecret[1] == oldSecret || !strings.Contains(out, key) {
		t.Fatalf("rotate-secret:\n%s", out)
	}
	for _, s := range []string{oldSecret, newSecret[1]} {
		if _, status := getToken(t, p.URL, key, s); status != 200 {
			t.Errorf("after rotation, secret %s…: status %d", s[:6], status)
		}
	}
	if out := runCLI(t, env, "login-history", "--limit", "5"); !strings.Contains(out, "OauthClientCredentials") || !strings.Contains(out, "Success") {
		t.Errorf("login-history:\n%s", out)
	}
	if out := runCLI(t, env, "sessions"); strings.Count(out, "\n") < 3 {
		t.Errorf("sessions lists fewer than 2 sessions:\n%s", out)
	}
	if out := runCLI(t, env, "revoke-user-sessions", "integration@demo.forcefield.local"); !strings.Contains(out, "Revoked 2 session(s)") {
		t.Errorf("revoke-user-sessions:\n%s", out)
	}
	cmd := exec.Command(binary, "apps", "--url", p.URL, "--admin-token", "wrong")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "Admin token missing or invalid") {
		t.Errorf("wrong admin token: err=%v\n%s", err, out)
	}
}

func TestVersionAndUsage(t *testing.T) {
	if out := runCLI(t, nil, "version"); !strings.HasPrefix(out, "forcefield ") {
		t.Errorf("version: %q", out)
	}
	cmd := exec.Command(binary, "frobnicate")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), `unknown command "frobnicate"`) || !strings.Contains(string(out), "rotate-secret") {
		t.Errorf("unknown command: err=%v\n%s", err, out)
	}
}
