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
)

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
