package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const pwToken = "TOKEN0123456789abcdefghi" // 24 characters

const passwordOrgFile = `
orgs:
  - name: Pw
    maxLoginAttempts: 3
    lockoutMinutes: 15
    profiles:
      - name: Integration
        permissions: [ApiEnabled]
      - name: Office Only
        permissions: [ApiEnabled]
        loginIpRanges: [{start: 192.0.2.0, end: 192.0.2.255}, {start: "2001:db8::", end: "2001:db8::ffff"}]
    users:
      - {username: int@pw.example, lastName: Int, email: t@pw.example, profile: Integration, password: "correct horse", securityToken: ` + pwToken + `}
      - {username: notoken@pw.example, lastName: N, email: t@pw.example, profile: Integration, password: "no token needed"}
      - {username: gone@pw.example, lastName: G, email: t@pw.example, profile: Integration, password: "correct horse", securityToken: ` + pwToken + `, active: false}
      - {username: office@pw.example, lastName: O, email: t@pw.example, profile: Office Only, password: "correct horse", securityToken: ` + pwToken + `}
      - {username: nopassword@pw.example, lastName: P, email: t@pw.example, profile: Integration}
    connectedApps:
      - name: Pw App
        scopes: [api, refresh_token]
        consumerKey: PwKey0000001
        consumerSecret: PwSecret0000001
      - name: Pw Admin Approved
        scopes: [api]
        consumerKey: PwKey0000002
        consumerSecret: PwSecret0000002
        permittedUsers: AdminApprovedPreAuthorized
        profiles: [Office Only]
      - name: Pw Bypass
        scopes: [api]
        consumerKey: PwKey0000003
        consumerSecret: PwSecret0000003
        ipRelaxation: BYPASS
      - name: Pw Client Credentials
        scopes: [api]
        consumerKey: CcKey0000001
        consumerSecret: CcSecret0000001
        clientCredentials: {enabled: true, runAs: int@pw.example}
  - name: Pw Off
    allowUsernamePasswordFlow: false
    profiles:
      - {name: Integration, permissions: [ApiEnabled]}
    users:
      - {username: int@pwoff.example, lastName: Int, email: t@pw.example, profile: Integration, password: "correct horse"}
    connectedApps:
      - {name: Off App, scopes: [api], consumerKey: PwOffKey0001, consumerSecret: PwOffSecret0001}
`

func startPassword(t *testing.T) *testServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, passwordOrgFile)
	return startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile})
}

func passwordForm(key, secret, username, password string) url.Values {
	f := url.Values{"grant_type": {"password"}, "username": {username}, "password": {password}}
	if key != "" {
		f.Set("client_id", key)
	}
	if secret != "" {
		f.Set("client_secret", secret)
	}
	return f
}

func (s *testServer) passwordLogin(t *testing.T, username, password string) response {
	t.Helper()
	return s.postForm(t, "/services/oauth2/token", passwordForm("PwKey0000001", "PwSecret0000001", username, password))
}

