package postgres

import (
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/soql"
)

// A SOQL statement may be 100,000 characters long (soql.MaxLength), enough for tens of
// thousands of IN values or OR terms. PostgreSQL's parser recurses on nested expressions
// (max_stack_depth) and a statement binds at most 65,535 parameters (the protocol's
// 16-bit count, PostgreSQL docs §55.7 "Bind"). So chains of AND / OR compile to balanced
// parentheses (depth log n), IN lists bind one array, and a statement needing more
// parameters is refused as SOQL's QUERY_TOO_COMPLICATED, as SQLite's is.

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

// maxVariables is the most parameters one statement binds.
const maxVariables = 65535

func checkVariables(args []any) error {
	if len(args) > maxVariables {
		return &soql.Error{Code: soql.CodeQueryTooComplicated, Plain: true, Msg: "Query is too complicated: too many values"}
	}
	return nil
}
