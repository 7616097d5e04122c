package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The JWT bearer test org: one self-authorized app with a certificate file and one
// approved user, one admin-approved app holding its certificate inline, and users for
// every refusal.
const jwtOrgFile = `
orgs:
  - name: Jwt
    profiles:
      - name: Integration
        permissions: [ApiEnabled]
      - name: Office Only
        permissions: [ApiEnabled]
        loginIpRanges: [{start: 192.0.2.0, end: 192.0.2.255}]
    users:
      - {username: int@jwt.example, lastName: Int, email: t@jwt.example, profile: Integration}
      - {username: unapproved@jwt.example, lastName: U, email: t@jwt.example, profile: Integration}
      - {username: gone@jwt.example, lastName: G, email: t@jwt.example, profile: Integration, active: false}
      - {username: office@jwt.example, lastName: O, email: t@jwt.example, profile: Office Only}
    connectedApps:
      - name: JWT App
        scopes: [api, web, refresh_token]
        consumerKey: JwtKey000001
        certificates: [old.crt, app.crt]
        approvedUsers: [int@jwt.example, gone@jwt.example, office@jwt.example]
      - name: JWT Admin Approved
        scopes: [api]
        consumerKey: JwtKey000002
        permittedUsers: AdminApprovedPreAuthorized
        profiles: [Office Only]
        certificates: [app.crt]
      - name: JWT Bypass
        scopes: [api]
        consumerKey: JwtKey000003
        certificates: [app.crt]
        approvedUsers: [office@jwt.example]
        ipRelaxation: BYPASS
        sessionTimeoutMinutes: 30
`

func startJWT(t *testing.T) (*testServer, signer) {
	t.Helper()
	app, old := newSigner(t), newSigner(t)
	orgFile, dir := writeOrgFile(t, jwtOrgFile)
	writeFile(t, dir, "app.crt", app.certPEM)
	writeFile(t, dir, "old.crt", old.certPEM)
	return startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile}), app
}

