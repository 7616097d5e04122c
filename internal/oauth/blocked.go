package oauth

import (
	"context"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

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

// recheckBlocked closes the race between a token request and a block: a request that
// passed userPolicy just before the block committed may commit its session after the
// block's sweep (setup.Service.BlockApp) listed the app's sessions. The block is committed
// (and the Setup cache invalidated) before the sweep starts, so a session committed after
// the sweep began is committed after the block, and reading the app again once the
// session is committed sees it: the request then ends what it issued and is refused. A
// session committed earlier is the sweep's to end.
func (s *Server) recheckBlocked(ctx context.Context, resp *tokenResponse, ev *org.LoginEvent) *Error {
	if ev.AppID.IsZero() {
		return nil
	}
	app, err := s.dir.App(ctx, ev.AppID)
	if err != nil || !app.Blocked {
		return nil
	}
	if _, err := s.sessions.Revoke(ctx, resp.AccessToken); err != nil {
		s.log.ErrorContext(ctx, "ending a session issued as its app was blocked", "err", err)
	}
	if s.grantStore != nil && resp.RefreshToken != "" {
		if _, _, err := s.sessions.RevokeRefreshTokens(ctx, s.grantStore, store.GrantFilter{AppID: app.ID, UserID: ev.UserID}); err != nil {
			s.log.ErrorContext(ctx, "ending refresh tokens issued as their app was blocked", "err", err)
		}
	}
	return ErrAppBlocked
}
