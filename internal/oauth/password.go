package oauth

import (
	"context"

	"github.com/forcefield/forcefield/internal/passwordlogin"
)

// Username-password errors (the reference §1.5, §2). A bad username, password or security
// token, a locked-out user and a disabled flow all answer the same authentication failure;
// only LoginHistory tells them apart.
var (
	ErrAuthFailure     = oauthErr("invalid_grant", "authentication failure", "Invalid Password")
	errLockedOut       = oauthErr("invalid_grant", "authentication failure", "Password Lockout")
	errFlowDisabled    = oauthErr("invalid_grant", "authentication failure", "Username-Password Flow Disabled")
	errMissingUsername = invalidRequest("username and password are required")
)

// provePassword is grant_type=password (the reference §1.5): the app has authenticated
// with its consumer key and secret (body or Basic, as in clientauth.go) and sends a user's
// username and password+security token. No refresh token; the response is signed.
func (s *Server) provePassword(ctx context.Context, req *grantRequest) *Error {
	app := req.app
	username, pw := req.p.get("username"), req.p.get("password")
	if username == "" || pw == "" {
		return errMissingUsername
	}
	o, err := s.dir.Org(ctx, app.OrgID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading org", "err", err, "org", app.OrgID)
		return errServer
	}
	principal, e := s.userInOrg(ctx, username, app)
	if e != nil && e != errNoSuchUser {
		return e
	}
	known := e == nil
	if known {
		req.ev.UserID = principal.User.ID
	}
	if o.PasswordPolicy.DisableUsernamePasswordFlow {
		return errFlowDisabled
	}
	// The password check shared with the browser login (package passwordlogin): throttled
	// per (username, address) before anything is checked or counted, then the lockout.
	out, err := s.passwords.Check(ctx, passwordlogin.Attempt{User: principal.User, Known: known, Username: username,
		Password: pw, WithToken: true, SourceIP: req.ev.SourceIP, Policy: o.PasswordPolicy})
	if err != nil {
		if ctx.Err() == nil { // a client that went away is not an error worth logging
			s.log.ErrorContext(ctx, "checking password", "err", err)
		}
		return errServer
	}
	switch out {
	case passwordlogin.Throttled:
		return ErrRateLimitExceeded
	case passwordlogin.LockedOut:
		return errLockedOut
	case passwordlogin.Invalid:
		return ErrAuthFailure
	}
	// Only a caller who knows the password learns what the user policy says next
	// (inactive, IP ranges, approval: the dispatcher's userPolicy).
	req.setUser(principal)
	return nil
}
