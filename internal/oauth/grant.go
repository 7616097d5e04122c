package oauth

import (
	"context"
	"net/http"

	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/sfid"
)

// A grant is one grant_type of the token endpoint. It only proves who the user is; the
// dispatcher (token.go) owns everything the grants share, in this order:
//
//  1. the grant's request checks that come before the client is known (validate);
//  2. client authentication, as the grant requires it (clientAuth);
//  3. the grant's proof of the user (prove);
//  4. the user policy: active, IP ranges and approval, as the grant's policy says;
//  5. the session's scopes, issuing, and the response's shape;
//
// and records the LoginHistory row of every attempt, refused or not (the objects reference
// §14). The lockout after invalid logins is a password rule: the password grant applies
// it inside its proof, where the password is checked, so a Run-As user or a JWT subject is
// never locked out by somebody guessing their password. Forcefield does not model frozen
// users yet (Setup's Freeze button comes with the console, issue 11).
type grant struct {
	subType string // LoginHistory.LoginSubType
	client  clientAuth
	// secretOptional says, for clientSecretPerApp grants, whether the app lets a client
	// authenticate with its consumer key alone (a sent secret is always checked).
	secretOptional func(app org.ConnectedApp) bool
	// validate checks the request before the client is authenticated (nil: nothing).
	validate func(p params) *Error
	// appUser is the user a refused request's LoginHistory row names as soon as the app
	// is known, before the grant proves anything (client credentials: the Run-As user).
	appUser func(app org.ConnectedApp) sfid.ID
	// prove establishes req.principal (and, for clientByAssertion, req.app and
	// req.clientID) or refuses the request.
	prove  func(ctx context.Context, req *grantRequest) *Error
	policy userPolicy
	// scopes are the session's scopes for the app, or the refusal when there are none
	// the grant may issue.
	scopes func(app org.ConnectedApp) ([]string, *Error)
	// issue, when set, issues the grant's tokens itself through mintGrant (the web server
	// and refresh token grants: scopes come from the code or the refresh token, a refresh
	// token and an id_token may be issued); scopes and signed are then unused.
	issue func(ctx context.Context, req *grantRequest) (*tokenResponse, *Error)
	// signed responses carry signature (HMAC of id+issued_at with the client's secret);
	// unsigned ones carry neither signature nor issued_at (the reference §1.4).
	signed bool
	// myDomainOnly grants are refused on login.salesforce.com and test.salesforce.com
	// before anything else is looked at (the reference §1.1; hosts.go).
	myDomainOnly bool
}

// clientAuth is how a grant authenticates the client.
type clientAuth int

const (
	// clientSecret: the consumer key and secret, in the body or a Basic header
	// (clientauth.go), throttled per key and source address.
	clientSecret clientAuth = iota
	// clientByAssertion: no secret; the grant's signed assertion names the app and proves
	// it holds the key of one of the app's certificates (JWT bearer, RFC 7523 §3).
	clientByAssertion
	// clientSecretPerApp: the consumer key, and the secret unless the grant's
	// secretOptional says the app may omit it; a secret that is sent is always verified,
	// throttled as for clientSecret (webgrants.go).
	clientSecretPerApp
)

// userPolicy is what the dispatcher checks of a proven user besides Active, which every
// grant requires, and admin approval (an admin-approved app needs one of the app's
// profiles or permission sets on the user), which every grant requires too.
type userPolicy struct {
	// ipRanges applies the user's profile login IP ranges to the caller's address, with
	// the app's IP relaxation (org.LoginIPAllowed).
	ipRanges bool
	// selfApproval: an app that is not admin-approved needs the user's own prior approval
	// (the JWT bearer flow, the reference §1.4); otherwise such an app accepts any user.
	selfApproval bool
	// refresh: the refresh token grant's IP rule — the same ranges and relaxation, but
	// Salesforce's refresh wording "ip restricted" (the webflow reference §4.6).
	refresh bool
}

// grantRequest is one token request as it goes through the dispatcher and its grant.
type grantRequest struct {
	r  *http.Request
	p  params
	ev *org.LoginEvent
	// client is the authenticated client (clientSecret grants), nil otherwise.
	client *authenticatedClient
	// app and clientID (the consumer key that names it) are set by client
	// authentication, or by prove for clientByAssertion grants.
	app       org.ConnectedApp
	clientID  string
	principal org.Principal // set by prove
	// code is the authorization code the authorization_code grant took (webgrants.go).
	code *org.AuthCode
	// refresh and refreshHash are the presented refresh token (refresh_token grant).
	refresh *org.RefreshToken
	// revMark is taken before the refresh token is read (mint.go's revocation check).
	revMark session.RevocationMark
	// taken is what the request counted of its app's token quotas (quota.go).
	taken *limits.Taken
}

