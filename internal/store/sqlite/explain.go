package sqlite

// Explain (records.Store.Explain): the query plan SQLite itself chooses for the SQL that
// Query would run, read with EXPLAIN QUERY PLAN, plus row counts. Alternatives are asked
// of SQLite too: each index on a filtered field is offered with INDEXED BY, and kept when
// SQLite can search it (an index it cannot use is refused with "no query solution").

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Explain reports how Query would run plan: the access path SQLite chooses for the plan's
// object (a search in an index, or a scan in table or index order), the other indexes
// it could search, a table scan, and the row counts behind each (records.Explanation).
func (db *DB) Explain(ctx context.Context, orgID sfid.ID, plan *query.Plan) (*records.Explanation, error) {
	if plan == nil || plan.Object == nil {
		return nil, fmt.Errorf("sqlite: explain: no plan")
	}
	obj := plan.Object
	// A data object's rows are its table, aliased t0. A Setup object's are a view that
	// SQLite flattens: the plan names the view's table, whose columns map to fields
	// through the view's expressions (records_setup.go).
	table, root := recordTable(orgID, obj), "t0"
	var columnField func(col string) (string, bool)
	if obj.Setup {
		v, ok := setupViews[strings.ToLower(obj.Name)]
		if !ok {
			return nil, fmt.Errorf("sqlite: explain %s: %w", obj.Name, records.ErrUnknownObject)
		}
		table, root = v.from, v.from
		columnField = func(col string) (string, bool) {
			for name, expr := range v.cols {
				if strings.EqualFold(expr, col) {
					if f, ok := obj.Field(name); ok {
						return f.Name, true
					}
				}
			}
			return "", false
		}
	}
	indexes, err := db.indexedFields(ctx, table, obj, columnField)
	if err != nil {
		return nil, err
	}
	q, args := explainSQL(orgID, plan, "")
	chosen, err := db.queryPlan(ctx, q, args, root, indexes)
	if err != nil {
		return nil, err
	}
	ex := &records.Explanation{}
	if ex.ObjectRows, err = db.objectRows(ctx, orgID, obj); err != nil {
		return nil, err
	}
	if ex.Matches, err = db.countRows(ctx, orgID, filterOnly(plan, plan.Where, true)); err != nil {
		return nil, err
	}
	terms := indexTerms(plan.Where)
	ownerRule := plan.OwnerID != ""
	// rowsOf counts the rows an index on field yields: those matching the filter terms
	// on the field (and the visibility rule when the field is OwnerId).
	rowsOf := func(field string) (int, error) {
		lower := strings.ToLower(field)
		keep := ownerRule && lower == "ownerid"
		return db.countRows(ctx, orgID, filterOnly(plan, andAll(terms[lower]), keep))
	}
	sharing := func(field string) bool {
		return ownerRule && strings.EqualFold(field, "OwnerId") && len(terms["ownerid"]) == 0
	}
	switch {
	case chosen.Index != "" && len(chosen.Union) == 0 && (len(terms[strings.ToLower(chosen.Index)]) > 0 || sharing(chosen.Index)):
		if chosen.Rows, err = rowsOf(chosen.Index); err != nil {
			return nil, err
		}
		chosen.Sharing = sharing(chosen.Index)
	default:
		// A scan, an OR of indexes, or an index serving terms nested in the filter:
		// the filter's matches.
		chosen.Rows = ex.Matches
	}
	ex.Paths = append(ex.Paths, chosen)

	// The other indexes SQLite can search for this query, in filter order.
	candidates := filterFields(plan.Where)
	if ownerRule {
		candidates = append(candidates, "OwnerId")
	}
	seen := map[string]bool{strings.ToLower(chosen.Index): true}
	for _, field := range candidates {
		if obj.Setup {
			break // INDEXED BY cannot name a view's table
		}
		lower := strings.ToLower(field)
		idx, ok := indexes.byField[lower]
		if seen[lower] || !ok {
			continue
		}
		seen[lower] = true
		hinted, hargs := explainSQL(orgID, plan, idx)
		alt, err := db.queryPlan(ctx, hinted, hargs, root, indexes)
		if err != nil {
			if strings.Contains(err.Error(), "no query solution") {
				continue // SQLite cannot search this index for the query
			}
			return nil, err
		}
		if alt.Index == "" || len(alt.Union) > 0 {
			continue // it would only scan the index in order, or unite several
		}
		if alt.Rows, err = rowsOf(alt.Index); err != nil {
			return nil, err
		}
		alt.Sharing = sharing(alt.Index)
		ex.Paths = append(ex.Paths, alt)
	}
	if chosen.Index != "" {
		ex.Paths = append(ex.Paths, records.AccessPath{Rows: ex.Matches})
	}

	// The filter's fields no index serves, the implicit IsDeleted first.
	if !obj.Setup && !plan.IncludeDeleted {
		if _, ok := indexes.byField["isdeleted"]; !ok {
			ex.Unindexed = append(ex.Unindexed, "IsDeleted")
		}
	}
	for _, field := range filterFields(plan.Where) {
		if _, ok := indexes.byField[strings.ToLower(field)]; !ok && !hasFold(ex.Unindexed, field) {
			ex.Unindexed = append(ex.Unindexed, field)
		}
	}
	return ex, nil
}

