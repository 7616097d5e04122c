package bulkv1

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const xmlProlog = `<?xml version="1.0" encoding="UTF-8"?>`

// appendXMLRoot appends the prolog and the opening root tag, its xmlns on the next line.
func appendXMLRoot(b []byte, name string) []byte {
	b = append(b, xmlProlog...)
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, "\n   xmlns=\""...)
	b = append(b, Namespace...)
	return append(b, `">`...)
}

func appendIndent(b []byte, level int) []byte {
	b = append(b, '\n')
	for range level {
		b = append(b, ' ')
	}
	return b
}

// appendXMLStart appends a newline, level spaces and <name>.
func appendXMLStart(b []byte, level int, name string) []byte {
	b = appendIndent(b, level)
	b = append(b, '<')
	b = append(b, name...)
	return append(b, '>')
}

// appendXMLEnd appends a newline, level spaces and </name>.
func appendXMLEnd(b []byte, level int, name string) []byte {
	b = appendIndent(b, level)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

// appendXMLText appends <name>text</name> on its own line, text escaped.
func appendXMLText(b []byte, level int, name, text string) []byte {
	b = appendXMLStart(b, level, name)
	b = appendXMLEscaped(b, text)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

func appendXMLInt(b []byte, level int, name string, n int64) []byte {
	return appendXMLText(b, level, name, strconv.FormatInt(n, 10))
}

func appendXMLBool(b []byte, level int, name string, v bool) []byte {
	return appendXMLText(b, level, name, strconv.FormatBool(v))
}

// appendXMLEscaped escapes &, < and > (and \r, which XML parsers would otherwise turn
// into \n). Characters XML 1.0 cannot carry (other C0 controls, invalid UTF-8, U+FFFE/F)
// become U+FFFD so the body stays well-formed whatever a record held.
func appendXMLEscaped(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case r == '\t' || r == '\n':
			b = append(b, byte(r))
		case r < 0x20 || r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF):
			b = utf8.AppendRune(b, utf8.RuneError)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// appendJSONString appends s as a JSON string, escaped as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

func appendJSONKey(b []byte, first bool, key string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendJSONString(b, key)
	return append(b, ':')
}

// Date layouts: Bulk 1.0 XML writes UTC with "Z", JSON with "+0000" (reference §1).
const (
	xmlDateLayout  = "2006-01-02T15:04:05.000Z"
	jsonDateLayout = "2006-01-02T15:04:05.000-0700"
)

func xmlDate(t time.Time) string  { return t.UTC().Format(xmlDateLayout) }
func jsonDate(t time.Time) string { return t.UTC().Format(jsonDateLayout) }

// formatAPIVersion renders 36 as "36.0" and 36.5 as "36.5" (reference §1: apiVersion
// carries its ".0" in XML and in JSON).
func formatAPIVersion(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eEnN") {
		s += ".0"
	}
	return s
}

func appendJSONInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

func appendJSONBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

func appendJSONStringOrNull(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendJSONString(b, s)
}
