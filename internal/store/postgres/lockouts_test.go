package postgres

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

// 64 failures racing through two nodes each count exactly once: with maxAttempts 8, each
// count 1…7 is returned eight times and exactly eight failures lock the user.
func TestRecordLoginFailureRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	nodes := make([]*DB, 2)
	for i := range nodes {
		db, err := Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		nodes[i] = db
	}
	_, u, _ := seedSetup(t, nodes[0])
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	const n, maxAttempts = 64, 8
	results := make([]org.Lockout, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := nodes[i%2].RecordLoginFailure(ctx, u.ID, now, maxAttempts, 15*time.Minute)
			if err != nil {
				t.Error(err)
			}
			results[i] = l
		}()
	}
	wg.Wait()
	counts := map[int]int{}
	locks := 0
	for _, l := range results {
		counts[l.Failures]++
		if l.Failures == 0 {
			locks++
			if want := now.Add(15 * time.Minute); !l.LockedUntil.Equal(want) {
				t.Errorf("locked until %v, want %v", l.LockedUntil, want)
			}
		}
	}
	if locks != n/maxAttempts {
		t.Errorf("%d failures locked the user, want %d (counts %v)", locks, n/maxAttempts, counts)
	}
	for f := 1; f < maxAttempts; f++ {
		if counts[f] != n/maxAttempts {
			t.Errorf("count %d returned %d times, want %d (counts %v)", f, counts[f], n/maxAttempts, counts)
		}
	}
	// After the lock has ended the next failure starts a new count.
	l, err := nodes[1].RecordLoginFailure(ctx, u.ID, now.Add(15*time.Minute), maxAttempts, 15*time.Minute)
	if err != nil || l != (org.Lockout{Failures: 1}) {
		t.Errorf("first failure after the lock: %+v, %v; want 1 failure, unlocked", l, err)
	}
}
