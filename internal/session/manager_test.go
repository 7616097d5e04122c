package session

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time        { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration)   { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newSession(now time.Time) org.Session { return newSessionFor("0055F0000000001", now) }
func newSessionFor(user string, now time.Time) org.Session {
	return org.Session{OrgID: sfid.MustParse("00D5F0000000001"), UserID: sfid.MustParse(user),
		Scopes: []string{"api"}, CreatedAt: now, LastActivity: now, Timeout: 30 * time.Minute}
}

func open(t *testing.T) (*sqlite.DB, string) { return openB(t) }

func openB(t testing.TB) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ff.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestSlidingActivityIsFlushedAndSurvivesANewManager(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	clk := &testClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	m := NewManager(db, Options{Now: clk.now, FlushInterval: time.Hour})
	tok, _, err := m.Issue(ctx, newSession(clk.now()), org.LoginEvent{Status: "Success"})
	if err != nil {
		t.Fatal(err)
	}
	clk.add(25 * time.Minute)
	if _, err := m.Validate(ctx, tok); err != nil {
		t.Fatalf("validate at 25 min: %v", err)
	}
	if err := m.Close(); err != nil { // Close flushes activity
		t.Fatal(err)
	}
	// A new manager (a restart) reads the flushed activity: 50 minutes after issue is only
	// 25 minutes after the last use, within the 30-minute timeout.
	clk.add(25 * time.Minute)
	m2 := NewManager(db, Options{Now: clk.now})
	defer m2.Close()
	if _, err := m2.Validate(ctx, tok); err != nil {
		t.Errorf("after restart, 25 min after last use: %v (activity was not flushed)", err)
	}
	clk.add(31 * time.Minute)
	if _, err := m2.Validate(ctx, tok); !errors.Is(err, ErrInvalid) {
		t.Errorf("31 min idle: err = %v, want ErrInvalid", err)
	}
}

func TestCacheStaysBoundedAndEvictedSessionsStillWork(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	clk := &testClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	m := NewManager(db, Options{Now: clk.now, MaxCached: 10})
	defer m.Close()
	var toks []string
	for i := 0; i < 50; i++ {
		tok, _, err := m.Issue(ctx, newSession(clk.now()), org.LoginEvent{Status: "Success"})
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, tok)
	}
	m.trimCache(ctx)
	if n := m.Cached(); n > 9 {
		t.Errorf("cache holds %d sessions after a trim, want at most 9", n)
	}
	for i, tok := range toks {
		if _, err := m.Validate(ctx, tok); err != nil {
			t.Errorf("token %d after eviction: %v", i, err)
		}
	}
}

func TestRevokeEndsSessionsAtOnce(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	clk := &testClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	m := NewManager(db, Options{Now: clk.now})
	defer m.Close()
	a, _, _ := m.Issue(ctx, newSession(clk.now()), org.LoginEvent{})
	b, sb, _ := m.Issue(ctx, newSession(clk.now()), org.LoginEvent{})
	c, _, _ := m.Issue(ctx, newSessionFor("0055F0000000002", clk.now()), org.LoginEvent{})
	if _, err := m.Revoke(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Validate(ctx, a); !errors.Is(err, ErrInvalid) {
		t.Errorf("revoked token: %v", err)
	}
	if _, err := m.Revoke(ctx, a); !errors.Is(err, ErrInvalid) {
		t.Errorf("revoking twice: %v, want ErrInvalid", err)
	}
	if n, err := m.RevokeUser(ctx, sb.UserID); err != nil || n != 1 {
		t.Errorf("RevokeUser = %d, %v; want 1", n, err)
	}
	if _, err := m.Validate(ctx, b); !errors.Is(err, ErrInvalid) {
		t.Errorf("token of a revoked user: %v", err)
	}
	if _, err := m.Validate(ctx, c); err != nil {
		t.Errorf("another user's token was revoked: %v", err)
	}
	if _, err := m.Validate(ctx, "00D5F0000000001!AQgarbage"); !errors.Is(err, ErrInvalid) {
		t.Errorf("garbage token: %v", err)
	}
}

// A revocation racing with a cache miss must never leave the revoked session usable.
func TestRevokeRacingAColdValidate(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	clk := &testClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	for i := 0; i < 50; i++ {
		m := NewManager(db, Options{Now: clk.now})
		tok, _, _ := m.Issue(ctx, newSession(clk.now()), org.LoginEvent{})
		m.Close()
		m = NewManager(db, Options{Now: clk.now}) // cold cache
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); m.Validate(ctx, tok) }()
		go func() { defer wg.Done(); m.Revoke(ctx, tok) }()
		wg.Wait()
		if _, err := m.Validate(ctx, tok); !errors.Is(err, ErrInvalid) {
			t.Fatalf("round %d: revoked token still valid: %v", i, err)
		}
		m.Close()
	}
}
