package soql

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error codes produced by this package. Package query reports INVALID_FIELD and
// INVALID_TYPE through ErrorAt with the same caret rendering.
const (
	CodeMalformedQuery = "MALFORMED_QUERY"
	// MsgEmpty is Salesforce's message for a missing or empty q parameter
	// (salesforce-rest.md §4 "SOQL error shapes"); it has no caret part.
	MsgEmpty = "SOQL statements cannot be empty or null"
	// MsgNoDistance answers DISTANCE(…) where Forcefield does not compute it (the SELECT
	// list, GROUP BY, HAVING) and GEOLOCATION(…) outside DISTANCE; WHERE and ORDER BY
	// DISTANCE(…) are served (salesforce-rest-more.md §7.4). The message is Forcefield's
	// own, in Salesforce's MALFORMED_QUERY caret form.
	MsgNoDistance = "DISTANCE is supported only in WHERE (with < or >) and ORDER BY by this server"
)

// Error is a SOQL error at a byte offset of the query text.
type Error struct {
	Code string // MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, …
	Pos  Pos    // byte offset of the offending token
	Msg  string // e.g. "unexpected token: 'From'"
	// Plain errors are rendered as Msg alone, without the caret form (the empty query).
	Plain bool
}

// ErrorAt returns an error with the given code at pos; the message is rendered in the
// caret form by Message.
func ErrorAt(code string, pos Pos, msg string) *Error {
	return &Error{Code: code, Pos: pos, Msg: msg}
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("%s at offset %d: %s", e.Code, e.Pos, e.Msg)
}

// Message renders the error the way Salesforce does in the "message" of a query error
// (salesforce-rest.md §4 "SOQL error shapes"): a newline, the line of text containing
// Pos, a caret under the offending column, "ERROR at Row:R:Column:C" and Msg.
//
// Row is the 1-based line number of Pos (lines end at "\n"; a "\r" before it is not
// shown) and Column its 1-based character (rune) position within that line. Plain errors
// render as Msg alone.
func (e *Error) Message(text string) string {
	if e.Plain {
		return e.Msg
	}
	pos := int(e.Pos)
	if pos < 0 {
		pos = 0
	}
	if pos > len(text) {
		pos = len(text)
	}
	start := strings.LastIndexByte(text[:pos], '\n') + 1
	end := strings.IndexByte(text[pos:], '\n')
	if end < 0 {
		end = len(text)
	} else {
		end += pos
	}
	line := strings.TrimSuffix(text[start:end], "\r")
	row := strings.Count(text[:start], "\n") + 1
	col := utf8.RuneCountInString(text[start:pos]) + 1
	var b strings.Builder
	b.WriteString("\n")
	b.WriteString(line)
	b.WriteString("\n")
	b.WriteString(strings.Repeat(" ", col-1))
	b.WriteString("^\nERROR at Row:")
	fmt.Fprintf(&b, "%d:Column:%d\n", row, col)
	b.WriteString(e.Msg)
	return b.String()
}

// unexpected is the MALFORMED_QUERY error for a token as written.
func unexpected(t token) *Error {
	if t.kind == tError {
		return t.err
	}
	text := t.text
	if t.kind == tEOF {
		text = "<EOF>"
	}
	return ErrorAt(CodeMalformedQuery, t.pos, "unexpected token: '"+text+"'")
}
