package throttle

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestBurstThenRefill(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New(3, 10*time.Second, func() time.Time { return now })
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		r, ok, _ := l.Reserve(ctx, "k")
		if !ok {
			t.Fatalf("refused after %d failures, burst is 3", i)
		}
		r.Fail()
	}
	if _, ok, wait := l.Reserve(ctx, "k"); ok || wait != 10*time.Second {
		t.Fatalf("after burst: ok=%v wait=%v, want false 10s", ok, wait)
	}
	r, ok, _ := l.Reserve(ctx, "other")
	if !ok {
		t.Fatal("an unrelated key is refused")
	}
	r.Release()
	now = now.Add(10 * time.Second)
	r, ok, _ = l.Reserve(ctx, "k")
	if !ok {
		t.Fatal("still refused after one token returned")
	}
	r.Release() // a success gives the token back...
	r.Fail()    // ...and a second call does nothing
	r, ok, _ = l.Reserve(ctx, "k")
	if !ok {
		t.Fatal("a released token was not given back")
	}
	r.Fail()
	if _, ok, _ := l.Reserve(ctx, "k"); ok {
		t.Fatal("a failed reservation gave its token back")
	}
	now = now.Add(time.Hour)
	r, _, _ = l.Reserve(ctx, "x") // triggers a sweep
	r.Fail()
	if n := l.Len(); n != 1 {
		t.Errorf("tracked keys = %d, want 1 (k refilled and forgotten)", n)
	}
}

// TestRacingAttempts races 64 attempts on one key, each holding its reservation for a
// while as a verification would: the outcome must be that of some serial order.
func TestRacingAttempts(t *testing.T) {
	const burst, n = 10, 64
	for _, tc := range []struct {
		name        string
		succeeds    func(i int) bool
		wantAllowed func(got, succeeded int) bool
	}{
		// Only burst failures may be verified; the rest are refused.
		{"all fail", func(int) bool { return false }, func(got, _ int) bool { return got == burst }},
		// Successes give their tokens back: nobody is refused.
		{"all succeed", func(int) bool { return true }, func(got, _ int) bool { return got == n }},
		// Every success is allowed and at most burst failures are.
		{"mixed", func(i int) bool { return i%3 == 0 }, func(got, succeeded int) bool { return got-succeeded <= burst && got >= burst }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Unix(1000, 0)
			l := New(burst, time.Hour, func() time.Time { return now })
			var allowed, succeeded atomic.Int64
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					r, ok, _ := l.Reserve(context.Background(), "k")
					if !ok {
						return
					}
					allowed.Add(1)
					time.Sleep(time.Millisecond) // the verification
					if tc.succeeds(i) {
						succeeded.Add(1)
						r.Release()
					} else {
						r.Fail()
					}
				}()
			}
			close(start)
			wg.Wait()
			if got, s := int(allowed.Load()), int(succeeded.Load()); !tc.wantAllowed(got, s) {
				t.Errorf("%d of %d attempts allowed (%d succeeded), burst %d", got, n, s, burst)
			}
		})
	}
}

func TestReserveWaitsForInFlightThenGivesUpWithContext(t *testing.T) {
	l := New(1, time.Hour, nil)
	held, ok, _ := l.Reserve(context.Background(), "k")
	if !ok {
		t.Fatal("first reservation refused")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, ok, _ := l.Reserve(ctx, "k"); ok {
		t.Fatal("a second reservation was granted while the only token is held")
	}
	// Once the held attempt succeeds, a waiting one proceeds.
	got := make(chan bool)
	go func() {
		_, ok, _ := l.Reserve(context.Background(), "k")
		got <- ok
	}()
	time.Sleep(5 * time.Millisecond)
	held.Release()
	if !<-got {
		t.Error("the waiting reservation was refused after the token came back")
	}
}

// BenchmarkReserveRelease is a success's cost on the token path: one key, every core.
func BenchmarkReserveRelease(b *testing.B) {
	l := New(10, 6*time.Second, nil)
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r, ok, _ := l.Reserve(ctx, "k")
			if ok {
				r.Release()
			}
		}
	})
}

// TestRefund: a refund gives a spent token back, never past burst, and leaves full or
// unknown keys alone.
func TestRefund(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New(2, time.Hour, func() time.Time { return now })
	ctx := context.Background()
	spend := func() bool {
		r, ok, _ := l.Reserve(ctx, "k")
		if ok {
			r.Fail()
		}
		return ok
	}
	l.Refund("k") // unknown key: stays unknown (a full bucket)
	if l.Len() != 0 {
		t.Fatalf("a refund to an unknown key tracks %d keys", l.Len())
	}
	if !spend() || !spend() || spend() {
		t.Fatal("burst of 2 not as expected")
	}
	l.Refund("k")
	if !spend() {
		t.Fatal("the refunded token cannot be spent")
	}
	if spend() {
		t.Fatal("one refund gave more than one token")
	}
	for range 5 {
		l.Refund("k")
	}
	if !spend() || !spend() || spend() {
		t.Fatal("refunds went past the burst")
	}
}
