package soql

import (
	"strconv"
	"strings"
)

// Parse parses one SOQL SELECT statement (salesforce-rest.md §4 "SOQL subset worth
// supporting"). Keywords and function names are case-insensitive; names are kept as
// written. Syntax errors are *Error with Code MALFORMED_QUERY at the offending token; an
// empty or blank text gives the Plain error MsgEmpty.
//
// The Value of a LIKE comparison keeps its pattern escapes: Str holds \\, \% and \_ as
// written and % and _ as wildcards, which is exactly SQLite's `LIKE ? ESCAPE '\'` syntax
// (see likeEscapes). Other strings are fully unescaped.
//
// Clause order follows the SOQL SELECT syntax (SOQL and SOSL Reference, "SOQL SELECT
// Syntax"): SELECT … FROM … [WHERE] [WITH] [GROUP BY] [HAVING] [ORDER BY] [LIMIT]
// [OFFSET] [FOR VIEW|REFERENCE|UPDATE] [ALL ROWS].
func Parse(text string) (*Query, error) {
	if strings.TrimSpace(text) == "" {
		return nil, &Error{Code: CodeMalformedQuery, Msg: MsgEmpty, Plain: true}
	}
	if err := checkLength(text); err != nil {
		return nil, err
	}
	toks := lex(text)
	if err := checkNesting(toks); err != nil {
		return nil, err
	}
	p := &parser{text: text, toks: toks}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, unexpected(t)
	}
	return q, nil
}

// parser is a recursive-descent parser over the token slice.
type parser struct {
	text string
	toks []token
	i    int
	// aliasPos holds the offsets of plain-field aliases of the queries being parsed.
	aliasPos []Pos
}

func (p *parser) peek() token { return p.toks[p.i] }

// peekAt looks n tokens ahead; past the end it returns the final EOF or error token.
func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF && t.kind != tError {
		p.i++
	}
	return t
}

// isKw reports whether t is the keyword kw (upper case), in any case.
func isKw(t token, kw string) bool { return t.kind == tIdent && strings.EqualFold(t.text, kw) }

