package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Introspection (RFC 7662) and revocation: salesforce-oauth.md §4.3, §4.4, §0 item 9.

const introspectPath = "/services/oauth2/introspect"

// TestIntrospectRevoke shares one server between the introspection and revocation tests.
func TestIntrospectRevoke(t *testing.T) {
	s := start(t)
	t.Run("introspect", func(t *testing.T) { testIntrospect(t, s) })
	t.Run("revoke", func(t *testing.T) { testRevoke(t, s) })
}

func testIntrospect(t *testing.T, s *testServer) {
	acmeTok := s.token(t, "AcmeKey0001", "AcmeSecret0001")
	sub := s.identityURL(t, "integration@acme.example")
	const issuedAt = 1795341600 // the test clock, in epoch seconds

	active := map[string]any{
		"active": true, "scope": "api id", "client_id": "AcmeKey0001", "username": "integration@acme.example",
		"sub": sub, "token_type": "access_token",
		// exp/iat/nbf are epoch seconds; a fresh session expires after the org's 120 minutes.
		"exp": float64(issuedAt + 7200), "iat": float64(issuedAt), "nbf": float64(issuedAt),
	}
	inactive := map[string]any{"active": false}

	for _, tc := range []struct {
		name   string
		client [2]string
		basic  bool
		token  string
		want   map[string]any
	}{
		{"own token, credentials in the body", [2]string{"AcmeKey0001", "AcmeSecret0001"}, false, acmeTok, active},
		{"own token, HTTP Basic", [2]string{"AcmeKey0001", "AcmeSecret0001"}, true, acmeTok, active},
		{"another app's token", [2]string{"OtherKey0002", "OtherSecret0002"}, true, acmeTok, inactive},
		{"another app's token, introspectAllTokens", [2]string{"IntroKey0003", "IntroSecret0003"}, false, acmeTok, active},
		{"unknown token", [2]string{"AcmeKey0001", "AcmeSecret0001"}, false, "00D000000000000!AQunknown", inactive},
		{"unknown token, introspectAllTokens", [2]string{"IntroKey0003", "IntroSecret0003"}, true, "garbage", inactive},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"token": {tc.token}, "token_type_hint": {"access_token"}}
			var r response
			if tc.basic {
				r = s.postFormBasic(t, introspectPath, form, tc.client[0], tc.client[1])
			} else {
				form.Set("client_id", tc.client[0])
				form.Set("client_secret", tc.client[1])
				r = s.postForm(t, introspectPath, form)
			}
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != restContentType {
				t.Errorf("Content-Type = %q", ct)
			}
			if diff := cmp.Diff(tc.want, r.JSON(t)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if tc.want["active"] == false && strings.TrimSpace(r.Body) != `{"active":false}` {
				t.Errorf("body %q, want exactly {\"active\":false}", r.Body)
			}
		})
	}

	t.Run("introspection does not slide the session", func(t *testing.T) {
		tok := s.token(t, "ShortKey0010", "ShortSecret0010")
		s.Clock.Advance(10 * time.Minute)
		r := s.postForm(t, introspectPath, url.Values{"token": {tok}, "client_id": {"ShortKey0010"}, "client_secret": {"ShortSecret0010"}})
		body := r.JSON(t)
		if body["active"] != true || body["exp"] != float64(issuedAt+15*60) {
			t.Errorf("introspect at +10 min: %s, want active with exp = issue + 15 min", r.Body)
		}
		s.Clock.Advance(6 * time.Minute) // 16 minutes after issue, unused since
		r = s.postForm(t, introspectPath, url.Values{"token": {tok}, "client_id": {"ShortKey0010"}, "client_secret": {"ShortSecret0010"}})
		if strings.TrimSpace(r.Body) != `{"active":false}` {
			t.Errorf("introspect of an expired session: %s, want {\"active\":false}", r.Body)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			name      string
			form      url.Values
			basic     *[2]string
			status    int
			code, msg string
		}{
			{"wrong client secret", url.Values{"token": {acmeTok}, "client_id": {"AcmeKey0001"}, "client_secret": {"wrong"}}, nil,
				401, "invalid_client", "invalid client credentials"},
			{"wrong client secret in Basic", url.Values{"token": {acmeTok}}, &[2]string{"AcmeKey0001", "wrong"},
				401, "invalid_client", "invalid client credentials"},
			{"no client authentication", url.Values{"token": {acmeTok}}, nil,
				401, "invalid_client_id", "client identifier invalid"},
			{"missing token", url.Values{"client_id": {"AcmeKey0001"}, "client_secret": {"AcmeSecret0001"}}, nil,
				400, "invalid_request", "token parameter is required"},
			{"empty token", url.Values{"token": {""}, "client_id": {"AcmeKey0001"}, "client_secret": {"AcmeSecret0001"}}, nil,
				400, "invalid_request", "token parameter is required"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var r response
				if tc.basic != nil {
					r = s.postFormBasic(t, introspectPath, tc.form, tc.basic[0], tc.basic[1])
				} else {
					r = s.postForm(t, introspectPath, tc.form)
				}
				wantOAuthError(t, r, tc.status, tc.code, tc.msg)
			})
		}
		r := s.get(t, introspectPath+"?token="+url.QueryEscape(acmeTok), "")
		if r.Status != http.StatusMethodNotAllowed {
			t.Errorf("GET introspect: %d %s, want 405", r.Status, r.Body)
		}
	})
}

