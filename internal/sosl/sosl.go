// Package sosl parses the Salesforce Object Search Language subset of the reference
// salesforce-rest-more.md §1 (SOQL and SOSL Reference, "SOSL Syntax"):
//
//	FIND {SearchQuery}
//	[ IN ALL FIELDS | NAME FIELDS | EMAIL FIELDS | PHONE FIELDS | SIDEBAR FIELDS ]
//	[ RETURNING Object [ ( FieldList [WHERE …] [USING ListView=…] [ORDER BY …] [LIMIT n] [OFFSET n] ) ] [, …] ]
//	[ WITH … ]…  [ LIMIT n ]  [ UPDATE TRACKING | UPDATE VIEWSTAT ]
//
// and defines what a search matches: the tokens of a text (Tokenize, IndexText) and the
// fields each IN group looks in (SearchFields, InGroup). It is pure — no schema lookups
// beyond the objects handed in, no storage: a store indexes the tokens and evaluates an
// Expr (records.Store.Search), package query resolves each RETURNING object as the SOQL
// SELECT it is equivalent to (Returning.Query), so WHERE, ORDER BY and field names are
// parsed and resolved exactly as in SOQL, by package soql's own parsers (soql.Tail).
//
// Errors are *soql.Error with Salesforce's SOSL codes (MALFORMED_SEARCH, INVALID_SEARCH);
// Message renders them in the caret form.
package sosl

import (
	"strings"

	"github.com/forcefield/forcefield/internal/soql"
)

// Error codes (salesforce-rest-more.md §1.5).
const (
	CodeMalformed = "MALFORMED_SEARCH"
	CodeInvalid   = "INVALID_SEARCH"
)

// Messages of the plain (caret-less) errors.
const (
	// MsgNoBraces is the observed answer to FIND 'Jones' (plugin-data search.nut.ts).
	MsgNoBraces = "No search term found. The search term must be enclosed in braces."
	// MsgEmpty answers a missing or empty q. [UNCONFIRMED] wording; the code is the
	// reference's.
	MsgEmpty = "SOSL statements cannot be empty or null"
)

// Limits (SOQL and SOSL Reference, "FIND {SearchQuery}" and "SOSL Syntax").
const (
	// MaxStatement is the longest statement: 100,000 characters, beyond which
	// Salesforce answers MALFORMED_SEARCH.
	MaxStatement = 100000
	// MaxSearchQuery: a SearchQuery over 10,000 characters returns no rows.
	MaxSearchQuery = 10000
	// MaxOperators: over 4,000 characters, AND, OR and AND NOT are dropped and every
	// term is ORed.
	MaxOperators = 4000
	// MaxLimit is the largest (and the default) overall LIMIT, and the largest OFFSET.
	MaxLimit = 2000
)

// Group is the IN clause: which fields a search looks in.
type Group int

// IN groups. ALL FIELDS is the default.
const (
	GroupAll Group = iota
	GroupName
	GroupEmail
	GroupPhone
	GroupSidebar
)

var groupNames = map[string]Group{"ALL": GroupAll, "NAME": GroupName, "EMAIL": GroupEmail, "PHONE": GroupPhone, "SIDEBAR": GroupSidebar}

// ParseGroup reads ALL, NAME, EMAIL, PHONE or SIDEBAR (any case), as parameterizedSearch's
// in parameter gives it.
func ParseGroup(s string) (Group, bool) {
	g, ok := groupNames[strings.ToUpper(strings.TrimSpace(s))]
	return g, ok
}

// Statement is a parsed SOSL statement.
type Statement struct {
	// Find is the search expression; nil when it can match nothing (a SearchQuery over
	// MaxSearchQuery characters, or one whose terms hold no letter or digit).
	Find      Expr
	In        Group
	Returning []*Returning // nil: no RETURNING clause
	Limit     int          // the overall LIMIT; -1 when absent
}

// Returning is one object of the RETURNING clause.
type Returning struct {
	Object soql.Name
	// Fields is the field list as written; nil when the object has none (the results
	// then carry only Id).
	Fields   []soql.Name
	Where    soql.Expr
	OrderBy  []soql.Order
	ListView string // USING ListView=name: parsed, not applied
	Limit    int    // -1 when absent
	Offset   int    // -1 when absent
}

// Query is the SOQL SELECT equivalent to r: its fields (Id when none are listed), WHERE,
// ORDER BY, LIMIT and OFFSET over r's object, for package query to resolve.
func (r *Returning) Query() *soql.Query {
	q := &soql.Query{From: r.Object, Where: r.Where, OrderBy: r.OrderBy, Limit: r.Limit, Offset: r.Offset}
	if len(r.Fields) == 0 {
		q.Select = []soql.SelectItem{&soql.FieldItem{Name: soql.Name{Parts: []string{"Id"}, Pos: r.Object.Pos}}}
	}
	for _, f := range r.Fields {
		q.Select = append(q.Select, &soql.FieldItem{Name: f})
	}
	return q
}

// Expr is a search expression: *And, *Or, *AndNot or *Match.
type Expr interface{ expr() }

// And matches what both sides match.
type And struct{ L, R Expr }

// Or matches what either side matches.
type Or struct{ L, R Expr }

// AndNot matches what L matches and R does not.
type AndNot struct{ L, R Expr }

// Match is one term or quoted phrase: its Words must appear in a field as consecutive
// tokens. A word may hold the wildcards * (any run of characters) and ? (exactly one),
// never first.
type Match struct {
	Words []string // lower-case tokens (Words), wildcards kept
	Text  string   // the term as written, for messages
	Pos   soql.Pos
}

func (*And) expr()    {}
func (*Or) expr()     {}
func (*AndNot) expr() {}
func (*Match) expr()  {}

// Message renders e for a SOSL text the way Salesforce does: the caret form of SOQL's
// errors (soql.Error.Message), except that SOSL counts columns from 0 — the one captured
// SOSL error, `FIND {name} IN ALL TYPE RETURNING Account(name)`, puts the caret and
// "Column:19" under the space before TYPE, which starts at column 20 (force-rest-api#92,
// salesforce-rest-more.md §1.5). [INF] from that one capture: applied to every SOSL error.
func Message(e *soql.Error, text string) string {
	if e.Plain || e.Pos <= 0 {
		return e.Message(text)
	}
	shifted := *e
	shifted.Pos--
	if int(shifted.Pos) < len(text) && text[shifted.Pos] == '\n' {
		return e.Message(text) // never onto the line before
	}
	return shifted.Message(text)
}

func malformedAt(pos soql.Pos, token string) *soql.Error {
	return soql.ErrorAt(CodeMalformed, pos, "Malformed search token: "+token)
}

// fromSOQL turns a syntax error of the embedded SOQL clause parsers into a SOSL one.
func fromSOQL(err error) error {
	if e, ok := err.(*soql.Error); ok && e.Code == soql.CodeMalformedQuery {
		c := *e
		c.Code = CodeMalformed
		return &c
	}
	return err
}
