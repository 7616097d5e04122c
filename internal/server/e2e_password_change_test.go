package server

import (
	"net/http"
	"strings"
	"testing"
)

// A new password ends every session of the user, whether it comes from the admin API
// (forcefield set-password) or from an org file applied to the running server.
func TestPasswordChangeEndsSessions(t *testing.T) {
	s := startPassword(t)
	login := func(pw string) string {
		t.Helper()
		r := s.passwordLogin(t, "int@pw.example", pw+pwToken)
		if r.Status != http.StatusOK {
			t.Fatalf("login with %q: %d %s", pw, r.Status, r.Body)
		}
		return r.JSON(t)["access_token"].(string)
	}
	ccToken := s.token(t, "CcKey0000001", "CcSecret0000001") // a client credentials session of the same user
	old := login("correct horse")

	if r := s.admin(t, http.MethodPut, "/users/int@pw.example/password", `{"password":"battery staple"}`); r.Status != http.StatusNoContent {
		t.Fatalf("set password: %d %s", r.Status, r.Body)
	}
	for name, tok := range map[string]string{"password session": old, "client credentials session": ccToken} {
		if r := s.get(t, "/services/data/v59.0/limits", tok); r.Status != http.StatusUnauthorized {
			t.Errorf("%s after set-password: %d, want 401", name, r.Status)
		}
	}
	if r := s.passwordLogin(t, "int@pw.example", "correct horse"+pwToken); r.Status != http.StatusBadRequest {
		t.Errorf("old password still works: %d", r.Status)
	}
	fresh := login("battery staple")

	// The same through an org file whose password was edited (an unchanged file keeps
	// the password set above through the admin API: e2e_orgfile_secret_test.go).
	edited := strings.Replace(passwordOrgFile, `profile: Integration, password: "correct horse"`, `profile: Integration, password: "edited horse"`, 1)
	r := s.admin(t, http.MethodPost, "/apply?name=pw.yaml", edited)
	if r.Status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	if r := s.get(t, "/services/data/v59.0/limits", fresh); r.Status != http.StatusUnauthorized {
		t.Errorf("session after an apply changed the password: %d, want 401", r.Status)
	}
	login("edited horse")
	trail := s.admin(t, http.MethodGet, "/audit-trail?limit=50", "")
	if n := strings.Count(trail.Body, "changedUserCredentials"); n < 2 {
		t.Errorf("audit trail has %d credential changes, want 2 (admin API and org file):\n%s", n, trail.Body)
	}
	if strings.Contains(trail.Body, "battery staple") || strings.Contains(trail.Body, "correct horse") || strings.Contains(trail.Body, "edited horse") {
		t.Error("the audit trail contains a password")
	}
}
