package oauth

import (
	"context"
	"net/http"

	"github.com/forcefield/forcefield/internal/org"
)

// clientCredentials is grant_type=client_credentials (the reference §1.3, §3): the
// app authenticates with its consumer key and secret and receives a session of its
// Run-As (execution) user, with the app's scopes minus full, web, refresh_token and
// offline_access. Salesforce issues no refresh token for this flow.
func (s *Server) clientCredentials(ctx context.Context, r *http.Request, p params, ev *org.LoginEvent) (*tokenResponse, *Error) {
	if p.has("scope") {
		return nil, ErrScopeParam
	}
	client, e := s.authenticateClient(ctx, r, p)
	if client != nil {
		ev.OrgID, ev.AppID, ev.Application = client.app.OrgID, client.app.ID, client.app.Name
		ev.UserID = client.app.RunAsUserID
	}
	if e != nil {
		return nil, e
	}
	app := client.app
	if !app.ClientCredentialsEnabled || app.RunAsUserID.IsZero() {
		return nil, ErrNoRunAsUser
	}
	principal, err := s.dir.Principal(ctx, app.RunAsUserID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading run-as user", "err", err, "user", app.RunAsUserID)
		return nil, errServer
	}
	if !principal.User.Active {
		return nil, ErrInactiveUser
	}
	// Field behaviour (the reference §3.3): with "Admin approved users are pre-authorized"
	// the Run-As user needs one of the app's profiles or permission sets.
	if app.AdminApproved() && !org.PreAuthorized(app, principal.User) {
		return nil, ErrNotAdminApproved
	}
	scopes := org.ClientCredentialsScopes(app.Scopes)
	if len(scopes) == 0 {
		return nil, ErrNoValidScopes
	}
	o, err := s.dir.Org(ctx, app.OrgID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading org", "err", err, "org", app.OrgID)
		return nil, errServer
	}
	now := s.now().UTC()
	sess := org.Session{
		OrgID: app.OrgID, UserID: principal.User.ID, AppID: app.ID, Scopes: scopes,
		SourceIP: ev.SourceIP, LoginType: org.LoginSubTypeClientCredentials,
		CreatedAt: now, LastActivity: now,
		Timeout: org.SessionTimeout(app, principal.Profile, o),
	}
	ev.Status = org.LoginStatusSuccess
	ev.Time = now
	return s.issueSession(ctx, app, client.credential.ConsumerKey, sess, ev, client.secret)
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
