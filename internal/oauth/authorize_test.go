package oauth

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
)

// The authorize endpoint's validation (the webflow reference §1.2–§1.4), without a server.

var authzApp = org.ConnectedApp{ID: "0H4000000000001AAA", OrgID: "00D000000000001AAA", Name: "App",
	CallbackURLs: []string{"http://localhost:1717/OauthRedirect", "https://app.example/cb?t=1"},
	Scopes:       []string{"api", "refresh_token", "openid"}}

const rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" // RFC 7636 appendix B

func TestAuthorizeRules(t *testing.T) {
	pkce := authzApp
	pkce.PKCERequired = true
	base := "client_id=k&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&state=s"
	for _, tc := range []struct {
		name  string
		app   org.ConnectedApp
		query string
		want  *authzError
		check func(t *testing.T, r org.AuthRequest)
	}{
		{"no redirect_uri", authzApp, "response_type=code&client_id=k", errAuthzNoRedirect, nil},
		{"redirect mismatch before response_type", authzApp, "response_type=x&client_id=k&redirect_uri=https%3A%2F%2Fapp.example%2Fcb", errAuthzRedirect, nil},
		{"registered query must match exactly", authzApp, "response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Ft%3D2", errAuthzRedirect, nil},
		{"case matters", authzApp, "response_type=code&redirect_uri=HTTP%3A%2F%2Flocalhost%3A1717%2FOauthRedirect", errAuthzRedirect, nil},
		{"unsupported response_type", authzApp, base + "&response_type=code+token", errAuthzResponseType, nil},
		{"hybrid is out of scope", authzApp, base + "&response_type=hybrid_auth_code", errAuthzResponseType, nil},
		{"PKCE required, none", pkce, base + "&response_type=code", errAuthzPKCERequired, nil},
		{"PKCE required: the token flow has no PKCE", pkce, base + "&response_type=token", nil, nil},
		{"scope before nothing else: PKCE first", pkce, base + "&response_type=code&scope=full", errAuthzPKCERequired, nil},
		{"scope not allowed", authzApp, base + "&response_type=code&scope=api+web", errAuthzScope, nil},
		{"challenge too short", authzApp, base + "&response_type=code&code_challenge=abc", errAuthzChallenge, nil},
		{"S256 challenge must be 43 characters", authzApp, base + "&response_type=code&code_challenge=" + strings.Repeat("a", 44), errAuthzChallenge, nil},
		{"challenge with a bad character", authzApp, base + "&response_type=code&code_challenge=" + strings.Repeat("a", 42) + "+", errAuthzChallenge, nil},
		{"unknown method", authzApp, base + "&response_type=code&code_challenge=" + rfcChallenge + "&code_challenge_method=rfcChallenge", errAuthzChallengeMethod, nil},
		{"token id_token needs openid", authzApp, base + "&response_type=token+id_token&scope=api", errAuthzNoOpenID, nil},
		{"no method means S256", authzApp, base + "&response_type=code&code_challenge=" + rfcChallenge, nil, func(t *testing.T, r org.AuthRequest) {
			if r.Challenge != rfcChallenge || r.ChallengeMethod != "S256" {
				t.Errorf("challenge %q method %q", r.Challenge, r.ChallengeMethod)
			}
		}},
		{"plain accepted, 43 to 128 characters", authzApp, base + "&response_type=code&code_challenge_method=plain&code_challenge=" + strings.Repeat("~", 128), nil, nil},
		{"a method without a challenge is dropped", authzApp, base + "&response_type=code&code_challenge_method=S256", nil, func(t *testing.T, r org.AuthRequest) {
			if r.ChallengeMethod != "" {
				t.Errorf("method %q kept without a challenge", r.ChallengeMethod)
			}
		}},
		{"everything", authzApp, base + "&response_type=id_token+token&scope=openid+offline_access+openid&prompt=login+consent&login_hint=&nonce=n&display=touch&device_id=d&sso_provider=x", nil,
			func(t *testing.T, r org.AuthRequest) {
				want := org.AuthRequest{OrgID: authzApp.OrgID, AppID: authzApp.ID, ClientID: "k", ResponseType: "token id_token",
					RedirectURI: "http://localhost:1717/OauthRedirect", State: "s", Scopes: []string{"openid", "offline_access"},
					Prompt: []string{"login", "consent"}, Nonce: "n"}
				if d := cmp.Diff(want, r); d != "" {
					t.Errorf("request (-want +got):\n%s", d)
				}
			}},
		{"scope omitted: all the app's", authzApp, base + "&response_type=code", nil, func(t *testing.T, r org.AuthRequest) {
			if !slices.Equal(r.Scopes, authzApp.Scopes) {
				t.Errorf("scopes %v", r.Scopes)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			r, e := checkAuthorize(tc.app, params(q))
			if e != tc.want {
				t.Fatalf("error %+v, want %+v", e, tc.want)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestCallbackURL(t *testing.T) {
	for _, tc := range []struct{ redirect, rt, enc, want string }{
		{"https://a.example/cb", "code", "code=x&state=y", "https://a.example/cb?code=x&state=y"},
		{"https://a.example/cb?t=1", "code", "code=x", "https://a.example/cb?t=1&code=x"},
		{"https://a.example/cb?", "code", "code=x", "https://a.example/cb?code=x"},
		{"https://a.example/cb", "token", "access_token=x", "https://a.example/cb#access_token=x"},
		{"myapp://cb?t=1", "token id_token", "error=e", "myapp://cb?t=1#error=e"},
	} {
		if got := callbackURL(org.AuthRequest{RedirectURI: tc.redirect, ResponseType: tc.rt}, tc.enc); got != tc.want {
			t.Errorf("callbackURL(%q, %s) = %q, want %q", tc.redirect, tc.rt, got, tc.want)
		}
	}
	if got := encodePairs(url.Values{"state": {"a b&c"}, "error": {"access_denied"}, "error_description": {"end-user denied authorization"}},
		"error", "error_description", "state"); got != "error=access_denied&error_description=end-user+denied+authorization&state=a+b%26c" {
		t.Errorf("encodePairs = %q", got)
	}
}

func TestDescribeScopes(t *testing.T) {
	got := describeScopes([]string{"api", "refresh_token", "offline_access", "id", "profile", "cdp_query_api"})
	want := []string{"Access and manage your data (api)", "Perform requests on your behalf at any time (refresh_token, offline_access)",
		"Access your basic information (id, profile, email, address, phone)", "Access cdp_query_api (cdp_query_api)"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("describeScopes (-want +got):\n%s", d)
	}
}

// FuzzAuthorizeParams: any query is either refused with one of the table's errors or
// becomes a request whose redirect URI is registered and whose scopes are the app's.
func FuzzAuthorizeParams(f *testing.F) {
	for _, s := range []string{
		"response_type=code&client_id=k&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect",
		"response_type=token+id_token&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Ft%3D1&scope=openid&nonce=n",
		"response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&code_challenge=" + rfcChallenge + "&scope=api%20refresh_token",
		"redirect_uri=%zz", "scope=%20%20&prompt=login%20consent",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return // parseParams answers a malformed query before the rules run
		}
		r, e := checkAuthorize(authzApp, params(q))
		if e != nil {
			if e.code == "" || e.desc == "" || (e.how == bare) != (e.bareEncoded != "") {
				t.Fatalf("malformed error %+v", e)
			}
			return
		}
		if !slices.Contains(authzApp.CallbackURLs, r.RedirectURI) {
			t.Fatalf("accepted redirect URI %q", r.RedirectURI)
		}
		if responseType(r.ResponseType) != r.ResponseType {
			t.Fatalf("response type %q", r.ResponseType)
		}
		for _, sc := range r.Scopes {
			if !slices.Contains(authzApp.Scopes, sc) && sc != "offline_access" {
				t.Fatalf("scope %q granted beyond the app's", sc)
			}
		}
		if r.Challenge != "" && !challengeRE.MatchString(r.Challenge) {
			t.Fatalf("challenge %q", r.Challenge)
		}
		// The callback stays the registered URL: the answer only appends to it.
		if cb := callbackURL(r, "code=x"); !strings.HasPrefix(cb, strings.SplitN(r.RedirectURI, "#", 2)[0]) {
			t.Fatalf("callback %q leaves %q", cb, r.RedirectURI)
		}
	})
}