func TestJWTBearerClientStyles(t *testing.T) {
	s, key := startJWT(t)
	now := s.Clock.Now()
	_, userID := s.ids(t, "int@jwt.example")
	for _, tc := range []struct {
		name   string
		claims map[string]any
		style  jwtStyle
	}{
		// sfdx-core / sf CLI: exp = Date.now()+300, milliseconds; aud = the login URL; iat added by jsonwebtoken.
		{"sf exp in milliseconds", map[string]any{"iss": "JwtKey000001", "sub": "int@jwt.example", "aud": s.URL,
			"exp": now.UnixMilli() + 300, "iat": now.Unix()}, jwtStyle{header: `{"alg":"RS256","typ":"JWT"}`}},
		// Apache Camel: padded base64url, string exp now+270 s, header only alg.
		{"camel padded, string exp", map[string]any{"iss": "JwtKey000001", "sub": "int@jwt.example",
			"aud": "https://login.salesforce.com", "exp": strconv.FormatInt(now.Unix()+270, 10)}, jwtStyle{padded: true}},
		// simple-salesforce: string exp now+3 min, aud https://test.salesforce.com.
		{"simple-salesforce string exp", map[string]any{"iss": "JwtKey000001", "sub": "int@jwt.example",
			"aud": "https://test.salesforce.com", "exp": strconv.FormatInt(now.Add(3*time.Minute).Unix(), 10)}, jwtStyle{}},
		// The original Salesforce doc example: prn instead of sub, string exp.
		{"prn alias", map[string]any{"iss": "JwtKey000001", "prn": "INT@jwt.example",
			"aud": "https://login.salesforce.com/", "exp": strconv.FormatInt(now.Unix()+60, 10)}, jwtStyle{padded: true}},
		// No 3-minute ceiling: go-salesforce sends +5 min; anything in the future passes.
		{"exp far ahead", map[string]any{"iss": "JwtKey000001", "sub": "int@jwt.example", "aud": s.URL + "/",
			"exp": now.Add(48 * time.Hour).Unix()}, jwtStyle{}},
		{"aud array", map[string]any{"iss": "JwtKey000001", "sub": "int@jwt.example", "aud": []string{"https://example.com", s.URL},
			"exp": now.Unix() + 300}, jwtStyle{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.jwtToken(t, key.sign(t, tc.claims, tc.style))
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			body := r.JSON(t)
			keys := make([]string, 0, len(body))
			for k := range body {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			// The reference §1.4: no signature, issued_at or refresh_token.
			if diff := cmp.Diff([]string{"access_token", "id", "instance_url", "scope", "token_type"}, keys); diff != "" {
				t.Errorf("response fields (-want +got):\n%s", diff)
			}
			if body["scope"] != "api web" || body["token_type"] != "Bearer" || body["instance_url"] != s.URL {
				t.Errorf("scope/token_type/instance_url = %v/%v/%v", body["scope"], body["token_type"], body["instance_url"])
			}
			if want := s.identityURL(t, "int@jwt.example"); body["id"] != want {
				t.Errorf("id = %v, want %s", body["id"], want)
			}
			tok := body["access_token"].(string)
			if r := s.get(t, "/services/data/v59.0/limits", tok); r.Status != http.StatusOK {
				t.Errorf("limits with the JWT token: %d %s", r.Status, r.Body)
			}
			s.wantLogin(t, "OauthJwtBearer", "Success", userID)
		})
	}
}

func TestJWTBearerErrors(t *testing.T) {
	s, key := startJWT(t)
	stranger := newSigner(t)
	now := s.Clock.Now()
	claims := func(iss, sub string, mod func(map[string]any)) map[string]any {
		c := map[string]any{"iss": iss, "sub": sub, "aud": "https://login.salesforce.com", "exp": now.Unix() + 120}
		if mod != nil {
			mod(c)
		}
		return c
	}
	good := key.sign(t, claims("JwtKey000001", "int@jwt.example", nil), jwtStyle{})
	_, intID := s.ids(t, "int@jwt.example")
	_, unapprovedID := s.ids(t, "unapproved@jwt.example")
	_, goneID := s.ids(t, "gone@jwt.example")
	_, officeID := s.ids(t, "office@jwt.example")
	for _, tc := range []struct {
		name, assertion, code, desc, status, userID string
	}{
		{"unknown iss", key.sign(t, claims("NoSuchKey", "int@jwt.example", nil), jwtStyle{}), "invalid_client_id", "client identifier invalid", "Invalid client id", ""},
		{"signed by another key", stranger.sign(t, claims("JwtKey000001", "int@jwt.example", nil), jwtStyle{}), "invalid_grant", "invalid assertion", "Failed: Signature Invalid", ""},
		{"tampered payload", good[:len(good)-10] + "AAAAAAAAAA", "invalid_grant", "invalid assertion", "Failed: Signature Invalid", ""},
		{"HS256 header", key.sign(t, claims("JwtKey000001", "int@jwt.example", nil), jwtStyle{header: `{"alg":"HS256"}`}), "invalid_grant", "invalid assertion", "Failed: Signature Invalid", ""},
		{"alg none", key.sign(t, claims("JwtKey000001", "int@jwt.example", nil), jwtStyle{header: `{"alg":"none"}`}), "invalid_grant", "invalid assertion", "Failed: Signature Invalid", ""},
		{"not a JWT", "not.a.jwt", "invalid_grant", "invalid assertion", "Failed: Signature Invalid", ""},
		{"missing assertion", "", "invalid_grant", "invalid assertion", "Failed: Signature Invalid", ""},
		{"exp not a number", key.sign(t, claims("JwtKey000001", "int@jwt.example", func(c map[string]any) { c["exp"] = "soon" }), jwtStyle{}), "invalid_grant", "invalid assertion", "Failed: Signature Invalid", ""},
		{"wrong audience", key.sign(t, claims("JwtKey000001", "int@jwt.example", func(c map[string]any) { c["aud"] = "https://evil.example" }), jwtStyle{}), "invalid_grant", "audience is invalid", "Failed: Audience Invalid", ""},
		{"no audience", key.sign(t, claims("JwtKey000001", "int@jwt.example", func(c map[string]any) { delete(c, "aud") }), jwtStyle{}), "invalid_grant", "audience is invalid", "Failed: Audience Invalid", ""},
		{"exp in the past", key.sign(t, claims("JwtKey000001", "int@jwt.example", func(c map[string]any) { c["exp"] = now.Unix() - 1 }), jwtStyle{}), "invalid_grant", "expired authorization code", "Failed: Assertion Expired", ""},
		{"exp in the past, ms", key.sign(t, claims("JwtKey000001", "int@jwt.example", func(c map[string]any) { c["exp"] = now.UnixMilli() - 1000 }), jwtStyle{}), "invalid_grant", "expired authorization code", "Failed: Assertion Expired", ""},
		{"unknown user", key.sign(t, claims("JwtKey000001", "nobody@jwt.example", nil), jwtStyle{}), "invalid_grant", "user hasn't approved this consumer", "Invalid login", ""},
		{"not approved", key.sign(t, claims("JwtKey000001", "unapproved@jwt.example", nil), jwtStyle{}), "invalid_grant", "user hasn't approved this consumer", "Failed: User hasn't approved this consumer", unapprovedID},
		{"inactive user", key.sign(t, claims("JwtKey000001", "gone@jwt.example", nil), jwtStyle{}), "invalid_grant", "inactive user", "User is Inactive", goneID},
		{"admin approved, user lacks profile", key.sign(t, claims("JwtKey000002", "int@jwt.example", nil), jwtStyle{}), "invalid_app_access", "user is not admin approved to access this app", "User not admin approved to access this app", intID},
		{"outside login IP ranges", key.sign(t, claims("JwtKey000001", "office@jwt.example", nil), jwtStyle{}), "invalid_grant", "IP restricted or invalid login hours", "Restricted IP", officeID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantOAuthError(t, s.jwtToken(t, tc.assertion), http.StatusBadRequest, tc.code, tc.desc)
			s.wantLogin(t, "OauthJwtBearer", tc.status, tc.userID)
		})
	}
	// BYPASS relaxes the profile's login IP ranges for that app.
	if r := s.jwtToken(t, key.sign(t, claims("JwtKey000003", "office@jwt.example", nil), jwtStyle{})); r.Status != http.StatusOK {
		t.Errorf("ipRelaxation BYPASS: %d %s", r.Status, r.Body)
	}
	// The admin-approved app accepts a user holding one of its profiles (IP still enforced).
	wantOAuthError(t, s.jwtToken(t, key.sign(t, claims("JwtKey000002", "office@jwt.example", nil), jwtStyle{})),
		http.StatusBadRequest, "invalid_grant", "IP restricted or invalid login hours")
	// The Host header does not widen the accepted audiences.
	evil := key.sign(t, claims("JwtKey000001", "int@jwt.example", func(c map[string]any) { c["aud"] = "http://evil.example" }), jwtStyle{})
	req := newRequest(t, http.MethodPost, s.URL+"/services/oauth2/token",
		strings.NewReader("grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion="+evil))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Host = "evil.example"
	wantOAuthError(t, do(t, req), http.StatusBadRequest, "invalid_grant", "audience is invalid")
	// An assertion stays valid until its exp (Salesforce checks no jti), then expires.
	if r := s.jwtToken(t, good); r.Status != http.StatusOK {
		t.Errorf("reused assertion: %d %s", r.Status, r.Body)
	}
	s.Clock.Advance(121 * time.Second)
	wantOAuthError(t, s.jwtToken(t, good), http.StatusBadRequest, "invalid_grant", "expired authorization code")
}