// acceptKw consumes the keyword kw if it is next.
func (p *parser) acceptKw(kw string) bool {
	if isKw(p.peek(), kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectKw(kw string) error {
	if !p.acceptKw(kw) {
		return unexpected(p.peek())
	}
	return nil
}

func isPunct(t token, s string) bool { return t.kind == tPunct && t.text == s }

func (p *parser) expectPunct(s string) error {
	if !isPunct(p.peek(), s) {
		return unexpected(p.peek())
	}
	p.i++
	return nil
}

// reserved are SOQL's reserved keywords (SOQL and SOSL Reference, "Reserved Characters
// and Keywords"): they cannot be field names or aliases.
var reserved = map[string]bool{
	"AND": true, "ASC": true, "DESC": true, "EXCLUDES": true, "FIRST": true, "FROM": true,
	"GROUP": true, "HAVING": true, "IN": true, "INCLUDES": true, "LAST": true, "LIKE": true,
	"LIMIT": true, "NOT": true, "NULL": true, "NULLS": true, "OR": true, "SELECT": true,
	"WHERE": true, "WITH": true,
}

// clauseWords start a clause after FROM, so they are not taken as an object alias.
var clauseWords = map[string]bool{
	"ORDER": true, "OFFSET": true, "FOR": true, "ALL": true, "USING": true, "UPDATE": true,
	"TRUE": true, "FALSE": true,
}

func isReserved(t token) bool { return t.kind == tIdent && reserved[strings.ToUpper(t.text)] }

// aggregates are the aggregate functions (SOQL and SOSL Reference, "Aggregate Functions").
var aggregates = map[string]bool{
	"COUNT": true, "COUNT_DISTINCT": true, "MIN": true, "MAX": true, "SUM": true, "AVG": true,
}

// atAggregate reports whether an aggregate function call starts here.
func (p *parser) atAggregate() bool {
	t := p.peek()
	return t.kind == tIdent && aggregates[strings.ToUpper(t.text)] && isPunct(p.peekAt(1), "(")
}

// name parses a dotted name such as Account.Owner.Name.
func (p *parser) name() (Name, error) {
	t := p.peek()
	if t.kind != tIdent || isReserved(t) {
		return Name{}, unexpected(t)
	}
	if (isKw(t, "DISTANCE") || isKw(t, "GEOLOCATION")) && isPunct(p.peekAt(1), "(") {
		return Name{}, ErrorAt(CodeMalformedQuery, t.pos, MsgNoDistance)
	}
	p.i++
	n := Name{Parts: []string{t.text}, Pos: t.pos}
	for isPunct(p.peek(), ".") {
		p.i++
		part := p.peek()
		if part.kind != tIdent || isReserved(part) {
			return Name{}, unexpected(part)
		}
		p.i++
		n.Parts = append(n.Parts, part.text)
	}
	return n, nil
}

// query parses SELECT … up to the end of its last clause.
func (p *parser) query() (*Query, error) {
	if err := p.expectKw("SELECT"); err != nil {
		return nil, err
	}
	q := &Query{Limit: -1, Offset: -1}
	aliases := len(p.aliasPos)
	for {
		it, err := p.selectItem()
		if err != nil {
			return nil, err
		}
		q.Select = append(q.Select, it)
		if !isPunct(p.peek(), ",") {
			break
		}
		p.i++
	}
	if err := p.expectKw("FROM"); err != nil {
		return nil, err
	}
	var err error
	if q.From, err = p.name(); err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tIdent && !isReserved(t) && !clauseWords[strings.ToUpper(t.text)] {
		q.Alias = t.text
		p.i++
	}
	if p.acceptKw("WHERE") {
		if q.Where, err = p.orExpr(false); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("WITH") {
		t := p.peek()
		switch w := strings.ToUpper(t.text); {
		case t.kind == tIdent && (w == "SECURITY_ENFORCED" || w == "USER_MODE" || w == "SYSTEM_MODE"):
			q.With = w
			p.i++
		default:
			return nil, unexpected(t)
		}
	}
	if err := p.groupHaving(q); err != nil {
		return nil, err
	}
	if err := p.checkFieldAliases(q, aliases); err != nil {
		return nil, err
	}
	if p.acceptKw("ORDER") {
		if err := p.expectKw("BY"); err != nil {
			return nil, err
		}
		if q.OrderBy, err = p.orderList(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("LIMIT") {
		if q.Limit, err = p.count(); err != nil {
			return nil, err
		}
	}
	if p.acceptKw("OFFSET") {
		if q.Offset, err = p.count(); err != nil {
			return nil, err
		}
	}
	return q, p.trailer(q)
}

// groupHaving parses [GROUP BY names] [HAVING condition].
func (p *parser) groupHaving(q *Query) error {
	if p.acceptKw("GROUP") {
		if err := p.expectKw("BY"); err != nil {
			return err
		}
		for {
			n, err := p.name()
			if err != nil {
				return err
			}
			q.GroupBy = append(q.GroupBy, n)
			if !isPunct(p.peek(), ",") {
				break
			}
			p.i++
		}
	}
	if p.acceptKw("HAVING") {
		var err error
		if q.Having, err = p.orExpr(true); err != nil {
			return err
		}
	}
	return nil
}

// trailer parses FOR VIEW | FOR REFERENCE | FOR UPDATE and ALL ROWS, each at most once,
// in either order.
func (p *parser) trailer(q *Query) error {
	var seenFor, seenAll bool
	for {
		switch {
		case !seenFor && isKw(p.peek(), "FOR"):
			p.i++
			t := p.peek()
			switch {
			case isKw(t, "UPDATE"):
				q.ForUpdate = true
			case isKw(t, "VIEW"):
				q.ForView = true
			case isKw(t, "REFERENCE"):
				q.ForReference = true
			default:
				return unexpected(t)
			}
			p.i++
			seenFor = true
		case !seenAll && isKw(p.peek(), "ALL"):
			p.i++
			if err := p.expectKw("ROWS"); err != nil {
				return err
			}
			q.AllRows = true
			seenAll = true
		default:
			return nil
		}
	}
}

// count parses the non-negative integer of LIMIT or OFFSET.
func (p *parser) count() (int, error) {
	t := p.peek()
	if t.kind != tNumber || !digits(t.text) {
		return 0, unexpected(t)
	}
	n, err := strconv.Atoi(t.text)
	if err != nil || n > 1<<31-1 {
		return 0, unexpected(t)
	}
	p.i++
	return n, nil
}

// selectItem parses a field, an aggregate call with optional alias, or a child subquery.
func (p *parser) selectItem() (SelectItem, error) {
	t := p.peek()
	if isPunct(t, "(") {
		p.i++
		sub, err := p.query()
		if err != nil {
			return nil, err
		}
		if err := p.expectPunct(")"); err != nil {
			return nil, err
		}
		return &SubqueryItem{Query: sub, Pos: t.pos}, nil
	}
	if isKw(t, "FIELDS") && isPunct(p.peekAt(1), "(") {
		return p.fieldsItem()
	}
	if p.atAggregate() {
		a, err := p.aggregate()
		if err != nil {
			return nil, err
		}
		if t := p.peek(); t.kind == tIdent && !isReserved(t) {
			a.Alias = t.text
			p.i++
		}
		return a, nil
	}
	n, err := p.name()
	if err != nil {
		return nil, err
	}
	f := &FieldItem{Name: n}
	if t := p.peek(); t.kind == tIdent && !isReserved(t) {
		f.Alias = t.text
		p.aliasPos = append(p.aliasPos, t.pos)
		p.i++
	}
	return f, nil
}

// fieldsItem parses FIELDS(ALL|STANDARD|CUSTOM); the caller checked FIELDS (.
func (p *parser) fieldsItem() (*FieldsItem, error) {
	t := p.next()
	paren := p.next()
	arg := p.peek()
	kind := strings.ToUpper(arg.text)
	if arg.kind != tIdent || (kind != "ALL" && kind != "STANDARD" && kind != "CUSTOM") {
		return nil, unexpected(arg)
	}
	p.i++
	if err := p.expectPunct(")"); err != nil {
		return nil, err
	}
	return &FieldsItem{Kind: kind, Pos: t.pos, ParenPos: paren.pos}, nil
}

// checkFieldAliases rejects aliases of plain fields outside aggregate queries
// (SOQL and SOSL Reference, "Using Aliases with GROUP BY").
func (p *parser) checkFieldAliases(q *Query, from int) error {
	if len(p.aliasPos) > from && len(q.GroupBy) == 0 {
		return ErrorAt(CodeMalformedQuery, p.aliasPos[from], "Only aggregate expressions use field aliasing")
	}
	p.aliasPos = p.aliasPos[:from]
	return nil
}

// aggregate parses FUNC(name) or COUNT(); the caller checked atAggregate.
func (p *parser) aggregate() (*AggregateItem, error) {
	t := p.next()
	a := &AggregateItem{Func: strings.ToUpper(t.text), Pos: t.pos}
	p.next() // (
	if a.Func == "COUNT" && isPunct(p.peek(), ")") {
		p.i++
		return a, nil
	}
	n, err := p.name()
	if err != nil {
		return nil, err
	}
	a.Arg = &n
	if err := p.expectPunct(")"); err != nil {
		return nil, err
	}
	return a, nil
}

// orderList parses ORDER BY items: field or aggregate, ASC|DESC, NULLS FIRST|LAST.
func (p *parser) orderList() ([]Order, error) {
	var out []Order
	for {
		var o Order
		if p.atAggregate() {
			a, err := p.aggregate()
			if err != nil {
				return nil, err
			}
			o.Aggregate = a
		} else if p.atFunc("DISTANCE") {
			d, err := p.distance()
			if err != nil {
				return nil, err
			}
			o.Distance = d
		} else {
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			o.Field = n
		}
		if p.acceptKw("DESC") {
			o.Desc = true
		} else {
			p.acceptKw("ASC")
		}
		if p.acceptKw("NULLS") {
			switch {
			case p.acceptKw("FIRST"):
				o.Nulls = NullsFirst
			case p.acceptKw("LAST"):
				o.Nulls = NullsLast
			default:
				return nil, unexpected(p.peek())
			}
		}
		out = append(out, o)
		if !isPunct(p.peek(), ",") {
			return out, nil
		}
		p.i++
	}
}
