package soql

import (
	"strconv"
	"strings"
)

// Conditions (WHERE and HAVING). SOQL and SOSL Reference, "WHERE": condition expressions
// combine field expressions with AND, OR and NOT, grouped with parentheses.
//
// "Parentheses are required whenever you mix the operators" (SOQL and SOSL Reference,
// "Logical Operators"; "Condition Expression Syntax": "Client applications must specify
// parentheses when nesting operators. However, multiple operators of the same type do
// not need to be nested"). So a chain is all-AND or all-OR, left-associative, and
// `a AND b OR c` fails with "unexpected token: 'OR'" at the OR. NOT applies to the
// comparison or parenthesised group that follows it.

// orExpr parses a condition: operands joined by one kind of logical operator. allowAgg
// permits aggregate calls on the left of comparisons (HAVING).
func (p *parser) orExpr(allowAgg bool) (Expr, error) {
	left, err := p.unary(allowAgg)
	if err != nil {
		return nil, err
	}
	op := ""
	for {
		t := p.peek()
		if !isKw(t, "AND") && !isKw(t, "OR") {
			return left, nil
		}
		up := strings.ToUpper(t.text)
		if op == "" {
			op = up
		} else if up != op {
			return nil, unexpected(t)
		}
		p.i++
		right, err := p.unary(allowAgg)
		if err != nil {
			return nil, err
		}
		if op == "AND" {
			left = &And{Left: left, Right: right}
		} else {
			left = &Or{Left: left, Right: right}
		}
	}
}

// unary parses NOT x, (x) or a comparison.
func (p *parser) unary(allowAgg bool) (Expr, error) {
	t := p.peek()
	if isKw(t, "NOT") {
		p.i++
		x, err := p.unary(allowAgg)
		if err != nil {
			return nil, err
		}
		return &Not{X: x, Pos: t.pos}, nil
	}
	if isPunct(t, "(") {
		p.i++
		x, err := p.orExpr(allowAgg)
		if err != nil {
			return nil, err
		}
		if err := p.expectPunct(")"); err != nil {
			return nil, err
		}
		return x, nil
	}
	return p.comparison(allowAgg)
}

// listOps take a parenthesised value list.
var listOps = map[string]bool{"IN": true, "NOT IN": true, "INCLUDES": true, "EXCLUDES": true}

// comparison parses field op value, field op (values…) or field [NOT] IN (SELECT …).
// Operators: SOQL and SOSL Reference, "Comparison Operators"; <> is normalised to !=.
func (p *parser) comparison(allowAgg bool) (Expr, error) {
	c := &Comparison{}
	if allowAgg && p.atAggregate() {
		a, err := p.aggregate()
		if err != nil {
			return nil, err
		}
		c.Aggregate = a
	} else if p.atFunc("DISTANCE") {
		d, err := p.distance()
		if err != nil {
			return nil, err
		}
		c.Distance = d
	} else {
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		c.Field = n
	}
	t := p.peek()
	c.Pos = t.pos
	switch {
	case t.kind == tOp:
		c.Op = t.text
		if c.Op == "<>" {
			c.Op = "!="
		}
	case isKw(t, "LIKE"), isKw(t, "IN"), isKw(t, "INCLUDES"), isKw(t, "EXCLUDES"):
		c.Op = strings.ToUpper(t.text)
	case isKw(t, "NOT") && isKw(p.peekAt(1), "IN"):
		c.Op = "NOT IN"
		p.i++
	default:
		return nil, unexpected(t)
	}
	p.i++
	if !listOps[c.Op] {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if c.Op == "LIKE" && v.Kind == String {
			v.Str = p.toks[p.i-1].like
		}
		c.Value = &v
		return c, nil
	}
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	if (c.Op == "IN" || c.Op == "NOT IN") && isKw(p.peek(), "SELECT") {
		sub, err := p.query()
		if err != nil {
			return nil, err
		}
		c.Subquery = sub
	} else {
		for {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			c.Values = append(c.Values, v)
			if !isPunct(p.peek(), ",") {
				break
			}
			p.i++
		}
	}
	if err := p.expectPunct(")"); err != nil {
		return nil, err
	}
	return c, nil
}

