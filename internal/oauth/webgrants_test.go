package oauth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/secret"
	"github.com/google/go-cmp/cmp"
)

// TestCodeGrant is grant_type=authorization_code, rule by rule (the webflow reference
// §3): the answer on the wire and the LoginHistory row, through the real handler.
func TestCodeGrant(t *testing.T) {
	e := newWebEnv(t)
	v43 := strings.Repeat("a", 43)
	for _, tc := range []struct {
		name  string
		code  codeSpec
		form  func(code string) url.Values
		basic string
		ip    string
		want  result
	}{
		{"ok, secret in the body", codeSpec{}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"ok, Basic", codeSpec{}, func(c string) url.Values { return codeForm("", "", c) }, "WebKey0001:WebSecret01", "",
			result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"secret required", codeSpec{}, func(c string) url.Values { return codeForm("WebKey0001", "", c) }, "", "",
			result{400, "invalid_client: invalid client credentials", "", "Invalid client credentials/OauthWebServer/"}},
		{"wrong secret", codeSpec{}, func(c string) url.Values { return codeForm("WebKey0001", "nope", c) }, "", "",
			result{400, "invalid_client: invalid client credentials", "", "Invalid client credentials/OauthWebServer/"}},
		{"unknown client", codeSpec{}, func(c string) url.Values { return codeForm("NoSuchKey1", "", c) }, "", "",
			result{400, "invalid_client_id: client identifier invalid", "", "Invalid client id/OauthWebServer/"}},
		{"public client, no secret: no signature", codeSpec{app: "Public", redirect: "http://localhost:1717/OauthRedirect"},
			func(c string) url.Values {
				return codeForm("PublicKey01", "", c, "redirect_uri", "http://localhost:1717/OauthRedirect")
			}, "", "",
			result{200, "", "access_token refresh_token scope instance_url id token_type issued_at", "Success/OauthWebServer/run@w.example"}},
		{"public client, a sent secret is checked", codeSpec{app: "Public", redirect: "http://localhost:1717/OauthRedirect"},
			func(c string) url.Values {
				return codeForm("PublicKey01", "wrong", c, "redirect_uri", "http://localhost:1717/OauthRedirect")
			}, "", "",
			result{400, "invalid_client: invalid client credentials", "", "Invalid client credentials/OauthWebServer/"}},
		{"code missing", codeSpec{}, func(string) url.Values { return codeForm("WebKey0001", "WebSecret01", "") }, "", "",
			result{400, "invalid_request: code parameter is required", "", "Invalid request/OauthWebServer/"}},
		{"code malformed", codeSpec{}, func(string) url.Values { return codeForm("WebKey0001", "WebSecret01", "aPrx!!") }, "", "",
			result{400, "invalid_grant: invalid authorization code", "", "Failed: Invalid authorization code/OauthWebServer/"}},
		{"code unknown", codeSpec{}, func(string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", newOpaque(codePrefix))
		}, "", "", result{400, "invalid_grant: expired authorization code", "", "Failed: Expired authorization code/OauthWebServer/"}},
		{"code of another app", codeSpec{app: "Public"}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{400, "invalid_grant: invalid authorization code", "", "Failed: Invalid authorization code/OauthWebServer/"}},
		{"code 15 minutes old", codeSpec{age: 15 * time.Minute}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{400, "invalid_grant: expired authorization code", "", "Failed: Expired authorization code/OauthWebServer/run@w.example"}},
		{"code 14 minutes old", codeSpec{age: 14 * time.Minute}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"redirect_uri differs", codeSpec{}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "redirect_uri", webCB+"/")
		}, "", "", result{400, "redirect_uri_mismatch: redirect_uri must match configuration", "", "Failed: Redirect URI mismatch/OauthWebServer/run@w.example"}},
		{"redirect_uri missing", codeSpec{}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "redirect_uri", "")
		}, "", "", result{400, "redirect_uri_mismatch: redirect_uri must match configuration", "", "Failed: Redirect URI mismatch/OauthWebServer/run@w.example"}},
		{"S256 without a method, 171-character verifier", codeSpec{challenge: s256(verifier171)}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", verifier171)
		}, "", "", result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"S256, wrong verifier", codeSpec{challenge: s256(verifier171), method: "S256"}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", verifier171[1:])
		}, "", "", result{400, "invalid_grant: invalid code verifier", "", "Failed: Invalid Code Verifier/OauthWebServer/run@w.example"}},
		{"S256, verifier missing", codeSpec{challenge: s256(verifier171)}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c)
		}, "", "", result{400, "invalid_grant: invalid code verifier", "", "Failed: Invalid Code Verifier/OauthWebServer/run@w.example"}},
		{"plain", codeSpec{challenge: v43, method: "plain"}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", v43)
		}, "", "", result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"plain, wrong verifier", codeSpec{challenge: v43, method: "plain"}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", strings.Repeat("b", 43))
		}, "", "", result{400, "invalid_grant: invalid code verifier", "", "Failed: Invalid Code Verifier/OauthWebServer/run@w.example"}},
		{"verifier shorter than 43", codeSpec{challenge: v43[:42], method: "plain"}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", v43[:42])
		}, "", "", result{400, "invalid_grant: invalid code verifier", "", "Failed: Invalid Code Verifier/OauthWebServer/run@w.example"}},
		{"verifier without a challenge is ignored", codeSpec{}, func(c string) url.Values {
			return codeForm("WebKey0001", "WebSecret01", c, "code_verifier", verifier171)
		}, "", "", result{200, "", webKeys, "Success/OauthWebServer/run@w.example"}},
		{"PKCE required, code without challenge", codeSpec{app: "Pkce"}, func(c string) url.Values {
			return codeForm("PkceKey001", "WebSecret01", c, "code_verifier", verifier171)
		}, "", "", result{400, "invalid_grant: invalid code verifier", "", "Failed: Invalid Code Verifier/OauthWebServer/run@w.example"}},
		{"PKCE required, challenge met", codeSpec{app: "Pkce", challenge: s256(verifier171)}, func(c string) url.Values {
			return codeForm("PkceKey001", "WebSecret01", c, "code_verifier", verifier171)
		}, "", "", result{200, "", "access_token signature scope instance_url id token_type issued_at", "Success/OauthWebServer/run@w.example"}},
		{"inactive user", codeSpec{user: "idle"}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{400, "invalid_grant: inactive user", "", "User is Inactive/OauthWebServer/idle@w.example"}},
		{"approval removed since authorize", codeSpec{user: "other"}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{400, "invalid_grant: user hasn't approved this consumer", "", "Failed: User hasn't approved this consumer/OauthWebServer/other@w.example"}},
		{"admin-approved app, user not pre-authorized", codeSpec{app: "Admin"}, func(c string) url.Values { return codeForm("AdminKey01", "WebSecret01", c) }, "", "",
			result{400, "invalid_app_access: user is not admin approved to access this app", "", "User not admin approved to access this app/OauthWebServer/run@w.example"}},
		{"login IP ranges are not applied to the exchange", codeSpec{user: "fenced"}, func(c string) url.Values { return codeForm("WebKey0001", "WebSecret01", c) }, "", "",
			result{200, "", webKeys, "Success/OauthWebServer/fenced@w.example"}},
		{"no refresh_token scope: no refresh token", codeSpec{app: "NoRefresh"}, func(c string) url.Values { return codeForm("NoRefKey01", "WebSecret01", c) }, "", "",
			result{200, "", "access_token signature scope instance_url id token_type issued_at", "Success/OauthWebServer/run@w.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := e.putCode(tc.code)
			got, _ := e.post(tc.form(code), tc.basic, tc.ip)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}

	t.Run("a failed client authentication leaves the code usable; a used code is gone", func(t *testing.T) {
		code := e.putCode(codeSpec{})
		// golang.org/x/oauth2 tries Basic first and, on any error, the body.
		if got, _ := e.post(codeForm("", "", code), "WebKey0001:wrong", ""); got.Error != "invalid_client: invalid client credentials" {
			t.Fatalf("wrong Basic secret: %+v", got)
		}
		if got, _ := e.post(codeForm("WebKey0001", "WebSecret01", code), "", ""); got.Status != 200 {
			t.Fatalf("retry with the body: %+v", got)
		}
		want := result{400, "invalid_grant: expired authorization code", "", "Failed: Expired authorization code/OauthWebServer/"}
		if got, _ := e.post(codeForm("WebKey0001", "WebSecret01", code), "", ""); !cmp.Equal(want, got) {
			t.Errorf("reuse: %+v, want %+v", got, want)
		}
	})

	t.Run("a refused code is spent", func(t *testing.T) {
		code := e.putCode(codeSpec{challenge: s256(verifier171)})
		if got, _ := e.post(codeForm("WebKey0001", "WebSecret01", code, "code_verifier", v43), "", ""); got.Status != 400 {
			t.Fatalf("wrong verifier: %+v", got)
		}
		if got, _ := e.post(codeForm("WebKey0001", "WebSecret01", code, "code_verifier", verifier171), "", ""); got.Error != "invalid_grant: expired authorization code" {
			t.Errorf("right verifier after a refusal: %+v", got)
		}
	})

	t.Run("id_token", func(t *testing.T) {
		code := e.putCode(codeSpec{nonce: "n-0S6_WzA2Mj"})
		got, body := e.post(codeForm("WebKey0001", "WebSecret01", code), "", "")
		if got.Status != 200 {
			t.Fatalf("%+v", got)
		}
		var claims map[string]any
		if err := e.keys.VerifyJWT(body["id_token"].(string), &claims); err != nil {
			t.Fatalf("id_token does not verify against /id/keys: %v", err)
		}
		sum := sha256.Sum256([]byte(body["access_token"].(string)))
		now := e.clock().Unix()
		want := map[string]any{
			"at_hash": base64.RawURLEncoding.EncodeToString(sum[:16]), "sub": body["id"], "aud": "WebKey0001",
			"iss": "https://ff.test", "iat": float64(now), "exp": float64(now + 600), "nonce": "n-0S6_WzA2Mj",
			"auth_time": float64(e.clock().Add(-time.Minute).Unix()),
		}
		if diff := cmp.Diff(want, claims); diff != "" {
			t.Errorf("claims (-want +got)\n%s", diff)
		}
		payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(body["id_token"].(string), ".")[1])
		if !strings.HasPrefix(string(payload), `{"at_hash":`) {
			t.Errorf("payload %s: Salesforce's starts with at_hash", payload)
		}
		if body["scope"] != "api refresh_token openid" || !strings.HasPrefix(body["refresh_token"].(string), secret.RefreshTokenPrefix) {
			t.Errorf("scope %v refresh_token %v", body["scope"], body["refresh_token"])
		}
	})

	t.Run("64 racing exchanges of one code: exactly one wins", func(t *testing.T) {
		code := e.putCode(codeSpec{})
		var ok, expired atomic.Int32
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := e.raw(codeForm("WebKey0001", "WebSecret01", code))
				switch {
				case w.Code == 200:
					ok.Add(1)
				case strings.Contains(w.Body.String(), "expired authorization code"),
					// The client-authentication throttle reserves an attempt per
					// request before the secret is checked (package throttle): past its
					// burst, concurrent requests of one key are refused first.
					strings.Contains(w.Body.String(), "rate_limit_exceeded"):
					expired.Add(1)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 || expired.Load() != 63 {
			t.Errorf("%d successes, %d refused; want 1 and 63", ok.Load(), expired.Load())
		}
	})
}

