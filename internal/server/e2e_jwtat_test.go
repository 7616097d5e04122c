package server

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// JWT-based access tokens (issue 4 §4, salesforce-oauth.md §4.6 and §6.3).

const jwtatOrgFile = `
orgs:
  - name: Acme
    myDomain: acme
    dailyApiRequests: 1000
    profiles:
      - name: Acme Integration
        permissions: [ApiEnabled, ApiUserOnly]
    users:
      - {username: integration@acme.example, lastName: Integration, email: team@acme.example, profile: Acme Integration}
    connectedApps:
      - name: JWT App
        scopes: [api, id]
        consumerKey: JwtKey0001
        consumerSecret: JwtSecret0001
        clientCredentials: {enabled: true, runAs: integration@acme.example}
        jwtAccessTokens: true
      - name: Opaque App
        scopes: [api, id]
        consumerKey: OpaqueKey0002
        consumerSecret: OpaqueSecret0002
        clientCredentials: {enabled: true, runAs: integration@acme.example}
`

func startJWTAT(t *testing.T) *testServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, jwtatOrgFile)
	return startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
}

// jwks fetches /id/keys and returns its RSA keys by kid, checking Salesforce's key shape.
func (s *testServer) jwks(t *testing.T) map[string]*rsa.PublicKey {
	t.Helper()
	r := s.get(t, "/id/keys", "")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /id/keys: %d %s", r.Status, r.Body)
	}
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal([]byte(r.Body), &set); err != nil {
		t.Fatalf("/id/keys: %v: %s", err, r.Body)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k["kty"] != "RSA" || k["alg"] != "RS256" || k["use"] != "sig" || k["x5c"] != "" || len(k) != 6 {
			t.Errorf("JWK %v: want exactly kty RSA, alg RS256, use sig, kid, n, e", k)
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k["n"])
		e, err2 := base64.RawURLEncoding.DecodeString(k["e"])
		if err1 != nil || err2 != nil {
			t.Fatalf("JWK %s: n or e is not base64url", k["kid"])
		}
		keys[k["kid"]] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys
}

// verifyJWT checks an RS256 JWT against the published keys with crypto/rsa alone and
// returns its kid and claims.
func (s *testServer) verifyJWT(t *testing.T, tok string) (kid string, claims map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a compact JWS", tok)
	}
	var h map[string]string
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if err := json.Unmarshal(hb, &h); err != nil || h["alg"] != "RS256" || h["typ"] != "JWT" {
		t.Fatalf("header %s: want alg RS256, typ JWT", hb)
	}
	pub := s.jwks(t)[h["kid"]]
	if pub == nil {
		t.Fatalf("kid %q is not published at /id/keys", h["kid"])
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("signature does not verify with kid %s: %v", h["kid"], err)
	}
	pb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if err := json.Unmarshal(pb, &claims); err != nil {
		t.Fatalf("claims %s: %v", pb, err)
	}
	return h["kid"], claims
}

// maintainKeys runs the key rotation the timer would run.
func (s *testServer) maintainKeys(t *testing.T) {
	t.Helper()
	if err := s.keys.Maintain(t.Context()); err != nil {
		t.Fatalf("Maintain: %v", err)
	}
}

func TestJWTAccessTokens(t *testing.T) {
	s := startJWTAT(t)
	body := s.tokenResponse(t, "JwtKey0001", "JwtSecret0001")
	tok := body["access_token"].(string)
	if body["token_format"] != "jwt" || strings.Contains(tok, "!") {
		t.Errorf("response %v: want token_format jwt and a JWT access_token", body)
	}
	orgID, userID := s.ids(t, "integration@acme.example")
	kid, claims := s.verifyJWT(t, tok)
	now := s.Clock.Now().Unix()
	want := map[string]any{
		"iss": s.URL, "aud": s.URL, "sub": s.URL + "/id/" + orgID + "/" + userID,
		"iat": float64(now), "exp": float64(now + 7200), // the org's 120-minute session timeout
		"client_id": "JwtKey0001", "scope": "api id", "organization_id": orgID, "user_id": userID,
		"app_id": claims["app_id"], "jti": claims["jti"],
	}
	if diff := cmp.Diff(want, claims); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if kid != "1" {
		t.Errorf("kid = %q, want \"1\"", kid)
	}
	wantLive(t, s, tok, "a new JWT")
	if r := s.get(t, "/services/oauth2/userinfo", tok); r.Status != http.StatusOK || r.JSON(t)["user_id"] != userID {
		t.Errorf("userinfo with a JWT: %d %s", r.Status, r.Body)
	}
	intro := s.postForm(t, introspectPath, url.Values{"token": {tok}, "client_id": {"JwtKey0001"}, "client_secret": {"JwtSecret0001"}})
	if got := intro.JSON(t); got["active"] != true || got["exp"] != float64(now+7200) || got["client_id"] != "JwtKey0001" {
		t.Errorf("introspection of a JWT: %s", intro.Body)
	}

	// An opaque app is unaffected.
	ob := s.tokenResponse(t, "OpaqueKey0002", "OpaqueSecret0002")
	if _, ok := ob["token_format"]; ok || !strings.HasPrefix(ob["access_token"].(string), orgID[:15]+"!") {
		t.Errorf("opaque app response %v: want a 00D…! token and no token_format", ob)
	}
	wantLive(t, s, ob["access_token"].(string), "an opaque token")

	// exp is fixed: use does not slide it.
	s.Clock.Advance(119 * time.Minute)
	wantLive(t, s, tok, "a JWT a minute before exp")
	s.Clock.Advance(time.Minute)
	wantDead(t, s, tok, "a JWT at exp")
	if got := s.postForm(t, introspectPath, url.Values{"token": {tok}, "client_id": {"JwtKey0001"}, "client_secret": {"JwtSecret0001"}}).JSON(t); got["active"] != false {
		t.Errorf("introspection of an expired JWT: %v", got)
	}
}

