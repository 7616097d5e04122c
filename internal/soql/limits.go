package soql

import "strings"

// Bounds on what one statement may cost to parse. The recursive-descent parser nests a
// Go call per parenthesis (and per NOT), so without them a hostile statement of a few
// megabytes — a /composite subrequest URL can carry one — overflows the goroutine stack,
// which is fatal to the whole process, and even 100,000 parentheses take seconds.
const (
	// MaxLength is Salesforce's hard limit on a SOQL statement: "The maximum length for a
	// SOQL statement is 100,000 characters" (SOQL and SOSL Reference, "SOQL and SOSL
	// Limits"; Help article 000386440).
	MaxLength = 100000
	// MaxNesting bounds nested parentheses and NOTs. Salesforce documents no figure; its
	// answer to statements it finds too costly is QUERY_TOO_COMPLICATED, used here too.
	// Real queries nest a handful of levels (subqueries at most 5).
	MaxNesting = 100
	// MaxColumns bounds the columns one SELECT reads: the fields asked for plus the hidden
	// Ids the shaper adds (the root's and one per parent relationship reached), and the
	// terms of a GROUP BY or ORDER BY. SQLite refuses a result set, GROUP BY or ORDER BY of
	// more than SQLITE_MAX_COLUMN (2,000, https://www.sqlite.org/limits.html) with an
	// error that would be a 500; the margin leaves room for the columns the store adds
	// itself (a child subquery's parent key, the Id that makes an ORDER BY total).
	// Salesforce documents no such bound (only the statement's 100,000 characters), so the
	// answer is its QUERY_TOO_COMPLICATED, as for the bounds above.
	MaxColumns = 1900
)

// TooManyColumns is the error of a SELECT (or a record read's field list) over MaxColumns.
func TooManyColumns() *Error {
	return &Error{Code: CodeQueryTooComplicated, Plain: true, Msg: MsgTooManyColumns}
}

// MsgTooManyColumns is TooManyColumns' message.
const MsgTooManyColumns = "Query is too complicated: too many columns"

// CodeQueryTooComplicated is the error code of statements over the bounds above.
const CodeQueryTooComplicated = "QUERY_TOO_COMPLICATED"

// checkLength refuses statements over MaxLength, before they are even lexed.
func checkLength(text string) *Error {
	if len(text) > MaxLength {
		return &Error{Code: CodeQueryTooComplicated, Plain: true,
			Msg: "SOQL statements cannot be longer than 100,000 characters."}
	}
	return nil
}

// checkNesting refuses statements over MaxNesting, before any recursion.
func checkNesting(toks []token) *Error {
	depth, nots := 0, 0
	for _, t := range toks {
		switch {
		case t.kind == tPunct && t.text == "(":
			depth++
		case t.kind == tPunct && t.text == ")":
			depth--
		case t.kind == tIdent && strings.EqualFold(t.text, "NOT"):
			nots++
		default:
			nots = 0
		}
		if depth > MaxNesting || nots > MaxNesting {
			return ErrorAt(CodeQueryTooComplicated, t.pos, "Query is too complicated: too many nested expressions")
		}
	}
	return nil
}
