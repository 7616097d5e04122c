package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// mint is one grant of tokens to a proven, policy-checked user of an app: what the
// authorization code and refresh token grants (token endpoint) and the user-agent flow
// (the authorize endpoint's response_type=token) hand to mintGrant.
type mint struct {
	App       org.ConnectedApp
	ClientID  string // the consumer key the client used: the id_token's aud
	Principal org.Principal
	// Scopes are the granted scopes: the session's, the response's scope, and the
	// refresh token's. refresh_token or offline_access among them asks for a refresh token.
	Scopes []string
	// Event is the attempt's LoginHistory row (LoginType, LoginSubType, SourceIP, LoginURL
	// and the app and user set); mintGrant sets Status Success and Time and stores it with
	// the session, in one transaction. Its LoginSubType is the session's LoginType.
	Event *org.LoginEvent
	// ConsumerSecret, when the client presented one, signs the response (signature, the
	// reference §1.10). A public client (no secret) gets no signature.
	ConsumerSecret string
	// Nonce and AuthTime go into the id_token (nonce omitted when empty, auth_time when
	// zero).
	Nonce    string
	AuthTime time.Time
	// Refresh is the refresh token the session is minted from (the refresh token grant:
	// the presented token, or its successor after a rotation). When nil and Scopes grant
	// refresh, mintGrant issues a new refresh token (a new family).
	Refresh *org.RefreshToken
	// RefreshValue is the plaintext of Refresh to return in the response (a rotation's new
	// token); empty: the response carries no refresh_token (a refresh without rotation,
	// the webflow reference §4.3).
	RefreshValue string
	// revMark is the revocation mark taken before Refresh was read (nil: mintGrant takes
	// one before it creates a refresh token).
	revMark *session.RevocationMark
}

// mintGrant issues what a grant gives (the webflow reference §3.5, §4.3, §5.1, §8.1):
//
//   - a session (access token: opaque, or a JWT for apps with JWT access tokens) with the
//     granted scopes, linked to its refresh token (Session.RefreshTokenID) so that
//     revoking the refresh token ends it;
//   - when Refresh is nil and the scopes include refresh_token or offline_access
//     (org.GrantsRefresh), a new refresh token: 256 random bits behind "5Aep861", stored
//     only as its SHA-256 (an OauthToken row, store.OAuthGrants.PutRefreshToken);
//   - when openid is granted, an id_token: RS256, signed with the keyring key published
//     at /id/keys, claims at_hash (left half of SHA-256 of the access token, base64url),
//     sub (the identity URL), aud (the consumer key), iss (this server's base URL, as
//     discovery's issuer), exp = iat + the app's ID Token Validity (default 2 minutes),
//     iat, auth_time (when known) and nonce (when given);
//   - the LoginHistory row m.Event, with status Success, written with the session.
//
// It checks nothing about the user or the app: the caller has (token.go's userPolicy, or
// the authorize endpoint's own checks). A failure after the refresh token was stored
// deletes it again, so a refused grant leaves no usable token behind; a refresh token
// revoked while the session was being issued ends that session and answers
// ErrRefreshExpired. The LoginHistory row of a success is written with the session; a
// refusal's row is the caller's to record (handleToken does).
func (s *Server) mintGrant(ctx context.Context, m mint) (*tokenResponse, *Error) {
	o, err := s.dir.Org(ctx, m.App.OrgID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading org", "err", err, "org", m.App.OrgID)
		return nil, errServer
	}
	openid := slices.Contains(m.Scopes, "openid")
	if openid && s.keys == nil {
		s.log.ErrorContext(ctx, "openid granted but no signing keyring is configured")
		return nil, errServer
	}
	now := s.orgNow(m.App.OrgID).UTC()
	if m.revMark == nil {
		mark := s.sessions.MarkRevocations()
		m.revMark = &mark
	}
	refresh, refreshValue := m.Refresh, m.RefreshValue
	var fresh *org.RefreshToken // a refresh token stored by this call
	if refresh == nil && org.GrantsRefresh(m.Scopes) {
		if s.grantStore == nil {
			s.log.ErrorContext(ctx, "refresh token requested but no grant store is configured")
			return nil, errServer
		}
		var hash []byte
		refreshValue, hash = secret.RefreshToken()
		fresh = &org.RefreshToken{TokenHash: hash, OrgID: m.App.OrgID,
			UserID: m.Principal.User.ID, AppID: m.App.ID, Scopes: m.Scopes, CreatedAt: now}
		if err := s.grantStore.PutRefreshToken(ctx, fresh); err != nil {
			s.log.ErrorContext(ctx, "storing refresh token", "err", err)
			return nil, errServer
		}
		refresh = fresh
	}
	undo := func() {
		if fresh != nil {
			if _, _, err := s.grantStore.DeleteRefreshTokens(context.WithoutCancel(ctx), store.GrantFilter{ID: fresh.ID}); err != nil {
				s.log.ErrorContext(ctx, "deleting an unissued refresh token", "err", err)
			}
		}
	}
	ev := m.Event
	sess := org.Session{
		OrgID: m.App.OrgID, UserID: m.Principal.User.ID, AppID: m.App.ID, Scopes: m.Scopes,
		SourceIP: ev.SourceIP, LoginType: ev.LoginSubType, CreatedAt: now, LastActivity: now,
		Timeout: org.SessionTimeout(m.App, m.Principal.Profile, o),
	}
	if refresh != nil {
		sess.RefreshTokenID = refresh.ID
	}
	ev.OrgID, ev.AppID, ev.Application, ev.UserID = m.App.OrgID, m.App.ID, m.App.Name, m.Principal.User.ID
	ev.Status, ev.Time = org.LoginStatusSuccess, now
	resp, e := s.issueSession(ctx, m.App, m.ClientID, sess, ev, m.ConsumerSecret)
	if e != nil {
		undo()
		return nil, e
	}
	// A revocation of the refresh token (by the user, an admin, a password change, a
	// reused rotated token) that committed between its read and the session's commit did
	// not see the session; the token must still exist now, or the session is ended too.
	// Only a revocation that ran meanwhile can have done that (session.MarkRevocations),
	// so the token is read again only then.
	if refresh != nil && s.sessions.RevokedSince(*m.revMark) {
		if _, err := s.grantStore.RefreshTokenByHash(ctx, refresh.TokenHash); err != nil {
			if _, rerr := s.sessions.Revoke(context.WithoutCancel(ctx), resp.AccessToken); rerr != nil {
				s.log.ErrorContext(ctx, "ending a session whose refresh token was revoked meanwhile", "err", rerr)
			}
			if errors.Is(err, store.ErrNotFound) {
				return nil, ErrRefreshExpired
			}
			s.log.ErrorContext(ctx, "re-reading refresh token", "err", err)
			return nil, errServer
		}
	}
	resp.RefreshToken = refreshValue
	if openid {
		tok, err := s.idToken(ctx, m, resp.AccessToken, now)
		if err != nil {
			s.log.ErrorContext(ctx, "signing id_token", "err", err)
			if _, rerr := s.sessions.Revoke(context.WithoutCancel(ctx), resp.AccessToken); rerr != nil {
				s.log.ErrorContext(ctx, "ending a session whose id_token could not be signed", "err", rerr)
			}
			undo()
			return nil, errServer
		}
		resp.IDToken = tok
	}
	return resp, nil
}

