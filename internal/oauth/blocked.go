package oauth

// A blocked connected app (Setup → Connected Apps OAuth Usage → Block; org.ConnectedApp.
// Blocked, set through setup.Service.BlockApp) gets no new token from any grant and no new
// authorization: "Block to end all current user sessions with the connected app and block
// all new sessions" (the setup reference §4). The token dispatcher checks it in one place,
// userPolicy (token.go), which every grant passes once the app is known; the authorize
// endpoint checks it once the redirect URI is validated.
//
// Salesforce's code is OAUTH_APP_BLOCKED: help.salesforce.com knowledge article 000232413
// ("Remote_Error: OAUTH_APP_BLOCKED … your system administrator has chosen to block the …
// Connected App") and the authorize redirect users report (error=OAUTH_APP_BLOCKED,
// error_description "this app is blocked by admin"). UNCONFIRMED: that the token endpoint
// answers a blocked app with the same code and description (Forcefield does, with status
// 400), and the LoginHistory Status of such a refusal ("Blocked App" is Forcefield's).
var (
	ErrAppBlocked = oauthErr("OAUTH_APP_BLOCKED", "this app is blocked by admin", "Blocked App")

	errAuthzBlocked = &authzError{how: redirected, code: "OAUTH_APP_BLOCKED", desc: "this app is blocked by admin"}
)
