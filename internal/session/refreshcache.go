package session

import (
	"context"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// A cache of live refresh tokens, so that a refresh reads no database: the token's row is
// immutable but for its uses (kept in memory by RecordRefreshUse) and its rotation, and it
// is removed by revocations — all of which go through this Manager, which evicts the
// entries it changes. Like the session cache it is per process; with several nodes the
// Manager tells the others what it evicted (cluster.go).

// maxCachedRefresh bounds the cache; past it, it starts over (a miss costs one read).
const maxCachedRefresh = 100_000

type refreshCache struct {
	mu sync.RWMutex
	m  map[[32]byte]org.RefreshToken
}

// RefreshToken returns the refresh token stored under hash (the grant's lookup), from
// memory when this process has read it before. Its LastUsedAt includes the uses not yet
// written. Rotated tokens are never cached: presenting one is reuse, read from the store.
// A token read while a revocation ran is not cached (see MarkRevocations).
func (m *Manager) RefreshToken(ctx context.Context, grants store.OAuthGrants, hash []byte) (org.RefreshToken, error) {
	k := keyOf(hash)
	m.refresh.mu.RLock()
	t, ok := m.refresh.m[k]
	m.refresh.mu.RUnlock()
	if !ok {
		mark := m.MarkRevocations()
		var err error
		if t, err = grants.RefreshTokenByHash(ctx, hash); err != nil {
			return t, err
		}
		if t.RotatedAt.IsZero() && !m.revokedHereSince(mark) {
			m.refresh.mu.Lock()
			if m.refresh.m == nil || len(m.refresh.m) >= maxCachedRefresh {
				m.refresh.m = map[[32]byte]org.RefreshToken{}
			}
			m.refresh.m[k] = t
			m.refresh.mu.Unlock()
		}
	}
	if last := m.LastRefreshUse(t.ID); last.After(t.LastUsedAt) {
		t.LastUsedAt = last
	}
	return t, nil
}

// RotateRefreshToken is store.OAuthGrants.RotateRefreshToken that also forgets the
// rotated token (stored under oldHash), so that presenting it again reads the store and
// finds it rotated.
func (m *Manager) RotateRefreshToken(ctx context.Context, grants store.OAuthGrants, old org.RefreshToken, next *org.RefreshToken, now time.Time) error {
	m.forgetRefresh(old)
	err := grants.RotateRefreshToken(ctx, old.ID, next, now)
	m.forgetRefresh(old) // a miss may have cached it meanwhile, before the rotation committed
	if err == nil {
		m.refreshRevoked(ctx, old) // other nodes forget it too
	}
	return err
}

// forgetRefresh evicts tokens from the cache.
func (m *Manager) forgetRefresh(tokens ...org.RefreshToken) {
	m.refresh.mu.Lock()
	for _, t := range tokens {
		delete(m.refresh.m, keyOf(t.TokenHash))
	}
	m.refresh.mu.Unlock()
}
