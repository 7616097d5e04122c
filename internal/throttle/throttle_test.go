package throttle

import (
	"testing"
	"time"
)

func TestBurstThenRefill(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New(3, 10*time.Second, func() time.Time { return now })
	for i := 0; i < 3; i++ {
		if blocked, _ := l.Blocked("k"); blocked {
			t.Fatalf("blocked after %d failures, burst is 3", i)
		}
		l.Fail("k")
	}
	blocked, wait := l.Blocked("k")
	if !blocked || wait != 10*time.Second {
		t.Fatalf("after burst: blocked=%v wait=%v, want true 10s", blocked, wait)
	}
	if b, _ := l.Blocked("other"); b {
		t.Error("an unrelated key is blocked")
	}
	now = now.Add(10 * time.Second)
	if b, _ := l.Blocked("k"); b {
		t.Error("still blocked after one token returned")
	}
	now = now.Add(time.Hour)
	l.Fail("x") // triggers a sweep
	if n := l.Len(); n != 1 {
		t.Errorf("tracked keys = %d, want 1 (k refilled and forgotten)", n)
	}
}
