package bulkcsv

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
