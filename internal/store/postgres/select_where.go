package postgres

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/schema"
)

// cond compiles a resolved condition to SQL with ? parameters appended to args, following
// SOQL's semantics (salesforce-rest.md §4), as SQLite's select_where.go does:
//   - f = null / f != null are IS NULL / IS NOT NULL;
//   - f != v and f NOT IN (…) also match rows where f is null (SOQL keeps them, SQL's
//     three-valued logic would not);
//   - LIKE ignores ASCII case (SQLite's LIKE, as SOQL's), with \ escaping;
//   - INCLUDES ('a;b', 'c') on a multi-select picklist is (a AND b) OR c, each value
//     matched between ; separators;
//   - NOT negates with two-valued logic (a comparison with null is false, its negation
//     true);
//   - text comparisons ignore case: lower(col) against a folded value (dialect.go).
func (b *selectBuilder) cond(c query.Cond, args *[]any) string {
	switch c := c.(type) {
	case *query.And, *query.Or:
		op := " OR "
		if _, ok := c.(*query.And); ok {
			op = " AND "
		}
		var terms []string
		for _, x := range chain(c, nil) {
			terms = append(terms, b.cond(x, args))
		}
		return balanced(terms, op)
	case *query.Not:
		// A comparison with a null field is false in SOQL, not unknown as in SQL: NOT
		// turns it into true, so NOT f = 'x' keeps the rows where f is null.
		return "(NOT COALESCE(" + b.cond(c.X, args) + ", false))"
	case *query.Compare:
		return b.compare(c, args)
	case *query.In:
		return b.semiJoin(c, args)
	case *query.DistanceCompare:
		return "(" + b.distance(c.Dist) + " " + c.Op + " " + sqlFloat(c.Value) + ")"
	}
	return "false"
}

func (b *selectBuilder) compare(c *query.Compare, args *[]any) string {
	var col string
	var f *schema.Field
	if c.Agg != nil {
		col = b.colExpr(c.Agg)
	} else {
		col = b.key(c.Path)
		f = c.Path.Field
	}
	var v any
	if len(c.Values) > 0 {
		v = c.Values[0]
	}
	if x, ok := v.(string); ok && unstorable(x) && c.Op != "IN" && c.Op != "NOT IN" {
		return b.compareNUL(col, f, c.Op, x, c.Values, args)
	}
	if f != nil && f.Type == schema.TypeMultiPicklist && v != nil && (c.Op == "=" || c.Op == "!=") {
		eq := b.sameSet(col, v, args)
		if c.Op == "!=" {
			return "(" + col + " IS NULL OR NOT " + eq + ")"
		}
		return eq
	}
	switch c.Op {
	case "=":
		if v == nil {
			return col + " IS NULL"
		}
		*args = append(*args, arg(f, v))
		return col + " = ?"
	case "!=":
		if v == nil {
			return col + " IS NOT NULL"
		}
		*args = append(*args, arg(f, v))
		return "(" + col + " != ? OR " + col + " IS NULL)"
	case "<", "<=", ">", ">=":
		if v == nil {
			return "false"
		}
		*args = append(*args, arg(f, v))
		return col + " " + c.Op + " ?"
	case "LIKE":
		s, _ := v.(string)
		*args = append(*args, foldASCII(s))
		if f != nil && !caseless(f) {
			col = "lower(" + col + ")" // SQLite's LIKE ignores case on every column
		}
		return col + ` LIKE ? ESCAPE '\'`
	case "IN", "NOT IN":
		return b.inList(col, f, c.Op == "NOT IN", c.Values, args)
	case "INCLUDES", "EXCLUDES":
		inc := b.includes(col, c.Values, args)
		if c.Op == "EXCLUDES" {
			return "(" + col + " IS NULL OR NOT " + inc + ")"
		}
		return inc
	}
	return "false"
}

// unstorable reports text that PostgreSQL text cannot hold (SQLite's can): a NUL
// character or bytes that are not UTF-8.
func unstorable(s string) bool { return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) }

// compareNUL compiles a comparison with unstorable text: no stored value equals it,
// contains it or is LIKE a pattern with it. In byte order a stored value is below text
// with a NUL exactly when it is at most the text before the NUL; other bytes that are not
// UTF-8 compare as U+FFFD (an approximation: such text reaches no stored value anyway).
func (b *selectBuilder) compareNUL(col string, f *schema.Field, op, x string, values []any, args *[]any) string {
	prefix, nul := x, false
	if i := strings.IndexByte(x, 0); i >= 0 {
		prefix, nul = x[:i], true
	}
	prefix = strings.ToValidUTF8(prefix, "\uFFFD")
	if !nul && (op == "<" || op == "<=" || op == ">" || op == ">=") {
		*args = append(*args, arg(f, prefix))
		return col + " " + op + " ?"
	}
	switch op {
	case "!=":
		return "true"
	case "<", "<=":
		*args = append(*args, arg(f, prefix))
		return col + " <= ?"
	case ">", ">=":
		*args = append(*args, arg(f, prefix))
		return col + " > ?"
	case "INCLUDES", "EXCLUDES":
		var rest []any
		for _, v := range values {
			if s, ok := v.(string); !ok || !unstorable(s) {
				rest = append(rest, v)
			}
		}
		inc := b.includes(col, rest, args)
		if op == "EXCLUDES" {
			return "(" + col + " IS NULL OR NOT " + inc + ")"
		}
		return inc
	}
	return "false" // =, LIKE, multi-select picklist =
}

