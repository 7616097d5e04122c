package org

import "github.com/forcefield/forcefield/internal/sfid"

// The Salesforce CLI's built-in connected app (the webflow reference §0.2, §6.1): sf uses
// client id PlatformCLI with no secret, the callback http://localhost:1717/OauthRedirect
// and the scopes refresh_token api web. Forcefield creates it in the first org when no
// app on the server holds the key; an org file may declare its own app with that key, and
// the built-in one then gives the key up (orgfile).
const (
	PlatformCLIKey      = "PlatformCLI"
	PlatformCLIName     = "Salesforce CLI" // LoginHistory.Application (forcedotcom/cli#3368)
	PlatformCLICallback = "http://localhost:1717/OauthRedirect"
)

// PlatformCLIApp returns the built-in app of org orgID: no secret needed for either flow,
// every user may self-authorize (the approval page asks once).
func PlatformCLIApp(orgID sfid.ID) ConnectedApp {
	return ConnectedApp{
		OrgID: orgID, Name: PlatformCLIName, CallbackURLs: []string{PlatformCLICallback},
		Scopes:                 []string{"refresh_token", "api", "web", "openid", "id"},
		PermittedUsers:         PermittedAllSelfAuthorized,
		ConsumerSecretOptional: true, RefreshSecretOptional: true,
	}
}
