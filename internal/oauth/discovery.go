package oauth

import (
	"net/http"

	"github.com/forcefield/forcefield/internal/org"
)

// handleDiscovery is GET /.well-known/openid-configuration, shaped like a My Domain's
// (the reference §4.5). No session is needed. Endpoints Forcefield does not serve yet
// (authorize, register, logout) are listed as Salesforce lists them, so clients
// that read the document find the same keys; docs/compatibility.md says which answer.
func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	b := s.loginURL(r.Context()) // the host asked, for login/test/My Domain (hosts.go)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                b,
		"authorization_endpoint":                b + "/services/oauth2/authorize",
		"token_endpoint":                        b + "/services/oauth2/token",
		"revocation_endpoint":                   b + "/services/oauth2/revoke",
		"userinfo_endpoint":                     b + "/services/oauth2/userinfo",
		"introspection_endpoint":                b + "/services/oauth2/introspect",
		"jwks_uri":                              b + "/id/keys",
		"registration_endpoint":                 b + "/services/oauth2/register",
		"end_session_endpoint":                  b + "/services/auth/idp/oidc/logout",
		"frontchannel_logout_supported":         true,
		"frontchannel_logout_session_supported": false,
		"scopes_supported":                      org.Scopes,
		"response_types_supported":              []string{"code", "token", "token id_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"display_values_supported":              []string{"page", "popup", "touch"},
		// The webflow reference §8.3: MCP clients refuse metadata without S256.
		"code_challenge_methods_supported": []string{"plain", "S256"},
		"grant_types_supported": []string{"authorization_code", "refresh_token", "client_credentials", "password",
			grantJWTBearer},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic", "private_key_jwt"},
		"claims_supported": []string{"active", "address", "email", "email_verified", "family_name", "given_name",
			"is_app_installed", "language", "locale", "name", "nickname", "organization_id", "phone_number",
			"phone_number_verified", "photos", "picture", "preferred_username", "profile", "sub", "updated_at",
			"urls", "user_id", "user_type", "zoneinfo"},
	})
}
