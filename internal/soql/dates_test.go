package soql

import (
	"testing"
	"time"
)

func TestRange(t *testing.T) {
	// Wednesday 15 May 2024, 14:30 in a UTC-7 zone; the week began on Sunday 12 May.
	loc := time.FixedZone("UTC-7", -7*3600)
	now := time.Date(2024, 5, 15, 14, 30, 0, 0, loc)
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, loc) }
	for _, tc := range []struct {
		lit        string
		n          int
		start, end time.Time
	}{
		{"TODAY", 0, d(2024, 5, 15), d(2024, 5, 16)},
		{"YESTERDAY", 0, d(2024, 5, 14), d(2024, 5, 15)},
		{"TOMORROW", 0, d(2024, 5, 16), d(2024, 5, 17)},
		{"LAST_WEEK", 0, d(2024, 5, 5), d(2024, 5, 12)},
		{"THIS_WEEK", 0, d(2024, 5, 12), d(2024, 5, 19)},
		{"NEXT_WEEK", 0, d(2024, 5, 19), d(2024, 5, 26)},
		{"LAST_MONTH", 0, d(2024, 4, 1), d(2024, 5, 1)},
		{"THIS_MONTH", 0, d(2024, 5, 1), d(2024, 6, 1)},
		{"NEXT_MONTH", 0, d(2024, 6, 1), d(2024, 7, 1)},
		{"LAST_90_DAYS", 0, d(2024, 2, 15), d(2024, 5, 16)},
		{"NEXT_90_DAYS", 0, d(2024, 5, 16), d(2024, 8, 14)},
		{"LAST_QUARTER", 0, d(2024, 1, 1), d(2024, 4, 1)},
		{"THIS_QUARTER", 0, d(2024, 4, 1), d(2024, 7, 1)},
		{"NEXT_QUARTER", 0, d(2024, 7, 1), d(2024, 10, 1)},
		{"LAST_YEAR", 0, d(2023, 1, 1), d(2024, 1, 1)},
		{"THIS_YEAR", 0, d(2024, 1, 1), d(2025, 1, 1)},
		{"NEXT_YEAR", 0, d(2025, 1, 1), d(2026, 1, 1)},
		{"LAST_N_DAYS", 7, d(2024, 5, 8), d(2024, 5, 16)},
		{"LAST_N_DAYS", 0, d(2024, 5, 15), d(2024, 5, 16)},
		{"NEXT_N_DAYS", 7, d(2024, 5, 16), d(2024, 5, 23)},
		{"N_DAYS_AGO", 3, d(2024, 5, 12), d(2024, 5, 13)},
		{"LAST_N_WEEKS", 2, d(2024, 4, 28), d(2024, 5, 12)},
		{"NEXT_N_WEEKS", 2, d(2024, 5, 19), d(2024, 6, 2)},
		{"LAST_N_MONTHS", 2, d(2024, 3, 1), d(2024, 5, 1)},
		{"NEXT_N_MONTHS", 2, d(2024, 6, 1), d(2024, 8, 1)},
		{"LAST_N_MONTHS", 14, d(2023, 3, 1), d(2024, 5, 1)},
		{"LAST_N_YEARS", 2, d(2022, 1, 1), d(2024, 1, 1)},
		{"NEXT_N_YEARS", 2, d(2025, 1, 1), d(2027, 1, 1)},
	} {
		start, end := dlit(tc.lit, tc.n).Range(now, loc)
		if !start.Equal(tc.start) || !end.Equal(tc.end) {
			t.Errorf("%s:%d = [%v, %v), want [%v, %v)", tc.lit, tc.n, start, end, tc.start, tc.end)
		}
	}
}

func TestRangeEdges(t *testing.T) {
	// The day is that of loc, not of UTC: 02:00 UTC on 16 May is still 15 May at UTC-7.
	loc := time.FixedZone("UTC-7", -7*3600)
	start, end := dlit("TODAY", 0).Range(time.Date(2024, 5, 16, 2, 0, 0, 0, time.UTC), loc)
	if want := time.Date(2024, 5, 15, 7, 0, 0, 0, time.UTC); !start.Equal(want) || !end.Equal(want.AddDate(0, 0, 1)) {
		t.Errorf("TODAY = [%v, %v)", start, end)
	}
	// nil location is UTC; on a Sunday THIS_WEEK starts that day; in January LAST_QUARTER
	// is the previous year's fourth quarter.
	sunday := time.Date(2024, 5, 12, 23, 0, 0, 0, time.UTC)
	if s, e := dlit("THIS_WEEK", 0).Range(sunday, nil); !s.Equal(time.Date(2024, 5, 12, 0, 0, 0, 0, time.UTC)) || !e.Equal(time.Date(2024, 5, 19, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("THIS_WEEK on Sunday = [%v, %v)", s, e)
	}
	jan := time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
	if s, e := dlit("LAST_QUARTER", 0).Range(jan, time.UTC); !s.Equal(time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC)) || !e.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("LAST_QUARTER in January = [%v, %v)", s, e)
	}
	// Other kinds and unknown literals have no range.
	if s, e := str("x").Range(jan, nil); !s.IsZero() || !e.IsZero() {
		t.Errorf("String range = [%v, %v)", s, e)
	}
	if s, e := dlit("NEXT_FORTNIGHT", 0).Range(jan, nil); !s.IsZero() || !e.IsZero() {
		t.Errorf("unknown literal range = [%v, %v)", s, e)
	}
}

// TestRangeParsed ties the parser to Range: every literal it accepts has a range.
func TestRangeParsed(t *testing.T) {
	now := time.Date(2024, 5, 15, 12, 0, 0, 0, time.UTC)
	for name, takesN := range dateLiterals {
		text := "SELECT Id FROM X WHERE D = " + name
		if takesN {
			text += ":2"
		}
		got, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q): %v", text, err)
		}
		v := got.Where.(*Comparison).Value
		if s, e := v.Range(now, nil); s.IsZero() || !s.Before(e) {
			t.Errorf("%s: Range = [%v, %v)", v.Text, s, e)
		}
	}
}
