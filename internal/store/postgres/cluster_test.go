package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

// openNodes opens n DBs on one new schema: n nodes of one cluster. Each node's
// coordinator resyncs every resync (0: ResyncEvery). extra is appended to the URL.
func openNodes(t testing.TB, n int, resync time.Duration, extra string) []*DB {
	t.Helper()
	url := pgtest.URL(t) + extra
	if resync == 0 {
		resync = ResyncEvery
	}
	var dbs []*DB
	for range n {
		db, err := Open(context.Background(), url)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		db.clusterOnce.Do(func() { db.cluster = db.startCluster(resync) })
		dbs = append(dbs, db)
	}
	return dbs
}

// inbox collects the payloads a subscriber receives.
type inbox struct {
	ch chan string
}

func subscribe(c cluster.Coordinator, topic string) *inbox {
	in := &inbox{ch: make(chan string, 100)}
	c.Subscribe(topic, func(p string) { in.ch <- p })
	return in
}

// next returns the next payload, failing after 5 s.
func (in *inbox) next(t *testing.T, what string) string {
	t.Helper()
	select {
	case p := <-in.ch:
		return p
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no notice within 5 s", what)
		return ""
	}
}

// nextNot returns the next payload other than Resync.
func (in *inbox) nextNot(t *testing.T, what string) string {
	t.Helper()
	for {
		if p := in.next(t, what); p != cluster.Resync {
			return p
		}
	}
}

// A notice published on either node reaches the subscribers of both, itself included,
// in order; another schema on the same server (another cluster) hears nothing.
func TestClusterNotices(t *testing.T) {
	t.Parallel()
	nodes := openNodes(t, 2, 0, "")
	other := openNodes(t, 1, 0, "")[0]
	a, b := nodes[0].Cluster(), nodes[1].Cluster()
	inA, inB := subscribe(a, "session"), subscribe(b, "session")
	inOther := subscribe(other.Cluster(), "session")
	setupA := subscribe(a, "setup")
	ctx := context.Background()
	for i, from := range []cluster.Coordinator{a, b, a} {
		p := fmt.Sprintf("t:%d\x1fwith separator", i)
		start := time.Now()
		if err := from.Publish(ctx, "session", p); err != nil {
			t.Fatal(err)
		}
		for name, in := range map[string]*inbox{"node A": inA, "node B": inB} {
			if got := in.nextNot(t, name); got != p {
				t.Errorf("%s got %q, want %q", name, got, p)
			}
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("notice took %v, want well under 1 s", d)
		}
	}
	if err := b.Publish(ctx, "setup", "x"); err != nil {
		t.Fatal(err)
	}
	if got := setupA.nextNot(t, "setup on A"); got != "x" {
		t.Errorf("setup notice = %q", got)
	}
	select {
	case p := <-inOther.ch:
		t.Errorf("a node of another schema heard %q", p)
	case <-time.After(200 * time.Millisecond):
	}
	if err := a.Publish(ctx, "session", string(make([]byte, 8000))); err == nil {
		t.Error("Publish of 8,000 bytes: no error, want NOTIFY's limit refused")
	}
}

// When the listener's connection is killed, the node reconnects, its subscribers receive
// Resync (notices may have been missed), and notices flow again.
func TestClusterResyncAfterListenerKilled(t *testing.T) {
	t.Parallel()
	nodes := openNodes(t, 2, 0, "")
	a, b := nodes[0], nodes[1]
	inA := subscribe(a.Cluster(), "session")
	inA2 := subscribe(a.Cluster(), "keys")
	pid := a.cluster.pid.Load()
	if pid == 0 {
		t.Fatal("no listener PID")
	}
	ctx := context.Background()
	var ok bool
	if err := b.pool.QueryRow(ctx, "SELECT pg_terminate_backend($1)", int32(pid)).Scan(&ok); err != nil || !ok {
		t.Fatalf("pg_terminate_backend: %v %v", ok, err)
	}
	if got := inA.next(t, "after kill"); got != cluster.Resync {
		t.Fatalf("first payload after the kill = %q, want Resync", got)
	}
	if got := inA2.next(t, "after kill, other topic"); got != cluster.Resync {
		t.Fatalf("other topic's first payload after the kill = %q, want Resync", got)
	}
	if a.cluster.pid.Load() == pid {
		t.Error("listener PID unchanged after reconnect")
	}
	if err := b.Cluster().Publish(ctx, "session", "after"); err != nil {
		t.Fatal(err)
	}
	if got := inA.nextNot(t, "notice after reconnect"); got != "after" {
		t.Errorf("notice after reconnect = %q", got)
	}
}

// With no gap at all, subscribers still receive Resync every ResyncEvery: the bound on a
// notice lost because its publisher died before sending it.
func TestClusterPeriodicResync(t *testing.T) {
	t.Parallel()
	a := openNodes(t, 1, 300*time.Millisecond, "")[0]
	in := subscribe(a.Cluster(), "setup")
	pid := a.cluster.pid.Load()
	for i := range 2 {
		if got := in.next(t, fmt.Sprintf("resync %d", i)); got != cluster.Resync {
			t.Fatalf("payload %q, want Resync", got)
		}
	}
	// The periodic resync keeps the listener's connection: no reconnect, notices flow.
	if now := a.cluster.pid.Load(); now != pid {
		t.Errorf("listener PID %d → %d: the periodic resync reconnected", pid, now)
	}
	if err := a.Cluster().Publish(context.Background(), "setup", "x"); err != nil {
		t.Fatal(err)
	}
	if got := in.nextNot(t, "notice after resyncs"); got != "x" {
		t.Errorf("notice = %q", got)
	}
}

