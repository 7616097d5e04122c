package limits

import (
	"testing"
	"time"
)

func TestUseRollsOverDaily(t *testing.T) {
	now := time.Date(2026, 11, 22, 23, 59, 0, 0, time.UTC)
	c := New(func() time.Time { return now })
	for i := 1; i <= 2; i++ {
		if used, ok := c.Use("org", 2); !ok || used != i {
			t.Fatalf("Use #%d = %d, %v", i, used, ok)
		}
	}
	if used, ok := c.Use("org", 2); ok || used != 2 {
		t.Fatalf("Use over the limit = %d, %v; want 2, false", used, ok)
	}
	if c.Used("other") != 0 {
		t.Error("another org's count is not zero")
	}
	now = now.Add(2 * time.Minute)
	if used, ok := c.Use("org", 2); !ok || used != 1 {
		t.Errorf("after midnight UTC: Use = %d, %v; want 1, true", used, ok)
	}
}
