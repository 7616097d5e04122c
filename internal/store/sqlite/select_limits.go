package sqlite

import (
	"encoding/json"
	"math"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/soql"
)

// A SOQL statement may be 100,000 characters long (soql.MaxLength), enough for tens of
// thousands of IN values or OR terms. SQLite refuses more than 32,766 bound variables and
// expression trees deeper than 1,000 (SQLITE_MAX_VARIABLE_NUMBER, SQLITE_MAX_EXPR_DEPTH,
// https://www.sqlite.org/limits.html), which would turn such a statement into a 500. So
// chains of AND / OR compile to balanced parentheses (depth log n), and long IN lists
// bind one JSON array read through json_each.

// jsonListMin is the IN-list length from which the values travel as one JSON array.
const jsonListMin = 100

// chain flattens a left- or right-leaning chain of the same operator (And or Or) into its
// operands, in order.
func chain(c query.Cond, out []query.Cond) []query.Cond {
	switch x := c.(type) {
	case *query.And:
		return sameAnd(x, out)
	case *query.Or:
		return sameOr(x, out)
	}
	return append(out, c)
}

func sameAnd(a *query.And, out []query.Cond) []query.Cond {
	for _, x := range []query.Cond{a.L, a.R} {
		if y, ok := x.(*query.And); ok {
			out = sameAnd(y, out)
		} else {
			out = append(out, x)
		}
	}
	return out
}

func sameOr(o *query.Or, out []query.Cond) []query.Cond {
	for _, x := range []query.Cond{o.L, o.R} {
		if y, ok := x.(*query.Or); ok {
			out = sameOr(y, out)
		} else {
			out = append(out, x)
		}
	}
	return out
}

// balanced joins terms with op ("AND", "OR") as a balanced tree of parentheses, keeping
// their order (and so the order of their parameters).
func balanced(terms []string, op string) string {
	if len(terms) == 1 {
		return "(" + terms[0] + ")"
	}
	mid := len(terms) / 2
	return "(" + balanced(terms[:mid], op) + op + balanced(terms[mid:], op) + ")"
}

// jsonList encodes a long list of plain values (text, integers, finite reals: what toSQL
// gives for every storage form) as a JSON array for json_each; short or other lists are
// bound one variable each.
func jsonList(vals []any) (string, bool) {
	if len(vals) < jsonListMin {
		return "", false
	}
	for _, v := range vals {
		switch x := v.(type) {
		case string, int64:
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				return "", false
			}
		default:
			return "", false
		}
	}
	b, err := json.Marshal(vals)
	return string(b), err == nil
}

// maxVariables is SQLite's SQLITE_MAX_VARIABLE_NUMBER. Deduplicated values and JSON
// arrays keep real statements far below it; a hostile one (thousands of distinct
// INCLUDES items repeated in several clauses) is refused as too complicated rather than
// failing inside SQLite.
const maxVariables = 32766

func checkVariables(args []any) error {
	if len(args) > maxVariables {
		return &soql.Error{Code: soql.CodeQueryTooComplicated, Plain: true, Msg: "Query is too complicated: too many values"}
	}
	return nil
}
