package schema

import (
	"fmt"
	"strings"
	"time"
)

// Dates and datetimes. Salesforce writes datetimes as "2018-03-18T07:38:12.000+0000" and
// dates as "2024-01-15" (salesforce-objects.md §3); it reads the ISO 8601 forms clients
// send: Z, +0000 or +00:00 offsets, with or without fractional seconds, and a plain date
// (midnight UTC) for a datetime field.

// DateTimeLayout is the layout of datetimes in REST responses.
const DateTimeLayout = "2006-01-02T15:04:05.000-0700"

// DateLayout is the layout of dates.
const DateLayout = "2006-01-02"

// dateTimeLayouts are the accepted input forms; fractional seconds of any length are
// accepted by time.Parse after the seconds even when the layout has none.
var dateTimeLayouts = []string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05Z07",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	DateLayout,
}

// ParseDateTime reads a datetime in any accepted form; the result is UTC with millisecond
// precision (the storage form of records.go).
func ParseDateTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Truncate(time.Millisecond), true
		}
	}
	return time.Time{}, false
}

// dateError is the JSON_PARSER_ERROR for an unreadable date or datetime. Salesforce's text
// is Jackson's ("Cannot deserialize value of type `java.util.Date` from String …");
// Forcefield's message has that start, the rest is approximate.
func dateError(f *Field, v any) *ValueError {
	tok, text := jsonToken(v)
	if tok != "VALUE_STRING" {
		return &ValueError{Code: CodeJSONParser, Message: fmt.Sprintf(
			"Cannot deserialize value of type `java.util.Date` from %s value %s at [line:1, column:1]", tok, text)}
	}
	format := "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
	if f.Type == TypeDate {
		format = "yyyy-MM-dd"
	}
	return &ValueError{Code: CodeJSONParser, Message: fmt.Sprintf(
		"Cannot deserialize value of type `java.util.Date` from String %q: expected format %q at [line:1, column:1]", text, format)}
}

// decodeDate reads a date; a datetime string is accepted and its UTC date kept.
func decodeDate(f *Field, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, dateError(f, v)
	}
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(DateLayout, s); err == nil {
		return t.Format(DateLayout), nil
	}
	if t, ok := ParseDateTime(s); ok {
		return t.Format(DateLayout), nil
	}
	return nil, dateError(f, v)
}

func decodeDateTime(f *Field, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, dateError(f, v)
	}
	if s == "" {
		return nil, nil
	}
	if t, ok := ParseDateTime(s); ok {
		return t, nil
	}
	return nil, dateError(f, v)
}
