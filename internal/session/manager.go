// Package session issues and validates the sessions that access tokens stand for.
//
// An access token is "<15-char org ID>!<opaque>" (the reference §6.1); only a key derived
// from its SHA-256 is stored (see token.go). Sessions end after an inactivity timeout that slides on use (the reference §3.4).
// Sliding must not cost a database write per request, so the Manager keeps used sessions in
// memory, moves their last-activity time there, and writes the times in batches every
// FlushInterval. A restart therefore forgets at most FlushInterval of activity, which can
// only make a session expire earlier, never later. Revocation removes the row and the cache
// entry together, so a revoked token fails on its very next use.
//
// Apps may instead get RS256 JWT access tokens (jwtsession.go, signed with the rotating keys
// of keyring.go); those are validated without reading the store.
package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// ErrInvalid means the token is unknown, expired or revoked.
var ErrInvalid = errors.New("session: invalid or expired")

// Options configures a Manager.
type Options struct {
	Now func() time.Time // default time.Now
	// Clock tells each org's time (time travel, package orgclock): a session lives and
	// idles out in its org's time. Nil: every org is on Now.
	Clock         *orgclock.Clock
	FlushInterval time.Duration // default 15s: how often activity times are written
	SweepInterval time.Duration // default 1m: how often expired sessions are deleted
	// Cluster coordinates this Manager with the other nodes' (cluster.go): revocations
	// are announced to them, theirs are applied here, and the expired-session sweep runs
	// once across the nodes. Nil is one node (as cluster.Local).
	Cluster cluster.Coordinator
	// MaxCached bounds the sessions kept in memory (default 200,000). Past it, sessions
	// whose activity is already written are dropped at random; a dropped session is read
	// back from the store on its next use. Without the bound, an integration that takes a
	// new token for every call would fill memory until the tokens expire.
	MaxCached int
	Logger    *slog.Logger
	// OnCommit, when set, is told each group commit of new sessions and login history:
	// its rows (sessions plus logins), how long the write took, and its error (package
	// metrics). It runs on the committer's goroutine and must not block.
	OnCommit func(rows int, took time.Duration, err error)
}

// Manager is safe for concurrent use.
type Manager struct {
	st     store.Sessions
	opts   Options
	commit *committer

	mu    sync.RWMutex
	cache map[[32]byte]*entry
	// epoch counts revocations. A cache miss reads the store, and a revocation may delete
	// the row and evict between that read and the insert into the cache; the epoch lets
	// the miss notice and not cache a session that no longer exists.
	epoch atomic.Uint64

	stop chan struct{}
	trim chan struct{} // signals the background goroutine that the cache is over MaxCached
	wg   sync.WaitGroup

	jwt atomic.Pointer[jwtState] // nil until EnableJWT (jwtsession.go)

	uses    refreshUses  // refresh token uses not yet written (refresh.go)
	refresh refreshCache // live refresh tokens (refreshcache.go)
	// revoking counts refresh token revocations in progress, revGen those finished
	// (refresh.go: MarkRevocations).
	revoking atomic.Int64
	revGen   atomic.Uint64

	// shared is true with several nodes (cluster.go); gen then counts the Resyncs: a
	// cached session or live JWT checked before the latest one is read again before use.
	shared bool
	gen    atomic.Uint64
}

type entry struct {
	s         org.Session   // immutable after insertion
	last      atomic.Int64  // unix ms of last use, in memory
	persisted atomic.Int64  // unix ms last written to the store
	checked   atomic.Uint64 // Manager.gen when the row was last read (several nodes)
}

