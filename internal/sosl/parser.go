package sosl

import (
	"strings"

	"github.com/forcefield/forcefield/internal/soql"
)

// withClauses are the WITH clauses SOSL knows (SOQL and SOSL Reference, "SOSL Syntax"):
// parsed up to the next clause and ignored. WITH METADATA='LABELS' would add a label
// block whose REST key is [UNCONFIRMED]; no client in scope reads it.
var withClauses = map[string]bool{
	"DIVISION": true, "DATA": true, "SNIPPET": true, "NETWORK": true, "PRICEBOOKID": true,
	"METADATA": true, "HIGHLIGHT": true, "SPELL_CORRECTION": true, "USER_MODE": true,
	"SYSTEM_MODE": true,
}

// Parse parses one SOSL statement. Keywords are case-insensitive; object and field names
// are kept as written for package query to resolve.
func Parse(text string) (*Statement, error) {
	if strings.TrimSpace(text) == "" {
		return nil, &soql.Error{Code: CodeMalformed, Plain: true, Msg: MsgEmpty}
	}
	if len(text) > MaxStatement {
		// "The maximum length of a SOSL statement is 100,000 characters" (SOSL Syntax);
		// over it, MALFORMED_SEARCH. The message is [UNCONFIRMED].
		return nil, &soql.Error{Code: CodeMalformed, Plain: true, Msg: "SOSL statements cannot be longer than 100,000 characters."}
	}
	i := 0
	for i < len(text) && isBlank(text[i]) {
		i++
	}
	if len(text)-i < 4 || !strings.EqualFold(text[i:i+4], "FIND") || (i+4 < len(text) && !isBlank(text[i+4]) && text[i+4] != '{') {
		t := soql.NewTail(text, i).Peek()
		tok := t.Text
		if tok == "" {
			tok = strings.Fields(text[i:])[0]
		}
		return nil, malformedAt(soql.Pos(i), tok)
	}
	i += 4
	for i < len(text) && isBlank(text[i]) {
		i++
	}
	if i >= len(text) || text[i] != '{' {
		return nil, &soql.Error{Code: CodeMalformed, Plain: true, Msg: MsgNoBraces}
	}
	open := i
	closing := -1
	for j := open + 1; j < len(text); j++ {
		if text[j] == '\\' {
			j++
			continue
		}
		if text[j] == '}' {
			closing = j
			break
		}
	}
	if closing < 0 {
		return nil, &soql.Error{Code: CodeMalformed, Plain: true, Msg: MsgNoBraces}
	}
	find, err := parseExpr(text[open+1:closing], open+1)
	if err != nil {
		return nil, err
	}
	st := &Statement{Find: find, Limit: -1}
	t := soql.NewTail(text, closing+1)
	if err := t.CheckNesting(); err != nil {
		return nil, err
	}
	if err := parseClauses(t, st); err != nil {
		return nil, fromSOQL(err)
	}
	return st, nil
}

// unexpected is the MALFORMED_SEARCH error at tok.
func unexpected(tok soql.Token) *soql.Error {
	if tok.Kind == "error" && tok.Err != nil {
		e := *tok.Err
		e.Code = CodeMalformed
		return &e
	}
	text := tok.Text
	if tok.Kind == "eof" {
		text = "<EOF>"
	}
	return malformedAt(tok.Pos, text)
}

// parseClauses parses everything after FIND {…}, in the syntax's order.
func parseClauses(t *soql.Tail, st *Statement) error {
	if t.AcceptKeyword("IN") {
		g := t.Peek()
		grp, ok := groupNames[strings.ToUpper(g.Text)]
		if g.Kind != "ident" || !ok {
			return unexpected(g)
		}
		t.Next()
		if !t.Peek().IsKeyword("FIELDS") {
			return unexpected(t.Peek())
		}
		t.Next()
		st.In = grp
	}
	if t.AcceptKeyword("RETURNING") {
		seen := map[string]bool{}
		for {
			r, err := returning(t)
			if err != nil {
				return err
			}
			key := strings.ToLower(r.Object.String())
			if seen[key] {
				// "Each object may appear only once" (RETURNING doc); the answer's text
				// is [UNCONFIRMED].
				return soql.ErrorAt(CodeMalformed, r.Object.Pos, "duplicate entity in RETURNING: "+r.Object.String())
			}
			seen[key] = true
			st.Returning = append(st.Returning, r)
			if !t.Peek().IsPunct(",") {
				break
			}
			t.Next()
		}
		if len(st.Returning) > 1 {
			for _, r := range st.Returning {
				if r.Offset >= 0 {
					// "OFFSET … only when searching a single object" (RETURNING doc);
					// the answer's text is [UNCONFIRMED].
					return soql.ErrorAt(CodeMalformed, r.Object.Pos, "OFFSET is allowed only when searching a single object")
				}
			}
		}
	}
	for t.Peek().IsKeyword("WITH") {
		t.Next()
		name := t.Peek()
		if name.Kind != "ident" || !withClauses[strings.ToUpper(name.Text)] {
			return unexpected(name)
		}
		t.Next()
		if err := skipWith(t); err != nil {
			return err
		}
	}
	if t.AcceptKeyword("LIMIT") {
		n, err := t.Count()
		if err != nil {
			return err
		}
		st.Limit = min(n, MaxLimit)
	}
	if t.AcceptKeyword("UPDATE") {
		k := t.Peek()
		if !k.IsKeyword("TRACKING") && !k.IsKeyword("VIEWSTAT") {
			return unexpected(k)
		}
		t.Next()
	}
	if tok := t.Peek(); tok.Kind != "eof" {
		return unexpected(tok)
	}
	return nil
}