// inList compiles f [NOT] IN (values); a null in the list matches null fields. Values
// of one Go type go as one array parameter (col = ANY(?)), so the statement's text does
// not depend on the list's length and its prepared form is reused.
func (b *selectBuilder) inList(col string, f *schema.Field, not bool, values []any, args *[]any) string {
	var vals []any
	hasNull := false
	seen := map[any]bool{}
	for _, v := range values {
		if v == nil {
			hasNull = true
			continue
		}
		if s, ok := v.(string); ok && unstorable(s) {
			continue // equals no stored text (compareNUL)
		}
		sv := arg(f, v)
		if seen[sv] {
			continue
		}
		seen[sv] = true
		vals = append(vals, sv)
	}
	var list string
	switch {
	case len(vals) == 0:
		list = "false"
	default:
		if arr, ok := array(vals); ok {
			list = col + " = ANY(?)"
			*args = append(*args, arr)
		} else {
			list = col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ") + ")"
			*args = append(*args, vals...)
		}
	}
	switch {
	case !not && hasNull:
		return "(" + list + " OR " + col + " IS NULL)"
	case !not:
		return list
	case hasNull:
		return "(" + col + " IS NOT NULL AND NOT " + list + ")"
	}
	return "(" + col + " IS NULL OR NOT " + list + ")"
}

// array is vals as one typed slice (a PostgreSQL array parameter) when they all have
// the same Go type.
func array(vals []any) (any, bool) {
	switch vals[0].(type) {
	case string:
		return typed[string](vals)
	case int64:
		return typed[int64](vals)
	case float64:
		return typed[float64](vals)
	case bool:
		return typed[bool](vals)
	}
	return nil, false
}

func typed[T any](vals []any) (any, bool) {
	out := make([]T, len(vals))
	for i, v := range vals {
		x, ok := v.(T)
		if !ok {
			return nil, false
		}
		out[i] = x
	}
	return out, true
}

// includes is the INCLUDES test of a multi-select picklist column (col is its key,
// lower(col)).
func (b *selectBuilder) includes(col string, values []any, args *[]any) string {
	var ors []string
	seenValue := map[string]bool{}
	for _, v := range values {
		s, _ := v.(string)
		if seenValue[s] {
			continue
		}
		seenValue[s] = true
		var ands []string
		seenItem := map[string]bool{}
		for _, item := range strings.Split(s, ";") {
			item = strings.TrimSpace(item)
			if item == "" || seenItem[item] {
				continue
			}
			seenItem[item] = true
			ands = append(ands, "(';' || "+col+" || ';') LIKE ? ESCAPE '\\'")
			*args = append(*args, "%;"+escapeLike(foldASCII(item))+";%")
		}
		if len(ands) == 0 {
			continue
		}
		ors = append(ors, balanced(ands, " AND "))
	}
	if len(ors) == 0 {
		return "false"
	}
	return balanced(ors, " OR ")
}

// sameSet is multi-select picklist equality: f = 'a;b' holds when f has exactly the
// values a and b, in any order (Salesforce "Querying Multi-Select Picklists").
func (b *selectBuilder) sameSet(col string, v any, args *[]any) string {
	s, _ := v.(string)
	seen := map[string]bool{}
	var items []any
	for _, item := range strings.Split(s, ";") {
		item = strings.TrimSpace(item)
		if k := strings.ToLower(item); item != "" && !seen[k] {
			seen[k] = true
			items = append(items, item)
		}
	}
	if len(items) == 0 {
		*args = append(*args, "")
		return col + " = ?"
	}
	*args = append(*args, int64(len(items)-1))
	count := "(length(" + col + ") - length(replace(" + col + ", ';', ''))) = ?"
	return "(" + count + " AND " + b.includes(col, []any{joinItems(items)}, args) + ")"
}

func joinItems(items []any) string {
	var parts []string
	for _, it := range items {
		parts = append(parts, it.(string))
	}
	return strings.Join(parts, ";")
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// semiJoin compiles f [NOT] IN (SELECT g FROM … WHERE …) as a nested select with its
// own aliases. Nulls of g are left out so that NOT IN is not voided by them. Both sides
// are compared on their keys (IDs and references: the columns).
func (b *selectBuilder) semiJoin(c *query.In, args *[]any) string {
	col := b.key(c.Path)
	b.subs++
	sb := newSelectBuilder(b.org, c.Sub, b.prefix+"s"+strconv.Itoa(b.subs)+"_")
	inner := sb.key(c.Sub.Columns[0].Path)
	body, subArgs := sb.body(false)
	// The nested plan always has a WHERE: its rows are live (NOT IsDeleted) or, for a
	// Setup view, of this org.
	body += " AND " + inner + " IS NOT NULL"
	*args = append(*args, subArgs...)
	sub := "(SELECT " + inner + body + ")"
	if c.Not {
		return "(" + col + " IS NULL OR " + col + " NOT IN " + sub + ")"
	}
	return col + " IN " + sub
}
