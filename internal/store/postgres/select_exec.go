package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// scanColumns reads one row of cols (a compound column is one SQL column per part, see
// selectList) followed by extra values, and decodes the cols into storage form; the
// result has len(cols)+extra values, the extra ones as pgx returned them (text as
// string, bigint as int64, boolean as bool, double precision as float64).
func scanColumns(rows pgx.Rows, cols []query.Column, extra int, pos []int) ([]any, error) {
	raw, err := rows.Values()
	if err != nil {
		return nil, err
	}
	if pos != nil {
		raw = expandRow(raw, pos)
	}
	compound := false
	for i := range cols {
		if columnParts(&cols[i]) != nil {
			compound = true
			break
		}
	}
	if !compound {
		if len(raw) != len(cols)+extra {
			return nil, fmt.Errorf("postgres: %d columns read, %d expected", len(raw), len(cols)+extra)
		}
		for i := range cols {
			raw[i] = decodeColumn(&cols[i], raw[i])
		}
		return raw, nil
	}
	out := make([]any, len(cols)+extra)
	at := 0
	for i := range cols {
		if parts := columnParts(&cols[i]); parts != nil {
			if at+len(parts) > len(raw) {
				return nil, fmt.Errorf("postgres: %d columns read, more expected", len(raw))
			}
			out[i] = compoundValue(parts, raw[at:at+len(parts)])
			at += len(parts)
			continue
		}
		out[i] = decodeColumn(&cols[i], raw[at])
		at++
	}
	copy(out[len(cols):], raw[at:])
	return out, nil
}

// decodeColumn converts a column value to storage form: fields by their type, COUNT
// and COUNT_DISTINCT as int64, SUM and AVG as float64, MIN and MAX as the field.
func decodeColumn(c *query.Column, v any) any {
	if v == nil {
		return nil
	}
	switch c.Agg {
	case "":
		return fromSQL(c.Path.Field, v)
	case "COUNT", "COUNT_DISTINCT":
		switch x := v.(type) {
		case int64:
			return x
		case int32:
			return int64(x)
		case float64:
			return int64(x)
		}
	case "SUM", "AVG":
		switch x := v.(type) {
		case int64:
			return float64(x)
		case float64:
			return x
		}
	case "MIN", "MAX":
		return fromSQL(c.AggArg.Field, v)
	}
	return v
}

// childChunk is how many parent Ids one child query takes (one array parameter).
const childChunk = 1000

// fillChildren runs each child subquery once for all the parent rows of the page (in
// chunks of childChunk) and hands every parent its children. The per-parent ORDER BY,
// LIMIT and OFFSET are applied in SQL with ROW_NUMBER() over a partition by the
// relationship field. A parent without children keeps a nil entry (the shaper renders
// null).
func (db *DB) fillChildren(ctx context.Context, orgID sfid.ID, plan *query.Plan, parents []records.Row) error {
	idx := rootIDColumn(plan)
	if idx < 0 {
		return fmt.Errorf("postgres: query %s: child subqueries need the Id column", plan.Object.Name)
	}
	ids := make([]string, 0, len(parents))
	for i := range parents {
		parents[i].Children = make([][]records.Row, len(plan.Subqueries))
		if id, ok := parents[i].Values[idx].(string); ok {
			ids = append(ids, id)
		}
	}
	for si, sub := range plan.Subqueries {
		byParent := map[string][]records.Row{}
		for start := 0; start < len(ids); start += childChunk {
			chunk, err := db.childRows(ctx, orgID, sub, ids[start:min(start+childChunk, len(ids))])
			if err != nil {
				return err
			}
			for id, rows := range chunk {
				byParent[id] = rows
			}
		}
		for i := range parents {
			if id, ok := parents[i].Values[idx].(string); ok {
				parents[i].Children[si] = byParent[id]
			}
		}
	}
	return nil
}

// childRows runs one child subquery for the parents ids, grouped by parent Id.
func (db *DB) childRows(ctx context.Context, orgID sfid.ID, sub *query.Subquery, ids []string) (map[string][]records.Row, error) {
	cp := sub.Plan
	out := map[string][]records.Row{}
	if len(ids) == 0 {
		return out, nil
	}
	relField, ok := cp.Object.Field(sub.Relationship.Field)
	if !ok {
		return nil, fmt.Errorf("postgres: query %s: no field %s", cp.Object.Name, sub.Relationship.Field)
	}
	b := newSelectBuilder(orgID, cp, "")
	rel := b.root() + "." + quoteIdent(relField.Name)
	exprs := make([]string, 0, len(cp.Columns)+2)
	outer := make([]string, 0, len(cp.Columns)+1)
	for i, e := range b.selectList(cp.Columns) {
		exprs = append(exprs, e+" AS c"+strconv.Itoa(i))
		outer = append(outer, "c"+strconv.Itoa(i))
	}
	exprs = append(exprs, rel+" AS _p", "ROW_NUMBER() OVER (PARTITION BY "+rel+" ORDER BY "+b.orderBy()+") AS _rn")
	outer = append(outer, "_p")
	b.extra = rel + " = ANY(?)"
	b.extraArgs = []any{ids}
	body, args := b.body(false)
	q := "SELECT " + strings.Join(outer, ", ") + " FROM (SELECT " + strings.Join(exprs, ", ") + body + ") c WHERE _rn > ?"
	args = append(args, cp.Offset)
	if cp.Limit >= 0 {
		q += " AND _rn <= ?"
		args = append(args, cp.Offset+cp.Limit)
	}
	q += " ORDER BY _p, _rn"
	if err := checkVariables(args); err != nil {
		return nil, err
	}
	err := db.eachRow(ctx, cp, rebind(q), args, cp.Columns, 1, b.pos, func(vals []any) error {
		p, _ := fromSQL(relField, vals[len(cp.Columns)]).(string)
		out[p] = append(out[p], records.Row{Values: vals[:len(cp.Columns)]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rootIDColumn is the index of the root object's Id column, or -1.
func rootIDColumn(plan *query.Plan) int {
	for i, c := range plan.Columns {
		if c.Agg == "" && c.Path != nil && len(c.Path.Rels) == 0 && c.Path.Field.Name == "Id" {
			return i
		}
	}
	return -1
}

// expandRow undoes selectList's deduplication: pos[i] is the place of SQL column i in raw;
// the values after the deduplicated list (the caller's extra columns) follow unchanged.
func expandRow(raw []any, pos []int) []any {
	n := 0
	for _, p := range pos {
		n = max(n, p+1)
	}
	if n > len(raw) {
		return raw // not a row of this list; scanColumns reports the count
	}
	out := make([]any, len(pos), len(pos)+len(raw)-n)
	for i, p := range pos {
		out[i] = raw[p]
	}
	return append(out, raw[n:]...)
}
