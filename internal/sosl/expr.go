package sosl

import (
	"strings"
	"unicode/utf8"

	"github.com/forcefield/forcefield/internal/soql"
)

// The search expression between FIND's braces (SOQL and SOSL Reference,
// "FIND {SearchQuery}"):
//
//   - terms are words, or phrases in double quotes ("john smith": the words adjacent and
//     in order); a term with punctuation inside (jdoe@acme.com) is the phrase of its
//     tokens;
//   - AND, OR and AND NOT (any case) combine them, with parentheses; a space between two
//     terms means AND; AND and AND NOT bind tighter than OR and group right to left;
//     quote a term to search for the words themselves ("and");
//   - * matches any run of characters and ? exactly one, in the middle or at the end of
//     a word, never first;
//   - the reserved characters ? & | ! { } [ ] ( ) ^ ~ * : \ " ' + - are escaped with a
//     backslash, even inside quotes, or the search fails;
//   - every term needs two characters or more (INVALID_SEARCH "search term must be longer
//     than one character: a").

// reservedChars must be escaped when meant literally.
const reservedChars = `?&|!{}[]()^~*:\"'+-`

// eToken is a token of a search expression.
type eToken struct {
	kind string // "word", "phrase", "(", ")", "eof"
	pos  soql.Pos
	raw  string // as written
	val  string // decoded: escapes removed, escaped * and ? turned into spaces
}

