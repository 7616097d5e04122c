package query

import "time"

// dateRange is the [start, end) range of a SOQL date literal in loc, relative to now
// (Salesforce "Date Formats and Date Literals"). Weeks start on Sunday (the en_US
// locale); quarters are calendar quarters (no fiscal year settings). LAST_N_DAYS:n
// covers today and the n days before it; NEXT_N_DAYS:n the n days after today.
//
// Package soql is to gain Value.Range with the same rules; this private copy keeps the
// resolver independent of it until then.
func dateRange(lit string, n int, now time.Time, loc *time.Location) (start, end time.Time, ok bool) {
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	day := func(d int) time.Time { return today.AddDate(0, 0, d) }
	week := today.AddDate(0, 0, -int(today.Weekday()))
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	quarter := time.Date(now.Year(), time.Month((int(now.Month())-1)/3*3+1), 1, 0, 0, 0, 0, loc)
	year := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, loc)
	if n < 0 {
		return start, end, false
	}
	switch lit {
	case "TODAY":
		return today, day(1), true
	case "YESTERDAY":
		return day(-1), today, true
	case "TOMORROW":
		return day(1), day(2), true
	case "THIS_WEEK":
		return week, week.AddDate(0, 0, 7), true
	case "LAST_WEEK":
		return week.AddDate(0, 0, -7), week, true
	case "NEXT_WEEK":
		return week.AddDate(0, 0, 7), week.AddDate(0, 0, 14), true
	case "THIS_MONTH":
		return month, month.AddDate(0, 1, 0), true
	case "LAST_MONTH":
		return month.AddDate(0, -1, 0), month, true
	case "NEXT_MONTH":
		return month.AddDate(0, 1, 0), month.AddDate(0, 2, 0), true
	case "THIS_QUARTER":
		return quarter, quarter.AddDate(0, 3, 0), true
	case "LAST_QUARTER":
		return quarter.AddDate(0, -3, 0), quarter, true
	case "NEXT_QUARTER":
		return quarter.AddDate(0, 3, 0), quarter.AddDate(0, 6, 0), true
	case "THIS_YEAR":
		return year, year.AddDate(1, 0, 0), true
	case "LAST_YEAR":
		return year.AddDate(-1, 0, 0), year, true
	case "NEXT_YEAR":
		return year.AddDate(1, 0, 0), year.AddDate(2, 0, 0), true
	case "LAST_90_DAYS":
		return day(-90), day(1), true
	case "NEXT_90_DAYS":
		return day(1), day(91), true
	case "LAST_N_DAYS":
		return day(-n), day(1), true
	case "NEXT_N_DAYS":
		return day(1), day(1 + n), true
	case "N_DAYS_AGO":
		return day(-n), day(-n + 1), true
	case "LAST_N_WEEKS":
		return week.AddDate(0, 0, -7*n), week, true
	case "NEXT_N_WEEKS":
		return week.AddDate(0, 0, 7), week.AddDate(0, 0, 7+7*n), true
	case "LAST_N_MONTHS":
		return month.AddDate(0, -n, 0), month, true
	case "NEXT_N_MONTHS":
		return month.AddDate(0, 1, 0), month.AddDate(0, 1+n, 0), true
	case "LAST_N_YEARS":
		return year.AddDate(-n, 0, 0), year, true
	case "NEXT_N_YEARS":
		return year.AddDate(1, 0, 0), year.AddDate(1+n, 0, 0), true
	}
	return start, end, false
}
