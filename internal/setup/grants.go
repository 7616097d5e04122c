package setup

import (
	"context"
	"errors"
	"fmt"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// OAuth grants: users' approvals of apps and their refresh tokens (Salesforce's
// OauthToken rows, Setup → Connected Apps OAuth Usage → User Count → Revoke / Revoke All;
// the webflow reference §4.7), and the test shortcut that mints a refresh token without a
// browser. Like sessions they live outside the Setup tables, so each revocation happens
// first and its audit row follows in a Setup transaction of its own. A refresh token
// value is never written anywhere but the minting caller's answer.

// Revoked is what a revocation ended.
type Revoked struct {
	OAuthTokens int // refresh tokens (rotated-out ones of the family included)
	Sessions    int // sessions minted from them
	Approvals   int // approvals removed (RevokeUserApprovals only)
}

// RevokeOAuthToken ends the refresh token id, its whole rotation family and every session
// minted from them. NotFound when there is no such token.
func (s *Service) RevokeOAuthToken(ctx context.Context, actor Actor, id sfid.ID) (Revoked, error) {
	ts, err := s.st.RefreshTokens(ctx, store.GrantFilter{ID: id})
	if err != nil {
		return Revoked{}, err
	}
	if len(ts) == 0 {
		return Revoked{}, NotFoundf("no OauthToken %s", id)
	}
	t := ts[0]
	gone, n, err := s.sessions.RevokeRefreshTokens(ctx, s.st, store.GrantFilter{FamilyID: t.FamilyID})
	if err != nil {
		return Revoked{}, err
	}
	r := Revoked{OAuthTokens: len(gone), Sessions: n}
	return r, s.auditGrant(ctx, actor, t.OrgID, t.UserID, t.AppID, org.AuditRevokedOAuthTokens,
		fmt.Sprintf("Revoked OAuth token %s (%d token(s), %d session(s))", t.ID, r.OAuthTokens, r.Sessions))
}

// RevokeUserOAuthTokens ends the user's refresh tokens of one app (appID set) or of all
// apps, and the sessions minted from them.
func (s *Service) RevokeUserOAuthTokens(ctx context.Context, actor Actor, userID, appID sfid.ID) (Revoked, error) {
	u, err := s.grantUser(ctx, userID)
	if err != nil {
		return Revoked{}, err
	}
	gone, n, err := s.sessions.RevokeRefreshTokens(ctx, s.st, store.GrantFilter{UserID: u.ID, AppID: appID})
	if err != nil {
		return Revoked{}, err
	}
	r := Revoked{OAuthTokens: len(gone), Sessions: n}
	return r, s.auditGrant(ctx, actor, u.OrgID, u.ID, appID, org.AuditRevokedOAuthTokens,
		fmt.Sprintf("Revoked %d OAuth token(s) and %d session(s) of user %s", r.OAuthTokens, r.Sessions, u.Username))
}

// RevokeUserApprovals removes the user's approvals of one app (appID set) or of all apps,
// and with them the user's refresh tokens of those apps and their sessions (issue 10 §3).
// The next authorization shows the approval page again.
func (s *Service) RevokeUserApprovals(ctx context.Context, actor Actor, userID, appID sfid.ID) (Revoked, error) {
	u, err := s.grantUser(ctx, userID)
	if err != nil {
		return Revoked{}, err
	}
	f := store.GrantFilter{UserID: u.ID, AppID: appID}
	as, err := s.st.DeleteApprovals(ctx, f)
	if err != nil {
		return Revoked{}, err
	}
	gone, n, err := s.sessions.RevokeRefreshTokens(ctx, s.st, f)
	if err != nil {
		return Revoked{}, err
	}
	r := Revoked{OAuthTokens: len(gone), Sessions: n, Approvals: len(as)}
	return r, s.auditGrant(ctx, actor, u.OrgID, u.ID, appID, org.AuditRevokedApprovals,
		fmt.Sprintf("Revoked %d approval(s), %d OAuth token(s) and %d session(s) of user %s", r.Approvals, r.OAuthTokens, r.Sessions, u.Username))
}

// MintRefreshToken is the test shortcut: it records the user's approval of the app and
// stores a new refresh token with the app's scopes, as if the user had completed the web
// server flow, and returns the token's value (to be shown once) and its row. The rules
// still apply: same org, active user, a refresh scope on the app, pre-authorization for
// an admin-approved app, and the app not blocked. Not a Salesforce API.
func (s *Service) MintRefreshToken(ctx context.Context, actor Actor, appID, userID sfid.ID) (string, org.RefreshToken, error) {
	var t org.RefreshToken
	app, err := s.st.ConnectedApp(ctx, appID)
	if errors.Is(err, store.ErrNotFound) {
		return "", t, NotFoundf("no connected app %s", appID)
	}
	if err != nil {
		return "", t, err
	}
	u, err := s.grantUser(ctx, userID)
	if err != nil {
		return "", t, err
	}
	switch {
	case u.OrgID != app.OrgID:
		return "", t, Invalidf("user %s is not in the org of connected app %s", u.Username, app.Name)
	case !u.Active:
		return "", t, Invalidf("user %s is inactive", u.Username)
	case u.Frozen:
		return "", t, Invalidf("user %s is frozen", u.Username)
	case !org.GrantsRefresh(app.Scopes):
		return "", t, Invalidf("connected app %s has neither the refresh_token nor the offline_access scope", app.Name)
	case app.Blocked:
		return "", t, Invalidf("connected app %s is blocked", app.Name)
	}
	if app.AdminApproved() {
		p, err := s.dir.Principal(ctx, u.ID)
		if err != nil {
			return "", t, err
		}
		if !org.PreAuthorized(app, p.User) {
			return "", t, Invalidf("user %s is not admin approved to access connected app %s", u.Username, app.Name)
		}
	}
	now := s.OrgNow(app.OrgID).UTC() // the org's time: the token ages in it (time travel)
	if err := s.st.PutApproval(ctx, org.Approval{OrgID: app.OrgID, UserID: u.ID, AppID: app.ID, Scopes: app.Scopes, CreatedAt: now}); err != nil {
		return "", t, err
	}
	value, hash := secret.RefreshToken()
	t = org.RefreshToken{TokenHash: hash, OrgID: app.OrgID, UserID: u.ID, AppID: app.ID, Scopes: app.Scopes, CreatedAt: now}
	if err := s.st.PutRefreshToken(ctx, &t); err != nil {
		return "", t, err
	}
	return value, t, s.auditGrant(ctx, actor, app.OrgID, u.ID, "", org.AuditMintedRefreshToken,
		fmt.Sprintf("Minted OAuth token %s for user %s and connected app %s (test shortcut)", t.ID, u.Username, app.Name))
}

func (s *Service) grantUser(ctx context.Context, id sfid.ID) (org.User, error) {
	u, err := s.st.User(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return u, NotFoundf("no user %s", id)
	}
	return u, err
}

// auditGrant records a grant change; the row's object is the user, the app named in the
// line when there is one.
func (s *Service) auditGrant(ctx context.Context, actor Actor, orgID, userID, appID sfid.ID, action, display string) error {
	if !appID.IsZero() {
		if app, err := s.st.ConnectedApp(ctx, appID); err == nil {
			display += " for connected app " + app.Name
		}
	}
	return s.Update(ctx, actor, func(tx *Tx) error {
		return tx.Audit(orgID, org.AuditSectionConnectedApps, action, userID, display)
	})
}

// RevokeAppAccess is Connected App User's Usage → Revoke (userID set) and Revoke All
// (userID zero): the app's refresh tokens of that user (or of every user), the sessions
// minted from them and every other session of the app the user holds (client credentials
// and JWT bearer sessions have no refresh token). The approvals stay: Salesforce's Revoke
// ends the OAuth tokens, and the user may authorize again.
func (s *Service) RevokeAppAccess(ctx context.Context, actor Actor, appID, userID sfid.ID) (Revoked, error) {
	app, err := s.st.ConnectedApp(ctx, appID)
	if errors.Is(err, store.ErrNotFound) {
		return Revoked{}, NotFoundf("no connected app %s", appID)
	}
	if err != nil {
		return Revoked{}, err
	}
	who := "every user"
	if !userID.IsZero() {
		u, err := s.grantUser(ctx, userID)
		if err != nil {
			return Revoked{}, err
		}
		if u.OrgID != app.OrgID {
			return Revoked{}, NotFoundf("no user %s in the org of connected app %s", userID, app.Name)
		}
		who = "user " + u.Username
	}
	gone, n, err := s.sessions.RevokeRefreshTokens(ctx, s.st, store.GrantFilter{AppID: app.ID, UserID: userID})
	if err != nil {
		return Revoked{}, err
	}
	r := Revoked{OAuthTokens: len(gone), Sessions: n}
	ss, err := s.st.ListSessions(ctx, store.SessionFilter{AppID: app.ID, UserID: userID})
	if err != nil {
		return r, err
	}
	for _, sess := range ss {
		if _, err := s.sessions.RevokeID(ctx, sess.ID); err == nil {
			r.Sessions++
		} else if !errors.Is(err, store.ErrNotFound) {
			return r, err
		}
	}
	return r, s.auditGrant(ctx, actor, app.OrgID, userID, "", org.AuditRevokedOAuthTokens,
		fmt.Sprintf("Revoked connected app %s for %s: %d OAuth token(s), %d session(s)", app.Name, who, r.OAuthTokens, r.Sessions))
}
