package bulkcsv

import (
	"math"
	"strconv"
	"time"

	"github.com/forcefield/forcefield/internal/schema"
)

// DateTimeLayout is the layout of datetimes in result files: UTC with milliseconds and Z,
// "2024-01-31T10:00:00.000Z" (salesforce-bulk.md §3.4; the Bulk 1.0 CSV habit,
// [UNCONFIRMED] for 2.0).
const DateTimeLayout = "2006-01-02T15:04:05.000Z"

// FormatValue renders a storage-form value of field f (records.go) as the text of a result
// file: nil ""; bool true/false; int64 in decimal; float64 as Java's Double.toString
// (below); a date "2006-01-02"; a datetime in DateTimeLayout; strings as they are. Values
// of an unexpected Go type are converted when they can be.
func FormatValue(f *schema.Field, v any) string {
	if s, ok := v.(string); ok && f.Type != schema.TypeDateTime {
		return s // the common case, without a copy
	}
	var buf [64]byte
	return string(AppendValue(buf[:0], f, v))
}

// AppendValue appends FormatValue(f, v) to dst; it allocates nothing for the storage forms.
func AppendValue(dst []byte, f *schema.Field, v any) []byte {
	switch x := v.(type) {
	case nil:
		return dst
	case string:
		if f.Type == schema.TypeDateTime { // not a storage form; accept a written datetime
			if t, ok := schema.ParseDateTime(x); ok {
				return t.UTC().AppendFormat(dst, DateTimeLayout)
			}
		}
		return append(dst, x...)
	case bool:
		return strconv.AppendBool(dst, x)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case int:
		return strconv.AppendInt(dst, int64(x), 10)
	case float64:
		if f.Type == schema.TypeInt && x == math.Trunc(x) && math.Abs(x) < 1e18 {
			return strconv.AppendInt(dst, int64(x), 10)
		}
		return appendJavaDouble(dst, x)
	case time.Time:
		if f.Type == schema.TypeDate {
			return x.UTC().AppendFormat(dst, schema.DateLayout)
		}
		return x.UTC().AppendFormat(dst, DateTimeLayout)
	}
	return dst
}

// appendJavaDouble renders x as Java's Double.toString does, which is how Salesforce
// writes double, currency and percent values in its APIs: "15000.0", "0.5", and
// scientific notation outside [10⁻³, 10⁷): "1.2345678E7", "1.0E-4". Sources: Salesforce
// knowledge article 000221617 ("Why do I see exponential values for custom number
// field?": 1234567 → 1234567.0, 12345678 → 1.2345678E7, for SOAP, REST and SOQL alike),
// a Bulk API 2.0 export showing 1.6147805824397E13 (forcedotcom/cli#3367) and a Data
// Loader export showing "9.0E7" (forcedotcom/dataloader#1204) [FIELD]. The digits are
// the shortest that read back to x (Java 19+). NaN and infinities, which storage never
// holds, are "".
func appendJavaDouble(dst []byte, x float64) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return dst
	}
	if a := math.Abs(x); a == 0 || a >= 1e-3 && a < 1e7 {
		start := len(dst)
		dst = strconv.AppendFloat(dst, x, 'f', -1, 64)
		for _, c := range dst[start:] {
			if c == '.' {
				return dst
			}
		}
		return append(dst, '.', '0')
	}
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], x, 'e', -1, 64) // e.g. 1.2345678e+07, 1e-04
	i := 0
	for e[i] != 'e' {
		i++
	}
	mant, exp := e[:i], e[i+1:]
	dst = append(dst, mant...)
	hasPoint := false
	for _, c := range mant {
		hasPoint = hasPoint || c == '.'
	}
	if !hasPoint {
		dst = append(dst, '.', '0')
	}
	dst = append(dst, 'E')
	if exp[0] == '-' {
		dst = append(dst, '-')
	}
	exp = exp[1:]
	for len(exp) > 1 && exp[0] == '0' {
		exp = exp[1:]
	}
	return append(dst, exp...)
}