// raw sends a token request and returns the recorder (safe from many goroutines).
func (e *webEnv) raw(form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/services/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "192.0.2.1:40000"
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, req)
	return w
}

// FuzzWebGrantParams sends arbitrary code, code_verifier, redirect_uri and refresh_token
// values to both grants of a public client; "{code}" and "{rt}" stand for a fresh valid
// code (with an S256 challenge of verifier171) and a live refresh token. Whatever comes
// in, the answer is a 200 token or a Salesforce-shaped 4xx JSON error, never a 5xx.
func FuzzWebGrantParams(f *testing.F) {
	e := newWebEnv(f)
	const cb = "http://localhost:1717/OauthRedirect"
	f.Add("authorization_code", "{code}", verifier171, cb, "")
	f.Add("authorization_code", "{code}", "", cb, "")
	f.Add("authorization_code", "aPrx", strings.Repeat("~", 200), "", "")
	f.Add("authorization_code", "aPrx"+strings.Repeat("A", 43), "x", cb+"?a=b", "")
	f.Add("refresh_token", "", "", "", "{rt}")
	f.Add("refresh_token", "", verifier171, cb, "5Aep861")
	f.Add("refresh_token", "", "", "", "5Aep861\x00%zz")
	f.Fuzz(func(t *testing.T, grant, code, verifier, redirect, rt string) {
		e.t = t // the helpers report to the running input
		if strings.Contains(code, "{code}") {
			code = strings.ReplaceAll(code, "{code}", e.putCode(codeSpec{app: "Public", redirect: cb, challenge: s256(verifier171)}))
		}
		if strings.Contains(rt, "{rt}") {
			v, _ := e.putRefresh("Public", "run", 0, 0)
			rt = strings.ReplaceAll(rt, "{rt}", v)
		}
		form := url.Values{"grant_type": {grant}, "client_id": {"PublicKey01"}, "code": {code}, "code_verifier": {verifier},
			"redirect_uri": {redirect}, "refresh_token": {rt}}
		w := e.raw(form)
		if w.Code >= 500 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		var body map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("not JSON: %q", w.Body)
		}
		if w.Code != 200 {
			if _, ok := body["error"].(string); !ok || w.Code != 400 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if _, ok := body["error_description"].(string); !ok {
				t.Fatalf("no description: %s", w.Body)
			}
		}
	})
}
