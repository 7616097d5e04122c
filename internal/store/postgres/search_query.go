package postgres

// Search (records.Store.Search): a sosl.Expr becomes a tsquery over the tagged lexemes of
// the fields searched (search_index.go has the layout); the matching search rows, joined
// to the record table by Id, drive a SELECT of the plan's columns.

import (
	"context"
	"errors"
	"path"
	"strings"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/soql"
	"github.com/forcefield/forcefield/internal/sosl"
)

// maxExpansion bounds the alternatives one term may become (wildcard words expanded
// into indexed words). Beyond it the search is refused rather than silently cut short;
// Salesforce documents no such bound, so the answer is its QUERY_TOO_COMPLICATED, as on
// SQLite.
const maxExpansion = 1000

// Search runs plan over the live records of plan.Object matching m (see
// records.Store.Search).
func (db *DB) Search(ctx context.Context, orgID sfid.ID, plan *query.Plan, m records.Match) ([]records.Row, error) {
	if plan == nil || plan.Object == nil {
		return nil, errors.New("postgres: search: no plan")
	}
	obj := plan.Object
	if m.Expr == nil || !sosl.SearchableObject(obj) || plan.Limit == 0 {
		return []records.Row{}, nil
	}
	var fields []*schema.Field
	for _, name := range m.Fields {
		if f, ok := obj.Field(name); ok && sosl.Searchable(f) {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return []records.Row{}, nil
	}
	tb := &tsBuilder{ctx: ctx, db: db, table: searchTable(orgID, obj), fields: fields}
	tsq, err := tb.expr(m.Expr)
	if err != nil {
		return nil, err
	}
	if tsq == "" {
		return []records.Row{}, nil
	}
	b := newSelectBuilder(orgID, plan, "")
	exprs := b.selectList(plan.Columns)
	where := b.baseWhere()
	order := b.orderBy()
	// The GIN index finds the matching Ids first (the cost follows the matches, not the
	// table), then each record is read by primary key (= ANY of the array, an index
	// condition). Left to itself, the planner (which cannot estimate an OR of tagged
	// lexemes) read the records in Id order and tested each up to the LIMIT — a scan of
	// the table for a selective term (870 ms over 100,000 Accounts, BenchmarkSearchFind)
	// — or hashed the whole record table against the matches.
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM " + quoteIdent(recordTable(orgID, obj)) + " " + b.root() +
		b.joins.String() + " WHERE " + b.root() + `."Id" = ANY(ARRAY(SELECT "Id" FROM ` + quoteIdent(tb.table) +
		" WHERE doc @@ ?::tsquery))"
	if where != "" {
		q += " AND " + where
	}
	q += " ORDER BY " + order + " LIMIT ? OFFSET ?"
	args := append(append([]any{}, b.joinArgs...), tsq)
	args = append(args, b.whereArgs...)
	args = append(args, limitArg(plan.Limit), plan.Offset)
	if err := checkVariables(args); err != nil {
		return nil, err
	}
	out := []records.Row{}
	err = db.eachRow(ctx, plan, rebind(q), args, plan.Columns, 0, b.pos, func(vals []any) error {
		out = append(out, records.Row{Values: vals})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// tsBuilder writes a tsquery (PostgreSQL docs §8.11.2 "tsquery").
type tsBuilder struct {
	ctx    context.Context
	db     *DB
	table  string // the search table (its words, for expansions)
	fields []*schema.Field
}

// expr is x as a tsquery; "" when x can match nothing (a wildcard that matches no
// indexed word).
func (tb *tsBuilder) expr(x sosl.Expr) (string, error) {
	switch x := x.(type) {
	case *sosl.Match:
		return tb.match(x)
	case *sosl.And, *sosl.Or, *sosl.AndNot:
		var l, r sosl.Expr
		op := ""
		switch x := x.(type) {
		case *sosl.And:
			l, r, op = x.L, x.R, "&"
		case *sosl.Or:
			l, r, op = x.L, x.R, "|"
		case *sosl.AndNot:
			l, r, op = x.L, x.R, "& !"
		}
		ls, err := tb.expr(l)
		if err != nil {
			return "", err
		}
		rs, err := tb.expr(r)
		if err != nil {
			return "", err
		}
		switch {
		case op == "|" && ls == "":
			return rs, nil
		case op == "|" && rs == "":
			return ls, nil
		case ls == "":
			return "", nil
		case rs == "" && op == "& !":
			return ls, nil
		case rs == "":
			return "", nil
		}
		return "(" + ls + ") " + op + " (" + rs + ")", nil
	}
	return "", errors.New("postgres: search: unknown expression")
}

// match is one term or phrase: in each field searched and each kind of lexeme, a phrase
// of its words (<->), or an OR of the phrases its wildcard words expand to.
func (tb *tsBuilder) match(m *sosl.Match) (string, error) {
	alts := [][]string{{}} // alternative phrases, each a list of words ("w*": a prefix)
	for _, w := range m.Words {
		var elems []string
		switch {
		case !sosl.HasWildcard(w), sosl.PrefixOnly(w):
			elems = []string{w}
		default:
			terms, err := tb.expand(w, m.Text)
			if err != nil {
				return "", err
			}
			elems = terms
		}
		if len(elems) == 0 {
			return "", nil
		}
		if len(alts)*len(elems) > maxExpansion {
			return "", tooBroad(m.Text)
		}
		next := make([][]string, 0, len(alts)*len(elems))
		for _, a := range alts {
			for _, e := range elems {
				next = append(next, append(append([]string{}, a...), e))
			}
		}
		alts = next
	}
	var phrases []string
	for _, f := range tb.fields {
		for _, kind := range []string{"f", "s"} {
			for _, a := range alts {
				lexes := make([]string, len(a))
				for i, w := range a {
					if p, ok := strings.CutSuffix(w, "*"); ok {
						lexes[i] = quoteLexeme(lexeme(kind, f, p)) + ":*"
					} else {
						lexes[i] = quoteLexeme(lexeme(kind, f, w))
					}
				}
				phrases = append(phrases, strings.Join(lexes, " <-> "))
			}
		}
	}
	return "(" + strings.Join(phrases, " | ") + ")", nil
}

// expand lists the indexed words matching the wildcard word w (never starting with a
// wildcard), read in order from the vocabulary from w's literal prefix on.
func (tb *tsBuilder) expand(w, text string) ([]string, error) {
	prefix := w[:strings.IndexAny(w, "*?")]
	rows, err := tb.db.pool.Query(tb.ctx, "SELECT term FROM search_vocab WHERE tbl = $1 AND term >= $2 ORDER BY term", tb.table, prefix)
	if err != nil {
		return nil, queryErr("search vocabulary", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var term string
		if err := rows.Scan(&term); err != nil {
			return nil, queryErr("search vocabulary", err)
		}
		if !strings.HasPrefix(term, prefix) {
			break
		}
		// Words hold letters, digits and the two wildcards only, which path.Match reads
		// as SOSL does: * any run, ? one character.
		if ok, _ := path.Match(w, term); ok {
			if len(out) == maxExpansion {
				return nil, tooBroad(text)
			}
			out = append(out, term)
		}
	}
	return out, rows.Err()
}

func tooBroad(text string) error {
	return &soql.Error{Code: soql.CodeQueryTooComplicated, Plain: true,
		Msg: "search term matches too many words: " + text}
}
