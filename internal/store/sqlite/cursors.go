package sqlite

// Query cursors (records.Cursors; tables in migrations/0011_cursors_file_secrets.sql).
// Opening a snapshot cursor runs one SELECT of the plan's root IDs in the plan's order
// (made total by the Id, as for paging; the plan's LIMIT and OFFSET applied) on the read
// pool — one statement sees one consistent state of the org — and stores them as it
// reads them, in chunks of cursorChunk comma-separated IDs (snapshotIDs). (Grouping the
// chunks inside SQLite with group_concat … GROUP BY was tried: its two temporary
// B-trees made it slower than streaming the IDs through Go.) A page reads the one or two
// chunks holding its positions and runs the plan restricted to those IDs
// (t0.Id IN json_each(?)), which costs the same at position 0 and at position 999,000:
// unlike OFFSET paging, nothing before the page is read again.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

var _ records.Cursors = (*DB)(nil)

// cursorChunk is how many IDs one query_cursor_ids row holds: a page (at most 2000
// rows) spans at most two chunks. (A variable so that tests can cross chunk boundaries
// with a few rows.)
var cursorChunk = 2000

// OpenCursor stores c and, for a snapshot cursor, its plan's root IDs in order.
func (db *DB) OpenCursor(ctx context.Context, c *records.Cursor, plan *query.Plan, perUser int) error {
	var snap string
	var snapArgs []any
	if c.Snapshot {
		if plan == nil || plan.Object == nil || plan.Aggregate || plan.CountOnly {
			return errors.New("sqlite: open cursor: a snapshot needs a plan of rows with IDs")
		}
		b := newSelectBuilder(c.OrgID, plan, "")
		body, args := b.body(true)
		snap = "SELECT " + b.root() + `."Id"` + body + " LIMIT ? OFFSET ?"
		snapArgs = append(args, plan.Limit, plan.Offset)
		if err := checkVariables(snapArgs); err != nil {
			return err
		}
	}
	c.Used = c.Used.UTC().Truncate(time.Millisecond)
	c.Now = c.Now.UTC().Truncate(time.Millisecond)
	if err := db.write(ctx, func(w *wtx) error {
		if perUser > 0 {
			// Salesforce releases the oldest of a user's cursors when they open one more
			// than allowed (SOAP API Developer Guide, QueryLocator).
			if _, err := w.tx.ExecContext(ctx, `DELETE FROM query_cursors WHERE key IN (
				SELECT key FROM query_cursors WHERE org_id = ? AND user_id = ?
				ORDER BY used_ms DESC, key LIMIT -1 OFFSET ?)`, c.OrgID, c.UserID, perUser-1); err != nil {
				return fmt.Errorf("sqlite: open cursor: %w", err)
			}
		}
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO query_cursors
			(key, org_id, user_id, soql, all_rows, batch, now_ms, snapshot, total, used_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Key, c.OrgID, c.UserID, c.Query, c.All, c.Batch, c.Now.UnixMilli(), c.Snapshot, c.Total, c.Used.UnixMilli()); err != nil {
			return fmt.Errorf("sqlite: open cursor: %w", err)
		}
		return nil
	}); err != nil || !c.Snapshot {
		return err
	}
	total, err := db.snapshotIDs(ctx, c.Key, snap, snapArgs)
	if err != nil {
		db.CloseCursor(context.WithoutCancel(ctx), c.Key) //nolint:errcheck // best effort: the sweep removes it otherwise
		return queryErr(plan.Object.Name, err)
	}
	c.Total = total
	return nil
}

// snapshotFlush is how many chunks (of cursorChunk IDs) one write transaction of a
// snapshot stores: 100,000 IDs, about 2 MB.
var snapshotFlush = 50