// NewManager starts a Manager and its background flusher and sweeper.
func NewManager(st store.Sessions, opts Options) *Manager {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Clock == nil {
		opts.Clock = orgclock.New(opts.Now)
	}
	if opts.FlushInterval <= 0 {
		opts.FlushInterval = 15 * time.Second
	}
	if opts.SweepInterval <= 0 {
		opts.SweepInterval = time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxCached <= 0 {
		opts.MaxCached = 200_000
	}
	m := &Manager{st: st, opts: opts, commit: newCommitter(st, opts.OnCommit), cache: map[[32]byte]*entry{},
		stop: make(chan struct{}), trim: make(chan struct{}, 1)}

	m.joinCluster()
	m.wg.Add(1)
	go m.background()
	return m
}

// OrgNow is org id's time (time travel): what a new session of the org is stamped with.
func (m *Manager) OrgNow(id sfid.ID) time.Time { return m.opts.Clock.Org(id) }

// Issue stores a new session (its TokenHash is set here) with its login-history row in one
// durable group commit and returns the access token.
func (m *Manager) Issue(ctx context.Context, s org.Session, login org.LoginEvent) (string, org.Session, error) {
	token := NewToken(s.OrgID, s.CreatedAt)
	s.TokenHash = TokenKey(token)
	if err := m.commit.submit(&s, &login); err != nil {
		return "", org.Session{}, fmt.Errorf("session: record login: %w", err)
	}
	// The session is not cached here: its first use reads it back once. Integrations that
	// take a new token for every call would otherwise fill the cache (and the garbage
	// collector's work) with sessions that are never used again.
	return token, s, nil
}

// RecordFailure durably stores the login-history row of a refused token request.
func (m *Manager) RecordFailure(ctx context.Context, login org.LoginEvent) error {
	return m.commit.submit(nil, &login)
}

func newEntry(s org.Session) *entry {
	e := &entry{s: s}
	e.last.Store(s.LastActivity.UnixMilli())
	e.persisted.Store(s.LastActivity.UnixMilli())
	return e
}

func (m *Manager) signalTrim() {
	select {
	case m.trim <- struct{}{}:
	default:
	}
}

// trimCache writes pending activity and then drops written entries until the cache is
// back under 90% of MaxCached.
func (m *Manager) trimCache(ctx context.Context) {
	if m.Flush(ctx) != nil {
		return
	}
	target := m.opts.MaxCached * 9 / 10
	m.mu.Lock()
	for k, e := range m.cache {
		if len(m.cache) <= target {
			break
		}
		if e.last.Load() == e.persisted.Load() {
			delete(m.cache, k)
		}
	}
	m.mu.Unlock()
}

// Cached returns the number of sessions held in memory.
func (m *Manager) Cached() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.cache)
}

// load reads a session missing from the cache and caches it unless a revocation ran
// meanwhile, in which case it reads again so a revoked session is never resurrected.
func (m *Manager) load(ctx context.Context, k [32]byte) (*entry, error) {
	for {
		ep := m.epoch.Load()
		gen := m.gen.Load()
		s, err := m.st.SessionByTokenHash(ctx, k[:])
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrInvalid
		}
		if err != nil {
			return nil, err
		}
		e := newEntry(s)
		e.checked.Store(gen)
		m.mu.Lock()
		if m.epoch.Load() == ep {
			over := false
			if cur := m.cache[k]; cur != nil {
				e = cur
			} else {
				m.cache[k] = e
				over = len(m.cache) > m.opts.MaxCached
			}
			m.mu.Unlock()
			if over {
				m.signalTrim()
			}
			return e, nil
		}
		m.mu.Unlock()
	}
}

// entry returns the cached entry of an opaque token, reading it from the store on a miss.
func (m *Manager) entry(ctx context.Context, token string) (*entry, [32]byte, error) {
	var k [32]byte
	copy(k[:], TokenKey(token))
	m.mu.RLock()
	e := m.cache[k]
	m.mu.RUnlock()
	if e != nil {
		if e.checked.Load() != m.gen.Load() { // several nodes only: a Resync came since
			return e, k, m.recheck(ctx, k, e)
		}
		return e, k, nil
	}
	e, err := m.load(ctx, k)
	return e, k, err
}

// Validate returns the live session for token and records the use, or ErrInvalid.
func (m *Manager) Validate(ctx context.Context, token string) (org.Session, error) {
	if j := m.jwt.Load(); j != nil && LooksLikeJWT(token) {
		return m.validateJWT(ctx, j, token)
	}
	e, k, err := m.entry(ctx, token)
	if err != nil {
		return org.Session{}, err
	}
	now := m.opts.Clock.Org(e.s.OrgID)
	last := time.UnixMilli(e.last.Load())
	if !now.Before(last.Add(e.s.Timeout)) {
		m.drop(k)
		return org.Session{}, ErrInvalid
	}
	// Slide the timeout: move last-activity forward (never backward) in memory only.
	for n := now.UnixMilli(); ; {
		old := e.last.Load()
		if old >= n || e.last.CompareAndSwap(old, n) {
			break
		}
	}
	s := e.s
	s.LastActivity = time.UnixMilli(e.last.Load()).UTC()
	return s, nil
}

// Peek returns the session for token without recording a use (for introspection).
func (m *Manager) Peek(ctx context.Context, token string) (org.Session, error) {
	if j := m.jwt.Load(); j != nil && LooksLikeJWT(token) {
		return m.validateJWT(ctx, j, token)
	}
	e, _, err := m.entry(ctx, token)
	if err != nil {
		return org.Session{}, err
	}
	s := e.s
	s.LastActivity = time.UnixMilli(e.last.Load()).UTC()
	if s.Expired(m.opts.Clock.Org(s.OrgID)) {
		return org.Session{}, ErrInvalid
	}
	return s, nil
}

// drop removes a revoked or expired session from this node's cache, bumping the epoch
// first (see load). Revocations call it through revoked, after deleting the row.
func (m *Manager) drop(k [32]byte) {
	m.epoch.Add(1)
	m.mu.Lock()
	delete(m.cache, k)
	m.mu.Unlock()
	if j := m.jwt.Load(); j != nil {
		j.forget(k)
	}
}