// setApp records the app in the request and its LoginHistory row.
func (req *grantRequest) setApp(app org.ConnectedApp) {
	req.app = app
	req.ev.OrgID, req.ev.AppID, req.ev.Application = app.OrgID, app.ID, app.Name
}

// setUser records the proven user in the request and its LoginHistory row.
func (req *grantRequest) setUser(p org.Principal) {
	req.principal = p
	req.ev.UserID = p.User.ID
}

// grants are the token endpoint's grant types and their policies. Why each differs:
//
//	grant               client      IP ranges  approval               scopes
//	client_credentials  secret      no (1)     admin-approved only    app's minus full, web, refresh_token, offline_access
//	password            secret      yes        admin-approved only    app's minus refresh_token, offline_access
//	jwt-bearer          assertion   yes        admin, else the user's app's minus refresh_token, offline_access
//	authorization_code  per app (2) no (3)     admin, else the user's the code's (granted at authorize)
//	refresh_token       per app (2) yes (4)    admin only (5)         the refresh token's
//
// (1) No source in the references says Salesforce applies the Run-As user's profile login
// IP ranges to the client credentials flow, whose caller is a machine and not the Run-As
// user logging in; Forcefield has never applied them there, and an integration that works
// against Salesforce must keep working here. The app's own IP policy is the place for it.
//
// (2) The secret is required unless the app's "Require Secret for Web Server Flow"
// (ConsumerSecretOptional) or "Require Secret for Refresh Token Flow"
// (RefreshSecretOptional) is off; a sent secret is still verified (the webflow reference
// §3.3, §4.2). Client authentication runs before the code is taken, so a failed attempt
// (golang.org/x/oauth2 tries Basic, then the body) leaves the code usable.
//
// (3) The user's profile login IP ranges were applied when the user logged in to approve
// (the login page, at the user's own address); the code is exchanged by the client's
// server, whose address says nothing about the user, so they are not applied again. The
// user must still be active, and an admin-approved app's user pre-authorized; a
// self-authorized app's user must still hold the approval given at authorize (revoking
// it between authorize and exchange refuses the code).
//
// (4) The webflow reference §4.6: Salesforce refuses a refresh from outside the user's
// profile login IP ranges ("ip restricted") unless the app relaxes IP restrictions;
// Forcefield applies the ranges with the app's IP relaxation (BYPASS relaxes; the
// ENFORCE_RELAXREFRESH value is not modelled, see docs/compatibility.md).
//
// (5) Not the self-approval: removing an approval revokes the user's refresh tokens of
// the app (admin verbs), so a live refresh token is the approval; reading approvals on
// every refresh would cost a query for nothing.
func (s *Server) newGrants() map[string]grant {
	return map[string]grant{
		"client_credentials": {
			subType:  org.LoginSubTypeClientCredentials,
			client:   clientSecret,
			validate: clientCredentialsRequest,
			appUser:  func(app org.ConnectedApp) sfid.ID { return app.RunAsUserID },
			prove:    s.proveRunAsUser,
			policy:   userPolicy{},
			scopes:   clientCredentialsScopes,
			signed:   true,
			// Salesforce: "request not supported on this domain" on login and test.
			myDomainOnly: true,
		},
		"password": {
			subType: org.LoginSubTypeUsernamePassword,
			client:  clientSecret,
			prove:   s.provePassword,
			policy:  userPolicy{ipRanges: true},
			scopes:  noRefreshScopes,
			signed:  true,
		},
		"authorization_code": {
			subType:        org.LoginSubTypeWebServer,
			client:         clientSecretPerApp,
			secretOptional: func(app org.ConnectedApp) bool { return app.ConsumerSecretOptional },
			validate:       codeRequest,
			prove:          s.proveCode,
			policy:         userPolicy{selfApproval: true},
			issue:          s.issueCode,
		},
		"refresh_token": {
			subType:        org.LoginSubTypeRefreshToken,
			client:         clientSecretPerApp,
			secretOptional: func(app org.ConnectedApp) bool { return app.RefreshSecretOptional },
			validate:       refreshRequest,
			prove:          s.proveRefresh,
			policy:         userPolicy{ipRanges: true, refresh: true},
			issue:          s.issueRefresh,
		},
		grantJWTBearer: {
			subType: org.LoginSubTypeJWTBearer,
			client:  clientByAssertion,
			prove:   s.proveAssertion,
			policy:  userPolicy{ipRanges: true, selfApproval: true},
			scopes:  noRefreshScopes,
		},
	}
}

// noRefreshScopes: flows that issue no refresh token drop refresh_token and
// offline_access from the app's scopes.
func noRefreshScopes(app org.ConnectedApp) ([]string, *Error) {
	return org.NoRefreshScopes(app.Scopes), nil
}