// explainSQL is the statement Query runs for plan (the SELECT of a page, or the COUNT of
// a COUNT() query), with the root table forced to index hint when not "".
func explainSQL(orgID sfid.ID, plan *query.Plan, hint string) (string, []any) {
	b := newSelectBuilder(orgID, plan, "")
	var q string
	var args []any
	if plan.CountOnly {
		body, a := b.body(false)
		q, args = "SELECT COUNT(*)"+body, a
	} else {
		exprs := make([]string, len(plan.Columns))
		for i := range plan.Columns {
			exprs[i] = b.colExpr(&plan.Columns[i])
		}
		body, a := b.body(true)
		q = "SELECT " + strings.Join(exprs, ", ") + body + " LIMIT ? OFFSET ?"
		args = append(a, plan.Limit, plan.Offset)
	}
	if hint != "" {
		from := " FROM " + quoteIdent(recordTable(orgID, plan.Object)) + " " + b.root()
		if i := strings.Index(q, from); i >= 0 {
			q = q[:i+len(from)] + " INDEXED BY " + quoteIdent(hint) + q[i+len(from):]
		}
	}
	return q, args
}

// indexSet maps the single-column indexes of a table to fields and back.
type indexSet struct {
	byName  map[string]string // lower-case index name → field name
	byField map[string]string // lower-case field name → index name
}