// lexExpr splits the text between the braces, which starts at byte offset base of the
// statement.
func lexExpr(s string, base int) ([]eToken, error) {
	var toks []eToken
	i := 0
	for {
		for i < len(s) && isBlank(s[i]) {
			i++
		}
		if i >= len(s) {
			return append(toks, eToken{kind: "eof", pos: soql.Pos(base + len(s)), raw: "}"}), nil
		}
		start := i
		switch c := s[i]; c {
		case '(', ')':
			toks = append(toks, eToken{kind: string(c), pos: soql.Pos(base + i), raw: string(c)})
			i++
			continue
		case '"':
			i++
			val, n, err := decodeRun(s, i, base, true)
			if err != nil {
				return nil, err
			}
			i = n
			if i >= len(s) {
				// FIND {"John Smith} "will not succeed" (FIND doc).
				return nil, malformedAt(soql.Pos(base+start), s[start:])
			}
			i++ // the closing quote
			toks = append(toks, eToken{kind: "phrase", pos: soql.Pos(base + start), raw: s[start:i], val: val})
			continue
		}
		val, n, err := decodeRun(s, i, base, false)
		if err != nil {
			return nil, err
		}
		i = n
		toks = append(toks, eToken{kind: "word", pos: soql.Pos(base + start), raw: s[start:i], val: val})
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// decodeRun reads a word (up to a blank, a parenthesis or a quote) or, when quoted, the
// inside of a phrase (up to the closing quote), decoding escapes: \x is the character x
// itself; a literal * or ? becomes a space (punctuation, a token separator). An
// unescaped reserved character other than the wildcards is an error.
func decodeRun(s string, i, base int, quoted bool) (string, int, error) {
	var b strings.Builder
	for i < len(s) {
		c := s[i]
		if !quoted && (isBlank(c) || c == '(' || c == ')' || c == '"') {
			break
		}
		if quoted && c == '"' {
			break
		}
		switch {
		case c == '\\':
			if i+1 >= len(s) {
				return "", 0, malformedAt(soql.Pos(base+i), `\`)
			}
			r, size := utf8.DecodeRuneInString(s[i+1:])
			if r == '*' || r == '?' {
				b.WriteByte(' ')
			} else {
				b.WriteRune(r)
			}
			i += 1 + size
			continue
		case c == '*' || c == '?':
			b.WriteByte(c)
		case quoted && isBlank(c):
			b.WriteByte(' ')
		case strings.IndexByte(reservedChars, c) >= 0:
			return "", 0, malformedAt(soql.Pos(base+i), string(c))
		default:
			b.WriteByte(c)
		}
		i++
	}
	return b.String(), i, nil
}

// exprParser parses the tokens of one search expression.
type exprParser struct {
	toks  []eToken
	i     int
	depth int
}

func (p *exprParser) peek() eToken { return p.toks[p.i] }

func (p *exprParser) isOp(op string) bool {
	t := p.peek()
	return t.kind == "word" && strings.EqualFold(t.raw, op)
}

// parseExpr parses the SearchQuery s, which starts at byte offset base of the statement.
// It returns nil, no error, for an expression that can match nothing.
func parseExpr(s string, base int) (Expr, error) {
	if len(s) > MaxSearchQuery {
		return nil, nil // "the search returns no rows" (FIND doc)
	}
	toks, err := lexExpr(s, base)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == "eof" {
		return nil, malformedAt(toks[0].pos, "}")
	}
	if len(s) > MaxOperators {
		// "If the SearchQuery string is longer than 4,000 characters, any logical
		// operators are removed": every term ORed.
		return orAll(toks)
	}
	p := &exprParser{toks: toks}
	x, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != "eof" {
		return nil, malformedAt(t.pos, t.raw)
	}
	return simplify(x), nil
}

// orAll is the OR of every term of toks (operators and parentheses dropped).
func orAll(toks []eToken) (Expr, error) {
	var out Expr
	for _, t := range toks {
		if t.kind != "word" && t.kind != "phrase" {
			continue
		}
		if t.kind == "word" && (strings.EqualFold(t.raw, "AND") || strings.EqualFold(t.raw, "OR") || strings.EqualFold(t.raw, "NOT")) {
			continue
		}
		m, err := matchOf(t)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = m
		} else {
			out = &Or{L: out, R: m}
		}
	}
	return simplify(out), nil
}

// or parses and (OR and)*.
func (p *exprParser) or() (Expr, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.isOp("OR") {
		p.i++
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = &Or{L: left, R: right}
	}
	return left, nil
}

// and parses unary [(AND | AND NOT | nothing) and]: right to left, as the FIND doc
// says AND and AND NOT are evaluated.
func (p *exprParser) and() (Expr, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	switch t := p.peek(); {
	case p.isOp("AND"):
		p.i++
		not := p.isOp("NOT")
		if not {
			p.i++
		}
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		if not {
			return &AndNot{L: left, R: right}, nil
		}
		return &And{L: left, R: right}, nil
	case t.kind == "word" && !p.isOp("OR"), t.kind == "phrase", t.kind == "(":
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		return &And{L: left, R: right}, nil
	}
	return left, nil
}

// maxDepth bounds nested parentheses (the parser recurses per level).
const maxDepth = 100

// unary parses ( or ), a word or a phrase.
func (p *exprParser) unary() (Expr, error) {
	t := p.peek()
	switch {
	case t.kind == "(":
		p.i++
		p.depth++
		if p.depth > maxDepth {
			return nil, soql.ErrorAt(soql.CodeQueryTooComplicated, t.pos, "Query is too complicated: too many nested expressions")
		}
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != ")" {
			return nil, malformedAt(c.pos, c.raw)
		}
		p.i++
		p.depth--
		return x, nil
	case t.kind == "phrase", t.kind == "word" && !p.isOp("AND") && !p.isOp("OR"):
		p.i++
		return matchOf(t)
	}
	return nil, malformedAt(t.pos, t.raw)
}

// matchOf checks a term and returns its Match; a term without a letter or digit is a
// Match with no Words (it matches nothing).
func matchOf(t eToken) (Expr, error) {
	bare := strings.Map(func(r rune) rune {
		if r == '*' || r == '?' || isBlankRune(r) {
			return -1
		}
		return r
	}, t.val)
	text := t.raw
	if t.kind == "phrase" {
		text = strings.Trim(t.raw, `"`)
	}
	if utf8.RuneCountInString(bare) < 2 {
		// [FIELD] "search term must be longer than one character: g"
		return nil, &soql.Error{Code: CodeInvalid, Pos: t.pos, Plain: true,
			Msg: "search term must be longer than one character: " + text}
	}
	words := Words(t.val)
	for _, w := range words {
		if w[0] == '*' || w[0] == '?' {
			// "A wildcard can't be the first character of a term" (Tooling API, "SOSL
			// Limits"). The answer's code and text are [UNCONFIRMED].
			return nil, &soql.Error{Code: CodeInvalid, Pos: t.pos, Plain: true,
				Msg: "Invalid search term: a wildcard cannot start a search term: " + text}
		}
	}
	return &Match{Words: words, Text: text, Pos: t.pos}, nil
}

func isBlankRune(r rune) bool { return r < utf8.RuneSelf && isBlank(byte(r)) }

// simplify folds the terms that match nothing (no Words): x AND nothing is nothing,
// x OR nothing is x, x AND NOT nothing is x. The result is nil when nothing can match.
func simplify(x Expr) Expr {
	switch x := x.(type) {
	case nil:
		return nil
	case *Match:
		if len(x.Words) == 0 {
			return nil
		}
		return x
	case *And:
		l, r := simplify(x.L), simplify(x.R)
		if l == nil || r == nil {
			return nil
		}
		return &And{L: l, R: r}
	case *Or:
		l, r := simplify(x.L), simplify(x.R)
		switch {
		case l == nil:
			return r
		case r == nil:
			return l
		}
		return &Or{L: l, R: r}
	case *AndNot:
		l, r := simplify(x.L), simplify(x.R)
		switch {
		case l == nil:
			return nil
		case r == nil:
			return l
		}
		return &AndNot{L: l, R: r}
	}
	return x
}

// ParseExpr parses a search expression on its own: parameterizedSearch's q, the same as
// the inside of FIND {q} (salesforce-rest-more.md §1.6).
func ParseExpr(q string) (Expr, error) {
	if strings.TrimSpace(q) == "" {
		return nil, &soql.Error{Code: CodeMalformed, Plain: true, Msg: MsgEmpty}
	}
	return parseExpr(q, 0)
}
