package soql

import "time"

// dateLiterals lists the supported date literals (SOQL and SOSL Reference, "Date Formats
// and Date Literals"); the value says whether the literal takes :n.
var dateLiterals = map[string]bool{
	"TODAY": false, "YESTERDAY": false, "TOMORROW": false,
	"LAST_WEEK": false, "THIS_WEEK": false, "NEXT_WEEK": false,
	"LAST_MONTH": false, "THIS_MONTH": false, "NEXT_MONTH": false,
	"LAST_90_DAYS": false, "NEXT_90_DAYS": false,
	"THIS_QUARTER": false, "LAST_QUARTER": false, "NEXT_QUARTER": false,
	"THIS_YEAR": false, "LAST_YEAR": false, "NEXT_YEAR": false,
	"LAST_N_DAYS": true, "NEXT_N_DAYS": true, "N_DAYS_AGO": true,
	"LAST_N_WEEKS": true, "NEXT_N_WEEKS": true,
	"LAST_N_MONTHS": true, "NEXT_N_MONTHS": true,
	"LAST_N_YEARS": true, "NEXT_N_YEARS": true,
}

// Range returns the half-open interval [start, end) that a DateLiteral value denotes at
// the instant now, with days, weeks, months, quarters and years taken in loc (nil means
// UTC). Other kinds give two zero times. Salesforce's definitions (SOQL and SOSL
// Reference, "Date Formats and Date Literals"), with the choices made here:
//
//   - Weeks start on Sunday (the en_US locale's first day of week); quarters are calendar
//     quarters (no custom fiscal year).
//   - LAST_90_DAYS and LAST_N_DAYS:n include today: they start at 00:00 n days before
//     today and end at the end of today (Salesforce says "up to the current second"; the
//     rest of today is included so that the range does not depend on the clock second).
//   - NEXT_90_DAYS and NEXT_N_DAYS:n start at 00:00 tomorrow (today excluded) and last n
//     days.
//   - N_DAYS_AGO:n is the single day n days before today.
//   - LAST_N_WEEKS/MONTHS/YEARS:n are the n whole units before the current one;
//     NEXT_N_…:n the n whole units after the current one.
func (v Value) Range(now time.Time, loc *time.Location) (start, end time.Time) {
	if v.Kind != DateLiteral {
		return time.Time{}, time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	y, m, d := now.Date()
	day := func(off int) time.Time { return time.Date(y, m, d+off, 0, 0, 0, 0, loc) }
	wd := int(now.Weekday()) // Sunday = 0
	week := func(off int) time.Time { return time.Date(y, m, d-wd+7*off, 0, 0, 0, 0, loc) }
	month := func(off int) time.Time { return time.Date(y, m+time.Month(off), 1, 0, 0, 0, 0, loc) }
	q0 := time.Month((int(m)-1)/3*3 + 1)
	quarter := func(off int) time.Time { return time.Date(y, q0+time.Month(3*off), 1, 0, 0, 0, 0, loc) }
	year := func(off int) time.Time { return time.Date(y+off, 1, 1, 0, 0, 0, 0, loc) }
	n := v.N
	switch v.Literal {
	case "TODAY":
		return day(0), day(1)
	case "YESTERDAY":
		return day(-1), day(0)
	case "TOMORROW":
		return day(1), day(2)
	case "LAST_WEEK":
		return week(-1), week(0)
	case "THIS_WEEK":
		return week(0), week(1)
	case "NEXT_WEEK":
		return week(1), week(2)
	case "LAST_MONTH":
		return month(-1), month(0)
	case "THIS_MONTH":
		return month(0), month(1)
	case "NEXT_MONTH":
		return month(1), month(2)
	case "LAST_90_DAYS":
		return day(-90), day(1)
	case "NEXT_90_DAYS":
		return day(1), day(91)
	case "LAST_QUARTER":
		return quarter(-1), quarter(0)
	case "THIS_QUARTER":
		return quarter(0), quarter(1)
	case "NEXT_QUARTER":
		return quarter(1), quarter(2)
	case "LAST_YEAR":
		return year(-1), year(0)
	case "THIS_YEAR":
		return year(0), year(1)
	case "NEXT_YEAR":
		return year(1), year(2)
	case "LAST_N_DAYS":
		return day(-n), day(1)
	case "NEXT_N_DAYS":
		return day(1), day(1 + n)
	case "N_DAYS_AGO":
		return day(-n), day(-n + 1)
	case "LAST_N_WEEKS":
		return week(-n), week(0)
	case "NEXT_N_WEEKS":
		return week(1), week(1 + n)
	case "LAST_N_MONTHS":
		return month(-n), month(0)
	case "NEXT_N_MONTHS":
		return month(1), month(1 + n)
	case "LAST_N_YEARS":
		return year(-n), year(0)
	case "NEXT_N_YEARS":
		return year(1), year(1 + n)
	}
	return time.Time{}, time.Time{}
}
