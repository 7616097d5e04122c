package soql

import "strings"

// Tail gives languages that embed SOQL clauses — SOSL's RETURNING field specs
// (internal/sosl) and parameterizedSearch's per-object where/orderBy — this package's
// lexer and clause parsers over a part of their text, so that a WHERE in a SOSL statement
// is parsed, and fails, exactly as in a SOQL SELECT. Positions (token offsets, Error.Pos)
// are offsets into the whole text, so errors render with the caller's caret.
type Tail struct{ p *parser }

// Token is one lexed token as a Tail exposes it.
type Token struct {
	Pos  Pos
	Text string // as written; "" at the end
	// Kind: "ident", "string", "number", "punct", "op", "date", "datetime", "eof" or
	// "error" (a lexical error: Err says what).
	Kind string
	Str  string // unescaped value of a string
	Err  *Error
}

var kindNames = map[tokenKind]string{
	tEOF: "eof", tError: "error", tIdent: "ident", tString: "string", tNumber: "number",
	tDate: "date", tDateTime: "datetime", tPunct: "punct", tOp: "op",
}

// NewTail lexes text from byte offset start to its end.
func NewTail(text string, start int) *Tail {
	if start < 0 {
		start = 0
	}
	if start > len(text) {
		start = len(text)
	}
	toks := lex(text[start:])
	for i := range toks {
		toks[i].pos += Pos(start)
		if toks[i].err != nil {
			e := *toks[i].err
			e.Pos += Pos(start)
			toks[i].err = &e
		}
	}
	return &Tail{p: &parser{text: text, toks: toks}}
}

// CheckNesting refuses the rest of the text when it nests deeper than MaxNesting (the
// clause parsers recurse per parenthesis).
func (t *Tail) CheckNesting() error {
	if err := checkNesting(t.p.toks[t.p.i:]); err != nil {
		return err
	}
	return nil
}

// Peek returns the next token without consuming it.
func (t *Tail) Peek() Token { return exportToken(t.p.peek()) }

// PeekAt returns the token n places ahead.
func (t *Tail) PeekAt(n int) Token { return exportToken(t.p.peekAt(n)) }

// Next consumes the next token (never the end or an error token) and returns it.
func (t *Tail) Next() Token { return exportToken(t.p.next()) }

func exportToken(tok token) Token {
	return Token{Pos: tok.pos, Text: tok.text, Kind: kindNames[tok.kind], Str: tok.str, Err: tok.err}
}

// IsKeyword reports whether tok is the identifier kw, in any case.
func (tok Token) IsKeyword(kw string) bool {
	return tok.Kind == "ident" && strings.EqualFold(tok.Text, kw)
}

// IsPunct reports whether tok is the punctuation s (one of , ( ) . :).
func (tok Token) IsPunct(s string) bool { return tok.Kind == "punct" && tok.Text == s }

// Unexpected is the MALFORMED_QUERY error for tok (its lexical error, if it is one).
func Unexpected(tok Token) *Error {
	if tok.Kind == "error" && tok.Err != nil {
		return tok.Err
	}
	text := tok.Text
	if tok.Kind == "eof" {
		text = "<EOF>"
	}
	return ErrorAt(CodeMalformedQuery, tok.Pos, "unexpected token: '"+text+"'")
}

// AcceptKeyword consumes the keyword kw if it is next.
func (t *Tail) AcceptKeyword(kw string) bool { return t.p.acceptKw(kw) }

// Name parses a dotted field or object name; SOQL's reserved words are refused.
func (t *Tail) Name() (Name, error) { return t.p.name() }

// Condition parses a WHERE condition (without the WHERE keyword).
func (t *Tail) Condition() (Expr, error) { return t.p.orExpr(false) }

// OrderBy parses an ORDER BY list (without ORDER BY).
func (t *Tail) OrderBy() ([]Order, error) { return t.p.orderList() }

// Count parses the non-negative integer of a LIMIT or OFFSET.
func (t *Tail) Count() (int, error) { return t.p.count() }

// Value parses one literal.
func (t *Tail) Value() (Value, error) { return t.p.value() }
