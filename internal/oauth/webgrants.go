package oauth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/store"
)

// The web server flow's token exchange (grant_type=authorization_code, the webflow
// reference §3) and the refresh token flow (grant_type=refresh_token, §4). Codes are
// issued by the authorize endpoint; both grants mint through mintGrant (mint.go).

// Errors of the two grants (the webflow reference §3.4, §4.6), with the LoginHistory
// status recorded for each.
var (
	// ErrCodeExpired is the observed answer for a reused code (and one past its 15
	// minutes). A code is deleted when it is taken, so a well-formed code that is not
	// found is answered so too: it was used, expired and swept, or never issued.
	ErrCodeExpired = oauthErr("invalid_grant", "expired authorization code", "Failed: Expired authorization code")
	// ErrCodeInvalid: a malformed code, or one issued to another client
	// [UNCONFIRMED text, the reference's recommendation].
	ErrCodeInvalid      = oauthErr("invalid_grant", "invalid authorization code", "Failed: Invalid authorization code")
	ErrRedirectMismatch = oauthErr("redirect_uri_mismatch", "redirect_uri must match configuration", "Failed: Redirect URI mismatch")
	ErrInvalidVerifier  = oauthErr("invalid_grant", "invalid code verifier", org.LoginStatusInvalidVerifier)
	// ErrRefreshExpired answers an unknown, revoked, rotated-out or policy-expired
	// refresh token, and one issued to another app (§4.6).
	ErrRefreshExpired      = oauthErr("invalid_grant", "expired access/refresh token", "Failed: Expired refresh token")
	ErrRefreshIPRestricted = oauthErr("invalid_grant", "ip restricted", org.LoginStatusRestrictedIP)
	// errNoGrantStore: the server was configured without a grant store.
	errNoGrantStore = ErrUnsupportedGrant
)

// rotationGrace is how long after a rotation presenting the rotated-out token counts as a
// request that raced the rotation (refused) rather than as reuse (which revokes the whole
// family, the winner's new token included): of concurrent refreshes with one token,
// exactly one must win. Later presentations are reuse. Salesforce's own window, if any, is
// unknown (docs/compatibility.md).
const rotationGrace = 2 * time.Second

// minVerifier is RFC 7636 §4.1's minimum code_verifier length. There is deliberately no
// maximum: jsforce and sf send 171 characters (the webflow reference §0.1 item 3); the
// body's size bound (maxFormBytes) is the only cap.
const minVerifier = 43

// authenticatePerApp is client authentication for grants whose secret the app may make
// optional: a sent secret goes through authenticateClient (verified and throttled, like
// every grant's); without one, the consumer key must name an app that allows that.
func (s *Server) authenticatePerApp(ctx context.Context, r *http.Request, p params, optional func(org.ConnectedApp) bool) (*authenticatedClient, *Error) {
	id, sec, _, e := clientCredentials(r, p)
	if e != nil {
		return nil, e
	}
	if sec != "" {
		return s.authenticateClient(ctx, r, p)
	}
	app, e := s.appByKey(ctx, id)
	if e == ErrInvalidClientID {
		// Unknown keys count against the caller's address, as in authenticateClient, so
		// that keys cannot be enumerated at speed.
		res, ok, _ := s.failures.Reserve(ctx, "ip:"+sourceIP(r))
		if !ok {
			return nil, ErrRateLimitExceeded
		}
		res.Fail()
		return nil, e
	}
	if e != nil {
		return nil, e
	}
	client := &authenticatedClient{app: app, credential: org.Credential{ConsumerKey: id}}
	if !optional(app) {
		return client, ErrInvalidClient // [UNCONFIRMED for a missing secret; the reference §3.3]
	}
	return client, nil
}

// codeRequest: a code is required (the text is Forcefield's; §3.4 has none).
func codeRequest(p params) *Error {
	if p.get("code") == "" {
		return invalidRequest("code parameter is required")
	}
	return nil
}

