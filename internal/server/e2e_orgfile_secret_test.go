package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 13 §2: restarting with --org-file no longer reverts a password or security
// token changed since through the admin API. The unchanged file keeps the admin's
// secrets (and the start says so); editing the file's password applies it.
func TestOrgFileKeepsSecretsChangedThroughAdmin(t *testing.T) {
	orgFile, dir := writeOrgFile(t, passwordOrgFile)
	cfg := Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile}
	var newToken string
	t.Run("first server", func(t *testing.T) {
		s := startWith(t, cfg)
		if r := s.admin(t, http.MethodPut, "/users/int@pw.example/password", `{"password":"battery staple"}`); r.Status != http.StatusNoContent {
			t.Fatalf("set password: %d %s", r.Status, r.Body)
		}
		r := s.admin(t, http.MethodPost, "/users/int@pw.example/security-token", "")
		var res struct{ SecurityToken string }
		if err := json.Unmarshal([]byte(r.Body), &res); err != nil || len(res.SecurityToken) != 24 {
			t.Fatalf("reset security token: %d %s", r.Status, r.Body)
		}
		newToken = res.SecurityToken
	})

	var out bytes.Buffer
	cfg.Out = &out
	t.Run("restart with the unchanged file", func(t *testing.T) {
		s := startWith(t, cfg)
		if r := s.passwordLogin(t, "int@pw.example", "battery staple"+newToken); r.Status != http.StatusOK {
			t.Errorf("the admin's password and token after a restart: %d %s", r.Status, r.Body)
		}
		wantOAuthError(t, s.passwordLogin(t, "int@pw.example", "correct horse"+pwToken), 400, "invalid_grant", "authentication failure")
	})
	for _, want := range []string{
		"Org file org.yaml: kept the password of user int@pw.example set since the org file was last applied (through the admin API): the file's password is unchanged — edit it in the file to apply it\n",
		"Org file org.yaml: kept the security token of user int@pw.example set since the org file was last applied (through the admin API): the file's security token is unchanged — edit it in the file to apply it\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("start output lacks %q:\n%s", want, out.String())
		}
	}

	// The operator edits the password in the file: the file wins for it; the token, not
	// edited, stays the admin's.
	edited := strings.Replace(passwordOrgFile, `{username: int@pw.example, lastName: Int, email: t@pw.example, profile: Integration, password: "correct horse"`,
		`{username: int@pw.example, lastName: Int, email: t@pw.example, profile: Integration, password: "edited in the file"`, 1)
	if edited == passwordOrgFile {
		t.Fatal("the password org file changed: update this test")
	}
	if err := os.WriteFile(orgFile, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	s := startWith(t, cfg)
	if r := s.passwordLogin(t, "int@pw.example", "edited in the file"+newToken); r.Status != http.StatusOK {
		t.Errorf("the file's edited password: %d %s", r.Status, r.Body)
	}
	wantOAuthError(t, s.passwordLogin(t, "int@pw.example", "battery staple"+newToken), 400, "invalid_grant", "authentication failure")
	if want := "Org file org.yaml: applied the org file's new password of user int@pw.example, replacing the one set since the file was last applied (through the admin API)\n"; !strings.Contains(out.String(), want) {
		t.Errorf("start output lacks %q:\n%s", want, out.String())
	}
}
