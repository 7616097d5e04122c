package main

import (
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The grants' admin verbs against a running server with the demo org: mint a refresh token
// for the built-in Salesforce CLI app, list it and the approval, refresh with it as sf
// does (no secret), then revoke the approval and see the token die.
func TestGrantVerbs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ff.db")
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm")
	env := []string{"FORCEFIELD_ADMIN_TOKEN=adm", "FORCEFIELD_URL=" + p.URL}
	const user = "integration@demo.forcefield.local"

	out := runCLI(t, env, "mint-refresh-token", "--app", "Salesforce CLI", "--user", user)
	rt := regexp.MustCompile(`(?m)^  (5Aep861[A-Za-z0-9_-]{43})$`).FindStringSubmatch(out)
	host := strings.TrimPrefix(p.URL, "http://")
	if rt == nil || !strings.Contains(out, "force://PlatformCLI::"+rt[1]+"@"+host) {
		t.Fatalf("mint-refresh-token:\n%s", out)
	}
	if out := runCLI(t, env, "oauth-tokens", "--user", user); !strings.Contains(out, "LAST USED") || !strings.Contains(out, "Salesforce CLI") || strings.Contains(out, rt[1]) {
		t.Errorf("oauth-tokens:\n%s", out)
	}
	if out := runCLI(t, env, "approvals"); !strings.Contains(out, user) || !strings.Contains(out, "Salesforce CLI") {
		t.Errorf("approvals:\n%s", out)
	}
	if out := runCLI(t, env, "apps"); !strings.Contains(out, "REFRESH POLICY") || !strings.Contains(out, "PlatformCLI") {
		t.Errorf("apps:\n%s", out)
	}
	refresh := func() int {
		resp, err := http.PostForm(p.URL+"/services/oauth2/token", url.Values{"grant_type": {"refresh_token"},
			"refresh_token": {rt[1]}, "client_id": {"PlatformCLI"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := refresh(); got != 200 {
		t.Fatalf("refresh: %d", got)
	}
	out = runCLI(t, env, "revoke-approvals", "--app", "Salesforce CLI", user)
	if !strings.Contains(out, "Revoked 1 approval(s) of "+user+", with 1 refresh token(s) and 1 session(s)") {
		t.Errorf("revoke-approvals:\n%s", out)
	}
	if got := refresh(); got != 400 {
		t.Errorf("refresh after revoke-approvals: %d, want 400", got)
	}
	if out := runCLI(t, env, "revoke-oauth-tokens", user); !strings.Contains(out, "Revoked 0 refresh token(s)") {
		t.Errorf("revoke-oauth-tokens:\n%s", out)
	}
}