// value parses one literal (SOQL and SOSL Reference, "fieldExpression Syntax" and "Date
// Formats and Date Literals").
func (p *parser) value() (Value, error) {
	t := p.peek()
	v := Value{Pos: t.pos, Text: t.text}
	switch t.kind {
	case tString:
		v.Kind, v.Str = String, t.str
	case tNumber:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return Value{}, unexpected(t)
		}
		v.Kind, v.Num, v.NumText = Number, f, t.text
	case tDate:
		v.Kind, v.Time = Date, t.time
	case tDateTime:
		v.Kind, v.Time = DateTime, t.time
	case tIdent:
		up := strings.ToUpper(t.text)
		switch takesN, isLit := dateLiterals[up]; {
		case up == "TRUE" || up == "FALSE":
			v.Kind, v.Bool = Bool, up == "TRUE"
		case up == "NULL":
			v.Kind = Null
		case isLit && !takesN:
			v.Kind, v.Literal = DateLiteral, up
		case isLit:
			return p.dateLiteralN(t, up)
		default:
			return Value{}, unexpected(t)
		}
	default:
		return Value{}, unexpected(t)
	}
	p.i++
	return v, nil
}

// dateLiteralN parses NAME:n (no spaces), e.g. LAST_N_DAYS:7.
func (p *parser) dateLiteralN(t token, up string) (Value, error) {
	colon, num := p.peekAt(1), p.peekAt(2)
	end := int(t.pos) + len(t.text)
	if !isPunct(colon, ":") || int(colon.pos) != end {
		return Value{}, unexpected(colon)
	}
	if num.kind != tNumber || !digits(num.text) || int(num.pos) != end+1 {
		return Value{}, unexpected(num)
	}
	n, err := strconv.Atoi(num.text)
	if err != nil || n > 1<<20 {
		return Value{}, unexpected(num)
	}
	p.i += 3
	lit := p.text[t.pos : int(num.pos)+len(num.text)]
	return Value{Kind: DateLiteral, Pos: t.pos, Text: lit, Literal: up, N: n}, nil
}

// atFunc reports whether a call of the function name (upper case) starts here.
func (p *parser) atFunc(name string) bool {
	return isKw(p.peek(), name) && isPunct(p.peekAt(1), "(")
}

// distance parses DISTANCE(name, GEOLOCATION(lat, lon), 'unit'); the caller checked
// DISTANCE (.
func (p *parser) distance() (*Distance, error) {
	t := p.next()
	p.next() // (
	d := &Distance{Pos: t.pos}
	var err error
	if d.Field, err = p.name(); err != nil {
		return nil, err
	}
	if err := p.expectPunct(","); err != nil {
		return nil, err
	}
	if !p.atFunc("GEOLOCATION") {
		return nil, unexpected(p.peek())
	}
	p.i += 2
	for i, dst := range []*Value{&d.Lat, &d.Lon} {
		if i > 0 {
			if err := p.expectPunct(","); err != nil {
				return nil, err
			}
		}
		n := p.peek()
		if n.kind != tNumber {
			return nil, unexpected(n)
		}
		if *dst, err = p.value(); err != nil {
			return nil, err
		}
		if dst.Kind != Number {
			return nil, unexpected(n)
		}
	}
	if err := p.expectPunct(")"); err != nil {
		return nil, err
	}
	if err := p.expectPunct(","); err != nil {
		return nil, err
	}
	u := p.peek()
	if u.kind != tString {
		return nil, unexpected(u)
	}
	d.Unit, d.UnitPos = u.str, u.pos
	p.i++
	if err := p.expectPunct(")"); err != nil {
		return nil, err
	}
	return d, nil
}
