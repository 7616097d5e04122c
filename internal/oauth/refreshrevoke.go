package oauth

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/store"
)

// Refresh tokens at the revocation and introspection endpoints (the webflow reference
// §4.7; RFC 7009, RFC 7662).

// liveRefreshToken returns the stored refresh token tok stands for: not rotated out. ok
// is false for anything else (an access token, an unknown or revoked token). Only tokens
// with the refresh prefix are looked up, so access tokens cost no query here.
func (s *Server) liveRefreshToken(ctx context.Context, tok string) (org.RefreshToken, bool, error) {
	if s.grantStore == nil || !strings.HasPrefix(tok, secret.RefreshTokenPrefix) {
		return org.RefreshToken{}, false, nil
	}
	t, err := s.grantStore.RefreshTokenByHash(ctx, opaqueHash(tok))
	if errors.Is(err, store.ErrNotFound) {
		return t, false, nil
	}
	if err != nil {
		return t, false, err
	}
	return t, true, nil
}

// revokeRefresh handles a revocation whose token is a refresh token: the token, the rest
// of its rotation family and every access token minted from any of them end at once
// (session caches and JWT live sets included). A rotated-out token revokes its family
// too: whoever holds it held the chain. It reports whether tok was a refresh token.
func (s *Server) revokeRefresh(w http.ResponseWriter, r *http.Request, tok string) bool {
	t, ok, err := s.liveRefreshToken(r.Context(), tok)
	if err != nil {
		s.log.ErrorContext(r.Context(), "reading refresh token", "err", err)
		writeError(w, errServer)
		return true
	}
	if !ok {
		return false
	}
	if _, _, err := s.sessions.RevokeRefreshTokens(r.Context(), s.grantStore, store.GrantFilter{FamilyID: t.FamilyID}); err != nil {
		s.log.ErrorContext(r.Context(), "revoking refresh token", "err", err)
		writeError(w, errServer)
		return true
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	return true
}

// introspectRefresh answers RFC 7662 for a refresh token (whatever token_type_hint says:
// the hint is only an optimisation, §2.1): active while it exists, is not rotated out and
// has not expired under its app's policy; token_type "refresh_token", no exp unless the
// policy gives one. It reports whether tok was a refresh token the caller may see.
func (s *Server) introspectRefresh(w http.ResponseWriter, r *http.Request, client *authenticatedClient, tok string) bool {
	ctx := r.Context()
	t, ok, err := s.liveRefreshToken(ctx, tok)
	if err != nil {
		s.log.ErrorContext(ctx, "reading refresh token", "err", err)
		writeError(w, errServer)
		return true
	}
	if !ok {
		return false
	}
	if t.AppID != client.app.ID && !(client.app.IntrospectAllTokens && t.OrgID == client.app.OrgID) {
		writeJSON(w, http.StatusOK, introspection{Active: false})
		return true
	}
	app, err := s.dir.App(ctx, t.AppID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading connected app", "err", err)
		writeError(w, errServer)
		return true
	}
	now := s.orgNow(t.OrgID)
	if !t.RotatedAt.IsZero() || app.RefreshTokenPolicy.Expired(t.CreatedAt, t.LastUsedAt, now) {
		writeJSON(w, http.StatusOK, introspection{Active: false})
		return true
	}
	u, err := s.dir.Principal(ctx, t.UserID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading token user", "err", err)
		writeError(w, errServer)
		return true
	}
	clientID := client.credential.ConsumerKey
	if t.AppID != client.app.ID {
		clientID = s.consumerKey(r, t.AppID)
	}
	resp := introspection{Active: true, Scope: strings.Join(t.Scopes, " "), ClientID: clientID,
		Username: u.User.Username, Sub: s.identityURLAt(r.Context(), t.OrgID.String(), t.UserID.String()),
		TokenType: "refresh_token", Iat: t.CreatedAt.Unix(), Nbf: t.CreatedAt.Unix()}
	if kind, d, err := org.ParseRefreshPolicy(app.RefreshTokenPolicy); err == nil {
		switch kind {
		case org.RefreshLifetime:
			resp.Exp = t.CreatedAt.Add(d).Unix()
		case org.RefreshInactivity:
			last := t.LastUsedAt
			if last.IsZero() {
				last = t.CreatedAt
			}
			resp.Exp = last.Add(d).Unix()
		}
	}
	writeJSON(w, http.StatusOK, resp)
	return true
}
