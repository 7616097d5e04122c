package oauth

import (
	"context"

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
	// Failures per (username, address) share the client-authentication limiter: past its
	// burst the request is refused before any password is checked or counted, so nobody
	// can drive a user's invalid-login count (and so a lockout) at more than its rate
	// from one address. docs/operations.md spells out what remains possible.
	throttleKey := "u:" + principal.User.ID.String() + "|" + req.ev.SourceIP
	if !known {
		throttleKey = "u?:" + username + "|" + req.ev.SourceIP
	}
	// Reserved before the password is checked, given back only when it is right: racing
	// guesses cannot all pass the check before the first failure counts (package throttle).
	res, allowed, _ := s.failures.Reserve(ctx, throttleKey)
	if !allowed {
		return ErrRateLimitExceeded
	}
	ok := s.checkPassword(principal.User, known, pw)
	if ok {
		res.Release()
	} else {
		res.Fail()
	}
	if !known {
		return ErrAuthFailure
	}
	lock, e := s.lockout(ctx, principal.User)
	if e != nil {
		return e
	}
	now := s.now()
	if lock.Locked(now) {
		return errLockedOut // even the right password: Salesforce's lockout
	}
	if !ok {
		// Lockout counts invalid logins in a row: each failure adds one, a success
		// (below) resets the count, as in Salesforce.
		if s.lockouts != nil {
			pp := o.PasswordPolicy
			if _, err := s.lockouts.RecordLoginFailure(ctx, principal.User.ID, now, pp.MaxAttempts(), pp.LockoutPeriod()); err != nil {
				s.log.ErrorContext(ctx, "recording invalid login", "err", err)
				return errServer
			}
		}
		return ErrAuthFailure
	}
	if lock.Failures > 0 && s.lockouts != nil {
		if err := s.lockouts.ResetLoginFailures(ctx, principal.User.ID); err != nil {
			s.log.ErrorContext(ctx, "resetting invalid logins", "err", err)
		}
	}
	// Only a caller who knows the password learns what the user policy says next
	// (inactive, IP ranges, approval: the dispatcher's userPolicy).
	req.setUser(principal)
	return nil
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
