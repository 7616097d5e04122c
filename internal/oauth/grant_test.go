package oauth

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// grantOrg exercises every rule of the dispatcher's user policy (grant.go) for each grant:
// who is active, who is pre-authorized, who approved the self-authorized app, and a
// profile whose login IP ranges exclude the test's default address (192.0.2.1).
const grantOrg = `orgs:
  - name: Grants
    profiles:
      - {name: Open, permissions: [ApiEnabled]}
      - {name: Fenced, permissions: [ApiEnabled], loginIpRanges: [{start: 198.51.100.0, end: 198.51.100.255}]}
    users:
      - {username: run@g.example, lastName: Run, email: run@g.example, profile: Open, password: "grant pass 01"}
      - {username: idle@g.example, lastName: Idle, email: idle@g.example, profile: Open, active: false, password: "grant pass 01"}
      - {username: fenced@g.example, lastName: Fenced, email: fenced@g.example, profile: Fenced, password: "grant pass 01"}
      - {username: other@g.example, lastName: Other, email: other@g.example, profile: Open, password: "grant pass 01"}
    connectedApps:
      - {name: CC, scopes: [api], consumerKey: GrantCc01, consumerSecret: GrantSecret01, clientCredentials: {enabled: true, runAs: run@g.example}}
      - {name: CCIdle, scopes: [api], consumerKey: GrantCcIdle, consumerSecret: GrantSecret01, clientCredentials: {enabled: true, runAs: idle@g.example}}
      - {name: CCFenced, scopes: [api], consumerKey: GrantCcFenced, consumerSecret: GrantSecret01, clientCredentials: {enabled: true, runAs: fenced@g.example}}
      - {name: CCOff, scopes: [api], consumerKey: GrantCcOff, consumerSecret: GrantSecret01}
      - {name: CCRefreshOnly, scopes: [refresh_token], consumerKey: GrantCcRefresh, consumerSecret: GrantSecret01, clientCredentials: {enabled: true, runAs: run@g.example}}
      - {name: CCAdmin, scopes: [api], consumerKey: GrantCcAdmin, consumerSecret: GrantSecret01, permittedUsers: AdminApprovedPreAuthorized, profiles: [Fenced], clientCredentials: {enabled: true, runAs: run@g.example}}
      - name: Self
        scopes: [api, refresh_token]
        consumerKey: GrantSelf01
        consumerSecret: GrantSecret01
        certificates: [%q]
        approvedUsers: [run@g.example, idle@g.example, fenced@g.example]
      - name: Admin
        scopes: [api]
        consumerKey: GrantAdmin01
        consumerSecret: GrantSecret01
        certificates: [%q]
        permittedUsers: AdminApprovedPreAuthorized
        profiles: [Open]
`

