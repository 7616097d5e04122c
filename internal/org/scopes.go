package org

import (
	"fmt"
	"slices"
)

// Scopes lists the OAuth scope names Salesforce publishes in discovery
// (scopes_supported, the reference §4.5).
var Scopes = []string{
	"cdp_ingest_api", "custom_permissions", "cdp_segment_api", "content", "cdp_api",
	"chatbot_api", "cdp_identityresolution_api", "interaction_api", "wave_api", "web",
	"cdp_calculated_insight_api", "einstein_gpt_api", "offline_access", "id", "api",
	"eclair_api", "email", "pardot_api", "lightning", "visualforce", "cdp_query_api",
	"sfap_api", "address", "openid", "profile", "cdp_profile_api", "refresh_token", "phone",
	"user_registration_api", "pwdless_login_api", "chatter_api", "full", "forgot_password",
}

// CheckScopes returns an error naming the first scope that is not a Salesforce scope.
func CheckScopes(names []string) error {
	for _, n := range names {
		if !slices.Contains(Scopes, n) {
			return fmt.Errorf("unknown OAuth scope %q (valid: api, id, full, web, refresh_token, openid, …; see docs/org-file.md)", n)
		}
	}
	return nil
}

// ClientCredentialsScopes returns the scopes a client credentials token is granted: all of
// the app's scopes except full, web, refresh_token and offline_access (the reference §1.3).
func ClientCredentialsScopes(appScopes []string) []string {
	out := make([]string, 0, len(appScopes))
	for _, s := range appScopes {
		switch s {
		case "full", "web", "refresh_token", "offline_access":
			continue
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// NoRefreshScopes returns the scopes of a token issued without a refresh token (JWT bearer,
// username-password): the app's scopes minus refresh_token and offline_access.
func NoRefreshScopes(appScopes []string) []string {
	out := make([]string, 0, len(appScopes))
	for _, s := range appScopes {
		if s != "refresh_token" && s != "offline_access" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// AllowsREST reports whether a session with these scopes may call the REST API
// (api or full; the reference §6.2).
func AllowsREST(scopes []string) bool {
	return slices.Contains(scopes, "api") || slices.Contains(scopes, "full")
}
