package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// A stock Go OAuth 2.0 client (golang.org/x/oauth2/clientcredentials) against the token
// endpoint and the REST API, with the client secret in the body and in HTTP Basic
// (salesforce-oauth.md §0 items 2, 3).

func TestOAuth2ClientCredentials(t *testing.T) {
	s := start(t)
	ctx := context.Background()
	idURL := s.identityURL(t, "integration@acme.example")
	for _, tc := range []struct {
		name  string
		style oauth2.AuthStyle
	}{
		{"AuthStyleInParams", oauth2.AuthStyleInParams},
		{"AuthStyleInHeader", oauth2.AuthStyleInHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := clientcredentials.Config{
				ClientID:     "AcmeKey0001",
				ClientSecret: "AcmeSecret0001",
				TokenURL:     s.URL + "/services/oauth2/token",
				AuthStyle:    tc.style,
			}
			tok, err := cfg.Token(ctx)
			if err != nil {
				t.Fatalf("Token: %v", err)
			}
			if tok.AccessToken == "" || tok.TokenType != "Bearer" || tok.RefreshToken != "" {
				t.Errorf("token %+v, want an access token of type Bearer and no refresh token", tok)
			}
			if !tok.Expiry.IsZero() || tok.ExpiresIn != 0 {
				t.Errorf("Expiry = %v, ExpiresIn = %d: Salesforce sends no expires_in", tok.Expiry, tok.ExpiresIn)
			}
			for k, want := range map[string]string{"instance_url": s.URL, "id": idURL, "scope": "api id", "token_type": "Bearer"} {
				if got := tok.Extra(k); got != want {
					t.Errorf("Extra(%q) = %v, want %q", k, got, want)
				}
			}
			wantLive(t, s, tok.AccessToken, "the client's token")

			resp, err := cfg.Client(ctx).Get(s.URL + "/services/data/v59.0/limits")
			if err != nil {
				t.Fatalf("GET limits: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET limits through cfg.Client: %d %s", resp.StatusCode, body)
			}

			cfg.ClientSecret = "WrongSecret"
			_, err = cfg.Token(ctx)
			var re *oauth2.RetrieveError
			if !errors.As(err, &re) {
				t.Fatalf("wrong secret: error %T %v, want *oauth2.RetrieveError", err, err)
			}
			if re.ErrorCode != "invalid_client" || re.ErrorDescription != "invalid client credentials" || re.Response.StatusCode != http.StatusBadRequest {
				t.Errorf("wrong secret: status %d ErrorCode %q ErrorDescription %q, want 400 invalid_client / invalid client credentials",
					re.Response.StatusCode, re.ErrorCode, re.ErrorDescription)
			}
		})
	}
	t.Run("scopes requested by the client are refused", func(t *testing.T) {
		cfg := clientcredentials.Config{ClientID: "AcmeKey0001", ClientSecret: "AcmeSecret0001", TokenURL: s.URL + "/services/oauth2/token",
			AuthStyle: oauth2.AuthStyleInParams, Scopes: []string{"api"}}
		_, err := cfg.Token(ctx)
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) || re.ErrorCode != "invalid_request" || re.ErrorDescription != "scope parameter not supported" {
			t.Errorf("error %v, want invalid_request / scope parameter not supported", err)
		}
	})
}