// indexedFields reads the table's single-column, non-partial indexes (PRAGMA index_list /
// index_info): the ones Sync creates (records_sync.go) and the primary key's (the Id). columnField maps a
// column to its field (nil: the column is named as the field).
func (db *DB) indexedFields(ctx context.Context, table string, obj *schema.Object, columnField func(string) (string, bool)) (indexSet, error) {
	set := indexSet{byName: map[string]string{}, byField: map[string]string{}}
	// Partial indexes are left out: the one of soft-deleted rows (records_sync.go, for
	// Count) cannot serve a query of live rows, so IsDeleted stays unindexed as in
	// Salesforce's notes.
	rows, err := db.r.QueryContext(ctx, "SELECT name FROM pragma_index_list(?) WHERE partial = 0", table)
	if err != nil {
		return set, queryErr(obj.Name, err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return set, queryErr(obj.Name, err)
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return set, queryErr(obj.Name, err)
	}
	for _, n := range names {
		var cols []string
		r, err := db.r.QueryContext(ctx, "SELECT name FROM pragma_index_info(?)", n)
		if err != nil {
			return set, queryErr(obj.Name, err)
		}
		for r.Next() {
			var c string
			if err := r.Scan(&c); err != nil {
				r.Close()
				return set, queryErr(obj.Name, err)
			}
			cols = append(cols, c)
		}
		r.Close()
		if len(cols) != 1 {
			continue
		}
		var field string
		if columnField != nil {
			field, _ = columnField(cols[0])
		} else if f, ok := obj.Field(cols[0]); ok {
			field = f.Name
		}
		if field == "" {
			continue // e.g. a Setup table's org_id: no field of the object
		}
		set.byName[strings.ToLower(n)] = field
		if _, dup := set.byField[strings.ToLower(field)]; !dup {
			set.byField[strings.ToLower(field)] = n
		}
	}
	return set, nil
}

// queryPlan runs EXPLAIN QUERY PLAN on q and reads how the root table (root: alias t0,
// or a Setup view's table) is accessed: "SEARCH t0 USING [COVERING] INDEX name (…)" is
// an index lookup; "SCAN t0"
// (in table order, or "USING … INDEX" in index order) a scan. A "USE TEMP B-TREE FOR
// ORDER BY" step means the rows are sorted after they are read.
func (db *DB) queryPlan(ctx context.Context, q string, args []any, root string, indexes indexSet) (records.AccessPath, error) {
	var p records.AccessPath
	if err := checkVariables(args); err != nil {
		return p, err
	}
	rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return p, queryErr("plan", err) // a missing table is records.ErrUnknownObject
	}
	defer rows.Close()
	sorted := false
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return p, fmt.Errorf("sqlite: explain: %w", err)
		}
		switch {
		case strings.HasPrefix(detail, "USE TEMP B-TREE FOR") && strings.Contains(detail, "ORDER BY") && parent == 0:
			sorted = true
		case strings.HasPrefix(detail, "SEARCH "+root+" "):
			// One line per index; several under MULTI-INDEX OR.
			if name, ok := indexName(detail); ok {
				field := indexes.byName[strings.ToLower(name)]
				switch {
				case field == "" || field == p.Index || slices.Contains(p.Union, field):
				case p.Index == "":
					p.Index = field
				default:
					p.Union = append(p.Union, field)
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("sqlite: explain: %w", err)
	}
	p.Ordered = !sorted
	return p, nil
}

// indexName reads the index of "SEARCH t0 USING [COVERING] INDEX name (…)".
func indexName(detail string) (string, bool) {
	for _, marker := range []string{" USING COVERING INDEX ", " USING INDEX "} {
		if i := strings.Index(detail, marker); i >= 0 {
			rest := detail[i+len(marker):]
			if j := strings.IndexByte(rest, ' '); j >= 0 {
				rest = rest[:j]
			}
			return rest, true
		}
	}
	return "", false
}

// objectRows counts the live rows of obj (of the org, for a Setup view).
func (db *DB) objectRows(ctx context.Context, orgID sfid.ID, obj *schema.Object) (int, error) {
	return db.countRows(ctx, orgID, &query.Plan{Object: obj, Limit: -1})
}

// filterOnly is a plan that counts the rows of plan's object passing where (and the
// visibility rule when owner): no columns, order, grouping or limit.
func filterOnly(plan *query.Plan, where query.Cond, owner bool) *query.Plan {
	p := &query.Plan{Object: plan.Object, Where: where, Limit: -1, IncludeDeleted: plan.IncludeDeleted}
	if owner {
		p.OwnerID = plan.OwnerID
	}
	return p
}

// indexTerms groups the top-level AND terms of where that test one field of the root
// object, by lower-case field name: the terms an index on that field can serve.
func indexTerms(where query.Cond) map[string][]query.Cond {
	out := map[string][]query.Cond{}
	for _, c := range conjuncts(where, nil) {
		var p *query.Path
		switch c := c.(type) {
		case *query.Compare:
			p = c.Path
		case *query.In:
			p = c.Path
		}
		if p != nil && len(p.Rels) == 0 && p.Field != nil {
			k := strings.ToLower(p.Field.Name)
			out[k] = append(out[k], c)
		}
	}
	return out
}

func conjuncts(c query.Cond, out []query.Cond) []query.Cond {
	if a, ok := c.(*query.And); ok {
		return conjuncts(a.R, conjuncts(a.L, out))
	}
	if c != nil {
		out = append(out, c)
	}
	return out
}

func andAll(cs []query.Cond) query.Cond {
	var out query.Cond
	for _, c := range cs {
		if out == nil {
			out = c
		} else {
			out = &query.And{L: out, R: c}
		}
	}
	return out
}

// filterFields lists the fields of the root object that where tests, in order, once each.
func filterFields(where query.Cond) []string {
	var out []string
	var walk func(c query.Cond)
	add := func(p *query.Path) {
		if p != nil && len(p.Rels) == 0 && p.Field != nil && !hasFold(out, p.Field.Name) {
			out = append(out, p.Field.Name)
		}
	}
	walk = func(c query.Cond) {
		switch c := c.(type) {
		case *query.And:
			walk(c.L)
			walk(c.R)
		case *query.Or:
			walk(c.L)
			walk(c.R)
		case *query.Not:
			walk(c.X)
		case *query.Compare:
			add(c.Path)
		case *query.In:
			add(c.Path)
		}
	}
	walk(where)
	return out
}

func hasFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
