package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAdminPasswordAndToken(t *testing.T) {
	s := startPassword(t)
	// A new password works at once (with the current token) and the old one stops working.
	if r := s.admin(t, http.MethodPut, "/users/int@pw.example/password", `{"password":"battery staple"}`); r.Status != http.StatusNoContent {
		t.Fatalf("set password: %d %s", r.Status, r.Body)
	}
	if r := s.passwordLogin(t, "int@pw.example", "battery staple"+pwToken); r.Status != http.StatusOK {
		t.Errorf("login with the new password: %d %s", r.Status, r.Body)
	}
	wantOAuthError(t, s.passwordLogin(t, "int@pw.example", "correct horse"+pwToken), 400, "invalid_grant", "authentication failure")
	if r := s.admin(t, http.MethodPut, "/users/int@pw.example/password", `{"password":"short"}`); r.Status != http.StatusBadRequest {
		t.Errorf("short password: %d %s", r.Status, r.Body)
	}
	// A new security token replaces the old one and is shown once.
	r := s.admin(t, http.MethodPost, "/users/int@pw.example/security-token", "")
	var res struct{ SecurityToken string }
	if err := json.Unmarshal([]byte(r.Body), &res); err != nil || len(res.SecurityToken) != 24 || res.SecurityToken == pwToken {
		t.Fatalf("reset security token: %d %s", r.Status, r.Body)
	}
	if r := s.passwordLogin(t, "int@pw.example", "battery staple"+res.SecurityToken); r.Status != http.StatusOK {
		t.Errorf("login with the new token: %d %s", r.Status, r.Body)
	}
	wantOAuthError(t, s.passwordLogin(t, "int@pw.example", "battery staple"+pwToken), 400, "invalid_grant", "authentication failure")
	// Neither the password nor the token appears in the admin API's user list.
	if u := s.admin(t, http.MethodGet, "/users", ""); strings.Contains(u.Body, "battery") || strings.Contains(u.Body, res.SecurityToken) || strings.Contains(u.Body, "argon2") {
		t.Errorf("user list leaks a password, token or hash: %s", u.Body)
	}
	if r := s.admin(t, http.MethodPut, "/users/nobody@pw.example/password", `{"password":"battery staple"}`); r.Status != http.StatusNotFound {
		t.Errorf("unknown user: %d %s", r.Status, r.Body)
	}
}

func TestAdminCertificates(t *testing.T) {
	s, key := startJWT(t)
	next := newSigner(t)
	claims := map[string]any{"iss": "JwtKey000001", "sub": "int@jwt.example", "aud": s.URL, "exp": s.Clock.Now().Unix() + 300}
	wantOAuthError(t, s.jwtToken(t, next.sign(t, claims, jwtStyle{})), 400, "invalid_grant", "invalid assertion")

	r := s.admin(t, http.MethodPost, "/apps/JWT App/certificates", next.certPEM)
	var added struct{ Fingerprint string }
	if err := json.Unmarshal([]byte(r.Body), &added); r.Status != http.StatusCreated || err != nil || len(added.Fingerprint) != 64 {
		t.Fatalf("add certificate: %d %s", r.Status, r.Body)
	}
	if r := s.jwtToken(t, next.sign(t, claims, jwtStyle{})); r.Status != http.StatusOK {
		t.Errorf("assertion signed by the added certificate's key: %d %s", r.Status, r.Body)
	}
	if r := s.admin(t, http.MethodPost, "/apps/JWT App/certificates", next.certPEM); r.Status != http.StatusConflict {
		t.Errorf("adding it twice: %d %s", r.Status, r.Body)
	}
	if r := s.admin(t, http.MethodPost, "/apps/JWT App/certificates", "not a certificate"); r.Status != http.StatusBadRequest {
		t.Errorf("adding garbage: %d %s", r.Status, r.Body)
	}
	list := s.admin(t, http.MethodGet, "/apps/JWT App/certificates", "")
	if strings.Count(list.Body, `"fingerprint"`) != 3 {
		t.Errorf("certificates: %s", list.Body)
	}
	if r := s.admin(t, http.MethodDelete, "/apps/JWT App/certificates/"+added.Fingerprint, ""); r.Status != http.StatusNoContent {
		t.Fatalf("remove certificate: %d %s", r.Status, r.Body)
	}
	wantOAuthError(t, s.jwtToken(t, next.sign(t, claims, jwtStyle{})), 400, "invalid_grant", "invalid assertion")
	if r := s.jwtToken(t, key.sign(t, claims, jwtStyle{})); r.Status != http.StatusOK {
		t.Errorf("the remaining certificate: %d %s", r.Status, r.Body)
	}
	if r := s.admin(t, http.MethodDelete, "/apps/JWT App/certificates/"+added.Fingerprint, ""); r.Status != http.StatusNotFound {
		t.Errorf("removing it twice: %d %s", r.Status, r.Body)
	}
	// Both changes are in the setup audit trail, naming the certificate.
	trail := s.admin(t, http.MethodGet, "/audit-trail?limit=10", "").Body
	for _, action := range []string{"addedCertificate", "removedCertificate"} {
		if !strings.Contains(trail, action) {
			t.Errorf("audit trail lacks %s:\n%s", action, trail)
		}
	}
	if strings.Count(trail, added.Fingerprint) != 2 {
		t.Errorf("audit trail names the certificate %d times, want 2:\n%s", strings.Count(trail, added.Fingerprint), trail)
	}
}
