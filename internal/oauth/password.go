package oauth

import (
	"context"
	"net/http"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/password"
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

// passwordLogin is grant_type=password (the reference §1.5): the app authenticates with
// its consumer key and secret (body or Basic, as in clientauth.go) and sends a user's
// username and password+security token. No refresh token.
func (s *Server) passwordLogin(ctx context.Context, r *http.Request, p params, ev *org.LoginEvent) (*tokenResponse, *Error) {
	client, e := s.authenticateClient(ctx, r, p)
	if client != nil {
		ev.OrgID, ev.AppID, ev.Application = client.app.OrgID, client.app.ID, client.app.Name
	}
	if e != nil {
		return nil, e
	}
	app := client.app
	username, pw := p.get("username"), p.get("password")
	if username == "" || pw == "" {
		return nil, errMissingUsername
	}
	o, err := s.dir.Org(ctx, app.OrgID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading org", "err", err, "org", app.OrgID)
		return nil, errServer
	}
	principal, e := s.userInOrg(ctx, username, app)
	if e != nil && e != errNoSuchUser {
		return nil, e
	}
	known := e == nil
	if known {
		ev.UserID = principal.User.ID
	}
	if o.PasswordPolicy.DisableUsernamePasswordFlow {
		return nil, errFlowDisabled
	}
	// Failures per (username, address) share the client-authentication limiter: past its
	// burst the request is refused before any password is checked or counted, so nobody
	// can drive a user's invalid-login count (and so a lockout) at more than its rate
	// from one address. docs/operations.md spells out what remains possible.
	throttleKey := "u:" + principal.User.ID.String() + "|" + ev.SourceIP
	if !known {
		throttleKey = "u?:" + username + "|" + ev.SourceIP
	}
	// Reserved before the password is checked, given back only when it is right: racing
	// guesses cannot all pass the check before the first failure counts (package throttle).
	res, allowed, _ := s.failures.Reserve(ctx, throttleKey)
	if !allowed {
		return nil, ErrRateLimitExceeded
	}
	ok := s.checkPassword(principal.User, known, pw)
	if ok {
		res.Release()
	} else {
		res.Fail()
	}
	if !known {
		return nil, ErrAuthFailure
	}
	lock, e := s.lockout(ctx, principal.User)
	if e != nil {
		return nil, e
	}
	now := s.now()
	if lock.Locked(now) {
		return nil, errLockedOut // even the right password: Salesforce's lockout
	}
	if !ok {
		// Lockout counts invalid logins in a row: each failure adds one, a success
		// (below) resets the count, as in Salesforce.
		if s.lockouts != nil {
			pp := o.PasswordPolicy
			if _, err := s.lockouts.RecordLoginFailure(ctx, principal.User.ID, now, pp.MaxAttempts(), pp.LockoutPeriod()); err != nil {
				s.log.ErrorContext(ctx, "recording invalid login", "err", err)
				return nil, errServer
			}
		}
		return nil, ErrAuthFailure
	}
	if lock.Failures > 0 && s.lockouts != nil {
		if err := s.lockouts.ResetLoginFailures(ctx, principal.User.ID); err != nil {
			s.log.ErrorContext(ctx, "resetting invalid logins", "err", err)
		}
	}
	// Only a caller who knows the password learns these.
	if !principal.User.Active {
		return nil, ErrInactiveUser
	}
	if !org.LoginIPAllowed(app, principal.Profile, ev.SourceIP) {
		return nil, ErrIPRestricted
	}
	if app.AdminApproved() && !org.PreAuthorized(app, principal.User) {
		return nil, ErrNotAdminApproved
	}
	resp, e := s.issue(ctx, app, client.credential.ConsumerKey, principal, org.LoginSubTypeUsernamePassword, ev)
	if e != nil {
		return nil, e
	}
	// The reference §1.5: password responses carry issued_at and signature.
	resp.Signature = signature(client.secret, resp.ID, resp.IssuedAt)
	return resp, nil
}

// checkPassword verifies password+token. It always runs two argon2id verifications —
// for unknown users, users without a password or token, and short input too — so that
// timing tells no case apart. A user with no security token set logs in with the
// password alone (see docs/compatibility.md).
func (s *Server) checkPassword(u org.User, known bool, pw string) bool {
	if !known || u.PasswordHash == "" {
		password.VerifyDummy(pw)
		password.VerifyDummy(pw)
		return false
	}
	if u.SecurityTokenHash == "" {
		ok, _ := password.Verify(u.PasswordHash, pw)
		password.VerifyDummy(pw)
		return ok
	}
	if len(pw) <= org.SecurityTokenLen {
		password.VerifyDummy(pw)
		password.VerifyDummy(pw)
		return false
	}
	cut := len(pw) - org.SecurityTokenLen
	okPw, _ := password.Verify(u.PasswordHash, pw[:cut])
	okTok, _ := password.Verify(u.SecurityTokenHash, pw[cut:])
	return okPw && okTok
}

// lockout reads a user's invalid-login state.
func (s *Server) lockout(ctx context.Context, u org.User) (org.Lockout, *Error) {
	if s.lockouts == nil {
		return org.Lockout{}, nil
	}
	l, err := s.lockouts.Lockout(ctx, u.ID)
	if err != nil {
		if ctx.Err() == nil { // a client that went away is not an error worth logging
			s.log.ErrorContext(ctx, "reading invalid logins", "err", err)
		}
		return org.Lockout{}, errServer
	}
	return l, nil
}
