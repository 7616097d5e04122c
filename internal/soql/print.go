package soql

import (
	"strconv"
	"strings"
)

// String prints the query as canonical SOQL: upper-case keywords, names as written,
// ASC omitted, nested conditions parenthesised, literals in their canonical form
// (datetimes in UTC with Z). Parse(q.String()) gives back the same tree apart from
// positions and Value.Text; FOR VIEW and FOR REFERENCE, which the tree does not keep,
// are not printed.
func (q *Query) String() string {
	var b strings.Builder
	q.write(&b)
	return b.String()
}

func (q *Query) write(b *strings.Builder) {
	b.WriteString("SELECT ")
	for i, it := range q.Select {
		if i > 0 {
			b.WriteString(", ")
		}
		switch it := it.(type) {
		case *FieldItem:
			b.WriteString(it.Name.String())
			if it.Alias != "" {
				b.WriteString(" " + it.Alias)
			}
		case *AggregateItem:
			b.WriteString(it.call())
			if it.Alias != "" {
				b.WriteString(" " + it.Alias)
			}
		case *SubqueryItem:
			b.WriteString("(")
			it.Query.write(b)
			b.WriteString(")")
		case *FieldsItem:
			b.WriteString("FIELDS(" + it.Kind + ")")
		}
	}
	b.WriteString(" FROM " + q.From.String())
	if q.Alias != "" {
		b.WriteString(" " + q.Alias)
	}
	if q.Where != nil {
		b.WriteString(" WHERE " + ExprString(q.Where))
	}
	if q.With != "" {
		b.WriteString(" WITH " + q.With)
	}
	for i, g := range q.GroupBy {
		if i == 0 {
			b.WriteString(" GROUP BY ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(g.String())
	}
	if q.Having != nil {
		b.WriteString(" HAVING " + ExprString(q.Having))
	}
	for i, o := range q.OrderBy {
		if i == 0 {
			b.WriteString(" ORDER BY ")
		} else {
			b.WriteString(", ")
		}
		switch {
		case o.Aggregate != nil:
			b.WriteString(o.Aggregate.call())
		case o.Distance != nil:
			b.WriteString(o.Distance.String())
		default:
			b.WriteString(o.Field.String())
		}
		if o.Desc {
			b.WriteString(" DESC")
		}
		switch o.Nulls {
		case NullsFirst:
			b.WriteString(" NULLS FIRST")
		case NullsLast:
			b.WriteString(" NULLS LAST")
		}
	}
	if q.Limit >= 0 {
		b.WriteString(" LIMIT " + strconv.Itoa(q.Limit))
	}
	if q.Offset >= 0 {
		b.WriteString(" OFFSET " + strconv.Itoa(q.Offset))
	}
	switch {
	case q.ForUpdate:
		b.WriteString(" FOR UPDATE")
	case q.ForView:
		b.WriteString(" FOR VIEW")
	case q.ForReference:
		b.WriteString(" FOR REFERENCE")
	}
	if q.AllRows {
		b.WriteString(" ALL ROWS")
	}
}

// call prints FUNC(arg) without the alias, e.g. COUNT(Id) or COUNT().
func (a *AggregateItem) call() string {
	if a.Arg == nil {
		return a.Func + "()"
	}
	return a.Func + "(" + a.Arg.String() + ")"
}

// ExprString prints a condition as canonical SOQL (see Query.String).
func ExprString(e Expr) string {
	switch e := e.(type) {
	case *And:
		return operand(e.Left, notAnd) + " AND " + operand(e.Right, notComparison)
	case *Or:
		return operand(e.Left, notOr) + " OR " + operand(e.Right, notComparison)
	case *Not:
		return "NOT " + operand(e.X, isBinary)
	case *Comparison:
		return e.string()
	}
	return ""
}

// Operands of AND and OR are parenthesised unless they are comparisons or, on the left,
// the same operator (SOQL needs parentheses whenever operators are mixed; NOT is
// parenthesised too, as jsforce writes it).
func notAnd(e Expr) bool        { _, ok := e.(*And); return !ok && notComparison(e) }
func notOr(e Expr) bool         { _, ok := e.(*Or); return !ok && notComparison(e) }
func notComparison(e Expr) bool { _, ok := e.(*Comparison); return !ok }
func isBinary(e Expr) bool {
	switch e.(type) {
	case *And, *Or:
		return true
	}
	return false
}

// operand prints e, in parentheses when paren(e).
func operand(e Expr, paren func(Expr) bool) string {
	if paren(e) {
		return "(" + ExprString(e) + ")"
	}
	return ExprString(e)
}

func (c *Comparison) string() string {
	var b strings.Builder
	switch {
	case c.Aggregate != nil:
		b.WriteString(c.Aggregate.call())
	case c.Distance != nil:
		b.WriteString(c.Distance.String())
	default:
		b.WriteString(c.Field.String())
	}
	b.WriteString(" " + c.Op + " ")
	switch {
	case c.Subquery != nil:
		b.WriteString("(" + c.Subquery.String() + ")")
	case listOps[c.Op]:
		b.WriteString("(")
		for i, v := range c.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(v.literal(false))
		}
		b.WriteString(")")
	case c.Value != nil:
		b.WriteString(c.Value.literal(c.Op == "LIKE"))
	}
	return b.String()
}

// String prints the value as a SOQL literal.
func (v Value) String() string { return v.literal(false) }

// literal prints the value; like says that Str is a LIKE pattern whose \\, \% and \_
// escapes are kept as written (see likeEscapes).
func (v Value) literal(like bool) string {
	switch v.Kind {
	case Null:
		return "null"
	case Bool:
		return strconv.FormatBool(v.Bool)
	case Number:
		if v.NumText != "" {
			return v.NumText
		}
		return strconv.FormatFloat(v.Num, 'f', -1, 64)
	case String:
		return quote(v.Str, like)
	case Date:
		return v.Time.Format(dateLayout)
	case DateTime:
		return v.Time.UTC().Format("2006-01-02T15:04:05.999999999Z07:00")
	case DateLiteral:
		if dateLiterals[v.Literal] {
			return v.Literal + ":" + strconv.Itoa(v.N)
		}
		return v.Literal
	}
	return ""
}

// quote writes s as a single-quoted SOQL string with escapes.
func quote(s string, like bool) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\'':
			b.WriteString(`\'`)
		case '\\':
			if like && i+1 < len(s) && strings.IndexByte(`\%_`, s[i+1]) >= 0 {
				b.WriteString(s[i : i+2])
				i++
			} else {
				b.WriteString(`\\`)
			}
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// String prints DISTANCE(Field, GEOLOCATION(lat, lon), 'unit').
func (d *Distance) String() string {
	return "DISTANCE(" + d.Field.String() + ", GEOLOCATION(" + d.Lat.String() + ", " + d.Lon.String() + "), " + quote(d.Unit, false) + ")"
}