// Of 64 goroutines on 4 nodes asking at once, exactly one is told a timer is due; nobody
// again within the period; exactly one in the next period.
func TestClusterDueRace(t *testing.T) {
	nodes := openNodes(t, 4, 0, "&pool_max_conns=16")
	base := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	every := time.Minute
	race := func(now time.Time) int {
		var wg sync.WaitGroup
		var mu sync.Mutex
		n := 0
		start := make(chan struct{})
		for i := range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				due, err := nodes[i%4].Cluster().Due(context.Background(), "sweep", now.Add(time.Duration(i)*time.Millisecond), every)
				if err != nil {
					t.Error(err)
				}
				if due {
					mu.Lock()
					n++
					mu.Unlock()
				}
			}()
		}
		close(start)
		wg.Wait()
		return n
	}
	for _, tc := range []struct {
		at   time.Duration
		want int
	}{{0, 1}, {30 * time.Second, 0}, {every + time.Second, 1}, {every + 2*time.Second, 0}, {10 * every, 1}} {
		if got := race(base.Add(tc.at)); got != tc.want {
			t.Errorf("at +%v: %d nodes told due, want %d", tc.at, got, tc.want)
		}
	}
	// Another timer is independent.
	if due, err := nodes[0].Cluster().Due(context.Background(), "rotate", base, every); err != nil || !due {
		t.Errorf("another timer: due=%v err=%v, want due", due, err)
	}
}

// 64 racers on 64 connections reserving 3 units each of a limit of 100 get exactly 100
// between them; the window's sum is 100; a released unit can be reserved again; buckets
// older than 24 hours do not count.
func TestClusterReserveRace(t *testing.T) {
	nodes := openNodes(t, 4, 0, "&pool_max_conns=16")
	ctx := context.Background()
	const hour = 500_000
	// Three rounds on three counters: a lost race shows in one of them at least.
	for round := range 3 {
		key := fmt.Sprintf("race%d", round)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total, maxUsed := 0, 0
		start := make(chan struct{})
		for i := range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				g, used, err := nodes[i%4].Cluster().Quotas().Reserve(ctx, key, hour, 3, 100)
				if err != nil {
					t.Error(err)
					return
				}
				if g < 0 || g > 3 || used > 100 {
					t.Errorf("Reserve = %d granted, %d used", g, used)
				}
				mu.Lock()
				total += g
				maxUsed = max(maxUsed, used)
				mu.Unlock()
			}()
		}
		close(start)
		wg.Wait()
		if total != 100 || maxUsed != 100 {
			t.Errorf("round %d: granted %d in total (largest sum seen %d), want 100 and 100", round, total, maxUsed)
		}
	}
	q := nodes[1].Cluster().Quotas()
	if used, err := q.Used(ctx, "race0", hour); err != nil || used != 100 {
		t.Errorf("Used = %d, %v; want 100", used, err)
	}
	if g, used, err := q.Reserve(ctx, "race0", hour, 1, 100); err != nil || g != 0 || used != 100 {
		t.Errorf("Reserve at the limit = %d, %d, %v; want 0, 100", g, used, err)
	}
	if err := q.Release(ctx, "race0", hour, 2); err != nil {
		t.Fatal(err)
	}
	if g, used, err := q.Reserve(ctx, "race0", hour+1, 5, 100); err != nil || g != 2 || used != 100 {
		t.Errorf("Reserve after releasing 2 = %d, %d, %v; want 2, 100", g, used, err)
	}
	// Hour's bucket (98) leaves the window 24 hours later; hour+1's (2) is still in it.
	if g, used, err := q.Reserve(ctx, "race0", hour+24, 200, 100); err != nil || g != 98 || used != 100 {
		t.Errorf("Reserve 24 hours later = %d, %d, %v; want 98, 100", g, used, err)
	}
	// Another key has its own count.
	if g, used, err := q.Reserve(ctx, "other", hour, 5, 100); err != nil || g != 5 || used != 5 {
		t.Errorf("another key = %d, %d, %v; want 5, 5", g, used, err)
	}
}

// BenchmarkClusterNotice is one notice published on node A and heard on node B: the
// latency of a revocation reaching another node.
func BenchmarkClusterNotice(b *testing.B) {
	nodes := openNodes(b, 2, 0, "")
	in := make(chan string, 1)
	nodes[1].Cluster().Subscribe("bench", func(p string) {
		if p != cluster.Resync {
			in <- p
		}
	})
	a := nodes[0].Cluster()
	ctx := context.Background()
	for b.Loop() {
		if err := a.Publish(ctx, "bench", "t:0123456789abcdef"); err != nil {
			b.Fatal(err)
		}
		<-in
	}
}

// BenchmarkClusterReserve is one block reservation (far from the limit).
func BenchmarkClusterReserve(b *testing.B) {
	q := openNodes(b, 1, 0, "")[0].Cluster().Quotas()
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := q.Reserve(ctx, "bench", 500_000, 1, 1<<40); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClusterDue is one timer check (not due: the common case on every node).
func BenchmarkClusterDue(b *testing.B) {
	c := openNodes(b, 1, 0, "")[0].Cluster()
	ctx := context.Background()
	now := time.Now()
	for b.Loop() {
		if _, err := c.Due(ctx, "bench", now, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}
