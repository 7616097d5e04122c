package query

import (
	"testing"
	"time"
)

var literals = []string{"TODAY", "YESTERDAY", "TOMORROW", "THIS_WEEK", "LAST_WEEK", "NEXT_WEEK",
	"THIS_MONTH", "LAST_MONTH", "NEXT_MONTH", "THIS_QUARTER", "LAST_QUARTER", "NEXT_QUARTER",
	"THIS_YEAR", "LAST_YEAR", "NEXT_YEAR", "LAST_90_DAYS", "NEXT_90_DAYS", "LAST_N_DAYS",
	"NEXT_N_DAYS", "N_DAYS_AGO", "LAST_N_WEEKS", "NEXT_N_WEEKS", "LAST_N_MONTHS",
	"NEXT_N_MONTHS", "LAST_N_YEARS", "NEXT_N_YEARS"}

func TestDateRange(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	if ny == nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	now := time.Date(2024, 5, 15, 2, 0, 0, 0, time.UTC) // 2024-05-14 22:00 in New York
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ny) }
	for _, tc := range []struct {
		lit        string
		n          int
		start, end time.Time
	}{
		{"TODAY", 0, day(2024, 5, 14), day(2024, 5, 15)},
		{"YESTERDAY", 0, day(2024, 5, 13), day(2024, 5, 14)},
		{"THIS_WEEK", 0, day(2024, 5, 12), day(2024, 5, 19)},
		{"NEXT_WEEK", 0, day(2024, 5, 19), day(2024, 5, 26)},
		{"LAST_MONTH", 0, day(2024, 4, 1), day(2024, 5, 1)},
		{"THIS_QUARTER", 0, day(2024, 4, 1), day(2024, 7, 1)},
		{"LAST_QUARTER", 0, day(2024, 1, 1), day(2024, 4, 1)},
		{"NEXT_YEAR", 0, day(2025, 1, 1), day(2026, 1, 1)},
		{"LAST_N_DAYS", 7, day(2024, 5, 7), day(2024, 5, 15)},
		{"NEXT_N_DAYS", 2, day(2024, 5, 15), day(2024, 5, 17)},
		{"N_DAYS_AGO", 3, day(2024, 5, 11), day(2024, 5, 12)},
		{"LAST_N_WEEKS", 2, day(2024, 4, 28), day(2024, 5, 12)},
		{"NEXT_N_MONTHS", 2, day(2024, 6, 1), day(2024, 8, 1)},
		{"LAST_N_YEARS", 1, day(2023, 1, 1), day(2024, 1, 1)},
	} {
		s, e, ok := dateRange(tc.lit, tc.n, now, ny)
		if !ok || !s.Equal(tc.start) || !e.Equal(tc.end) {
			t.Errorf("%s:%d = [%v, %v) %v, want [%v, %v)", tc.lit, tc.n, s, e, ok, tc.start, tc.end)
		}
	}
	if _, _, ok := dateRange("LAST_CENTURY", 0, now, ny); ok {
		t.Error("unknown literal accepted")
	}
}

// FuzzDateRange checks that every literal gives a range from midnight to midnight,
// non-empty when n > 0 (NEXT_N_DAYS:0 is empty).
func FuzzDateRange(f *testing.F) {
	f.Add(uint8(0), 3, int64(1715740200))
	f.Add(uint8(17), 0, int64(0))
	f.Add(uint8(25), 1000, int64(-86400*365*50))
	f.Fuzz(func(t *testing.T, lit uint8, n int, unix int64) {
		if n > 100000 || unix > 1<<40 || unix < -(1<<40) {
			return
		}
		l := literals[int(lit)%len(literals)]
		s, e, ok := dateRange(l, n, time.Unix(unix, 0), time.UTC)
		if n < 0 {
			if ok {
				t.Fatalf("%s:%d accepted", l, n)
			}
			return
		}
		if !ok || e.Before(s) || (n > 0 && !s.Before(e)) || s.Hour() != 0 || e.Hour() != 0 {
			t.Fatalf("%s:%d at %d = [%v, %v) %v", l, n, unix, s, e, ok)
		}
	})
}
