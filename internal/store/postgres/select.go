package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Query runs plan and returns rows offset … offset+limit-1 of its result
// (records.Store.Query); limit ≤ 0 means no page limit. Paging re-runs the query with a
// larger offset, so the order is made total with the Id (or the group keys) as the last
// ORDER BY term.
//
// Result.Total is the number of rows of the whole query, after the plan's own LIMIT and
// OFFSET. It costs no second query when the first page is not full; otherwise a
// SELECT COUNT(*) over the same FROM/WHERE answers it.
//
// Statements go through the pgx pool, not database/sql: pgx prepares each statement text
// once per connection and keeps it (its statement cache), and the compiler's text
// depends on the plan's shape only (values are parameters, IN lists one array), so a
// repeated query is parsed and planned once per connection.
func (db *DB) Query(ctx context.Context, orgID sfid.ID, plan *query.Plan, offset, limit int) (*records.Result, error) {
	if plan == nil || plan.Object == nil {
		return nil, errors.New("postgres: query: no plan")
	}
	if offset < 0 {
		offset = 0
	}
	res := &records.Result{Rows: []records.Row{}}
	if plan.CountOnly {
		n, err := db.countRows(ctx, orgID, plan)
		if err != nil {
			return nil, err
		}
		res.Total = n
		return res, nil
	}
	take := -1
	if plan.Limit >= 0 {
		take = max(plan.Limit-offset, 0)
	}
	if limit > 0 && (take < 0 || limit < take) {
		take = limit
	}
	if take != 0 {
		rows, err := db.selectRows(ctx, orgID, plan, plan.Offset+offset, take)
		if err != nil {
			return nil, err
		}
		res.Rows = rows
	}
	if offset == 0 && (limit <= 0 || len(res.Rows) < limit) {
		res.Total = len(res.Rows)
	} else {
		n, err := db.countRows(ctx, orgID, plan)
		if err != nil {
			return nil, err
		}
		res.Total = n
	}
	if len(plan.Subqueries) > 0 && len(res.Rows) > 0 {
		if err := db.fillChildren(ctx, orgID, plan, res.Rows); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// selectSQL is the plan's SELECT for rows skip … skip+take-1 (take < 0: all), with its
// arguments.
func selectSQL(orgID sfid.ID, plan *query.Plan, skip, take int) (string, []any, []int, error) {
	b := newSelectBuilder(orgID, plan, "")
	exprs := b.selectList(plan.Columns)
	body, args := b.body(true)
	q := "SELECT " + strings.Join(exprs, ", ") + body + " LIMIT ? OFFSET ?"
	args = append(args, limitArg(take), skip)
	if err := checkVariables(args); err != nil {
		return "", nil, nil, err
	}
	return rebind(q), args, b.pos, nil
}

// selectRows runs the plan's SELECT for rows skip … skip+take-1 (take < 0: all).
func (db *DB) selectRows(ctx context.Context, orgID sfid.ID, plan *query.Plan, skip, take int) ([]records.Row, error) {
	q, args, pos, err := selectSQL(orgID, plan, skip, take)
	if err != nil {
		return nil, err
	}
	out := []records.Row{}
	err = db.eachRow(ctx, plan, q, args, plan.Columns, 0, pos, func(vals []any) error {
		out = append(out, records.Row{Values: vals})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachRow runs q and calls fn with every row decoded by scanColumns(cols, extra).
func (db *DB) eachRow(ctx context.Context, plan *query.Plan, q string, args []any, cols []query.Column, extra int, pos []int, fn func([]any) error) error {
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return queryErr(plan.Object.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := scanColumns(rows, cols, extra, pos)
		if err != nil {
			return queryErr(plan.Object.Name, err)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return queryErr(plan.Object.Name, err)
	}
	return nil
}

// countRows counts the rows of the whole query, within its LIMIT and OFFSET.
func (db *DB) countRows(ctx context.Context, orgID sfid.ID, plan *query.Plan) (int, error) {
	b := newSelectBuilder(orgID, plan, "")
	body, args := b.body(false)
	var q string
	if plan.Limit < 0 && plan.Offset == 0 && !plan.Aggregate {
		q = "SELECT COUNT(*)" + body
	} else {
		q = "SELECT COUNT(*) FROM (SELECT 1" + body + " LIMIT ? OFFSET ?) q"
		args = append(args, limitArg(plan.Limit), plan.Offset)
	}
	if err := checkVariables(args); err != nil {
		return 0, err
	}
	var n int
	if err := db.pool.QueryRow(ctx, rebind(q), args...).Scan(&n); err != nil {
		return 0, queryErr(plan.Object.Name, err)
	}
	return n, nil
}

// queryErr wraps a query's error; a missing table or view (an object the org's storage
// has not been synced with: undefined_table) is records.ErrUnknownObject.
func queryErr(object string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" {
		return fmt.Errorf("postgres: query %s: %w", object, records.ErrUnknownObject)
	}
	return fmt.Errorf("postgres: query %s: %w", object, err)
}

// Scan runs plan and calls fn with each row as it is read (records.Store.Scan): one
// statement, no paging. pgx reads the rows from the connection as fn takes them, so
// nothing is held but the current row (PostgreSQL sorts past work_mem on disk, not in
// this process).
func (db *DB) Scan(ctx context.Context, orgID sfid.ID, plan *query.Plan, fn func(records.Row) error) error {
	if plan == nil || plan.Object == nil {
		return errors.New("postgres: scan: no plan")
	}
	if len(plan.Subqueries) > 0 || plan.CountOnly {
		return errors.New("postgres: scan: child subqueries and COUNT() are not scanned")
	}
	q, args, pos, err := selectSQL(orgID, plan, plan.Offset, plan.Limit)
	if err != nil {
		return err
	}
	return db.eachRow(ctx, plan, q, args, plan.Columns, 0, pos, func(vals []any) error {
		return fn(records.Row{Values: vals})
	})
}