// idTokenClaims is the id_token payload in the order observed on Salesforce (the webflow
// reference §8.1: at_hash, sub, then the registered claims).
type idTokenClaims struct {
	AtHash   string `json:"at_hash"`
	Subject  string `json:"sub"`
	Audience string `json:"aud"`
	Issuer   string `json:"iss"`
	Expiry   int64  `json:"exp"`
	IssuedAt int64  `json:"iat"`
	AuthTime int64  `json:"auth_time,omitempty"`
	Nonce    string `json:"nonce,omitempty"`
}

// idToken signs the id_token of a grant whose access token is accessToken. sub and iss
// follow the Salesforce host the request was sent to (hosts.go; the webflow reference §8.1:
// iss matches the host the flow ran on).
func (s *Server) idToken(ctx context.Context, m mint, accessToken string, now time.Time) (string, error) {
	if s.keys == nil {
		return "", errors.New("openid granted but no signing keyring is configured")
	}
	sum := sha256.Sum256([]byte(accessToken))
	c := idTokenClaims{
		AtHash:   base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]),
		Subject:  s.identityURLAt(ctx, m.App.OrgID.String(), m.Principal.User.ID.String()),
		Audience: m.ClientID,
		Issuer:   s.loginURL(ctx),
		Expiry:   now.Add(m.App.IDTokenValidity()).Unix(),
		IssuedAt: now.Unix(),
		Nonce:    m.Nonce,
	}
	if !m.AuthTime.IsZero() {
		c.AuthTime = m.AuthTime.Unix()
	}
	return s.keys.SignJWT(now, c)
}

// approved reports whether a user approved an app: named in the app's approved users
// (the org file's approvedUsers) or through a stored approval (the "Allow Access?" page,
// store.OAuthGrants.PutApproval). The JWT bearer flow's prior approval and the authorize
// endpoint's "approval needed?" both ask this (the webflow reference §2.3).
func (s *Server) approved(ctx context.Context, app org.ConnectedApp, userID sfid.ID) (bool, error) {
	if org.Approved(app, userID) {
		return true, nil
	}
	if s.grantStore == nil {
		return false, nil
	}
	as, err := s.grantStore.Approvals(ctx, store.GrantFilter{UserID: userID, AppID: app.ID})
	if err != nil {
		return false, err
	}
	return len(as) > 0, nil
}
