package session

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/postgres"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

// coordinators returns the coordinators of n nodes of one cluster: n PostgreSQL DBs on
// one new schema. The sessions themselves live in a store the test shares between the
// nodes' Managers (a SQLite file: what is tested here is the Managers' caches).
func coordinators(t *testing.T, n int) []cluster.Coordinator {
	t.Helper()
	url := pgtest.URL(t)
	var cs []cluster.Coordinator
	for range n {
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		cs = append(cs, db.Cluster())
	}
	return cs
}

// within polls cond every 10 ms and fails unless it holds within d.
func within(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A token issued on node A works on node B at once; revoked on A — by token, by user,
// by session ID — it is refused by B within a second, though B had it cached.
func TestClusterOpaqueRevocationReachesOtherNode(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	cs := coordinators(t, 2)
	clk := &testClock{t: time.Now()}
	a := NewManager(db, Options{Now: clk.now, FlushInterval: time.Hour, Cluster: cs[0]})
	b := NewManager(db, Options{Now: clk.now, FlushInterval: time.Hour, Cluster: cs[1]})
	t.Cleanup(func() { a.Close(); b.Close() })

	issue := func(m *Manager, user string) string {
		tok, _, err := m.Issue(ctx, newSessionFor(user, clk.now()), org.LoginEvent{Status: "Success"})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	refused := func(m *Manager, tok string) func() bool {
		return func() bool { _, err := m.Validate(ctx, tok); return errors.Is(err, ErrInvalid) }
	}

	tok := issue(a, "0055F0000000001")
	if _, err := b.Validate(ctx, tok); err != nil {
		t.Fatalf("token of node A on node B: %v", err)
	}
	if _, err := a.Revoke(ctx, tok); err != nil {
		t.Fatal(err)
	}
	within(t, time.Second, "revoked on A, refused on B", refused(b, tok))

	// RevokeUser on B ends the user's sessions that A has cached.
	var toks []string
	for range 3 {
		tok := issue(a, "0055F0000000002")
		if _, err := a.Validate(ctx, tok); err != nil {
			t.Fatal(err)
		}
		toks = append(toks, tok)
	}
	other := issue(a, "0055F0000000003")
	if n, err := b.RevokeUser(ctx, sfid.MustParse("0055F0000000002")); err != nil || n != 3 {
		t.Fatalf("RevokeUser = %d, %v", n, err)
	}
	for _, tok := range toks {
		within(t, time.Second, "user's session revoked on B, refused on A", refused(a, tok))
	}
	if _, err := a.Validate(ctx, other); err != nil {
		t.Errorf("another user's session: %v", err)
	}

	// RevokeID on A: B refuses.
	tok = issue(b, "0055F0000000004")
	s, err := b.Validate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := db.ListSessions(ctx, store.SessionFilter{UserID: s.UserID})
	if err != nil || len(ss) != 1 {
		t.Fatalf("ListSessions = %d, %v", len(ss), err)
	}
	if _, err := a.RevokeID(ctx, ss[0].ID); err != nil {
		t.Fatal(err)
	}
	within(t, time.Second, "revoked by ID on A, refused on B", refused(b, tok))
}

// A revocation whose notice was lost (its node died before publishing) is honoured after
// the next Resync: the cached session is read again and found gone. Activity kept in
// memory survives the Resync.
func TestClusterResyncRereadsCachedSessions(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	cs := coordinators(t, 1)
	clk := &testClock{t: time.Now()}
	m := NewManager(db, Options{Now: clk.now, FlushInterval: time.Hour, Cluster: cs[0]})
	t.Cleanup(func() { m.Close() })
	gone, _, err := m.Issue(ctx, newSession(clk.now()), org.LoginEvent{Status: "Success"})
	if err != nil {
		t.Fatal(err)
	}
	kept, _, err := m.Issue(ctx, newSessionFor("0055F0000000002", clk.now()), org.LoginEvent{Status: "Success"})
	if err != nil {
		t.Fatal(err)
	}
	clk.add(time.Minute)
	for _, tok := range []string{gone, kept} {
		if _, err := m.Validate(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	// Deleted behind the Manager's back, as by another node whose notice never came.
	if _, err := db.DeleteSessionByTokenHash(ctx, TokenKey(gone)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Validate(ctx, gone); err != nil {
		t.Fatalf("before the Resync the cached session is still accepted (%v): the test shows nothing", err)
	}
	m.onNotice(cluster.Resync)
	if _, err := m.Validate(ctx, gone); !errors.Is(err, ErrInvalid) {
		t.Errorf("after Resync: %v, want ErrInvalid", err)
	}
	s, err := m.Validate(ctx, kept)
	if err != nil {
		t.Fatalf("after Resync, a live session: %v", err)
	}
	if !s.LastActivity.Equal(clk.now().Truncate(time.Millisecond)) {
		t.Errorf("LastActivity after Resync = %v, want the in-memory %v", s.LastActivity, clk.now())
	}
}

// Two nodes starting together on an empty database end with one signing key; a JWT
// signed on one node validates on the other (whose live set never saw it), and revoked
// there it is refused by the first within a second. A key one node adds is published by
// the other within a second.
func TestClusterJWTAcrossNodes(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	cs := coordinators(t, 2)
	clk := &testClock{t: time.Now()}
	var ms [2]*Manager
	var ks [2]*Keyring
	var wg sync.WaitGroup
	for i := range 2 {
		ks[i] = NewKeyring(db, KeyringOptions{Now: clk.now, Cluster: cs[i]})
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ks[i].Maintain(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i := range 2 {
		ms[i] = NewManager(db, Options{Now: clk.now, FlushInterval: time.Hour, Cluster: cs[i]})
		t.Cleanup(func() { ms[i].Close() })
		if err := ms[i].EnableJWT(ctx, ks[i], testIssuer); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := string(ks[0].JWKS()), string(ks[1].JWKS()); a != b {
		t.Fatalf("nodes publish different key sets:\n%s\n%s", a, b)
	}
	for from := range 2 {
		to := 1 - from
		tok, _, err := ms[from].IssueJWT(ctx, newSession(clk.now()), org.LoginEvent{Status: "Success"}, "client")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ms[to].Validate(ctx, tok); err != nil {
			t.Fatalf("JWT of node %d on node %d: %v", from, to, err)
		}
		if _, err := ms[to].Revoke(ctx, tok); err != nil {
			t.Fatal(err)
		}
		within(t, time.Second, "JWT revoked on one node, refused on the other", func() bool {
			_, err := ms[from].Validate(ctx, tok)
			return errors.Is(err, ErrInvalid)
		})
	}
	// Node 0 schedules the successor key; node 1 publishes it too.
	clk.add(23*time.Hour + time.Minute)
	if err := ks[0].Maintain(ctx); err != nil {
		t.Fatal(err)
	}
	within(t, time.Second, "a key added on node 0 published by node 1", func() bool {
		return string(ks[0].JWKS()) == string(ks[1].JWKS())
	})
}

// A refresh token cached on both nodes and revoked on one is not served from the other's
// cache a second later; nor is one rotated there. With several nodes a grant always reads
// its refresh token again after committing its session (RevokedSince).
func TestClusterRefreshTokenCache(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	cs := coordinators(t, 2)
	clk := &testClock{t: time.Now()}
	a := NewManager(db, Options{Now: clk.now, FlushInterval: time.Hour, Cluster: cs[0]})
	b := NewManager(db, Options{Now: clk.now, FlushInterval: time.Hour, Cluster: cs[1]})
	t.Cleanup(func() { a.Close(); b.Close() })
	if !b.RevokedSince(b.MarkRevocations()) {
		t.Error("RevokedSince with several nodes = false, want always true")
	}
	put := func(hash string, user string) org.RefreshToken {
		rt := org.RefreshToken{TokenHash: TokenKey(hash), OrgID: sfid.MustParse("00D5F0000000001"),
			UserID: sfid.MustParse(user), AppID: sfid.MustParse("0H45F0000000001"), CreatedAt: clk.now()}
		if err := db.PutRefreshToken(ctx, &rt); err != nil {
			t.Fatal(err)
		}
		for _, m := range []*Manager{a, b} {
			if _, err := m.RefreshToken(ctx, db, rt.TokenHash); err != nil {
				t.Fatal(err)
			}
		}
		return rt
	}
	revoked := put("00D5F0000000001!revoked", "0055F0000000001")
	if _, _, err := a.RevokeRefreshTokens(ctx, db, store.GrantFilter{UserID: revoked.UserID}); err != nil {
		t.Fatal(err)
	}
	within(t, time.Second, "refresh token revoked on A, gone on B", func() bool {
		_, err := b.RefreshToken(ctx, db, revoked.TokenHash)
		return errors.Is(err, store.ErrNotFound)
	})
	rotated := put("00D5F0000000001!rotated", "0055F0000000002")
	next := org.RefreshToken{TokenHash: TokenKey("00D5F0000000001!next"), OrgID: rotated.OrgID, UserID: rotated.UserID,
		AppID: rotated.AppID, CreatedAt: clk.now()}
	if err := b.RotateRefreshToken(ctx, db, rotated, &next, clk.now()); err != nil {
		t.Fatal(err)
	}
	within(t, time.Second, "refresh token rotated on B, seen rotated on A", func() bool {
		got, err := a.RefreshToken(ctx, db, rotated.TokenHash)
		return err == nil && !got.RotatedAt.IsZero()
	})
}
