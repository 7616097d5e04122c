package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// scanColumns scans one row of cols (a compound column is one SQL column per part, see
// selectList) followed by extra values, and decodes the cols into storage form; the
// result has len(cols)+extra values, the extra ones as SQLite returned them.
func scanColumns(rows *sql.Rows, cols []query.Column, extra int) ([]any, error) {
	width, compound := extra, false
	for i := range cols {
		if parts := columnParts(&cols[i]); parts != nil {
			width += len(parts)
			compound = true
		} else {
			width++
		}
	}
	raw := make([]any, width)
	ptrs := make([]any, width)
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	if !compound {
		for i := range cols {
			raw[i] = decodeColumn(&cols[i], raw[i])
		}
		return raw, nil
	}
	out := make([]any, len(cols)+extra)
	at := 0
	for i := range cols {
		if parts := columnParts(&cols[i]); parts != nil {
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

// childChunk is how many parent Ids one child query takes.
const childChunk = 1000

// fillChildren runs each child subquery once for all the parent rows of the page (in
// chunks of childChunk) and hands every parent its children. The per-parent ORDER BY,
// LIMIT and OFFSET are applied in SQL with ROW_NUMBER() over a partition by the relationship field. A parent without
// children keeps a nil entry (the shaper renders null).
func (db *DB) fillChildren(ctx context.Context, orgID sfid.ID, plan *query.Plan, parents []records.Row) error {
	idx := rootIDColumn(plan)
	if idx < 0 {
		return fmt.Errorf("sqlite: query %s: child subqueries need the Id column", plan.Object.Name)
	}
	ids := make([]any, 0, len(parents))
	for i := range parents {
		parents[i].Children = make([][]records.Row, len(plan.Subqueries))
		if id, ok := parents[i].Values[idx].(string); ok {
			ids = append(ids, id)
		}
	}
	for si, sub := range plan.Subqueries {
		byParent := map[string][]records.Row{}
		// Chunks keep the parameter count far below SQLite's limit when the page is large.
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
func (db *DB) childRows(ctx context.Context, orgID sfid.ID, sub *query.Subquery, ids []any) (map[string][]records.Row, error) {
	cp := sub.Plan
	out := map[string][]records.Row{}
	if len(ids) == 0 {
		return out, nil
	}
	relField, ok := cp.Object.Field(sub.Relationship.Field)
	if !ok {
		return nil, fmt.Errorf("sqlite: query %s: no field %s", cp.Object.Name, sub.Relationship.Field)
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
	b.extra = rel + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	b.extraArgs = ids
	body, args := b.body(false)
	q := "SELECT " + strings.Join(outer, ", ") + " FROM (SELECT " + strings.Join(exprs, ", ") + body + ") WHERE _rn > ?"
	args = append(args, cp.Offset)
	if cp.Limit >= 0 {
		q += " AND _rn <= ?"
		args = append(args, cp.Offset+cp.Limit)
	}
	q += " ORDER BY _p, _rn"
	if err := checkVariables(args); err != nil {
		return nil, err
	}
	rows, err := db.rc.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, queryErr(cp.Object.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := scanColumns(rows, cp.Columns, 1)
		if err != nil {
			return nil, queryErr(cp.Object.Name, err)
		}
		p, _ := fromSQL(relField, vals[len(cp.Columns)]).(string)
		out[p] = append(out[p], records.Row{Values: vals[:len(cp.Columns)]})
	}
	if err := rows.Err(); err != nil {
		return nil, queryErr(cp.Object.Name, err)
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
