package sfauth_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/sfauth"
)

// The JWT bearer and username-password grants, checked on the wire against a handler
// that decodes what the package sends: form fields, the RS256 signature verified with the
// public key, and the claims (RFC 7523 §3; the reference §1.4, §1.5).

// tokenEndpoint serves a token for every request and hands each one to check.
func tokenEndpoint(t *testing.T, check func(r *http.Request, form url.Values)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/services/oauth2/token" || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("request %s %s (%s), want a form POST to /services/oauth2/token", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil {
			t.Errorf("body %q: %v", body, err)
		}
		check(r, form)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"00D000000000001!AQ","instance_url":"`+"http://"+r.Host+`","id":"http://`+r.Host+`/id/00D000000000001AAA/005000000000001AAA","token_type":"Bearer","scope":"api"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newKey(t *testing.T) (*rsa.PrivateKey, []byte) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
}

// verifyJWT checks an RS256 compact JWS (RFC 7515 §5.2) and returns its header and claims.
func verifyJWT(t *testing.T, jwt string, pub *rsa.PublicKey) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("assertion %q is not a compact JWS", jwt)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatalf("signature: %v", err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("RS256 signature does not verify: %v", err)
	}
	for i, out := range []*map[string]any{&header, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
	}
	return header, claims
}

func TestJWTBearerWire(t *testing.T) {
	key, pemBytes := newKey(t)
	parsed, err := sfauth.ParsePrivateKey(pemBytes)
	if err != nil || !parsed.Equal(key) {
		t.Fatalf("ParsePrivateKey(PKCS #1): %v", err)
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	if k, err := sfauth.ParsePrivateKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})); err != nil || !k.Equal(key) {
		t.Errorf("ParsePrivateKey(PKCS #8): %v", err)
	}
	if _, err := sfauth.ParsePrivateKey([]byte("not PEM")); err == nil {
		t.Error("ParsePrivateKey accepted a non-PEM input")
	}
	now := time.Unix(1_795_341_600, 0)
	var header, claims map[string]any
	srv := tokenEndpoint(t, func(r *http.Request, form url.Values) {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("JWT bearer sent an Authorization header")
		}
		if got := sortedKeys(form); !cmp.Equal(got, []string{"assertion", "grant_type"}) {
			t.Errorf("form fields %v, want only grant_type and assertion", got)
		}
		if g := form.Get("grant_type"); g != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
			t.Errorf("grant_type %q", g)
		}
		header, claims = verifyJWT(t, form.Get("assertion"), &key.PublicKey)
	})
	cfg := &sfauth.Config{URL: srv.URL, ClientID: "3MVGkey", PrivateKey: parsed, Username: "integration@acme.example",
		ClientSecret: "not sent", Now: func() time.Time { return now }}
	if _, err := cfg.Token(context.Background()); err != nil {
		t.Fatalf("Token: %v", err)
	}
	if diff := cmp.Diff(map[string]any{"alg": "RS256"}, header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	want := map[string]any{"iss": "3MVGkey", "sub": "integration@acme.example", "aud": srv.URL, "exp": float64(now.Unix() + 180)}
	if diff := cmp.Diff(want, claims); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
}

func TestJWTAudienceDefault(t *testing.T) {
	for _, tc := range []struct{ url, audience, want string }{
		{"https://login.salesforce.com", "", "https://login.salesforce.com"},
		{"https://acme.my.salesforce.com/", "", "https://login.salesforce.com"},
		{"https://test.salesforce.com", "", "https://test.salesforce.com"},
		{"https://acme--dev.sandbox.my.salesforce.com", "", "https://test.salesforce.com"},
		{"https://acme.my.site.com", "https://acme.my.site.com/customers", "https://acme.my.site.com/customers"},
		{"http://127.0.0.1:8080/", "", "http://127.0.0.1:8080"},
	} {
		key, _ := newKey(t)
		var aud any
		cfg := &sfauth.Config{URL: tc.url, Audience: tc.audience, ClientID: "k", PrivateKey: key, Username: "u",
			HTTPClient: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				body, _ := io.ReadAll(r.Body)
				form, _ := url.ParseQuery(string(body))
				_, claims := verifyJWT(t, form.Get("assertion"), &key.PublicKey)
				aud = claims["aud"]
				return nil, errors.New("stop")
			})}}
		cfg.Token(context.Background())
		if aud != tc.want {
			t.Errorf("URL %s, Audience %q: aud %v, want %s", tc.url, tc.audience, aud, tc.want)
		}
	}
}

func TestPasswordWire(t *testing.T) {
	for _, style := range []sfauth.AuthStyle{sfauth.AuthStyleInParams, sfauth.AuthStyleInHeader} {
		var got url.Values
		srv := tokenEndpoint(t, func(r *http.Request, form url.Values) {
			got = form
			if id, secret, ok := r.BasicAuth(); ok {
				got.Set("basic", id+":"+secret)
			}
		})
		cfg := &sfauth.Config{URL: srv.URL, ClientID: "key", ClientSecret: "secret", AuthStyle: style,
			Username: "integration@acme.example", Password: "pa&ss", SecurityToken: "TOKEN"}
		if _, err := cfg.Token(context.Background()); err != nil {
			t.Fatalf("Token: %v", err)
		}
		want := url.Values{"grant_type": {"password"}, "username": {"integration@acme.example"}, "password": {"pa&ssTOKEN"}}
		if style == sfauth.AuthStyleInHeader {
			want.Set("basic", "key:secret")
		} else {
			want.Set("client_id", "key")
			want.Set("client_secret", "secret")
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("style %d: form (-want +got):\n%s", style, diff)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	key, _ := newKey(t)
	for _, cfg := range []sfauth.Config{
		{URL: "https://x"},
		{URL: "https://x", ClientID: "k"},
		{URL: "https://x", ClientID: "k", PrivateKey: key},
		{URL: "https://x", ClientID: "k", Password: "p"},
		{URL: "https://x", ClientID: "k", PrivateKey: key, Password: "p", Username: "u"},
		{ClientID: "k", ClientSecret: "s"},
	} {
		if _, err := cfg.Token(context.Background()); err == nil {
			t.Errorf("Token(%+v) succeeded", cfg)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestTokenURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://acme.my.salesforce.com":      "https://acme.my.salesforce.com/services/oauth2/token",
		"https://login.salesforce.com/":       "https://login.salesforce.com/services/oauth2/token",
		"acme--dev.sandbox.my.salesforce.com": "https://acme--dev.sandbox.my.salesforce.com/services/oauth2/token",
		"http://127.0.0.1:8080":               "http://127.0.0.1:8080/services/oauth2/token",
	} {
		if got := (&sfauth.Config{URL: in}).TokenURL(); got != want {
			t.Errorf("URL %q: TokenURL %q, want %q", in, got, want)
		}
	}
}