// TestJWTBearerSessionTimeout checks that JWT sessions resolve their timeout as client
// credentials ones do: the app's, else the profile's, else the org's (120 minutes here).
func TestJWTBearerSessionTimeout(t *testing.T) {
	s, key := startJWT(t)
	claims := func(iss, sub string) map[string]any {
		return map[string]any{"iss": iss, "sub": sub, "aud": s.URL, "exp": s.Clock.Now().Add(time.Hour).Unix()}
	}
	tokenOf := func(iss, sub string) string {
		r := s.jwtToken(t, key.sign(t, claims(iss, sub), jwtStyle{}))
		if r.Status != http.StatusOK {
			t.Fatalf("token: %d %s", r.Status, r.Body)
		}
		return r.JSON(t)["access_token"].(string)
	}
	appTimeout, orgTimeout := tokenOf("JwtKey000003", "office@jwt.example"), tokenOf("JwtKey000001", "int@jwt.example")
	s.Clock.Advance(31 * time.Minute)
	wantRESTError(t, s.get(t, "/services/data/v59.0/limits", appTimeout), http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
	if r := s.get(t, "/services/data/v59.0/limits", orgTimeout); r.Status != http.StatusOK {
		t.Errorf("org-timeout session after 31 minutes: %d %s", r.Status, r.Body)
	}
}
