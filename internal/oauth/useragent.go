package oauth

import (
	"net/http"
	"net/url"

	"github.com/forcefield/forcefield/internal/org"
)

// userAgentRedirect ends the user-agent flow (response_type=token or "token id_token",
// the webflow reference §5.1): the tokens are issued at once (mintGrant: a session, a
// refresh token when refresh_token is granted — the reference's recommendation for the
// [UNCONFIRMED] callback-scheme rule — and, for "token id_token", the id_token) and go to
// the callback in the fragment, so they never reach a server log. There is no signature:
// it is an HMAC keyed by the consumer secret, which the flow never presents and Forcefield
// stores only as a hash (docs/compatibility.md). LoginHistory: Remote Access 2.0 /
// OauthUserAgent.
func (s *Server) userAgentRedirect(w http.ResponseWriter, r *http.Request, req org.AuthRequest, app org.ConnectedApp, p org.Principal, sess org.Session) {
	ctx := r.Context()
	ev := s.loginEvent(r, org.LoginSubTypeUserAgent)
	ev.OrgID, ev.AppID, ev.Application, ev.UserID = app.OrgID, app.ID, app.Name, p.User.ID
	resp, e := s.mintGrant(ctx, mint{App: app, ClientID: req.ClientID, Principal: p, Scopes: req.Scopes, Event: &ev,
		Nonce: req.Nonce, AuthTime: sess.CreatedAt})
	if e != nil {
		ev.Status = e.LoginStatus
		if err := s.sessions.RecordFailure(ctx, ev); err != nil {
			s.log.ErrorContext(ctx, "recording failed login", "err", err)
		}
		s.authzFail(w, r, req, errAuthzServer)
		return
	}
	// The same race as the token endpoint's (blocked.go): an app blocked while this token was
	// issued gets it ended at once, and the browser goes back with OAUTH_APP_BLOCKED.
	if e := s.recheckBlocked(ctx, resp, &ev); e != nil {
		ev.Status = e.LoginStatus
		if err := s.sessions.RecordFailure(ctx, ev); err != nil {
			s.log.ErrorContext(ctx, "recording failed login", "err", err)
		}
		s.authzFail(w, r, req, errAuthzBlocked)
		return
	}
	if req.ResponseType == "token" {
		resp.IDToken = "" // OIDC: an id_token only when response_type asks for one
	}
	v := url.Values{"access_token": {resp.AccessToken}, "instance_url": {resp.InstanceURL}, "id": {resp.ID},
		"issued_at": {resp.IssuedAt}, "scope": {resp.Scope}, "token_type": {resp.TokenType}}
	for k, val := range map[string]string{"refresh_token": resp.RefreshToken, "signature": resp.Signature, "id_token": resp.IDToken, "state": req.State} {
		if val != "" {
			v.Set(k, val)
		}
	}
	noStore(w.Header())
	http.Redirect(w, r, callbackURL(req, encodePairs(v, "access_token", "refresh_token", "instance_url", "id", "issued_at",
		"signature", "scope", "id_token", "token_type", "state")), http.StatusFound)
}
