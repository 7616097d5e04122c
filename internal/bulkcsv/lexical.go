package bulkcsv

import "time"

// The lexical forms ToJSON accepts for numbers, dates and datetimes.

// parseDate reads yyyy-MM-dd, or a dateTime of parseDateTime whose written date (before
// any zone conversion) is returned.
func parseDate(s string) (string, bool) {
	if len(s) < 10 {
		return "", false
	}
	if _, ok := dateAt(s); !ok {
		return "", false
	}
	if len(s) > 10 {
		if _, ok := parseDateTime(s); !ok {
			return "", false
		}
	}
	return s[:10], true
}

// parseDateTime reads yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss[.fraction][Z|±HH:mm|±HHmm]; no
// zone is UTC. The result is UTC, truncated to milliseconds (the storage form).
func parseDateTime(s string) (time.Time, bool) {
	day, ok := dateAt(s)
	if !ok {
		return time.Time{}, false
	}
	if len(s) == 10 {
		return day, true
	}
	if len(s) < 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	h, ok1 := twoDigits(s[11:13], 23)
	m, ok2 := twoDigits(s[14:16], 59)
	sec, ok3 := twoDigits(s[17:19], 59)
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	rest := s[19:]
	nanos := 0
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		scale := int(time.Second)
		for i < len(rest) && isDigit(rest[i]) {
			scale /= 10 // digits past nanoseconds add nothing
			nanos += int(rest[i]-'0') * scale
			i++
		}
		if i == 1 {
			return time.Time{}, false
		}
		rest = rest[i:]
	}
	offset, ok := zoneOffset(rest)
	if !ok {
		return time.Time{}, false
	}
	t := day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second + time.Duration(nanos))
	return t.Add(-time.Duration(offset) * time.Second).Truncate(time.Millisecond), true
}

// dateAt reads the yyyy-MM-dd at the start of s as midnight UTC; the year is 0001–9999 and
// the day must exist.
func dateAt(s string) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	y := 0
	for i := 0; i < 4; i++ {
		if !isDigit(s[i]) {
			return time.Time{}, false
		}
		y = y*10 + int(s[i]-'0')
	}
	mo, ok1 := twoDigits(s[5:7], 12)
	d, ok2 := twoDigits(s[8:10], 31)
	if y == 0 || !ok1 || !ok2 || mo == 0 || d == 0 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2023-02-30 rolled over
		return time.Time{}, false
	}
	return t, true
}

// zoneOffset reads "", "Z", ±HH:mm or ±HHmm as seconds east of UTC.
func zoneOffset(z string) (int, bool) {
	switch {
	case z == "" || z == "Z":
		return 0, true
	case len(z) != 5 && len(z) != 6 || z[0] != '+' && z[0] != '-':
		return 0, false
	}
	mm := z[3:5]
	if len(z) == 6 {
		if z[3] != ':' {
			return 0, false
		}
		mm = z[4:6]
	}
	h, ok1 := twoDigits(z[1:3], 23)
	m, ok2 := twoDigits(mm, 59)
	if !ok1 || !ok2 {
		return 0, false
	}
	off := h*3600 + m*60
	if z[0] == '-' {
		off = -off
	}
	return off, true
}

// twoDigits reads two decimal digits no greater than max.
func twoDigits(s string, max int) (int, bool) {
	if len(s) != 2 || !isDigit(s[0]) || !isDigit(s[1]) {
		return 0, false
	}
	n := int(s[0]-'0')*10 + int(s[1]-'0')
	return n, n <= max
}

// normalizeNumber checks s against xsd:int (decimal false) or xsd:double without the
// special values (decimal true) and rewrites it as a JSON number: no "+", no leading
// zeros, a digit on both sides of a point, no point without digits after it.
func normalizeNumber(s string, decimal bool) (string, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[intStart:i]
	var frac, exp string
	if decimal && i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		frac = s[start:i]
	}
	if intPart == "" && frac == "" {
		return "", false
	}
	if decimal && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		start := i
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		digits := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == digits {
			return "", false
		}
		exp = s[start:i]
	}
	if i != len(s) {
		return "", false
	}
	for len(intPart) > 1 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	if intPart == "" {
		intPart = "0"
	}
	out := make([]byte, 0, len(s)+2)
	if neg {
		out = append(out, '-')
	}
	out = append(out, intPart...)
	if frac != "" {
		out = append(out, '.')
		out = append(out, frac...)
	}
	out = append(out, exp...)
	return string(out), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
