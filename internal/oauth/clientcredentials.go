package oauth

import (
	"context"
	"net/http"

	"github.com/forcefield/forcefield/internal/org"
)

// grant_type=client_credentials (the reference §1.3, §3): the app authenticates with its
// consumer key and secret and receives a session of its Run-As (execution) user, with the
// app's scopes minus full, web, refresh_token and offline_access. Salesforce issues no
// refresh token for this flow.

// clientCredentialsRequest refuses a scope parameter, before the client is looked at.
func clientCredentialsRequest(p params) *Error {
	if p.has("scope") {
		return ErrScopeParam
	}
	return nil
}

// proveRunAsUser: the authenticated app's Run-As user is the session's user.
func (s *Server) proveRunAsUser(ctx context.Context, req *grantRequest) *Error {
	app := req.app
	if !app.ClientCredentialsEnabled || app.RunAsUserID.IsZero() {
		return ErrNoRunAsUser
	}
	principal, err := s.dir.Principal(ctx, app.RunAsUserID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading run-as user", "err", err, "user", app.RunAsUserID)
		return errServer
	}
	req.setUser(principal)
	return nil
}

// clientCredentialsScopes are the app's scopes a client-credentials session may carry;
// none is Salesforce's "no valid scopes defined".
func clientCredentialsScopes(app org.ConnectedApp) ([]string, *Error) {
	scopes := org.ClientCredentialsScopes(app.Scopes)
	if len(scopes) == 0 {
		return nil, ErrNoValidScopes
	}
	return scopes, nil
}

// loginEvent starts the LoginHistory row of a token request (the objects reference §14:
// OAuth logins are "Remote Access 2.0" with an Oauth* subtype).
func (s *Server) loginEvent(r *http.Request, subType string) org.LoginEvent {
	return org.LoginEvent{
		Time:         s.now().UTC(),
		SourceIP:     sourceIP(r),
		LoginType:    org.LoginTypeRemoteAccess2,
		LoginSubType: subType,
		LoginURL:     r.Host,
		APIType:      "N/A",
		APIVersion:   "N/A",
		Browser:      "Unknown",
		Platform:     "Unknown",
	}
}
