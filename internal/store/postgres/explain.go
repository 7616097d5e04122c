package postgres

// Explain (records.Store.Explain): the plan PostgreSQL itself chooses for the SQL that
// Query would run, read with EXPLAIN (FORMAT JSON) (PostgreSQL docs, "EXPLAIN"), mapped
// to records.Explanation as SQLite's explain.go maps EXPLAIN QUERY PLAN, plus row counts.
//
// The plan is asked for with enable_seqscan off (PostgreSQL docs §20.7.1), in a read-only
// transaction of its own: a table scan is then PostgreSQL's last resort rather than its
// first choice. The answer is the plan of a table past a few pages — on a table of one
// page PostgreSQL reads every row, whatever the filter, which says nothing about the
// filter's selectivity, the question /query?explain= answers (salesforce-rest-more.md
// §6). With no index usable, the plan is still a scan.
//
// Alternatives: PostgreSQL has no hint to force one index (SQLite's INDEXED BY), so the
// other paths are the indexes on fields that a top-level AND term of the filter tests
// with an operator a B-tree serves (=, IN, <, <=, >, >=, LIKE), and OwnerId's for the
// visibility rule; each with the rows its terms match, counted by the database.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Explain reports how Query would run plan (see above and records.Explanation).
func (db *DB) Explain(ctx context.Context, orgID sfid.ID, plan *query.Plan) (*records.Explanation, error) {
	if plan == nil || plan.Object == nil {
		return nil, fmt.Errorf("postgres: explain: no plan")
	}
	obj := plan.Object
	// A data object's rows are its table, aliased t0. A Setup object's are a view that
	// PostgreSQL flattens: the plan names the view's table, whose columns map to fields
	// through the view's expressions (records_setup.go).
	table, root := recordTable(orgID, obj), "t0"
	var columnField func(col string) (string, bool)
	if obj.Setup {
		v, ok := setupViews[strings.ToLower(obj.Name)]
		if !ok {
			return nil, fmt.Errorf("postgres: explain %s: %w", obj.Name, records.ErrUnknownObject)
		}
		table, root = v.from, ""
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
	chosen, err := db.queryPlan(ctx, orgID, plan, table, root, indexes)
	if err != nil {
		return nil, err
	}
	ex := &records.Explanation{}
	if ex.ObjectRows, err = db.countRows(ctx, orgID, &query.Plan{Object: obj, Limit: -1}); err != nil {
		return nil, err
	}
	if ex.Matches, err = db.countRows(ctx, orgID, filterOnly(plan, plan.Where, true)); err != nil {
		return nil, err
	}
	terms := indexTerms(plan.Where)
	ownerRule := plan.OwnerID != ""
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

	// The other indexes the filter's terms (or the visibility rule) can search.
	var candidates []string
	for _, field := range filterFields(plan.Where) {
		if searchable(terms[strings.ToLower(field)]) {
			candidates = append(candidates, field)
		}
	}
	if ownerRule {
		candidates = append(candidates, "OwnerId")
	}
	seen := map[string]bool{strings.ToLower(chosen.Index): true}
	for _, u := range chosen.Union {
		seen[strings.ToLower(u)] = true
	}
	for _, field := range candidates {
		lower := strings.ToLower(field)
		if _, ok := indexes.byField[lower]; seen[lower] || !ok {
			continue
		}
		seen[lower] = true
		alt := records.AccessPath{Index: indexes.field[lower]}
		if alt.Rows, err = rowsOf(field); err != nil {
			return nil, err
		}
		alt.Sharing = sharing(field)
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

// searchable reports whether a B-tree index on the field can serve one of terms.
func searchable(terms []query.Cond) bool {
	for _, c := range terms {
		switch c := c.(type) {
		case *query.Compare:
			switch c.Op {
			case "=", "<", "<=", ">", ">=", "IN":
				if len(c.Values) > 0 && c.Values[0] != nil {
					return true
				}
			case "LIKE":
				if s, _ := c.Values[0].(string); s != "" && s[0] != '%' && s[0] != '_' {
					return true
				}
			}
		case *query.In:
			if !c.Not {
				return true
			}
		}
	}
	return false
}

// indexSet maps the single-key, non-partial indexes of a table to fields and back.
type indexSet struct {
	byName  map[string]string // index name → field name
	byField map[string]string // lower-case field name → index name
	field   map[string]string // lower-case field name → field name
}

// indexedFields reads the table's single-key indexes (pg_index): those Sync creates on a
// column or on lower(column) (records_sync.go), and the primary key's (the Id). Partial
// indexes other than the live-row unique ones are left out: the one of soft-deleted rows
// (for Count) cannot serve a query of live rows, so IsDeleted stays unindexed, as in
// Salesforce's notes and on SQLite. columnField maps a column to its field (nil: the
// column is named as the field).
func (db *DB) indexedFields(ctx context.Context, table string, obj *schema.Object, columnField func(string) (string, bool)) (indexSet, error) {
	set := indexSet{byName: map[string]string{}, byField: map[string]string{}, field: map[string]string{}}
	rows, err := db.pool.Query(ctx, `SELECT c.relname, pg_get_indexdef(x.indexrelid, 1, true), COALESCE(pg_get_expr(x.indpred, x.indrelid), '')
		FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_am a ON a.oid = c.relam
		WHERE x.indrelid = to_regclass($1) AND x.indnkeyatts = 1 AND a.amname = 'btree'
		ORDER BY c.relname`, quoteIdent(table))
	if err != nil {
		return set, queryErr(obj.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, key, pred string
		if err := rows.Scan(&name, &key, &pred); err != nil {
			return set, queryErr(obj.Name, err)
		}
		if pred != "" && pred != `NOT "IsDeleted"` {
			continue
		}
		col := strings.TrimSuffix(strings.TrimPrefix(key, "lower("), ")")
		col = strings.TrimSuffix(col, "::text")
		col = strings.Trim(col, `"`)
		var field string
		if columnField != nil {
			field, _ = columnField(col)
		} else if f, ok := obj.Field(col); ok {
			field = f.Name
		}
		if field == "" {
			continue // e.g. a Setup table's org_id: no field of the object
		}
		set.byName[name] = field
		if _, dup := set.byField[strings.ToLower(field)]; !dup {
			set.byField[strings.ToLower(field)] = name
			set.field[strings.ToLower(field)] = field
		}
	}
	if err := rows.Err(); err != nil {
		return set, queryErr(obj.Name, err)
	}
	if len(set.byName) == 0 && !obj.Setup {
		// No index at all: the table may not exist (an object without storage).
		var ok bool
		if err := db.pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", quoteIdent(table)).Scan(&ok); err != nil {
			return set, queryErr(obj.Name, err)
		}
		if !ok {
			return set, fmt.Errorf("postgres: explain %s: %w", obj.Name, records.ErrUnknownObject)
		}
	}
	return set, nil
}

// planNode is one node of EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType  string     `json:"Node Type"`
	Relation  string     `json:"Relation Name"`
	Alias     string     `json:"Alias"`
	IndexName string     `json:"Index Name"`
	IndexCond string     `json:"Index Cond"`
	Plans     []planNode `json:"Plans"`
}

// queryPlan asks PostgreSQL for the plan of the statement Query runs for plan and reads
// how the root table (alias root, or a Setup view's table when root is "") is read: an
// Index Scan with an Index Cond, or a Bitmap Heap Scan over Bitmap Index Scans (several
// under a BitmapOr: a union), searches an index; a Seq Scan, or an index read in order
// without a condition, scans. A Sort node means the rows are sorted after they are read.
func (db *DB) queryPlan(ctx context.Context, orgID sfid.ID, plan *query.Plan, table, root string, indexes indexSet) (records.AccessPath, error) {
	var p records.AccessPath
	var q string
	var args []any
	if plan.CountOnly {
		body, a := newSelectBuilder(orgID, plan, "").body(false)
		q, args = rebind("SELECT COUNT(*)"+body), a
	} else {
		var err error
		if q, args, _, err = selectSQL(orgID, plan, plan.Offset, plan.Limit); err != nil {
			return p, err
		}
	}
	if err := checkVariables(args); err != nil {
		return p, err
	}
	var out []byte
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+q, args...).Scan(&out)
	})
	if err != nil {
		return p, queryErr(plan.Object.Name, err) // a missing table is records.ErrUnknownObject
	}
	var doc []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc) == 0 {
		return p, fmt.Errorf("postgres: explain: %v", err)
	}
	sorted := false
	var walk func(n *planNode)
	walk = func(n *planNode) {
		if n.NodeType == "Sort" || n.NodeType == "Incremental Sort" {
			sorted = true
		}
		if n.Relation == table && (root == "" || n.Alias == root) && p.Index == "" {
			switch n.NodeType {
			case "Index Scan", "Index Only Scan":
				if n.IndexCond != "" {
					p.Index = indexes.byName[n.IndexName]
				}
			case "Bitmap Heap Scan":
				var names []string
				var bitmaps func(b *planNode)
				bitmaps = func(b *planNode) {
					if b.NodeType == "Bitmap Index Scan" {
						names = append(names, b.IndexName)
					}
					if b.NodeType == "BitmapAnd" && len(b.Plans) > 0 {
						bitmaps(&b.Plans[0]) // the first index narrows, the others filter
						return
					}
					for i := range b.Plans {
						bitmaps(&b.Plans[i])
					}
				}
				for i := range n.Plans {
					bitmaps(&n.Plans[i])
				}
				for _, name := range names {
					field := indexes.byName[name]
					switch {
					case field == "" || field == p.Index || hasFold(p.Union, field):
					case p.Index == "":
						p.Index = field
					default:
						p.Union = append(p.Union, field)
					}
				}
			}
		}
		for i := range n.Plans {
			walk(&n.Plans[i])
		}
	}
	walk(&doc[0].Plan)
	// A scan without an ORDER BY of the query's own reads in Id order through the primary
	// key when a LIMIT makes stopping early cheaper than sorting — which PostgreSQL does
	// once the table is past a few pages; on a small table it sorts the one page instead.
	// The primary key always offers that order, so the path counts as ordered, as SQLite's
	// rowid scan does (the e2e TestExplain "limit" case, from the reference's capture).
	idOrder := len(plan.OrderBy) == 0 && !plan.Aggregate && !plan.CountOnly && p.Index == ""
	p.Ordered = !sorted || idOrder
	return p, nil
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