func TestPasswordFlow(t *testing.T) {
	s := startPassword(t)
	_, userID := s.ids(t, "int@pw.example")

	for _, tc := range []struct {
		name string
		send func() response
	}{
		{"credentials in the body", func() response { return s.passwordLogin(t, "int@pw.example", "correct horse"+pwToken) }},
		{"Basic client authentication", func() response {
			return s.postFormBasic(t, "/services/oauth2/token", passwordForm("", "", "INT@pw.example", "correct horse"+pwToken), "PwKey0000001", "PwSecret0000001")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.send()
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			body := r.JSON(t)
			var keys []string
			for k := range body {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			// The reference §1.5: these fields, no refresh token.
			if diff := cmp.Diff([]string{"access_token", "id", "instance_url", "issued_at", "scope", "signature", "token_type"}, keys); diff != "" {
				t.Errorf("response fields (-want +got):\n%s", diff)
			}
			if body["scope"] != "api" {
				t.Errorf("scope = %v, want api (refresh_token dropped: no refresh token here)", body["scope"])
			}
			if want := s.identityURL(t, "int@pw.example"); body["id"] != want {
				t.Errorf("id = %v, want %s", body["id"], want)
			}
			wantSignature(t, body, "PwSecret0000001")
			if r := s.get(t, "/services/data/v59.0/limits", body["access_token"].(string)); r.Status != http.StatusOK {
				t.Errorf("limits: %d %s", r.Status, r.Body)
			}
			s.wantLogin(t, "OauthUsernamePassword", "Success", userID)
		})
	}
	// A user without a security token logs in with the password alone.
	if r := s.passwordLogin(t, "notoken@pw.example", "no token needed"); r.Status != http.StatusOK {
		t.Errorf("user without a security token: %d %s", r.Status, r.Body)
	}
}

func TestPasswordFlowErrors(t *testing.T) {
	s := startPassword(t)
	_, intID := s.ids(t, "int@pw.example")
	_, goneID := s.ids(t, "gone@pw.example")
	_, officeID := s.ids(t, "office@pw.example")
	_, noPwID := s.ids(t, "nopassword@pw.example")
	_, offID := s.ids(t, "int@pwoff.example")
	tok := "/services/oauth2/token"
	// Order matters: the three failures for int@pw.example lock it (maxLoginAttempts: 3),
	// so the checks that need a correct password for it come first.
	for _, tc := range []struct {
		name               string
		form               url.Values
		code, desc, status string
		userID             string
	}{
		{"admin approved, user lacks profile", passwordForm("PwKey0000002", "PwSecret0000002", "int@pw.example", "correct horse"+pwToken), "invalid_app_access", "user is not admin approved to access this app", "User not admin approved to access this app", intID},
		{"wrong password", passwordForm("PwKey0000001", "PwSecret0000001", "int@pw.example", "wrong horse"+pwToken), "invalid_grant", "authentication failure", "Invalid Password", intID},
		{"wrong token", passwordForm("PwKey0000001", "PwSecret0000001", "int@pw.example", "correct horse"+strings.Repeat("x", 24)), "invalid_grant", "authentication failure", "Invalid Password", intID},
		{"token missing", passwordForm("PwKey0000001", "PwSecret0000001", "int@pw.example", "correct horse"), "invalid_grant", "authentication failure", "Invalid Password", intID},
		{"unknown user", passwordForm("PwKey0000001", "PwSecret0000001", "nobody@pw.example", "correct horse"+pwToken), "invalid_grant", "authentication failure", "Invalid Password", ""},
		{"user of another org", passwordForm("PwKey0000001", "PwSecret0000001", "int@pwoff.example", "correct horse"), "invalid_grant", "authentication failure", "Invalid Password", ""},
		{"user without a password", passwordForm("PwKey0000001", "PwSecret0000001", "nopassword@pw.example", "anything at all"), "invalid_grant", "authentication failure", "Invalid Password", noPwID},
		{"inactive user", passwordForm("PwKey0000001", "PwSecret0000001", "gone@pw.example", "correct horse"+pwToken), "invalid_grant", "inactive user", "User is Inactive", goneID},
		{"outside login IP ranges", passwordForm("PwKey0000001", "PwSecret0000001", "office@pw.example", "correct horse"+pwToken), "invalid_grant", "IP restricted or invalid login hours", "Restricted IP", officeID},
		{"flow disabled for the org", passwordForm("PwOffKey0001", "PwOffSecret0001", "int@pwoff.example", "correct horse"), "invalid_grant", "authentication failure", "Username-Password Flow Disabled", offID},
		{"wrong consumer secret", passwordForm("PwKey0000001", "WrongSecret01", "int@pw.example", "correct horse"+pwToken), "invalid_client", "invalid client credentials", "Invalid client credentials", ""},
		{"unknown consumer key", passwordForm("NoSuchKey01", "PwSecret0000001", "int@pw.example", "correct horse"+pwToken), "invalid_client_id", "client identifier invalid", "Invalid client id", ""},
		{"no username", passwordForm("PwKey0000001", "PwSecret0000001", "", "x"), "invalid_request", "username and password are required", "Invalid request", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantOAuthError(t, s.postForm(t, tok, tc.form), http.StatusBadRequest, tc.code, tc.desc)
			s.wantLogin(t, "OauthUsernamePassword", tc.status, tc.userID)
		})
	}
	// BYPASS relaxes the profile's ranges for that app only.
	if r := s.postForm(t, tok, passwordForm("PwKey0000003", "PwSecret0000003", "office@pw.example", "correct horse"+pwToken)); r.Status != http.StatusOK {
		t.Errorf("ipRelaxation BYPASS: %d %s", r.Status, r.Body)
	}
}