func keyOf(h []byte) (k [32]byte) { copy(k[:], h); return }

// Revoke ends the session of token. It returns ErrInvalid if there is none.
func (m *Manager) Revoke(ctx context.Context, token string) (org.Session, error) {
	if j := m.jwt.Load(); j != nil && LooksLikeJWT(token) {
		return m.revokeJWT(ctx, j, token)
	}
	h := TokenKey(token)
	s, err := m.st.DeleteSessionByTokenHash(ctx, h)
	m.revokedIf(ctx, err, keyOf(h))
	if errors.Is(err, store.ErrNotFound) {
		return org.Session{}, ErrInvalid
	}
	return s, err
}

// RevokeID ends a session by its ID.
func (m *Manager) RevokeID(ctx context.Context, id sfid.ID) (org.Session, error) {
	s, err := m.st.DeleteSession(ctx, id)
	if err != nil {
		return s, err
	}
	m.revoked(ctx, keyOf(s.TokenHash))
	return s, nil
}

// RevokeUser ends every session of a user.
func (m *Manager) RevokeUser(ctx context.Context, userID sfid.ID) (int, error) {
	ss, err := m.st.DeleteUserSessions(ctx, userID)
	m.revoked(ctx, sessionKeys(ss)...)
	return len(ss), err
}

// List returns stored sessions with their in-memory activity applied.
func (m *Manager) List(ctx context.Context, f store.SessionFilter) ([]org.Session, error) {
	ss, err := m.st.ListSessions(ctx, f)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	for i := range ss {
		if e := m.cache[keyOf(ss[i].TokenHash)]; e != nil {
			ss[i].LastActivity = time.UnixMilli(e.last.Load()).UTC()
		}
	}
	m.mu.RUnlock()
	return ss, nil
}

func (m *Manager) background() {
	defer m.wg.Done()
	flush := time.NewTicker(m.opts.FlushInterval)
	sweep := time.NewTicker(m.opts.SweepInterval)
	defer flush.Stop()
	defer sweep.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-flush.C:
			m.Flush(context.Background())
		case <-sweep.C:
			m.sweep(context.Background())
		case <-m.trim:
			m.trimCache(context.Background())
		}
	}
}

// Flush writes in-memory activity times, and refresh token uses, to the store.
func (m *Manager) Flush(ctx context.Context) error {
	usesErr := m.flushRefreshUses(ctx)
	if err := m.flushActivity(ctx); err != nil {
		return err
	}
	return usesErr
}

// flushActivity writes in-memory activity times to the store.
func (m *Manager) flushActivity(ctx context.Context) error {
	var touches []store.Touch
	var written []*entry
	m.mu.RLock()
	for _, e := range m.cache {
		if last := e.last.Load(); last > e.persisted.Load() {
			touches = append(touches, store.Touch{TokenHash: e.s.TokenHash, LastActivity: time.UnixMilli(last).UTC()})
			written = append(written, e)
		}
	}
	m.mu.RUnlock()
	if len(touches) == 0 {
		return nil
	}
	if err := m.st.TouchSessions(ctx, touches); err != nil {
		m.opts.Logger.Error("flushing session activity", "err", err, "sessions", len(touches))
		return err
	}
	for i, e := range written {
		e.persisted.Store(touches[i].LastActivity.UnixMilli())
	}
	return nil
}

// sweep drops expired sessions from memory and from the store. Activity is flushed
// first so that a session kept alive in memory is not deleted from the store.
func (m *Manager) sweep(ctx context.Context) {
	if m.Flush(ctx) != nil {
		return
	}
	now := m.opts.Now()
	if j := m.jwt.Load(); j != nil {
		j.sweep(now)
	}
	orgNow := map[sfid.ID]time.Time{} // each org's time, read once per sweep
	m.mu.Lock()
	for k, e := range m.cache {
		t, ok := orgNow[e.s.OrgID]
		if !ok {
			t = m.opts.Clock.Org(e.s.OrgID)
			orgNow[e.s.OrgID] = t
		}
		if !t.Before(time.UnixMilli(e.last.Load()).Add(e.s.Timeout)) {
			delete(m.cache, k)
		}
	}
	m.mu.Unlock()
	if c := m.opts.Cluster; c != nil {
		if due, err := c.Due(ctx, "session.sweep", now, m.opts.SweepInterval); err != nil || !due {
			return // another node deletes the expired rows this period
		}
	}
	if n, err := m.st.DeleteExpiredSessions(ctx, now); err != nil {
		m.opts.Logger.Error("deleting expired sessions", "err", err)
	} else if n > 0 {
		m.opts.Logger.Info("deleted expired sessions", "count", n)
	}
}

// Close stops the background work, writes queued logins and flushes activity.
func (m *Manager) Close() error {
	close(m.stop)
	m.wg.Wait()
	m.commit.close()
	return m.Flush(context.Background())
}
