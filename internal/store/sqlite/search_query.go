package sqlite

// Search (records.Store.Search): a sosl.Expr becomes an FTS5 MATCH expression over the
// columns of the fields searched; the matching rowids, turned back into Ids, drive a
// SELECT of the plan's columns (search_index.go has the layout).

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/soql"
	"github.com/forcefield/forcefield/internal/sosl"
)

// maxExpansion bounds the indexed words one wildcard word (with ? or an inner *) may
// stand for. Beyond it the search is refused rather than silently cut short; Salesforce
// documents no such bound, so the answer is its QUERY_TOO_COMPLICATED.
const maxExpansion = 1000

// Search runs plan over the live records of plan.Object matching m (see
// records.Store.Search).
func (db *DB) Search(ctx context.Context, orgID sfid.ID, plan *query.Plan, m records.Match) ([]records.Row, error) {
	if plan == nil || plan.Object == nil {
		return nil, errors.New("sqlite: search: no plan")
	}
	obj := plan.Object
	if m.Expr == nil || !sosl.SearchableObject(obj) || plan.Limit == 0 {
		return []records.Row{}, nil
	}
	var cols []string
	for _, name := range m.Fields {
		if f, ok := obj.Field(name); ok && sosl.Searchable(f) {
			full, sub := searchColumns(f)
			cols = append(cols, full, sub)
		}
	}
	if len(cols) == 0 {
		return []records.Row{}, nil
	}
	fb := &ftsBuilder{ctx: ctx, db: db, vocab: searchVocab(orgID, obj)}
	expr, err := fb.expr(m.Expr)
	if err != nil {
		return nil, err
	}
	if expr == "" {
		return []records.Row{}, nil
	}
	match := "{" + strings.Join(cols, " ") + "} : (" + expr + ")"

	b := newSelectBuilder(orgID, plan, "")
	exprs := make([]string, len(plan.Columns))
	for i := range plan.Columns {
		exprs[i] = b.colExpr(&plan.Columns[i])
	}
	where := b.baseWhere()
	order := b.orderBy()
	inner := ""
	if len(plan.OrderBy) == 0 {
		// Record order: Ids of one object are its prefix, the pod and the sequence number
		// in fixed-width base 62 (ASCII order), so Id order is rowid order, which FTS5
		// delivers without a sort — a LIMIT then stops the scan early instead of sorting
		// every match (a term found in a million records answers its first 2000 at once).
		inner, order = " ORDER BY rowid", "m.r"
	}
	fts := quoteIdent(searchTable(orgID, obj))
	// The matching rowids first (CROSS JOIN keeps that order of the loops), each looked up
	// by primary key: the cost follows the matches, not the size of the table.
	q := "SELECT " + strings.Join(exprs, ", ") +
		" FROM (SELECT rowid AS r, ff_sfid(?, rowid) AS k FROM " + fts + " WHERE " + fts + " MATCH ?" + inner + ") m" +
		" CROSS JOIN " + quoteIdent(recordTable(orgID, obj)) + " " + b.root() + " ON " + b.root() + `."Id" = m.k` +
		b.joins.String()
	if where != "" {
		q += " WHERE " + where
	}
	q += " ORDER BY " + order + " LIMIT ? OFFSET ?"
	args := append([]any{obj.KeyPrefix, match}, b.joinArgs...)
	args = append(args, b.whereArgs...)
	args = append(args, plan.Limit, plan.Offset)
	if err := checkVariables(args); err != nil {
		return nil, err
	}
	rows, err := db.rc.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, queryErr(obj.Name, err)
	}
	defer rows.Close()
	out := []records.Row{}
	for rows.Next() {
		vals, err := scanColumns(rows, plan.Columns, 0)
		if err != nil {
			return nil, queryErr(obj.Name, err)
		}
		out = append(out, records.Row{Values: vals})
	}
	if err := rows.Err(); err != nil {
		return nil, queryErr(obj.Name, err)
	}
	return out, nil
}

// ftsBuilder writes an FTS5 query expression.
type ftsBuilder struct {
	ctx   context.Context
	db    *DB
	vocab string
}

// expr is x as an FTS5 expression; "" when x can match nothing (a wildcard that matches
// no indexed word).
func (fb *ftsBuilder) expr(x sosl.Expr) (string, error) {
	switch x := x.(type) {
	case *sosl.Match:
		return fb.match(x)
	case *sosl.And, *sosl.Or, *sosl.AndNot:
		var l, r sosl.Expr
		op := ""
		switch x := x.(type) {
		case *sosl.And:
			l, r, op = x.L, x.R, "AND"
		case *sosl.Or:
			l, r, op = x.L, x.R, "OR"
		case *sosl.AndNot:
			l, r, op = x.L, x.R, "NOT"
		}
		ls, err := fb.expr(l)
		if err != nil {
			return "", err
		}
		rs, err := fb.expr(r)
		if err != nil {
			return "", err
		}
		switch {
		case op == "OR" && ls == "":
			return rs, nil
		case op == "OR" && rs == "":
			return ls, nil
		case ls == "":
			return "", nil
		case rs == "" && op == "NOT":
			return ls, nil
		case rs == "":
			return "", nil
		}
		return "(" + ls + ") " + op + " (" + rs + ")", nil
	}
	return "", fmt.Errorf("sqlite: search: unknown expression %T", x)
}

// match is one term or phrase: an FTS5 phrase of its words, or an OR of the phrases its
// wildcard words expand to.
func (fb *ftsBuilder) match(m *sosl.Match) (string, error) {
	alts := [][]string{{}} // alternative phrases, each a list of FTS5 phrase elements
	for _, w := range m.Words {
		var elems []string
		switch {
		case !sosl.HasWildcard(w):
			elems = []string{ftsString(w)}
		case sosl.PrefixOnly(w):
			elems = []string{ftsString(strings.TrimSuffix(w, "*")) + " *"}
		default:
			terms, err := fb.expand(w, m.Text)
			if err != nil {
				return "", err
			}
			for _, t := range terms {
				elems = append(elems, ftsString(t))
			}
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
	phrases := make([]string, len(alts))
	for i, a := range alts {
		phrases[i] = strings.Join(a, " + ")
	}
	if len(phrases) == 1 {
		return phrases[0], nil
	}
	return "(" + strings.Join(phrases, " OR ") + ")", nil
}

// expand lists the indexed words matching the wildcard word w (never starting with a
// wildcard), read in order from the vocabulary from w's literal prefix on.
func (fb *ftsBuilder) expand(w, text string) ([]string, error) {
	prefix := w[:strings.IndexAny(w, "*?")]
	rows, err := fb.db.rc.QueryContext(fb.ctx, "SELECT term FROM "+quoteIdent(fb.vocab)+" WHERE term >= ? ORDER BY term", prefix)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search vocabulary: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var term string
		if err := rows.Scan(&term); err != nil {
			return nil, fmt.Errorf("sqlite: search vocabulary: %w", err)
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

// ftsString quotes a word as an FTS5 string.
func ftsString(w string) string { return `"` + strings.ReplaceAll(w, `"`, `""`) + `"` }