func TestPasswordLockout(t *testing.T) {
	s := startPassword(t)
	_, userID := s.ids(t, "int@pw.example")
	right := "correct horse" + pwToken
	// Two failures, then a success: the count starts again.
	for range 2 {
		wantOAuthError(t, s.passwordLogin(t, "int@pw.example", "nope"+pwToken), 400, "invalid_grant", "authentication failure")
	}
	if r := s.passwordLogin(t, "int@pw.example", right); r.Status != http.StatusOK {
		t.Fatalf("login after 2 failures: %d %s", r.Status, r.Body)
	}
	// maxLoginAttempts (3) failures lock the user.
	for range 3 {
		wantOAuthError(t, s.passwordLogin(t, "int@pw.example", "nope"+pwToken), 400, "invalid_grant", "authentication failure")
		s.wantLogin(t, "OauthUsernamePassword", "Invalid Password", userID)
	}
	// Locked: even the right password fails, with the same answer.
	wantOAuthError(t, s.passwordLogin(t, "int@pw.example", right), 400, "invalid_grant", "authentication failure")
	s.wantLogin(t, "OauthUsernamePassword", "Password Lockout", userID)
	s.Clock.Advance(14 * time.Minute)
	wantOAuthError(t, s.passwordLogin(t, "int@pw.example", right), 400, "invalid_grant", "authentication failure")
	s.wantLogin(t, "OauthUsernamePassword", "Password Lockout", userID)
	// After lockoutMinutes the right password works again.
	s.Clock.Advance(time.Minute)
	if r := s.passwordLogin(t, "int@pw.example", right); r.Status != http.StatusOK {
		t.Fatalf("login after the lockout: %d %s", r.Status, r.Body)
	}
}

func TestPasswordFailuresThrottled(t *testing.T) {
	// The per-(user, address) throttle (burst 10, like client authentication) answers
	// rate_limit_exceeded before a password is checked, so failures cannot be driven
	// faster than its refill rate. Here the org allows 100 attempts, so the throttle,
	// not the lockout, is what stops the 11th failure.
	orgFile, dir := writeOrgFile(t, strings.Replace(passwordOrgFile, "maxLoginAttempts: 3", "maxLoginAttempts: 100", 1))
	s := startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile})
	for range 10 {
		wantOAuthError(t, s.passwordLogin(t, "int@pw.example", "nope"+pwToken), 400, "invalid_grant", "authentication failure")
	}
	wantOAuthError(t, s.passwordLogin(t, "int@pw.example", "correct horse"+pwToken), 400, "rate_limit_exceeded", "number of logins exceeded")
	// Another user of the same app, from the same address, is not affected.
	if r := s.passwordLogin(t, "notoken@pw.example", "no token needed"); r.Status != http.StatusOK {
		t.Errorf("another user: %d %s", r.Status, r.Body)
	}
	s.Clock.Advance(6 * time.Second) // one failure token back
	if r := s.passwordLogin(t, "int@pw.example", "correct horse"+pwToken); r.Status != http.StatusOK {
		t.Errorf("after the refill: %d %s", r.Status, r.Body)
	}
}
