package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The client verbs against a running Forcefield (the demo org), credentials from the
// environment as an integration would pass them.

var accessToken = regexp.MustCompile(`^00D\w{12}![\w.]+\n$`)

func runCLIErr(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(cmd.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestTokenAndAPIVerbs(t *testing.T) {
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "ff.db"))
	key, secret := keyLine.FindStringSubmatch(p.Stdout)[1], secretLine.FindStringSubmatch(p.Stdout)[1]
	// FORCEFIELD_URL is the admin verbs' server URL: the client verbs must not read it.
	env := []string{"FORCEFIELD_LOGIN_URL=" + p.URL, "FORCEFIELD_CLIENT_ID=" + key, "FORCEFIELD_CLIENT_SECRET=" + secret, "FORCEFIELD_URL=http://127.0.0.1:1"}

	if out := runCLI(t, env, "token"); !accessToken.MatchString(out) {
		t.Errorf("token printed %q, want one access token", out)
	}
	if out := runCLI(t, env, "token", "--basic"); !accessToken.MatchString(out) {
		t.Errorf("token --basic printed %q, want one access token", out)
	}
	var resp map[string]string
	if err := json.Unmarshal([]byte(runCLI(t, env, "token", "--json")), &resp); err != nil || resp["instance_url"] != p.URL || resp["signature"] == "" {
		t.Errorf("token --json: %v %v, want the whole response", err, resp)
	}

	var limits map[string]any
	out := runCLI(t, env, "api", "/services/data/v59.0/limits")
	if err := json.Unmarshal([]byte(out), &limits); err != nil || limits["DailyApiRequests"] == nil {
		t.Errorf("api limits: %v\n%s", err, out)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("api output to a pipe is not the compact JSON received:\n%s", out)
	}

	out, err := runCLIErr(t, env, "api", "services/data/v59.0/nosuchthing")
	if err == nil || !strings.Contains(out, "NOT_FOUND") {
		t.Errorf("api of an unknown resource: err=%v\n%s", err, out)
	}
	out, err = runCLIErr(t, env, "api", "-X", "DELETE", "/services/data/v59.0/limits")
	if err == nil || !strings.Contains(out, "405") {
		t.Errorf("api -X DELETE limits: err=%v\n%s", err, out)
	}

	out, err = runCLIErr(t, append(env, "FORCEFIELD_CLIENT_SECRET=NotTheSecret"), "token")
	if err == nil || !strings.Contains(out, "invalid_client") || strings.Contains(out, "NotTheSecret") {
		t.Errorf("wrong secret: err=%v\n%s", err, out)
	}
	out, err = runCLIErr(t, nil, "token", "--client-id", key)
	if err == nil || !strings.Contains(out, "FORCEFIELD_LOGIN_URL") {
		t.Errorf("no URL: err=%v\n%s", err, out)
	}
	out, err = runCLIErr(t, env, "token", "--jwt-key", filepath.Join(t.TempDir(), "missing.pem"), "--username", "u")
	if err == nil || !strings.Contains(out, "--jwt-key") {
		t.Errorf("missing JWT key file: err=%v\n%s", err, out)
	}
}

