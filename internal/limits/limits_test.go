package limits

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

func TestUseCountsARolling24Hours(t *testing.T) {
	now := time.Date(2026, 11, 22, 23, 59, 0, 0, time.UTC)
	c := New(func() time.Time { return now })
	for i := 1; i <= 2; i++ {
		if used, ok := c.Use("org", 3); !ok || used != i {
			t.Fatalf("Use #%d = %d, %v", i, used, ok)
		}
	}
	if c.Used("other") != 0 {
		t.Error("another org's count is not zero")
	}
	// Midnight is not a reset: the window rolls.
	now = now.Add(2 * time.Minute)
	if used, ok := c.Use("org", 3); !ok || used != 3 {
		t.Fatalf("after midnight: Use = %d, %v; want 3, true", used, ok)
	}
	if used, ok := c.Use("org", 3); ok || used != 3 {
		t.Fatalf("Use over the limit = %d, %v; want 3, false", used, ok)
	}
	// 23 hours after the first two requests they still count.
	now = time.Date(2026, 11, 23, 22, 30, 0, 0, time.UTC)
	if got := c.Used("org"); got != 3 {
		t.Errorf("23 h later: Used = %d, want 3", got)
	}
	// 24 hours after their hour the first two are gone; the third (00:01) still counts.
	now = time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC)
	if got := c.Used("org"); got != 1 {
		t.Errorf("24 h later: Used = %d, want 1", got)
	}
	if used, ok := c.Use("org", 3); !ok || used != 2 {
		t.Errorf("Use after the window moved = %d, %v; want 2, true", used, ok)
	}
	now = now.Add(48 * time.Hour)
	if got := c.Used("org"); got != 0 {
		t.Errorf("two days later: Used = %d, want 0", got)
	}
}

// A named limit holds when 64 users race for it: exactly max units are granted.
func TestUseNRace(t *testing.T) {
	c := New(nil)
	org := sfid.ID("00D5F0000000001UAA")
	var granted atomic.Int64
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := c.UseN("DailyBulkApiBatches", org, 1, 10); ok {
				granted.Add(1)
			}
		}()
	}
	wg.Wait()
	if granted.Load() != 10 || c.UsedN("DailyBulkApiBatches", org) != 10 || c.Used(org) != 0 {
		t.Errorf("granted %d, used %d (requests %d), want 10, 10, 0", granted.Load(), c.UsedN("DailyBulkApiBatches", org), c.Used(org))
	}
	if _, ok := c.UseN("DailyBulkApiBatches", org, 5, 100); !ok {
		t.Error("a separate call with a higher max was refused")
	}
}