func testRevoke(t *testing.T, s *testServer) {
	for _, tc := range []struct {
		name   string
		revoke func(t *testing.T, tok string) response
	}{
		{"POST form body", func(t *testing.T, tok string) response {
			return s.postForm(t, "/services/oauth2/revoke", url.Values{"token": {tok}})
		}},
		{"GET ?token= (Mobile SDK, Camel)", func(t *testing.T, tok string) response {
			return s.get(t, "/services/oauth2/revoke?token="+url.QueryEscape(tok), "")
		}},
		{"GET ?token= unencoded (Camel)", func(t *testing.T, tok string) response {
			return s.get(t, "/services/oauth2/revoke?token="+tok, "")
		}},
		{"POST with the token in the query", func(t *testing.T, tok string) response {
			return s.postForm(t, "/services/oauth2/revoke?token="+url.QueryEscape(tok), nil)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := s.token(t, "AcmeKey0001", "AcmeSecret0001")
			keep := s.token(t, "AcmeKey0001", "AcmeSecret0001")
			wantLive(t, s, tok, "before revocation")
			r := tc.revoke(t, tok)
			if r.Status != http.StatusOK || r.Body != "" {
				t.Fatalf("revoke: %d %q, want 200 with an empty body", r.Status, r.Body)
			}
			wantDead(t, s, tok, "after revocation")
			wantBadToken(t, s.get(t, "/services/oauth2/userinfo", tok))
			wantBadToken(t, s.get(t, "/id/"+strings.TrimPrefix(s.identityURL(t, "integration@acme.example"), s.URL+"/id/"), tok))
			r = s.postForm(t, introspectPath, url.Values{"token": {tok}, "client_id": {"AcmeKey0001"}, "client_secret": {"AcmeSecret0001"}})
			if strings.TrimSpace(r.Body) != `{"active":false}` {
				t.Errorf("introspect after revocation: %s", r.Body)
			}
			wantLive(t, s, keep, "another token of the same app")
			// Revoking again: the token is no longer valid.
			wantOAuthError(t, tc.revoke(t, tok), http.StatusBadRequest, "invalid_token", "Token was invalid")
		})
	}
	t.Run("errors", func(t *testing.T) {
		wantOAuthError(t, s.postForm(t, "/services/oauth2/revoke", url.Values{"token": {"garbage"}}), 400, "invalid_token", "Token was invalid")
		wantOAuthError(t, s.postForm(t, "/services/oauth2/revoke", url.Values{}), 400, "invalid_request", "token parameter is required")
		wantOAuthError(t, s.get(t, "/services/oauth2/revoke", ""), 400, "invalid_request", "token parameter is required")
		req := newRequest(t, http.MethodDelete, s.URL+"/services/oauth2/revoke?token=x", nil)
		if r := do(t, req); r.Status != http.StatusMethodNotAllowed {
			t.Errorf("DELETE revoke: %d %s, want 405", r.Status, r.Body)
		}
	})
}
