package limits

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/sfid"
)

// Per-app counts land in the hour they were made, roll off after 24 hours with the org's,
// and a request refused by the org's limit counts for nobody.
func TestHourlyByApp(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 30, 0, 0, time.UTC)
	c := New(func() time.Time { return now })
	use := func(app sfid.ID, n int, max int) {
		for range n {
			c.UseApp("org", app, max)
		}
	}
	use("appA", 2, 100)
	now = now.Add(time.Hour) // 11:30
	use("appA", 1, 100)
	use("appB", 3, 100)
	use("", 1, 100) // a UI session's request
	c.UseApp("other", "appA", 100)

	got, start := c.HourlyByApp("org")
	if want := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC); !start.Equal(want) {
		t.Errorf("start = %v, want %v", start, want)
	}
	byApp := map[sfid.ID]AppHours{}
	for _, a := range got {
		byApp[a.AppID] = a
	}
	var wantA, wantB, wantNone [24]int
	wantA[22], wantA[23] = 2, 1
	wantB[23] = 3
	wantNone[23] = 1
	tests := []struct {
		app   sfid.ID
		hours [24]int
		total int
	}{{"appA", wantA, 3}, {"appB", wantB, 3}, {"", wantNone, 1}}
	for _, tt := range tests {
		a := byApp[tt.app]
		if diff := cmp.Diff(tt.hours, a.Hours); diff != "" || a.Total != tt.total {
			t.Errorf("app %q: total %d want %d; hours (-want +got):\n%s", tt.app, a.Total, tt.total, diff)
		}
	}
	if len(got) != 3 {
		t.Errorf("%d apps, want 3 (another org's app must not appear)", len(got))
	}
	if used := c.Used("org"); used != 7 {
		t.Errorf("org Used = %d, want 7 (UseApp counts the org too)", used)
	}

	// Over the org's limit: refused, and the app does not count it.
	if _, ok := c.UseApp("org", "appB", 7); ok {
		t.Error("UseApp over the limit was allowed")
	}
	got, _ = c.HourlyByApp("org")
	for _, a := range got {
		if a.AppID == "appB" && a.Total != 3 {
			t.Errorf("a refused request counted for the app: total %d", a.Total)
		}
	}

	// 24 hours after 10:xx the first two are gone; the 11:30 one is now the oldest hour.
	now = time.Date(2026, 12, 3, 10, 5, 0, 0, time.UTC)
	got, _ = c.HourlyByApp("org")
	for _, a := range got {
		if a.AppID == "appA" && (a.Total != 1 || a.Hours[0] != 1) {
			t.Errorf("after 24 h appA = %+v, want only the 11:30 request, in the first hour", a)
		}
	}
}

// The request path's cost of counting per app: BenchmarkUse (the org only) against
// BenchmarkUseApp (org and app, one lock) in the same run.
func BenchmarkUse(b *testing.B) {
	c := New(nil)
	for b.Loop() {
		c.Use("00D000000000001AAA", 1<<62)
	}
}

func BenchmarkUseApp(b *testing.B) {
	c := New(nil)
	for b.Loop() {
		c.UseApp("00D000000000001AAA", "0H4000000000001AAA", 1<<62)
	}
}
