package session

import (
	"context"
	"sync"
	"time"

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
	m.revoking.Add(1)
	defer func() { m.revGen.Add(1); m.revoking.Add(-1) }()
	tokens, sessions, err := grants.DeleteRefreshTokens(ctx, f)
	m.forgetRefresh(tokens...) // before revGen moves: see RefreshToken
	m.revoked(ctx, sessionKeys(sessions)...)
	m.refreshRevoked(ctx, tokens...)
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

// refreshUses holds refresh token uses not yet written (RecordRefreshUse).
type refreshUses struct {
	mu      sync.Mutex
	pending map[sfid.ID]store.RefreshUse
	// written is the last use of each token this process recorded, written or not, so
	// that a cached token's LastUsedAt stays current after a flush.
	written map[sfid.ID]time.Time
}

// RecordRefreshUse notes one use of a refresh token at t. The use is written with the
// sessions' activity, every FlushInterval and at Close (store.RefreshUseRecorder), so a
// refresh costs no write of its own; a restart may forget at most FlushInterval of uses,
// which can only make an inactivity policy expire a token earlier, never later. A store
// that cannot batch gets one UseRefreshToken per use, now.
func (m *Manager) RecordRefreshUse(ctx context.Context, grants store.OAuthGrants, id sfid.ID, t time.Time) error {
	if _, ok := m.st.(store.RefreshUseRecorder); !ok {
		return grants.UseRefreshToken(ctx, id, t)
	}
	m.uses.mu.Lock()
	defer m.uses.mu.Unlock()
	if m.uses.pending == nil {
		m.uses.pending = map[sfid.ID]store.RefreshUse{}
	}
	if m.uses.written == nil || len(m.uses.written) >= maxCachedRefresh {
		m.uses.written = map[sfid.ID]time.Time{}
	}
	u := m.uses.pending[id]
	u.ID, u.Count = id, u.Count+1
	if t.After(u.LastUsedAt) {
		u.LastUsedAt = t
	}
	m.uses.pending[id] = u
	m.uses.written[id] = u.LastUsedAt // kept past the flush for the cache (refreshcache.go)
	return nil
}

// LastRefreshUse returns the latest use of a refresh token this process recorded, written
// or not (zero: none known), so that an inactivity policy sees every use this process
// made whatever the copy of the token it holds.
func (m *Manager) LastRefreshUse(id sfid.ID) time.Time {
	m.uses.mu.Lock()
	defer m.uses.mu.Unlock()
	return m.uses.written[id]
}

// flushRefreshUses writes the pending uses; on failure they are put back.
func (m *Manager) flushRefreshUses(ctx context.Context) error {
	rec, ok := m.st.(store.RefreshUseRecorder)
	if !ok {
		return nil
	}
	m.uses.mu.Lock()
	pending := m.uses.pending
	m.uses.pending = nil
	m.uses.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	batch := make([]store.RefreshUse, 0, len(pending))
	for _, u := range pending {
		batch = append(batch, u)
	}
	if err := rec.RecordRefreshUses(ctx, batch); err != nil {
		m.uses.mu.Lock()
		if m.uses.pending == nil {
			m.uses.pending = map[sfid.ID]store.RefreshUse{}
		}
		for _, u := range batch {
			cur := m.uses.pending[u.ID]
			cur.ID, cur.Count = u.ID, cur.Count+u.Count
			if u.LastUsedAt.After(cur.LastUsedAt) {
				cur.LastUsedAt = u.LastUsedAt
			}
			m.uses.pending[u.ID] = cur
		}
		m.uses.mu.Unlock()
		m.opts.Logger.Error("writing refresh token uses", "err", err, "tokens", len(batch))
		return err
	}
	return nil
}

// RevocationMark is a point in the history of this Manager's refresh token revocations
// (MarkRevocations).
type RevocationMark struct {
	gen  uint64
	busy bool
}

// MarkRevocations returns the current mark. A grant takes one before it reads (or
// creates) its refresh token and asks RevokedSince after its session is committed: if no
// revocation ran in between, none can have deleted the token without also deleting the
// session (DeleteRefreshTokens deletes the sessions minted from the tokens), so the grant
// need not read the token again. Revocations are counted in this process only: every
// revocation path goes through RevokeRefreshTokens (the revoke endpoint, reuse
// detection, the admin API, password changes and deactivations).
func (m *Manager) MarkRevocations() RevocationMark {
	return RevocationMark{gen: m.revGen.Load(), busy: m.revoking.Load() > 0}
}

// RevokedSince reports whether a refresh token revocation ran, or was running, at any
// time since mark was taken.
//
// With several nodes a revocation may run on another node, and this one hears of it only
// by a notice (cluster.go), maybe after the grant asked; so there RevokedSince is always
// true and the grant reads its token again: one indexed read per refresh grant.
func (m *Manager) RevokedSince(mark RevocationMark) bool {
	return m.shared || m.revokedHereSince(mark)
}

// revokedHereSince is RevokedSince for the revocations this node ran or heard of: what
// the refresh token cache needs (a remote revocation's notice evicts what it cached).
func (m *Manager) revokedHereSince(mark RevocationMark) bool {
	return mark.busy || m.revoking.Load() > 0 || m.revGen.Load() != mark.gen
}
