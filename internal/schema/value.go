package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/forcefield/forcefield/internal/sfid"
)

// The JSON codec between REST bodies and the storage forms of internal/records (see
// records.go). Field values in JSON follow salesforce-rest.md §3 "Field value formats".

// Error codes DecodeValue returns (salesforce-rest.md §5).
const (
	CodeJSONParser         = "JSON_PARSER_ERROR"
	CodeStringTooLong      = "STRING_TOO_LONG"
	CodeRestrictedPicklist = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
	CodeInvalidEmail       = "INVALID_EMAIL_ADDRESS"
	CodeNumberOutsideRange = "NUMBER_OUTSIDE_VALID_RANGE"
	CodeMalformedID        = "MALFORMED_ID"
)

// ValueError is a value a client sent that the field does not accept: Code and Message are
// the Salesforce errorCode and message, Fields the field names (empty for
// JSON_PARSER_ERROR, which Salesforce reports without fields).
type ValueError struct {
	Code    string
	Message string
	Fields  []string
}

func (e *ValueError) Error() string { return e.Code + ": " + e.Message }

func fieldError(f *Field, code, msg string) *ValueError {
	return &ValueError{Code: code, Message: msg, Fields: []string{f.Name}}
}

// javaTypes are the Java type names Salesforce's JSON deserializer reports per field type.
var javaTypes = map[FieldType]string{
	TypeBoolean: "boolean", TypeInt: "int", TypeDouble: "double", TypeCurrency: "double", TypePercent: "double",
}

// parserError is the JSON_PARSER_ERROR Salesforce gives for a JSON value of the wrong kind,
// e.g. "Cannot deserialize instance of double from VALUE_STRING value abc or request may
// be missing a required field at [line:1, column:12]". The line and column of the value
// inside the whole body are unknown here; Forcefield reports [line:1, column:1].
func parserError(f *Field, token, text string) *ValueError {
	jt, ok := javaTypes[f.Type]
	if !ok {
		jt = "string"
	}
	return &ValueError{Code: CodeJSONParser, Message: fmt.Sprintf(
		"Cannot deserialize instance of %s from %s value %s or request may be missing a required field at [line:1, column:1]", jt, token, text)}
}

// jsonToken names the JSON token kind of v as Jackson does.
func jsonToken(v any) (token, text string) {
	switch x := v.(type) {
	case string:
		return "VALUE_STRING", x
	case bool:
		if x {
			return "VALUE_TRUE", "true"
		}
		return "VALUE_FALSE", "false"
	case json.Number:
		if strings.ContainsAny(string(x), ".eE") {
			return "VALUE_NUMBER_FLOAT", string(x)
		}
		return "VALUE_NUMBER_INT", string(x)
	case []any:
		return "START_ARRAY", "["
	case map[string]any:
		return "START_OBJECT", "{"
	}
	return "VALUE_NULL", "null"
}

// DecodeValue converts the JSON value raw sent for field f into its storage form (nil for
// null). Salesforce's conversions are followed: an empty string is null for text and
// reference fields; numbers and booleans may be sent as JSON strings ("12.5", "true"); a
// number or boolean sent for a text field is stored as its text. Whether a null is allowed
// (required fields) and whether a reference points at the right object are the caller's
// checks.
func DecodeValue(f *Field, raw json.RawMessage) (any, error) {
	v, ok := simpleJSON(raw)
	if !ok {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, &ValueError{Code: CodeJSONParser, Message: "Unexpected character in value of " + f.Name + " at [line:1, column:1]"}
		}
		if dec.More() {
			return nil, &ValueError{Code: CodeJSONParser, Message: "Unexpected content after value of " + f.Name + " at [line:1, column:1]"}
		}
	}
	if v == nil {
		return nil, nil
	}
	switch f.Type {
	case TypeBoolean:
		return decodeBool(f, v)
	case TypeInt:
		return decodeInt(f, v)
	case TypeDouble, TypeCurrency, TypePercent:
		return decodeNumber(f, v)
	case TypeDate:
		return decodeDate(f, v)
	case TypeDateTime:
		return decodeDateTime(f, v)
	}
	s, err := scalarText(f, v)
	if err != nil || s == "" {
		return nil, err
	}
	switch f.Type {
	case TypeID, TypeReference:
		id, err := sfid.Parse(s)
		if err != nil {
			return nil, fieldError(f, CodeMalformedID, f.Label+": id value of incorrect type: "+s)
		}
		return string(id), nil
	case TypeEmail:
		if !validEmail(s) {
			return nil, fieldError(f, CodeInvalidEmail, f.Label+": invalid email address: "+s)
		}
	case TypePicklist:
		if f.Restricted && !activeValue(f, s) {
			return nil, fieldError(f, CodeRestrictedPicklist, f.Label+": bad value for restricted picklist field: "+s)
		}
	case TypeMultiPicklist:
		var parts []string
		for _, p := range strings.Split(s, ";") {
			if p = strings.TrimSpace(p); p == "" {
				continue // "A;;B" and " " carry no value
			}
			if f.Restricted && !activeValue(f, p) {
				return nil, fieldError(f, CodeRestrictedPicklist, f.Label+": bad value for restricted picklist field: "+p)
			}
			parts = append(parts, p)
		}
		if len(parts) == 0 {
			return nil, nil
		}
		s = strings.Join(parts, ";")
	}
	if f.Length > 0 && utf8.RuneCountInString(s) > f.Length {
		return nil, fieldError(f, CodeStringTooLong, fmt.Sprintf("%s: data value too large: %s (max length=%d)", f.Label, s, f.Length))
	}
	return s, nil
}