// snapshotIDs runs the ID query snap on the read pool — one statement, so one
// consistent state of the org — and stores its IDs under key in chunks of cursorChunk,
// snapshotFlush chunks per write transaction, then the total. The writer is taken only
// for these short writes: reading a million IDs in the plan's order takes seconds, and
// holding the single writer that long would stall every other write of the server.
func (db *DB) snapshotIDs(ctx context.Context, key, snap string, args []any) (int, error) {
	rows, err := db.r.QueryContext(ctx, snap, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	type chunk struct {
		seq, n int
		ids    string
	}
	var pending []chunk
	store := func(total int) error { // total < 0: more to come
		err := db.write(ctx, func(w *wtx) error {
			for _, ch := range pending {
				if _, err := w.tx.ExecContext(ctx, "INSERT INTO query_cursor_ids (key, chunk, n, ids) VALUES (?, ?, ?, ?)",
					key, ch.seq, ch.n, ch.ids); err != nil {
					return err // a cursor released meanwhile fails its foreign key
				}
			}
			if total >= 0 {
				_, err := w.tx.ExecContext(ctx, "UPDATE query_cursors SET total = ? WHERE key = ?", total, key)
				return err
			}
			return nil
		})
		pending = pending[:0]
		return err
	}
	var buf []byte
	n, total, seq := 0, 0, 0
	var id sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		if n > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, id...)
		n++
		total++
		if n == cursorChunk {
			pending = append(pending, chunk{seq, n, string(buf)})
			buf, n, seq = buf[:0], 0, seq+1
			if len(pending) == snapshotFlush {
				if err := store(-1); err != nil {
					return 0, err
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if n > 0 {
		pending = append(pending, chunk{seq, n, string(buf)})
	}
	return total, store(total)
}

// Cursor finds a cursor of org's user that has not been idle too long, and marks it
// used. The mark is a write, and a write makes every read connection drop its page cache
// (and waits for the single writer): it is skipped while the stored mark is less than
// idle/30 old (30 seconds of 15 minutes), as records.Cursors allows.
func (db *DB) Cursor(ctx context.Context, orgID, userID sfid.ID, key string, now time.Time, idle time.Duration) (*records.Cursor, error) {
	now = now.UTC().Truncate(time.Millisecond)
	c := &records.Cursor{Key: key, OrgID: orgID, UserID: userID}
	var nowMS, usedMS int64
	err := db.rc.QueryRowContext(ctx, `SELECT soql, all_rows, batch, now_ms, snapshot, total, used_ms FROM query_cursors
		WHERE key = ? AND org_id = ? AND user_id = ? AND used_ms >= ?`,
		key, orgID, userID, now.Add(-idle).UnixMilli()).
		Scan(&c.Query, &c.All, &c.Batch, &nowMS, &c.Snapshot, &c.Total, &usedMS)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: cursor %q: %w", key, records.ErrNoCursor)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: cursor %q: %w", key, err)
	}
	c.Now, c.Used = time.UnixMilli(nowMS).UTC(), time.UnixMilli(usedMS).UTC()
	if now.Sub(c.Used) < idle/30 {
		return c, nil
	}
	var found bool
	err = db.write(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(ctx, "UPDATE query_cursors SET used_ms = MAX(used_ms, ?) WHERE key = ? AND used_ms >= ?",
			now.UnixMilli(), key, now.Add(-idle).UnixMilli())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		found = n == 1
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: cursor %q: %w", key, err)
	}
	if !found { // closed, released or swept meanwhile
		return nil, fmt.Errorf("sqlite: cursor %q: %w", key, records.ErrNoCursor)
	}
	c.Used = now
	return c, nil
}

// CursorRows reads the rows at positions offset … offset+limit-1 of a snapshot cursor.
func (db *DB) CursorRows(ctx context.Context, orgID sfid.ID, key string, plan *query.Plan, offset, limit int) ([]records.Row, error) {
	if plan == nil || plan.Object == nil || plan.Aggregate || plan.CountOnly {
		return nil, errors.New("sqlite: cursor rows: a snapshot needs a plan of rows with IDs")
	}
	if offset < 0 || limit <= 0 {
		return []records.Row{}, nil
	}
	ids, err := db.cursorIDs(ctx, orgID, key, offset, limit)
	if err != nil || len(ids) == 0 {
		return []records.Row{}, err
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	// The plan as it stands, restricted to the page's IDs: its WHERE, ORDER BY, LIMIT
	// and OFFSET were the snapshot's business.
	page := *plan
	page.Where, page.OrderBy, page.Limit, page.Offset = nil, nil, -1, 0
	b := newSelectBuilder(orgID, &page, "")
	b.anyRoot = true
	exprs := make([]string, 0, len(page.Columns)+1)
	for i := range page.Columns {
		exprs = append(exprs, b.colExpr(&page.Columns[i]))
	}
	exprs = append(exprs, b.root()+`."Id"`)
	b.extra = b.root() + `."Id" IN (SELECT value FROM json_each(?))`
	b.extraArgs = []any{string(list)}
	body, args := b.body(false)
	q := "SELECT " + strings.Join(exprs, ", ") + body
	if err := checkVariables(args); err != nil {
		return nil, err
	}
	rows, err := db.rc.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, queryErr(plan.Object.Name, err)
	}
	defer rows.Close()
	slots := make([]*records.Row, len(ids))
	for rows.Next() {
		vals, err := scanColumns(rows, page.Columns, 1)
		if err != nil {
			return nil, queryErr(plan.Object.Name, err)
		}
		id, _ := vals[len(page.Columns)].(string)
		if i, ok := pos[id]; ok {
			slots[i] = &records.Row{Values: vals[:len(page.Columns)]}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, queryErr(plan.Object.Name, err)
	}
	out := make([]records.Row, 0, len(ids))
	for _, r := range slots {
		if r != nil {
			out = append(out, *r)
		}
	}
	if len(plan.Subqueries) > 0 && len(out) > 0 {
		if err := db.fillChildren(ctx, orgID, plan, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// cursorIDs reads the IDs at positions offset … offset+limit-1 of org's cursor's
// snapshot (none for another org's cursor).
func (db *DB) cursorIDs(ctx context.Context, orgID sfid.ID, key string, offset, limit int) ([]string, error) {
	first, last := offset/cursorChunk, (offset+limit-1)/cursorChunk
	rows, err := db.rc.QueryContext(ctx, `SELECT i.chunk, i.ids FROM query_cursors c JOIN query_cursor_ids i ON i.key = c.key
		WHERE c.key = ? AND c.org_id = ? AND i.chunk BETWEEN ? AND ? ORDER BY i.chunk`, key, orgID, first, last)
	if err != nil {
		return nil, fmt.Errorf("sqlite: cursor rows: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var chunk int
		var ids string
		if err := rows.Scan(&chunk, &ids); err != nil {
			return nil, fmt.Errorf("sqlite: cursor rows: %w", err)
		}
		all := strings.Split(ids, ",")
		lo := max(offset-chunk*cursorChunk, 0)
		hi := min(offset+limit-chunk*cursorChunk, len(all))
		if lo < hi {
			out = append(out, all[lo:hi]...)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: cursor rows: %w", err)
	}
	return out, nil
}

// CloseCursor forgets a cursor and its IDs.
func (db *DB) CloseCursor(ctx context.Context, key string) error {
	return db.write(ctx, func(w *wtx) error {
		if _, err := w.tx.ExecContext(ctx, "DELETE FROM query_cursors WHERE key = ?", key); err != nil {
			return fmt.Errorf("sqlite: close cursor: %w", err)
		}
		return nil
	})
}

// DeleteCursorsBefore removes the cursors last used before t.
func (db *DB) DeleteCursorsBefore(ctx context.Context, t time.Time) (int, error) {
	var n int64
	err := db.write(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(ctx, "DELETE FROM query_cursors WHERE used_ms < ?", t.UnixMilli())
		if err != nil {
			return fmt.Errorf("sqlite: delete cursors: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
