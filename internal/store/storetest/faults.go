package storetest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RunFaults is the conformance suite of store.Faults (issue 14 §1). open must return a
// new, empty store for each call; for a backend several processes share, the racing
// claims are real concurrent transactions. It pins down: a fault reads back as written
// (times in milliseconds, UTC), listed oldest first and by org; of 64 claims racing on a
// count-3 fault exactly 3 win, each counted as a hit, and later claims lose; HitFault
// counts; DeleteFault returns the fault and a second delete is not found; DeleteFaults
// by org, and by org of the org file's faults only.
func RunFaults(t *testing.T, open func(t *testing.T) store.Faults) {
	ctx := context.Background()
	orgA, orgB := sfid.New("00D", "5F", 1), sfid.New("00D", "5F", 2)
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	put := func(t *testing.T, s store.Faults, f faults.Fault) faults.Fault {
		t.Helper()
		if err := s.PutFault(ctx, &f); err != nil {
			t.Fatalf("PutFault: %v", err)
		}
		if f.ID == 0 {
			t.Fatal("PutFault assigned no ID")
		}
		return f
	}

	t.Run("RoundTrip", func(t *testing.T) {
		s := open(t)
		a := put(t, s, faults.Fault{OrgID: orgA, AppID: sfid.New("0H4", "5F", 1), UserID: sfid.New("005", "5F", 1),
			Family: faults.REST, Answer: faults.UnableToLockRow, Count: 3, Remaining: 3,
			Delay: 1500 * time.Millisecond, CreatedAt: t0.Add(123456 * time.Microsecond)})
		b := put(t, s, faults.Fault{OrgID: orgB, Family: faults.All, Answer: faults.ServerUnavailable,
			Until: t0.Add(time.Hour + time.Microsecond), CreatedAt: t0, Source: faults.SourceOrgFile})
		c := put(t, s, faults.Fault{OrgID: orgA, Family: faults.Token, Answer: faults.Drop, Fraction: 0.25, CreatedAt: t0})
		a.CreatedAt = t0.Add(123 * time.Millisecond)
		b.Until = t0.Add(time.Hour)
		all, err := s.Faults(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]faults.Fault{a, b, c}, all); diff != "" {
			t.Errorf("Faults(all) (-want +got):\n%s", diff)
		}
		ofA, err := s.Faults(ctx, orgA)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]faults.Fault{a, c}, ofA); diff != "" {
			t.Errorf("Faults(orgA) (-want +got):\n%s", diff)
		}
	})

	t.Run("ClaimRace", func(t *testing.T) {
		s := open(t)
		f := put(t, s, faults.Fault{OrgID: orgA, Family: faults.REST, Answer: faults.RequestLimitExceeded,
			Count: 3, Remaining: 3, CreatedAt: t0})
		var won, zeroLeft atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				left, ok, err := s.ClaimFault(ctx, f.ID)
				if err != nil {
					t.Errorf("ClaimFault: %v", err)
				}
				if ok {
					won.Add(1)
					if left == 0 {
						zeroLeft.Add(1)
					}
				}
			}()
		}
		close(start)
		wg.Wait()
		if won.Load() != 3 || zeroLeft.Load() != 1 {
			t.Errorf("64 racing claims on a count-3 fault: %d won (%d saw none left), want 3 (1)", won.Load(), zeroLeft.Load())
		}
		if _, ok, err := s.ClaimFault(ctx, f.ID); ok || err != nil {
			t.Errorf("a claim after the count was spent = %v, %v; want false, nil", ok, err)
		}
		if _, ok, err := s.ClaimFault(ctx, f.ID+1000); ok || err != nil {
			t.Errorf("a claim of a missing fault = %v, %v; want false, nil", ok, err)
		}
		got, _ := s.Faults(ctx, orgA)
		if len(got) != 1 || got[0].Hits != 3 || got[0].Remaining != 0 {
			t.Errorf("after the race: %+v, want hits 3, remaining 0", got)
		}
	})

	t.Run("Hits", func(t *testing.T) {
		s := open(t)
		f := put(t, s, faults.Fault{OrgID: orgA, Family: faults.Bulk, Answer: faults.QueryTimeout, Fraction: 1, CreatedAt: t0})
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.HitFault(ctx, f.ID); err != nil {
					t.Errorf("HitFault: %v", err)
				}
			}()
		}
		wg.Wait()
		got, _ := s.Faults(ctx, orgA)
		if len(got) != 1 || got[0].Hits != 20 {
			t.Errorf("after 20 hits: %+v", got)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s := open(t)
		a1 := put(t, s, faults.Fault{OrgID: orgA, Family: faults.REST, Answer: faults.Drop, Count: 1, Remaining: 1, CreatedAt: t0})
		a2 := put(t, s, faults.Fault{OrgID: orgA, Family: faults.REST, Answer: faults.Drop, Count: 1, Remaining: 1, CreatedAt: t0, Source: faults.SourceOrgFile})
		a3 := put(t, s, faults.Fault{OrgID: orgA, Family: faults.Token, Answer: faults.Drop, Count: 1, Remaining: 1, CreatedAt: t0})
		b1 := put(t, s, faults.Fault{OrgID: orgB, Family: faults.REST, Answer: faults.Drop, Count: 1, Remaining: 1, CreatedAt: t0, Source: faults.SourceOrgFile})
		got, err := s.DeleteFault(ctx, a1.ID)
		if err != nil || got.ID != a1.ID || got.OrgID != orgA {
			t.Fatalf("DeleteFault = %+v, %v", got, err)
		}
		if _, err := s.DeleteFault(ctx, a1.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second DeleteFault: %v, want ErrNotFound", err)
		}
		if n, err := s.DeleteFaults(ctx, faults.Filter{OrgID: orgA, OrgFile: true}); n != 1 || err != nil {
			t.Errorf("DeleteFaults(orgA, org file) = %d, %v; want 1", n, err)
		}
		left, _ := s.Faults(ctx, "")
		if diff := cmp.Diff([]int64{a3.ID, b1.ID}, ids(left)); diff != "" {
			t.Errorf("left after deleting orgA's org-file faults (-want +got):\n%s (a2 was %d)", diff, a2.ID)
		}
		if n, err := s.DeleteFaults(ctx, faults.Filter{OrgID: orgA}); n != 1 || err != nil {
			t.Errorf("DeleteFaults(orgA) = %d, %v; want 1", n, err)
		}
		if n, err := s.DeleteFaults(ctx, faults.Filter{}); n != 1 || err != nil {
			t.Errorf("DeleteFaults(all) = %d, %v; want 1", n, err)
		}
	})
}

func ids(fs []faults.Fault) []int64 {
	out := make([]int64, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}