func TestJWTAccessTokenRevocation(t *testing.T) {
	s := startJWTAT(t)
	t.Run("revoke endpoint", func(t *testing.T) {
		tok := s.token(t, "JwtKey0001", "JwtSecret0001")
		wantLive(t, s, tok, "before revocation")
		if r := s.postForm(t, "/services/oauth2/revoke", url.Values{"token": {tok}}); r.Status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		wantDead(t, s, tok, "right after revocation")
		wantOAuthError(t, s.postForm(t, "/services/oauth2/revoke", url.Values{"token": {tok}}),
			http.StatusBadRequest, "invalid_token", "Token was invalid")
	})
	t.Run("admin revokes the user's sessions", func(t *testing.T) {
		jwt := s.token(t, "JwtKey0001", "JwtSecret0001")
		opaque := s.token(t, "OpaqueKey0002", "OpaqueSecret0002")
		r := s.admin(t, http.MethodDelete, "/users/integration@acme.example/sessions", "")
		if r.Status != http.StatusOK || r.Body != `{"revoked":2}` {
			t.Fatalf("DELETE user sessions: %d %s, want {\"revoked\":2}", r.Status, r.Body)
		}
		wantDead(t, s, jwt, "a JWT after revoking the user's sessions")
		wantDead(t, s, opaque, "an opaque token after revoking the user's sessions")
	})
	t.Run("a restart does not bring a revoked JWT back", func(t *testing.T) {
		live := s.token(t, "JwtKey0001", "JwtSecret0001")
		dead := s.token(t, "JwtKey0001", "JwtSecret0001")
		if r := s.postForm(t, "/services/oauth2/revoke", url.Values{"token": {dead}}); r.Status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		s.stop()
		// Same base URL: it is the tokens' iss, and a JWT whose iss differs is refused.
		s2 := startWith(t, Config{DB: s.DB, BaseURL: s.URL})
		s2.URL = "http://" + s2.Addr().String() // where it listens; its iss is still s.URL
		wantLive(t, s2, live, "a live JWT after a restart")
		wantDead(t, s2, dead, "a revoked JWT after a restart")
	})
}

func TestJWTAccessTokensAcrossKeyRotation(t *testing.T) {
	s := startJWTAT(t)
	published := func() []string {
		var kids []string
		for kid := range s.jwks(t) {
			kids = append(kids, kid)
		}
		return sortedStrings(kids)
	}
	// Signing period 24h, overlap 1h, tokens live 2h.
	s.Clock.Advance(23 * time.Hour)
	s.maintainKeys(t)
	if diff := cmp.Diff([]string{"1", "2"}, published()); diff != "" {
		t.Errorf("an hour before rotation, /id/keys kids (-want +got):\n%s", diff)
	}
	s.Clock.Advance(30 * time.Minute)
	old := s.token(t, "JwtKey0001", "JwtSecret0001")
	if kid, _ := s.verifyJWT(t, old); kid != "1" {
		t.Errorf("before rotation kid = %s, want 1 (2 is published but not yet signing)", kid)
	}
	s.Clock.Advance(time.Hour) // 24h30: key 2 signs
	s.maintainKeys(t)
	fresh := s.token(t, "JwtKey0001", "JwtSecret0001")
	if kid, _ := s.verifyJWT(t, fresh); kid != "2" {
		t.Errorf("after rotation kid = %s, want 2", kid)
	}
	if kid, _ := s.verifyJWT(t, old); kid != "1" {
		t.Errorf("old token kid = %s, want 1, still published", kid)
	}
	wantLive(t, s, old, "a token signed by the previous key")
	wantLive(t, s, fresh, "a token signed by the new key")

	// Key 1 stays published until its last possible token (24h after it stopped signing)
	// has expired, then leaves.
	s.Clock.Advance(23*time.Hour + 29*time.Minute) // 47h59
	s.maintainKeys(t)
	if diff := cmp.Diff([]string{"1", "2", "3"}, published()); diff != "" {
		t.Errorf("at 47h59 /id/keys kids (-want +got):\n%s", diff)
	}
	wantDead(t, s, old, "the old token long after its exp")
	s.Clock.Advance(time.Minute) // 48h
	s.maintainKeys(t)
	if diff := cmp.Diff([]string{"2", "3"}, published()); diff != "" {
		t.Errorf("at 48h /id/keys kids (-want +got):\n%s", diff)
	}
}

func sortedStrings(xs []string) []string {
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			if xs[j] < xs[i] {
				xs[i], xs[j] = xs[j], xs[i]
			}
		}
	}
	return xs
}