// api's request building (-X, -d, -d @FILE) against a server that echoes what it got.
func TestAPIVerbSendsBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/services/oauth2/token" {
			fmt.Fprintf(w, `{"access_token":"00D000000000001!AQtok","instance_url":"http://%s","token_type":"Bearer"}`, r.Host)
			return
		}
		body, _ := io.ReadAll(r.Body)
		json.NewEncoder(w).Encode(map[string]string{"method": r.Method, "path": r.URL.Path, "body": string(body),
			"auth": r.Header.Get("Authorization"), "type": r.Header.Get("Content-Type")})
	}))
	defer srv.Close()
	env := []string{"FORCEFIELD_LOGIN_URL=" + srv.URL, "FORCEFIELD_CLIENT_ID=k", "FORCEFIELD_CLIENT_SECRET=s"}
	file := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(file, []byte(`{"Name":"From file"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want map[string]string
	}{
		{[]string{"api", "/services/data/v59.0/limits"},
			map[string]string{"method": "GET", "path": "/services/data/v59.0/limits", "body": "", "auth": "Bearer 00D000000000001!AQtok", "type": ""}},
		{[]string{"api", "-d", `{"Name":"Acme"}`, "/services/data/v59.0/sobjects/Account"},
			map[string]string{"method": "POST", "path": "/services/data/v59.0/sobjects/Account", "body": `{"Name":"Acme"}`, "auth": "Bearer 00D000000000001!AQtok", "type": "application/json"}},
		{[]string{"api", "-X", "patch", "-d", "@" + file, "/services/data/v59.0/sobjects/Account/001"},
			map[string]string{"method": "PATCH", "path": "/services/data/v59.0/sobjects/Account/001", "body": `{"Name":"From file"}`, "auth": "Bearer 00D000000000001!AQtok", "type": "application/json"}},
	} {
		var got map[string]string
		out := runCLI(t, env, tc.args...)
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v\n%s", tc.args, err, out)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%v (-want +got):\n%s", tc.args, diff)
		}
	}
}

// token and api with a refresh token of the built-in Salesforce CLI app (no secret), minted
// for the demo user through the admin API; a bad refresh token gives Salesforce's error.
func TestTokenVerbRefreshToken(t *testing.T) {
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "ff.db"), "--admin-token", "adm")
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/forcefield/admin/oauth-tokens",
		strings.NewReader(`{"app":"Salesforce CLI","user":"integration@demo.forcefield.local"}`))
	req.Header.Set("Authorization", "Bearer adm")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var minted struct{ RefreshToken string }
	json.NewDecoder(resp.Body).Decode(&minted)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK || minted.RefreshToken == "" {
		t.Fatalf("minting a refresh token: %d %+v", resp.StatusCode, minted)
	}
	env := []string{"FORCEFIELD_LOGIN_URL=" + p.URL, "FORCEFIELD_CLIENT_ID=PlatformCLI", "FORCEFIELD_REFRESH_TOKEN=" + minted.RefreshToken}
	if out := runCLI(t, env, "token"); !accessToken.MatchString(out) {
		t.Errorf("token with a refresh token printed %q, want one access token", out)
	}
	var tok map[string]string
	if err := json.Unmarshal([]byte(runCLI(t, env, "token", "--json")), &tok); err != nil || tok["instance_url"] != p.URL || tok["refresh_token"] != "" {
		t.Errorf("token --json: %v %v, want the response without a refresh_token (no rotation)", err, tok)
	}
	var limits map[string]any
	if out := runCLI(t, env, "api", "/services/data/v59.0/limits"); json.Unmarshal([]byte(out), &limits) != nil || limits["DailyApiRequests"] == nil {
		t.Errorf("api with a refresh token:\n%s", out)
	}
	out, err := runCLIErr(t, []string{"FORCEFIELD_LOGIN_URL=" + p.URL, "FORCEFIELD_CLIENT_ID=PlatformCLI", "FORCEFIELD_REFRESH_TOKEN=5Aep861notatoken"}, "token")
	if err == nil || !strings.Contains(out, "invalid_grant") || !strings.Contains(out, "expired access/refresh token") {
		t.Errorf("token with an unknown refresh token: err=%v\n%s", err, out)
	}
}

// With Refresh Token Rotation, token prints the new refresh token on stderr (the access
// token alone on stdout); the one given is dead afterwards and the new one works.
func TestTokenVerbRotatedRefreshToken(t *testing.T) {
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "org.yaml")
	os.WriteFile(orgFile, []byte(`orgs:
  - name: Rot
    profiles:
      - {name: P, permissions: [ApiEnabled]}
    users:
      - {username: rot@rot.example, lastName: Rot, email: rot@rot.example, profile: P}
    connectedApps:
      - {name: Rotating, scopes: [api, refresh_token], consumerKey: RotKey01, consumerSecret: RotSecret01, refreshSecretOptional: true, refreshTokenRotation: true}
`), 0o600)
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "ff.db"), "--admin-token", "adm", "--org-file", orgFile)
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/forcefield/admin/oauth-tokens", strings.NewReader(`{"app":"Rotating","user":"rot@rot.example"}`))
	req.Header.Set("Authorization", "Bearer adm")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var minted struct{ RefreshToken string }
	json.NewDecoder(resp.Body).Decode(&minted)
	resp.Body.Close()
	if minted.RefreshToken == "" {
		t.Fatalf("minting: HTTP %d", resp.StatusCode)
	}
	token := func(rt string) (stdout, stderr string, err error) {
		cmd := exec.Command(binary, "token")
		cmd.Env = append(cmd.Environ(), "FORCEFIELD_LOGIN_URL="+p.URL, "FORCEFIELD_CLIENT_ID=RotKey01", "FORCEFIELD_REFRESH_TOKEN="+rt)
		var o, e strings.Builder
		cmd.Stdout, cmd.Stderr = &o, &e
		err = cmd.Run()
		return o.String(), e.String(), err
	}
	out, errOut, err := token(minted.RefreshToken)
	if err != nil || !accessToken.MatchString(out) {
		t.Fatalf("token: %v, stdout %q, stderr %q", err, out, errOut)
	}
	rotated := regexp.MustCompile(`the org rotated the refresh token; the one given no longer works\. Store the new one:\n(\S+)\n$`)
	m := rotated.FindStringSubmatch(errOut)
	if m == nil || m[1] == minted.RefreshToken {
		t.Fatalf("stderr %q does not carry a new refresh token", errOut)
	}
	// The new one works (and is rotated in turn); the one given first is refused.
	out, errOut, err = token(m[1])
	if m2 := rotated.FindStringSubmatch(errOut); err != nil || !accessToken.MatchString(out) || m2 == nil || m2[1] == m[1] {
		t.Errorf("token with the rotated refresh token: %v, stdout %q, stderr %q", err, out, errOut)
	}
	if _, errOut, err := token(minted.RefreshToken); err == nil || !strings.Contains(errOut, "invalid_grant") || !strings.Contains(errOut, "expired access/refresh token") {
		t.Errorf("the rotated-out token: %v %q", err, errOut)
	}
}
