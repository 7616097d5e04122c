package oauth

import (
	"context"
	"errors"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// grantJWTBearer is the grant_type of the JWT bearer flow (RFC 7523 §2.1).
const grantJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// JWT bearer errors (the reference §2).
var (
	ErrInvalidAssertion = oauthErr("invalid_grant", "invalid assertion", "Failed: Signature Invalid")
	ErrAudience         = oauthErr("invalid_grant", "audience is invalid", "Failed: Audience Invalid")
	ErrAssertionExpired = oauthErr("invalid_grant", "expired authorization code", "Failed: Assertion Expired")
	ErrNotApproved      = oauthErr("invalid_grant", "user hasn't approved this consumer", "Failed: User hasn't approved this consumer")
	ErrIPRestricted     = oauthErr("invalid_grant", "IP restricted or invalid login hours", "Restricted IP")
	// errJWTUnknownUser: Salesforce's text for a sub naming no user is unconfirmed (the
	// reference §10 item 4); Forcefield answers as for a user without approval, which is
	// what field reports of mistyped usernames show. See docs/compatibility.md.
	errJWTUnknownUser = oauthErr("invalid_grant", "user hasn't approved this consumer", "Invalid login")
)

// proveAssertion is grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer (the
// reference §1.4): the assertion, signed with the key of one of the app's certificates,
// names the app (iss) and the user (sub, or prn) whose session is issued. No client
// secret, no refresh token; the response carries no signature or issued_at.
func (s *Server) proveAssertion(ctx context.Context, req *grantRequest) *Error {
	a, err := parseAssertion(req.p.get("assertion"))
	if err != nil {
		return ErrInvalidAssertion
	}
	app, e := s.appByKey(ctx, a.Issuer)
	if e != nil {
		return e
	}
	req.setApp(app)
	req.clientID = a.Issuer
	if !a.verify(s.certs.keys(app.Certificates)) {
		return ErrInvalidAssertion
	}
	if !s.audienceOK(a.Audience) {
		return ErrAudience
	}
	// Only a past exp is refused; the documented 3-minute ceiling is not enforced by
	// Salesforce (sfdx-core's exp is in milliseconds, thousands of years ahead).
	// The org's time (time travel): an assertion made before a travel past its exp is
	// refused as Salesforce refuses an old one.
	if !s.orgNow(app.OrgID).Before(a.Expiry) {
		return ErrAssertionExpired
	}
	principal, e := s.userInOrg(ctx, a.Subject, app)
	if e != nil {
		if e == errNoSuchUser {
			e = errJWTUnknownUser
		}
		return e
	}
	req.setUser(principal)
	return nil
}

// audienceOK accepts the server's base URL (its login URL: the one clients post to) and
// Salesforce's login and test hosts, each with or without a trailing slash. The request's
// Host header is deliberately not a source of accepted audiences: a caller chooses it.
func (s *Server) audienceOK(aud []string) bool {
	for _, a := range aud {
		switch strings.TrimRight(a, "/") {
		case s.baseURL, "https://login.salesforce.com", "https://test.salesforce.com":
			return true
		}
	}
	return false
}

// errNoSuchUser is returned by userInOrg for a username that names no user of the app's
// org; each grant maps it to its own error.
var errNoSuchUser = &Error{Code: "invalid_grant", Description: "authentication failure", LoginStatus: "Invalid Password"}

// userInOrg loads the principal of a username in the app's org.
func (s *Server) userInOrg(ctx context.Context, username string, app org.ConnectedApp) (org.Principal, *Error) {
	if username == "" {
		return org.Principal{}, errNoSuchUser
	}
	id, err := s.dir.UserID(ctx, strings.ToLower(username))
	if errors.Is(err, store.ErrNotFound) {
		return org.Principal{}, errNoSuchUser
	}
	if err != nil {
		s.log.ErrorContext(ctx, "looking up user", "err", err)
		return org.Principal{}, errServer
	}
	principal, err := s.dir.Principal(ctx, id)
	if err != nil {
		s.log.ErrorContext(ctx, "loading user", "err", err, "user", id)
		return org.Principal{}, errServer
	}
	if principal.User.OrgID != app.OrgID {
		return org.Principal{}, errNoSuchUser
	}
	return principal, nil
}

// appByKey finds the connected app of a consumer key (any usable credential pair).
func (s *Server) appByKey(ctx context.Context, key string) (org.ConnectedApp, *Error) {
	creds, err := s.dir.Credentials(ctx, key)
	if err != nil {
		s.log.ErrorContext(ctx, "looking up consumer key", "err", err)
		return org.ConnectedApp{}, errServer
	}
	for _, c := range creds {
		if key != "" && s.usable(ctx, c) {
			app, err := s.dir.App(ctx, c.AppID)
			if err != nil {
				s.log.ErrorContext(ctx, "loading connected app", "err", err, "app", c.AppID)
				return org.ConnectedApp{}, errServer
			}
			return app, nil
		}
	}
	return org.ConnectedApp{}, ErrInvalidClientID
}
