package oauth

import (
	"context"
	"net/http"

	"github.com/forcefield/forcefield/internal/org"
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
//
// (1) No source in the references says Salesforce applies the Run-As user's profile login
// IP ranges to the client credentials flow, whose caller is a machine and not the Run-As
// user logging in; Forcefield has never applied them there, and an integration that works
// against Salesforce must keep working here. The app's own IP policy is the place for it.
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
