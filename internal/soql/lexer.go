package soql

import (
	"errors"
	"strings"
	"time"
)

// tokenKind classifies a lexed token.
type tokenKind int

const (
	tEOF      tokenKind = iota
	tError              // a lexical error; token.err says what
	tIdent              // names and keywords (keywords are contextual, case-insensitive)
	tString             // 'text'
	tNumber             // 12, -1.5, +3
	tDate               // 2024-01-15
	tDateTime           // 2024-01-15T10:00:00Z and the offset forms
	tPunct              // , ( ) . :
	tOp                 // = != <> < <= > >=
)

// token is one lexeme; text is the token as written.
type token struct {
	kind tokenKind
	pos  Pos
	text string
	str  string    // tString: fully unescaped
	like string    // tString: LIKE pattern form (see likeEscapes)
	time time.Time // tDate, tDateTime (UTC)
	err  *Error    // tError
}

// lex splits text into tokens. It stops at the first lexical error, which becomes a
// tError token so that the parser reports it only if no syntax error comes first.
func lex(text string) []token {
	var toks []token
	i := 0
	for {
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		if i >= len(text) {
			return append(toks, token{kind: tEOF, pos: Pos(len(text))})
		}
		t := lexOne(text, i)
		toks = append(toks, t)
		if t.kind == tError {
			return toks
		}
		i += len(t.text)
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentPart(c byte) bool { return isIdentStart(c) || isDigit(c) }

// lexOne lexes the token starting at text[i] (not a space).
func lexOne(text string, i int) token {
	c := text[i]
	pos := Pos(i)
	switch {
	case isIdentStart(c):
		j := i + 1
		for j < len(text) && isIdentPart(text[j]) {
			j++
		}
		return token{kind: tIdent, pos: pos, text: text[i:j]}
	case c == '\'':
		return lexString(text, i)
	case isDigit(c):
		if t, ok := lexDate(text, i); ok {
			return t
		}
		return lexNumber(text, i)
	case (c == '-' || c == '+') && i+1 < len(text) && isDigit(text[i+1]):
		return lexNumber(text, i)
	case c == ',' || c == '(' || c == ')' || c == '.' || c == ':':
		return token{kind: tPunct, pos: pos, text: text[i : i+1]}
	case c == '=':
		return token{kind: tOp, pos: pos, text: "="}
	case c == '!':
		if strings.HasPrefix(text[i:], "!=") {
			return token{kind: tOp, pos: pos, text: "!="}
		}
	case c == '<':
		for _, op := range []string{"<=", "<>", "<"} {
			if strings.HasPrefix(text[i:], op) {
				return token{kind: tOp, pos: pos, text: op}
			}
		}
	case c == '>':
		if strings.HasPrefix(text[i:], ">=") {
			return token{kind: tOp, pos: pos, text: ">="}
		}
		return token{kind: tOp, pos: pos, text: ">"}
	}
	return lexErr(pos, "unexpected token: '"+firstRune(text[i:])+"'")
}

func lexErr(pos Pos, msg string) token {
	return token{kind: tError, pos: pos, err: ErrorAt(CodeMalformedQuery, pos, msg)}
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// lexNumber lexes [+-]digits[.digits].
func lexNumber(text string, i int) token {
	j := i
	if text[j] == '-' || text[j] == '+' {
		j++
	}
	for j < len(text) && isDigit(text[j]) {
		j++
	}
	if j+1 < len(text) && text[j] == '.' && isDigit(text[j+1]) {
		j++
		for j < len(text) && isDigit(text[j]) {
			j++
		}
	}
	if j < len(text) && isIdentStart(text[j]) {
		return lexErr(Pos(i), "unexpected token: '"+text[i:j]+identRun(text[j:])+"'")
	}
	return token{kind: tNumber, pos: Pos(i), text: text[i:j]}
}

// likeEscapes documents how LIKE patterns are stored. Salesforce string escapes
// (SOQL and SOSL Reference, "Quoted String Escape Sequences"): \' \" \\ \n \r \t \b \f,
// and \_ \% which match a literal underscore or percent sign in LIKE.
//
// Value.Str of a LIKE comparison is the pattern with every escape decoded except \\, \%
// and \_, which stay as written (two characters each): in the pattern, an unescaped % or
// _ is a wildcard, and a backslash always starts one of those three escapes. Everywhere
// else Str is fully decoded (\% → %, \_ → _).
var likeEscapes = map[byte]string{
	'\'': "'", '"': "\"", '\\': "\\", 'n': "\n", 'r': "\r", 't': "\t", 'b': "\b", 'f': "\f",
	'_': "_", '%': "%",
}

// lexString lexes a single-quoted string starting at text[i].
func lexString(text string, i int) token {
	var str, like strings.Builder
	j := i + 1
	for j < len(text) {
		c := text[j]
		switch c {
		case '\'':
			return token{kind: tString, pos: Pos(i), text: text[i : j+1], str: str.String(), like: like.String()}
		case '\\':
			if j+1 >= len(text) {
				j++
				continue
			}
			e := text[j+1]
			dec, ok := likeEscapes[e]
			if !ok {
				return lexErr(Pos(j), "Invalid string literal '"+text[i+1:stringEnd(text, j)]+"'. Illegal character sequence '\\"+firstRune(text[j+1:])+"' in string literal.")
			}
			str.WriteString(dec)
			if e == '\\' || e == '%' || e == '_' {
				like.WriteString(text[j : j+2])
			} else {
				like.WriteString(dec)
			}
			j += 2
		default:
			str.WriteByte(c)
			like.WriteByte(c)
			j++
		}
	}
	return lexErr(Pos(i), "unexpected token: '"+text[i:]+"'")
}

// stringEnd is the offset of the quote closing the string that contains offset j (or
// len(text)), skipping backslash escapes.
func stringEnd(text string, j int) int {
	for j < len(text) && text[j] != '\'' {
		if text[j] == '\\' {
			j++
		}
		j++
	}
	if j > len(text) {
		return len(text)
	}
	return j
}

// Date and datetime literal layouts (SOQL and SOSL Reference, "Date Formats and Date
// Literals"): dates are YYYY-MM-DD; datetimes carry Z or an offset (±hh:mm, or ±hhmm as
// go-soql writes them) with optional fractional seconds.
const dateLayout = "2006-01-02"

// lexDate recognises a date or datetime at text[i]; ok is false when text[i:] does not
// start like a date (then it is a number).
func lexDate(text string, i int) (token, bool) {
	s := text[i:]
	if len(s) < 10 || !digits(s[0:4]) || s[4] != '-' || !digits(s[5:7]) || s[7] != '-' || !digits(s[8:10]) {
		return token{}, false
	}
	if len(s) > 10 && isIdentPart(s[10]) && s[10] != 'T' {
		return lexErr(Pos(i), "unexpected token: '"+identRun(s)+"'"), true
	}
	if len(s) == 10 || s[10] != 'T' {
		d, err := time.Parse(dateLayout, s[:10])
		if err != nil {
			return lexErr(Pos(i), "unexpected token: '"+s[:10]+"'"), true
		}
		return token{kind: tDate, pos: Pos(i), text: s[:10], time: d}, true
	}
	// Datetime: hh:mm:ss[.f…] then Z, ±hh:mm or ±hhmm.
	if len(s) < 19 || !digits(s[11:13]) || s[13] != ':' || !digits(s[14:16]) || s[16] != ':' || !digits(s[17:19]) {
		return lexErr(Pos(i), "unexpected token: '"+identRun(s)+"'"), true
	}
	j := 19
	if j < len(s) && s[j] == '.' {
		j++
		k := j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == k {
			return lexErr(Pos(i), "unexpected token: '"+s[:j]+"'"), true
		}
	}
	switch {
	case j < len(s) && s[j] == 'Z':
		j++
	case j+5 <= len(s) && (s[j] == '+' || s[j] == '-') && digits(s[j+1:j+3]):
		if j+6 <= len(s) && s[j+3] == ':' && digits(s[j+4:j+6]) {
			j += 6
		} else if digits(s[j+3 : j+5]) {
			j += 5
		} else {
			return lexErr(Pos(i), "unexpected token: '"+s[:j]+"'"), true
		}
	default:
		return lexErr(Pos(i), "unexpected token: '"+s[:j]+"'"), true
	}
	lit := s[:j]
	if j < len(s) && isIdentPart(s[j]) {
		return lexErr(Pos(i), "unexpected token: '"+identRun(s)+"'"), true
	}
	t, err := parseDateTime(lit)
	if err != nil {
		return lexErr(Pos(i), "unexpected token: '"+lit+"'"), true
	}
	return token{kind: tDateTime, pos: Pos(i), text: lit, time: t}, true
}

// parseDateTime parses a lexically valid datetime literal into UTC.
func parseDateTime(lit string) (time.Time, error) {
	norm := lit
	if n := len(norm); norm[n-1] != 'Z' && norm[n-3] != ':' {
		norm = norm[:n-2] + ":" + norm[n-2:] // ±hhmm → ±hh:mm
	}
	t, err := time.Parse(time.RFC3339Nano, norm)
	if err != nil {
		return time.Time{}, err
	}
	t = t.UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}, errors.New("year out of range") // not printable as YYYY in UTC
	}
	return t, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

// identRun is the run of identifier-ish characters (plus - : . +) at the start of s, for
// error messages about malformed literals.
func identRun(s string) string {
	j := 0
	for j < len(s) && (isIdentPart(s[j]) || strings.IndexByte("-:.+", s[j]) >= 0) {
		j++
	}
	return s[:j]
}