// scalarText is the text of a string, number or boolean JSON value.
func scalarText(f *Field, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return string(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	tok, text := jsonToken(v)
	return "", parserError(f, tok, text)
}

func activeValue(f *Field, s string) bool {
	for _, p := range f.Picklist {
		if p.Active && p.Value == s {
			return true
		}
	}
	return false
}

// validEmail is Salesforce's shape check: one @, a non-empty local part without spaces,
// and a dotted domain.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || strings.ContainsAny(s, " \t\r\n,;<>()[]\\\"") || strings.Count(s, "@") != 1 {
		return false
	}
	domain := s[at+1:]
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..")
}

func decodeBool(f *Field, v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(x) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	tok, text := jsonToken(v)
	return nil, parserError(f, tok, text)
}

// numberText is the decimal text of a JSON number or numeric string ("12.5"); ok false
// for anything else, including "NaN" and "Inf".
func numberText(v any) (string, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		s = strings.TrimSpace(x)
	default:
		return "", false
	}
	if s == "" || strings.ContainsAny(s, "nNiIxX_") {
		return "", false
	}
	return s, true
}

func decodeInt(f *Field, v any) (any, error) {
	s, ok := numberText(v)
	if !ok {
		tok, text := jsonToken(v)
		return nil, parserError(f, tok, text)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		x, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil && !isRangeErr(ferr) {
			tok, text := jsonToken(v)
			return nil, parserError(f, tok, text)
		}
		if x != math.Trunc(x) {
			return nil, parserError(f, "VALUE_NUMBER_FLOAT", s)
		}
		if math.Abs(x) >= 1e18 || math.IsInf(x, 0) {
			return nil, outOfRange(f, s)
		}
		n = int64(x)
	}
	digits := f.Digits
	if digits <= 0 || digits > 18 {
		digits = 18
	}
	if math.Abs(float64(n)) >= math.Pow10(digits) {
		return nil, outOfRange(f, s)
	}
	return n, nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func outOfRange(f *Field, text string) *ValueError {
	return fieldError(f, CodeNumberOutsideRange, f.Label+": value outside of valid range on numeric field: "+text)
}

// decodeNumber reads a double, currency or percent: at most Precision-Scale digits left of
// the point, rounded half away from zero to Scale decimals, as Salesforce stores them.
func decodeNumber(f *Field, v any) (any, error) {
	s, ok := numberText(v)
	if !ok {
		tok, text := jsonToken(v)
		return nil, parserError(f, tok, text)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeErr(err) {
		tok, text := jsonToken(v)
		return nil, parserError(f, tok, text)
	}
	intDigits := f.Precision - f.Scale
	if f.Precision <= 0 {
		intDigits = 18
	}
	if math.IsInf(x, 0) || math.Abs(x) >= math.Pow10(intDigits) {
		return nil, outOfRange(f, s)
	}
	if f.Precision > 0 {
		p := math.Pow10(f.Scale)
		if r := math.Round(x*p) / p; !math.IsInf(r, 0) && !math.IsNaN(r) {
			x = r
		}
	}
	if x == 0 {
		x = 0 // no negative zero
	}
	return x, nil
}

// simpleJSON decodes the common shapes of a value without a json.Decoder — which costs
// about 1 kB of allocations per value, most of a bulk ingest's garbage — and reports
// whether raw was one: null, true, false, a number (as json.Number, as UseNumber gives)
// or a string without escapes or control characters in valid UTF-8. Anything else
// (whitespace around the value, escapes, objects, arrays, malformed input) is left to
// the decoder, so the results and errors are the decoder's.
func simpleJSON(raw []byte) (any, bool) {
	if len(raw) == 0 {
		return nil, false
	}
	switch c := raw[0]; {
	case c == '"':
		if len(raw) < 2 || raw[len(raw)-1] != '"' {
			return nil, false
		}
		in := raw[1 : len(raw)-1]
		ascii := true
		for _, b := range in {
			if b < 0x20 || b == '"' || b == '\\' {
				return nil, false
			}
			if b >= utf8.RuneSelf {
				ascii = false
			}
		}
		if !ascii && !utf8.Valid(in) {
			return nil, false // the decoder replaces invalid bytes with U+FFFD
		}
		return string(in), true
	case c == '-' || c >= '0' && c <= '9':
		if !jsonNumber(raw) {
			return nil, false
		}
		return json.Number(raw), true
	}
	switch string(raw) {
	case "null":
		return nil, true
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return nil, false
}

// jsonNumber reports whether b is a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i, n = i+1, n+1
		}
		return n
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}
