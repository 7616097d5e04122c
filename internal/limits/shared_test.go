package limits_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/store/postgres"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

// nodes opens n PostgreSQL nodes on one new schema and returns their quotas, each
// counting its Reserve calls.
func nodes(t *testing.T, n int) []*countingQuotas {
	t.Helper()
	url := pgtest.URL(t)
	var qs []*countingQuotas
	for range n {
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		qs = append(qs, &countingQuotas{Quotas: db.Cluster().Quotas()})
	}
	return qs
}

// countingQuotas passes everything to the real quotas and counts the reservations.
type countingQuotas struct {
	cluster.Quotas
	reserves atomic.Int64
}

func (q *countingQuotas) Reserve(ctx context.Context, key string, hour int64, n, max int) (int, int, error) {
	q.reserves.Add(1)
	return q.Quotas.Reserve(ctx, key, hour, n, max)
}

// Three nodes hammered at once by 48 goroutines serve exactly the limit of 100 between
// them, and GET /limits on every node reads 100.
func TestSharedLimitAcrossNodes(t *testing.T) {
	qs := nodes(t, 3)
	now := func() time.Time { return time.Date(2026, 12, 2, 12, 30, 0, 0, time.UTC) }
	var cs []*limits.Counter
	for _, q := range qs {
		c := limits.New(now)
		c.Share(q)
		cs = append(cs, c)
	}
	var ok atomic.Int64
	var wg sync.WaitGroup
	for i := range 48 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if used, allowed := cs[i%3].UseApp("00D000000000001", "0H4000000000001", 100); allowed {
					ok.Add(1)
					if used > 100 {
						t.Errorf("used %d > 100", used)
					}
				}
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 100 {
		t.Errorf("%d requests allowed across 3 nodes, want 100", ok.Load())
	}
	for i, c := range cs {
		if u := c.Used("00D000000000001"); u != 100 {
			t.Errorf("node %d: Used = %d, want 100", i, u)
		}
		if _, allowed := c.Use("00D000000000001", 100); allowed {
			t.Errorf("node %d allowed a request past the limit", i)
		}
	}
	// Another org, another named limit: their own counts.
	if used, allowed := cs[0].UseN("DailyBulkApiBatches", "00D000000000001", 5, 10); !allowed || used != 5 {
		t.Errorf("another limit: %d, %v; want 5, true", used, allowed)
	}
}

// Far from the limit a node writes once per block, not once per request; Close gives
// back what it did not spend.
func TestSharedLimitReservesBlocks(t *testing.T) {
	qs := nodes(t, 2)
	now := func() time.Time { return time.Date(2026, 12, 2, 12, 30, 0, 0, time.UTC) }
	a, b := limits.New(now), limits.New(now)
	a.Share(qs[0])
	b.Share(qs[1])
	const limit = 100_000
	for i := range 2000 {
		if _, ok := a.Use("00D000000000002", limit); !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	if n := qs[0].reserves.Load(); n > 3 {
		t.Errorf("2,000 requests took %d reservations, want a few blocks", n)
	}
	if u := b.Used("00D000000000002"); u < 2000 || u > 2000+1000 {
		t.Errorf("node B reads %d used, want 2,000 plus at most one unspent block", u)
	}
	if u := a.Used("00D000000000002"); u != 2000 {
		t.Errorf("node A reads %d used, want 2,000 (its own unspent units excluded)", u)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if u := b.Used("00D000000000002"); u != 2000 {
		t.Errorf("after A's Close node B reads %d used, want 2,000", u)
	}
}