// TestGrantPolicy is the token endpoint's rules, grant by grant, through the real handler
// and a real SQLite store: the answer on the wire and the LoginHistory row it leaves.
func TestGrantPolicy(t *testing.T) {
	key, certPEM := testCertificate(t)
	to := openTestOrg(t, fmt.Sprintf(grantOrg, certPEM, certPEM), session.Options{})
	db, log := to.db, to.log
	sessions := to.sessions
	dirc := directory.New(db)
	mux := http.NewServeMux()
	NewServer(Config{Directory: dirc, Sessions: sessions, BaseURL: "https://ff.test", Logger: log, Lockouts: db}).Register(mux)

	cc := func(id string, extra ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {"GrantSecret01"}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	pw := func(app, user, pass string) url.Values {
		return url.Values{"grant_type": {"password"}, "client_id": {app}, "client_secret": {"GrantSecret01"},
			"username": {user}, "password": {pass}}
	}
	jwt := func(app, user string) url.Values {
		claims := fmt.Sprintf(`{"iss":%q,"sub":%q,"aud":"https://login.salesforce.com","exp":%d}`, app, user, time.Now().Add(3*time.Minute).Unix())
		return url.Values{"grant_type": {grantJWTBearer}, "assertion": {signJWT(t, key, claims)}}
	}

	type want struct {
		Status int
		Error  string // "code: description", "" for a success
		Keys   string // the success body's keys, in order
		Login  string // LoginHistory: status / subtype / username ("" for none)
	}
	const (
		ccKeys  = "access_token signature scope instance_url id token_type issued_at"
		jwtKeys = "access_token scope instance_url id token_type"
	)
	for _, tc := range []struct {
		name string
		form url.Values
		ip   string
		want want
	}{
		// client_credentials: the Run-As user; no IP ranges (grant.go says why).
		{"cc ok", cc("GrantCc01"), "", want{200, "", ccKeys, "Success/OauthClientCredentials/run@g.example"}},
		{"cc scope parameter", cc("GrantCc01", "scope", "api"), "", want{400, "invalid_request: scope parameter not supported", "", "Failed: Unexpected parameter/OauthClientCredentials/"}},
		{"cc wrong secret names the run-as user", cc("GrantCc01", "client_secret", "nope"), "", want{400, "invalid_client: invalid client credentials", "", "Invalid client credentials/OauthClientCredentials/run@g.example"}},
		{"cc unknown key", cc("NoSuchKey"), "", want{400, "invalid_client_id: client identifier invalid", "", "Invalid client id/OauthClientCredentials/"}},
		{"cc flow off", cc("GrantCcOff"), "", want{400, "invalid_grant: no client credentials user enabled", "", "No client credentials user enabled/OauthClientCredentials/"}},
		{"cc inactive run-as", cc("GrantCcIdle"), "", want{400, "invalid_grant: inactive user", "", "User is Inactive/OauthClientCredentials/idle@g.example"}},
		{"cc run-as outside its profile's IP ranges", cc("GrantCcFenced"), "", want{200, "", ccKeys, "Success/OauthClientCredentials/fenced@g.example"}},
		{"cc run-as not pre-authorized", cc("GrantCcAdmin"), "", want{400, "invalid_app_access: user is not admin approved to access this app", "", "User not admin approved to access this app/OauthClientCredentials/run@g.example"}},
		{"cc no scope to issue", cc("GrantCcRefresh"), "", want{400, "invalid_grant: no valid scopes defined", "", "No valid scopes defined/OauthClientCredentials/run@g.example"}},

		// password: IP ranges apply; admin approval only.
		{"password ok", pw("GrantSelf01", "run@g.example", "grant pass 01"), "", want{200, "", ccKeys, "Success/OauthUsernamePassword/run@g.example"}},
		{"password wrong", pw("GrantSelf01", "other@g.example", "grant pass 02"), "", want{400, "invalid_grant: authentication failure", "", "Invalid Password/OauthUsernamePassword/other@g.example"}},
		{"password missing", pw("GrantSelf01", "", ""), "", want{400, "invalid_request: username and password are required", "", "Invalid request/OauthUsernamePassword/"}},
		{"password outside IP ranges", pw("GrantSelf01", "fenced@g.example", "grant pass 01"), "", want{400, "invalid_grant: IP restricted or invalid login hours", "", "Restricted IP/OauthUsernamePassword/fenced@g.example"}},
		{"password inside IP ranges", pw("GrantSelf01", "fenced@g.example", "grant pass 01"), "198.51.100.7", want{200, "", ccKeys, "Success/OauthUsernamePassword/fenced@g.example"}},
		{"password inactive", pw("GrantSelf01", "idle@g.example", "grant pass 01"), "", want{400, "invalid_grant: inactive user", "", "User is Inactive/OauthUsernamePassword/idle@g.example"}},
		{"password self-authorized app needs no approval", pw("GrantSelf01", "other@g.example", "grant pass 01"), "", want{200, "", ccKeys, "Success/OauthUsernamePassword/other@g.example"}},
		{"password not pre-authorized", pw("GrantAdmin01", "fenced@g.example", "grant pass 01"), "198.51.100.7", want{400, "invalid_app_access: user is not admin approved to access this app", "", "User not admin approved to access this app/OauthUsernamePassword/fenced@g.example"}},
		{"password bad client secret", url.Values{"grant_type": {"password"}, "client_id": {"GrantSelf01"}, "client_secret": {"x"}, "username": {"run@g.example"}, "password": {"grant pass 01"}}, "", want{400, "invalid_client: invalid client credentials", "", "Invalid client credentials/OauthUsernamePassword/"}},

		// JWT bearer: IP ranges apply; admin approval, else the user's own.
		{"jwt ok", jwt("GrantSelf01", "run@g.example"), "", want{200, "", jwtKeys, "Success/OauthJwtBearer/run@g.example"}},
		{"jwt not approved", jwt("GrantSelf01", "other@g.example"), "", want{400, "invalid_grant: user hasn't approved this consumer", "", "Failed: User hasn't approved this consumer/OauthJwtBearer/other@g.example"}},
		{"jwt outside IP ranges", jwt("GrantSelf01", "fenced@g.example"), "", want{400, "invalid_grant: IP restricted or invalid login hours", "", "Restricted IP/OauthJwtBearer/fenced@g.example"}},
		{"jwt inactive", jwt("GrantSelf01", "idle@g.example"), "", want{400, "invalid_grant: inactive user", "", "User is Inactive/OauthJwtBearer/idle@g.example"}},
		{"jwt pre-authorized needs no approval", jwt("GrantAdmin01", "other@g.example"), "", want{200, "", jwtKeys, "Success/OauthJwtBearer/other@g.example"}},
		{"jwt not pre-authorized", jwt("GrantAdmin01", "fenced@g.example"), "198.51.100.7", want{400, "invalid_app_access: user is not admin approved to access this app", "", "User not admin approved to access this app/OauthJwtBearer/fenced@g.example"}},
		{"jwt unknown app", jwt("NoSuchKey", "run@g.example"), "", want{400, "invalid_client_id: client identifier invalid", "", "Invalid client id/OauthJwtBearer/"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ip := tc.ip
			if ip == "" {
				ip = "192.0.2.1"
			}
			before := time.Now()
			req := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.RemoteAddr = ip + ":40000"
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, req)
			got := want{Status: w.Code}
			var body map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", w.Body, err)
			}
			if w.Code == 200 {
				got.Keys = strings.Join(jsonKeys(t, w.Body.Bytes()), " ")
			} else {
				got.Error = fmt.Sprint(body["error"], ": ", body["error_description"])
			}
			got.Login = lastLogin(t, db, dirc, before)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// lastLogin renders the newest LoginHistory row written since before.
func lastLogin(t *testing.T, db *sqlite.DB, dirc *directory.Directory, before time.Time) string {
	t.Helper()
	rows, err := db.LoginHistory(context.Background(), store.LoginFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || rows[0].Time.Before(before.Add(-time.Millisecond)) {
		return ""
	}
	ev := rows[0]
	user := ""
	if !ev.UserID.IsZero() {
		p, err := dirc.Principal(context.Background(), ev.UserID)
		if err != nil {
			t.Fatal(err)
		}
		user = p.User.Username
	}
	return ev.Status + "/" + ev.LoginSubType + "/" + user
}

// jsonKeys returns the top-level keys of a JSON object in order.
func jsonKeys(t testing.TB, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// testCertificate makes an RSA key and a self-signed certificate for it (PEM).
func testCertificate(t *testing.T) (*rsa.PrivateKey, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "grant-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return key, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// signJWT signs claims with key as an RS256 JWT bearer assertion.
func signJWT(t *testing.T, key *rsa.PrivateKey, claims string) string {
	t.Helper()
	in := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." + base64.RawURLEncoding.EncodeToString([]byte(claims))
	sum := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}
