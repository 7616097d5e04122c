package session

// Several nodes (issue 12 §3). Each node's Manager caches sessions, live JWT keys and
// refresh tokens; a revocation on one node must reach the others' caches. So a Manager
// whose Options.Cluster is shared (cluster.Shared):
//
//   - announces, once the store's delete has committed, every key it evicted: on topic
//     "session", "t:<hex>,<hex>,…" for session keys (opaque and JWT alike) and
//     "r:<hex>,…" for the token hashes of refresh tokens revoked or rotated; other nodes
//     drop them (and count a refresh revocation for MarkRevocations), normally within
//     milliseconds;
//   - on cluster.Resync (the listener was disconnected, or the periodic resync) bumps its
//     gen: every cached session and live JWT key is read from the store again on its next
//     use, and the refresh token cache is emptied. Cached entries keep their in-memory
//     activity, so nothing unflushed is lost;
//   - reads the store when a JWT's key is not in its live set (another node issued it),
//     as it already does for an opaque token it has not cached;
//   - runs the expired-session sweep on one node per period (cluster.Timers).
//
// A token issued on one node works on every other at once: its row is committed before
// Issue returns, and the other node's cache miss reads it.
//
// If a node dies after its delete committed and before it published, the notice is lost:
// the other nodes keep accepting the revoked token until the next periodic Resync (every
// minute on PostgreSQL: postgres.ResyncEvery), when they read the row again and find it
// gone. That period is the bound; its cost is one store read per cached session per
// period per node. A failed Publish (the database unreachable) is logged and has the same
// bound.
//
// On one node (cluster.Local) none of this runs: nothing is published or subscribed, gen
// never moves, and Validate's cache hit costs one extra atomic load.

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// noticeTopic is the topic of the Manager's notices.
const noticeTopic = "session"

// maxNoticeKeys bounds the keys in one notice: 13 × 65 bytes stays under the 1,000-byte
// payload the cluster contract allows.
const maxNoticeKeys = 13

// joinCluster subscribes to the other nodes' notices when the cluster is shared.
func (m *Manager) joinCluster() {
	if !cluster.Shared(m.opts.Cluster) {
		return
	}
	m.shared = true
	m.opts.Cluster.Subscribe(noticeTopic, m.onNotice)
}

// sessionKeys returns the cache keys of sessions.
func sessionKeys(ss []org.Session) [][32]byte {
	ks := make([][32]byte, len(ss))
	for i, s := range ss {
		ks[i] = keyOf(s.TokenHash)
	}
	return ks
}

// revoked drops sessions whose rows were deleted from this node's cache and tells the
// other nodes to drop them too.
func (m *Manager) revoked(ctx context.Context, keys ...[32]byte) {
	for _, k := range keys {
		m.drop(k)
	}
	if m.shared {
		m.announce(ctx, "t:", keys)
	}
}

// revokedIf is revoked for a delete that returned err: a token no row matched (a
// revocation of a garbage or already revoked token) is dropped here only, so that such
// requests cost the other nodes nothing.
func (m *Manager) revokedIf(ctx context.Context, err error, k [32]byte) {
	if err != nil {
		m.drop(k)
		return
	}
	m.revoked(ctx, k)
}

// refreshRevoked tells the other nodes to forget refresh tokens revoked or rotated here
// (this node already did).
func (m *Manager) refreshRevoked(ctx context.Context, tokens ...org.RefreshToken) {
	if !m.shared || len(tokens) == 0 {
		return
	}
	keys := make([][32]byte, len(tokens))
	for i, t := range tokens {
		keys[i] = keyOf(t.TokenHash)
	}
	m.announce(ctx, "r:", keys)
}

// announce publishes keys under kind, maxNoticeKeys a notice. It is not cancelled with
// the request that revoked (a client hanging up must not keep the others stale).
func (m *Manager) announce(ctx context.Context, kind string, keys [][32]byte) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	var b strings.Builder
	for len(keys) > 0 {
		n := min(len(keys), maxNoticeKeys)
		b.Reset()
		b.WriteString(kind)
		for i, k := range keys[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(hex.EncodeToString(k[:]))
		}
		keys = keys[n:]
		if err := m.opts.Cluster.Publish(ctx, noticeTopic, b.String()); err != nil {
			m.opts.Logger.Error("announcing revoked sessions to the other nodes; they notice at their next resync",
				"err", err)
		}
	}
}

// onNotice applies a notice (this node's own included: dropping twice is harmless). It
// runs on the coordinator's goroutine and takes only short locks.
func (m *Manager) onNotice(payload string) {
	if payload == cluster.Resync {
		m.resync()
		return
	}
	kind, list, _ := strings.Cut(payload, ":")
	var keys [][32]byte
	for _, h := range strings.Split(list, ",") {
		var k [32]byte
		if n, err := hex.Decode(k[:], []byte(h)); err == nil && n == len(k) {
			keys = append(keys, k)
		}
	}
	switch kind {
	case "t":
		for _, k := range keys {
			m.drop(k)
		}
	case "r":
		m.revGen.Add(1)
		m.refresh.mu.Lock()
		for _, k := range keys {
			delete(m.refresh.m, k)
		}
		m.refresh.mu.Unlock()
	}
}

// resync makes every cached session and live JWT key be read again before its next use
// and empties the refresh token cache.
func (m *Manager) resync() {
	m.gen.Add(1)
	m.epoch.Add(1) // a load in flight may have read before the gap
	m.revGen.Add(1)
	m.refresh.mu.Lock()
	clear(m.refresh.m)
	m.refresh.mu.Unlock()
}

// recheck reads a cached session's row again after a Resync: gone, it is dropped and
// the token refused; there, the entry (with its in-memory activity) is trusted again.
func (m *Manager) recheck(ctx context.Context, k [32]byte, e *entry) error {
	gen := m.gen.Load()
	if _, err := m.st.SessionByTokenHash(ctx, k[:]); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			m.drop(k)
			return ErrInvalid
		}
		return err
	}
	e.checked.Store(gen)
	return nil
}
