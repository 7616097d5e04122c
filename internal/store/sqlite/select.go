package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Query runs plan on the read pool and returns rows offset … offset+limit-1 of its
// result (records.Store.Query); limit ≤ 0 means no page limit. Paging re-runs the query
// with a larger offset, so the order is made total with the Id (or the group keys) as
// the last ORDER BY term.
//
// Result.Total is the number of rows of the whole query, after the plan's own LIMIT and
// OFFSET. It costs no second query when the first page is not full; otherwise a
// SELECT COUNT(*) over the same FROM/WHERE answers it.
func (db *DB) Query(ctx context.Context, orgID sfid.ID, plan *query.Plan, offset, limit int) (*records.Result, error) {
	if plan == nil || plan.Object == nil {
		return nil, errors.New("sqlite: query: no plan")
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

// selectRows runs the plan's SELECT for rows skip … skip+take-1 (take < 0: all).
func (db *DB) selectRows(ctx context.Context, orgID sfid.ID, plan *query.Plan, skip, take int) ([]records.Row, error) {
	b := newSelectBuilder(orgID, plan, "")
	exprs := b.selectList(plan.Columns)
	body, args := b.body(true)
	q := "SELECT " + strings.Join(exprs, ", ") + body + " LIMIT ? OFFSET ?"
	args = append(args, take, skip)
	if err := checkVariables(args); err != nil {
		return nil, err
	}
	rows, err := db.rc.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, queryErr(plan.Object.Name, err)
	}
	defer rows.Close()
	var out []records.Row
	for rows.Next() {
		vals, err := scanColumns(rows, plan.Columns, 0)
		if err != nil {
			return nil, queryErr(plan.Object.Name, err)
		}
		out = append(out, records.Row{Values: vals})
	}
	if err := rows.Err(); err != nil {
		return nil, queryErr(plan.Object.Name, err)
	}
	if out == nil {
		out = []records.Row{}
	}
	return out, nil
}

// countRows counts the rows of the whole query, within its LIMIT and OFFSET.
func (db *DB) countRows(ctx context.Context, orgID sfid.ID, plan *query.Plan) (int, error) {
	b := newSelectBuilder(orgID, plan, "")
	body, args := b.body(false)
	var q string
	if plan.Limit < 0 && plan.Offset == 0 && !plan.Aggregate {
		q = "SELECT COUNT(*)" + body
	} else {
		q = "SELECT COUNT(*) FROM (SELECT 1" + body + " LIMIT ? OFFSET ?)"
		args = append(args, plan.Limit, plan.Offset)
	}
	var n int
	if err := checkVariables(args); err != nil {
		return 0, err
	}
	if err := db.rc.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, queryErr(plan.Object.Name, err)
	}
	return n, nil
}

// queryErr wraps a query's error; a missing table (an object the org's storage has not
// been synced with) is records.ErrUnknownObject.
func queryErr(object string, err error) error {
	if strings.Contains(err.Error(), "no such table") {
		return fmt.Errorf("sqlite: query %s: %w", object, records.ErrUnknownObject)
	}
	return fmt.Errorf("sqlite: query %s: %w", object, err)
}

// Scan runs plan on the read pool and calls fn with each row as it is read
// (records.Store.Scan): one statement, no paging, nothing held but the current row.
func (db *DB) Scan(ctx context.Context, orgID sfid.ID, plan *query.Plan, fn func(records.Row) error) error {
	if plan == nil || plan.Object == nil {
		return errors.New("sqlite: scan: no plan")
	}
	if len(plan.Subqueries) > 0 || plan.CountOnly {
		return errors.New("sqlite: scan: child subqueries and COUNT() are not scanned")
	}
	b := newSelectBuilder(orgID, plan, "")
	exprs := b.selectList(plan.Columns)
	body, args := b.body(true)
	q := "SELECT " + strings.Join(exprs, ", ") + body + " LIMIT ? OFFSET ?"
	args = append(args, plan.Limit, plan.Offset)
	if err := checkVariables(args); err != nil {
		return err
	}
	// A scan sorts its whole result (ORDER BY, at least by Id), and the read pool keeps
	// temporary data in memory (temp_store): a Bulk query over a million Accounts held a
	// ~300 MB sorter. On its own connection, the scan lets SQLite spill the sort to
	// temporary files past its in-memory budget, so the server's memory stays flat; the
	// rows and their order are the same. It also lowers the connection's page cache
	// (which bounds the sorter's memory too) to scanCacheSize while it runs: a scan reads
	// each page about once, so a large cache buys it little.
	conn, err := db.r.Conn(ctx)
	if err != nil {
		return queryErr(plan.Object.Name, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA temp_store = FILE; PRAGMA cache_size = %d", scanCacheSize)); err != nil {
		return fmt.Errorf("sqlite: scan: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA temp_store = MEMORY; PRAGMA cache_size = %d", readCacheSize)) //nolint:errcheck // as the pool opened it
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return queryErr(plan.Object.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := scanColumns(rows, plan.Columns, 0)
		if err != nil {
			return queryErr(plan.Object.Name, err)
		}
		if err := fn(records.Row{Values: vals}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return queryErr(plan.Object.Name, err)
	}
	return nil
}