// wellFormedCode reports whether code has the shape newOpaque gives codes.
func wellFormedCode(code string) bool {
	rest, ok := strings.CutPrefix(code, codePrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// proveCode takes the code (single use: the store deletes it atomically, so of racing
// exchanges exactly one gets it) and checks what it is bound to: the client, its 15
// minutes, the redirect URI and the PKCE challenge (§3.2). A code taken and then refused
// is gone: a second attempt with a corrected verifier fails as a reused code, as RFC 6749
// §10.5 wants of a code that may have leaked.
func (s *Server) proveCode(ctx context.Context, req *grantRequest) *Error {
	if s.grantStore == nil {
		return errNoGrantStore
	}
	code := req.p.get("code")
	if !wellFormedCode(code) {
		return ErrCodeInvalid
	}
	c, err := s.grantStore.TakeAuthCode(ctx, opaqueHash(code))
	if errors.Is(err, store.ErrNotFound) {
		return ErrCodeExpired
	}
	if err != nil {
		s.log.ErrorContext(ctx, "taking authorization code", "err", err)
		return errServer
	}
	if c.AppID != req.app.ID {
		return ErrCodeInvalid
	}
	req.ev.UserID = c.UserID
	if !s.orgNow(c.OrgID).Before(c.ExpiresAt) {
		return ErrCodeExpired
	}
	if req.p.get("redirect_uri") != c.RedirectURI {
		return ErrRedirectMismatch
	}
	if !verifierMatches(c, req.p.get("code_verifier")) || (c.Challenge == "" && req.app.PKCERequired) {
		return ErrInvalidVerifier
	}
	principal, err := s.dir.Principal(ctx, c.UserID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading user", "err", err, "user", c.UserID)
		return errServer
	}
	req.setUser(principal)
	req.code = &c
	return nil
}

// verifierMatches applies RFC 7636 §4.6 as Salesforce's clients need it (§1.3): no
// challenge at authorize → any verifier (or none) is ignored, since jsforce sends one on
// every token call; a challenge without a method is S256 (jsforce and sfdx-core never
// send the method); plain is supported; a verifier shorter than 43 characters never
// matches. The comparison is constant-time.
func verifierMatches(c org.AuthCode, verifier string) bool {
	if c.Challenge == "" {
		return true
	}
	if len(verifier) < minVerifier {
		return false
	}
	var want string
	switch c.ChallengeMethod {
	case "", "S256":
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	case "plain":
		want = verifier
	default:
		return false
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(c.Challenge)) == 1
}

// issueCode mints the code's grant: its scopes, nonce and login time.
func (s *Server) issueCode(ctx context.Context, req *grantRequest) (*tokenResponse, *Error) {
	return s.mintGrant(ctx, mint{
		App: req.app, ClientID: req.clientID, Principal: req.principal, Scopes: req.code.Scopes,
		Event: req.ev, ConsumerSecret: req.client.secret, Nonce: req.code.Nonce, AuthTime: req.code.AuthTime,
	})
}

// refreshRequest: a refresh token is required (the text is Forcefield's).
func refreshRequest(p params) *Error {
	if p.get("refresh_token") == "" {
		return invalidRequest("refresh_token parameter is required")
	}
	return nil
}

// proveRefresh finds the presented refresh token (by its hash) and checks it belongs to
// the authenticated app, was not rotated out and has not expired under the app's Refresh
// Token Policy (evaluated lazily, on use: §4.5). Presenting a rotated-out token is reuse:
// its whole family is revoked, with every session minted from it (§4.4) — unless the
// rotation is less than rotationGrace old, when the request raced the rotation. Parameters other
// than the token and the client's (code_verifier, redirect_uri, scope) are ignored (§4.1).
func (s *Server) proveRefresh(ctx context.Context, req *grantRequest) *Error {
	if s.grantStore == nil {
		return errNoGrantStore
	}
	req.revMark = s.sessions.MarkRevocations()
	t, err := s.sessions.RefreshToken(ctx, s.grantStore, opaqueHash(req.p.get("refresh_token")))
	if errors.Is(err, store.ErrNotFound) {
		return ErrRefreshExpired
	}
	if err != nil {
		s.log.ErrorContext(ctx, "reading refresh token", "err", err)
		return errServer
	}
	if t.AppID != req.app.ID {
		return ErrRefreshExpired
	}
	req.ev.UserID = t.UserID
	if !t.RotatedAt.IsZero() {
		if s.orgNow(t.OrgID).Sub(t.RotatedAt) < rotationGrace {
			return ErrRefreshExpired // a request that raced the rotation: refused, not reuse
		}
		if _, n, err := s.sessions.RevokeRefreshTokens(ctx, s.grantStore, store.GrantFilter{FamilyID: t.FamilyID}); err != nil {
			s.log.ErrorContext(ctx, "revoking a reused refresh token's family", "err", err)
			return errServer
		} else {
			s.log.WarnContext(ctx, "rotated-out refresh token presented again: its family is revoked",
				"refresh_token_id", t.ID, "family", t.FamilyID, "sessions", n)
		}
		return ErrRefreshExpired
	}
	if req.app.RefreshTokenPolicy.Expired(t.CreatedAt, t.LastUsedAt, s.orgNow(t.OrgID)) {
		return ErrRefreshExpired
	}
	principal, err := s.dir.Principal(ctx, t.UserID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading user", "err", err, "user", t.UserID)
		return errServer
	}
	req.setUser(principal)
	req.refresh = &t
	return nil
}

// issueRefresh records the use (in memory, written in batches with the sessions'
// activity; or, with rotation, replaces the token by a new one of its family, atomically:
// of racing rotations exactly one wins, the others are refused) and mints a new session
// from the token; mintGrant re-reads the token after the session's commit, so a token
// revoked meanwhile ends that session too. The response carries a refresh_token only after a
// rotation (§4.3, §4.4: jsforce and sfdx-core drop a rotated token, so rotation is off by
// default).
func (s *Server) issueRefresh(ctx context.Context, req *grantRequest) (*tokenResponse, *Error) {
	t := req.refresh
	now := s.orgNow(t.OrgID).UTC()
	m := mint{App: req.app, ClientID: req.clientID, Principal: req.principal, Scopes: t.Scopes,
		Event: req.ev, ConsumerSecret: req.client.secret, Refresh: t, revMark: &req.revMark}
	if req.app.RefreshTokenRotation {
		value, hash := secret.RefreshToken()
		next := &org.RefreshToken{TokenHash: hash, OrgID: t.OrgID, UserID: t.UserID, AppID: t.AppID,
			Scopes: t.Scopes, CreatedAt: now}
		err := s.sessions.RotateRefreshToken(ctx, s.grantStore, *t, next, now)
		if errors.Is(err, store.ErrConflict) {
			return nil, ErrRefreshExpired // a racing rotation won, or the token was revoked
		}
		if err != nil {
			s.log.ErrorContext(ctx, "rotating refresh token", "err", err)
			return nil, errServer
		}
		m.Refresh, m.RefreshValue = next, value
	} else if err := s.sessions.RecordRefreshUse(ctx, s.grantStore, t.ID, now); errors.Is(err, store.ErrNotFound) {
		return nil, ErrRefreshExpired // revoked, or rotated, since it was read
	} else if err != nil {
		s.log.ErrorContext(ctx, "recording refresh token use", "err", err)
		return nil, errServer
	}
	return s.mintGrant(ctx, m)
}
