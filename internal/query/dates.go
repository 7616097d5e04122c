package query

import (
	"time"

	"github.com/forcefield/forcefield/internal/soql"
)

// dateRange is the [start, end) range of a SOQL date literal in loc, relative to now —
// soql.Value.Range, which holds the rules (Salesforce "Date Formats and Date Literals";
// weeks start on Sunday, calendar quarters) — and false for a literal it does not know
// or a negative n.
func dateRange(lit string, n int, now time.Time, loc *time.Location) (start, end time.Time, ok bool) {
	if n < 0 {
		return start, end, false
	}
	start, end = soql.Value{Kind: soql.DateLiteral, Literal: lit, N: n}.Range(now, loc)
	return start, end, !start.IsZero()
}