// skipWith consumes the rest of a WITH clause: tokens up to the next WITH, LIMIT or
// UPDATE outside parentheses.
func skipWith(t *soql.Tail) error {
	depth := 0
	for {
		tok := t.Peek()
		switch {
		case tok.Kind == "eof":
			if depth > 0 {
				return unexpected(tok)
			}
			return nil
		case tok.Kind == "error":
			return unexpected(tok)
		case depth == 0 && (tok.IsKeyword("WITH") || tok.IsKeyword("LIMIT") || tok.IsKeyword("UPDATE")):
			return nil
		case tok.IsPunct("("):
			depth++
		case tok.IsPunct(")"):
			if depth == 0 {
				return unexpected(tok)
			}
			depth--
		}
		t.Next()
	}
}

// returning parses Object [( FieldList [WHERE …] [USING ListView=…] [ORDER BY …]
// [LIMIT n] [OFFSET n] )]. WHERE, ORDER BY, LIMIT and OFFSET need a field list.
func returning(t *soql.Tail) (*Returning, error) {
	obj, err := t.Name()
	if err != nil {
		return nil, err
	}
	if len(obj.Parts) != 1 {
		return nil, unexpected(soql.Token{Kind: "ident", Pos: obj.Pos, Text: obj.String()})
	}
	r := &Returning{Object: obj, Limit: -1, Offset: -1}
	if !t.Peek().IsPunct("(") {
		return r, nil
	}
	t.Next()
	for {
		if tok := t.Peek(); tok.Kind == "ident" && t.PeekAt(1).IsPunct("(") {
			// toLabel(f), convertCurrency(f), FORMAT(f): not supported by Forcefield's
			// SOQL either.
			return nil, unexpected(t.PeekAt(1))
		}
		n, err := t.Name()
		if err != nil {
			return nil, err
		}
		r.Fields = append(r.Fields, n)
		if !t.Peek().IsPunct(",") {
			break
		}
		t.Next()
	}
	if t.AcceptKeyword("WHERE") {
		if r.Where, err = t.Condition(); err != nil {
			return nil, err
		}
	}
	if t.AcceptKeyword("USING") {
		if !t.AcceptKeyword("LISTVIEW") {
			return nil, unexpected(t.Peek())
		}
		if eq := t.Peek(); eq.Kind != "op" || eq.Text != "=" {
			return nil, unexpected(eq)
		}
		t.Next()
		v := t.Peek()
		if v.Kind != "ident" {
			return nil, unexpected(v)
		}
		t.Next()
		r.ListView = v.Text
	}
	if t.AcceptKeyword("ORDER") {
		if !t.AcceptKeyword("BY") {
			return nil, unexpected(t.Peek())
		}
		if r.OrderBy, err = t.OrderBy(); err != nil {
			return nil, err
		}
	}
	if t.AcceptKeyword("LIMIT") {
		if r.Limit, err = t.Count(); err != nil {
			return nil, err
		}
	}
	if t.AcceptKeyword("OFFSET") {
		off := t.Peek()
		if r.Offset, err = t.Count(); err != nil {
			return nil, err
		}
		if r.Offset > MaxLimit {
			// [UNCONFIRMED] wording, after SOQL's NUMBER_OUTSIDE_VALID_RANGE.
			return nil, soql.ErrorAt("NUMBER_OUTSIDE_VALID_RANGE", off.Pos, "Maximum SOSL offset allowed is 2000")
		}
	}
	if tok := t.Peek(); !tok.IsPunct(")") {
		return nil, unexpected(tok)
	}
	t.Next()
	return r, nil
}
