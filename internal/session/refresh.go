package session

import (
	"context"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RevokeRefreshTokens deletes the refresh tokens f selects and every session minted from
// them (store.OAuthGrants.DeleteRefreshTokens, one transaction), then evicts those sessions
// from memory — opaque ones from the cache, JWT ones from the live set — exactly as
// Revoke does for one access token, so none of them is accepted on its next use (the
// webflow reference §4.7: revoking a refresh token revokes "any associated access
// tokens"). It returns the deleted tokens and the number of sessions ended.
func (m *Manager) RevokeRefreshTokens(ctx context.Context, grants store.OAuthGrants, f store.GrantFilter) ([]org.RefreshToken, int, error) {
	tokens, sessions, err := grants.DeleteRefreshTokens(ctx, f)
	for _, s := range sessions {
		m.evict(keyOf(s.TokenHash))
	}
	return tokens, len(sessions), err
}

// EndUser ends everything a user holds: every session and every refresh token (with the
// sessions minted from them). Deactivating a user or changing their password does this
// (the webflow reference §4.6: "Salesforce revokes all refresh tokens on password
// change"). grants may be nil (no refresh tokens to end).
func (m *Manager) EndUser(ctx context.Context, grants store.OAuthGrants, userID sfid.ID) error {
	if grants != nil {
		if _, _, err := m.RevokeRefreshTokens(ctx, grants, store.GrantFilter{UserID: userID}); err != nil {
			return err
		}
	}
	_, err := m.RevokeUser(ctx, userID)
	return err
}
