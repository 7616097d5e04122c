package postgres

// Query cursors (records.Cursors; tables query_cursors and query_cursor_ids of
// migrations/0004_records.sql), as SQLite's cursors.go: any node sharing the database
// serves the next page of a cursor another opened.
//
// Opening a snapshot cursor runs one SELECT of the plan's root IDs in the plan's order
// (the plan's LIMIT and OFFSET applied) — one statement sees one consistent snapshot of
// the org (PostgreSQL's MVCC) — and stores them as it reads them, in chunks of
// cursorChunk comma-separated IDs. A page reads the one or two chunks holding its
// positions and runs the plan restricted to those IDs, which costs the same at position
// 0 and at position 999,000: unlike OFFSET paging, nothing before the page is read again.

import (
	"context"
	"database/sql"
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

// snapshotFlush is how many chunks one write transaction of a snapshot stores: 100,000
// IDs, about 2 MB, so that a million-row snapshot never makes one huge transaction.
var snapshotFlush = 50

// OpenCursor stores c and, for a snapshot cursor, its plan's root IDs in order.
func (db *DB) OpenCursor(ctx context.Context, c *records.Cursor, plan *query.Plan, perUser int) error {
	var snap string
	var snapArgs []any
	if c.Snapshot {
		if plan == nil || plan.Object == nil || plan.Aggregate || plan.CountOnly {
			return errors.New("postgres: open cursor: a snapshot needs a plan of rows with IDs")
		}
		var err error
		if snap, snapArgs, err = snapshotSQL(c.OrgID, plan); err != nil {
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
				SELECT key FROM query_cursors WHERE org_id = $1 AND user_id = $2
				ORDER BY used_ms DESC, key OFFSET $3)`, string(c.OrgID), string(c.UserID), perUser-1); err != nil {
				return fmt.Errorf("postgres: open cursor: %w", err)
			}
		}
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO query_cursors
			(key, org_id, user_id, soql, all_rows, batch, now_ms, snapshot, total, used_ms)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			c.Key, string(c.OrgID), string(c.UserID), c.Query, c.All, c.Batch, c.Now.UnixMilli(), c.Snapshot, c.Total, c.Used.UnixMilli()); err != nil {
			return fmt.Errorf("postgres: open cursor: %w", mapErr(err))
		}
		return nil
	}); err != nil || !c.Snapshot {
		return err
	}
	total, err := db.snapshotIDs(ctx, c.Key, snap, snapArgs)
	if err != nil {
		db.CloseCursor(context.WithoutCancel(ctx), c.Key) //nolint:errcheck // best effort: the sweep removes it otherwise
		return fmt.Errorf("postgres: open cursor on %s: %w", plan.Object.Name, err)
	}
	c.Total = total
	return nil
}

// snapshotIDs runs the ID query snap — one statement, so one consistent snapshot of the
// org — and stores its IDs under key in chunks of cursorChunk, snapshotFlush chunks per
// write transaction, then the total.
func (db *DB) snapshotIDs(ctx context.Context, key, snap string, args []any) (int, error) {
	rows, err := db.sql.QueryContext(ctx, snap, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var seqs, ns []int64
	var chunks []string
	store := func(total int) error { // total < 0: more to come
		err := db.write(ctx, func(w *wtx) error {
			if len(chunks) > 0 {
				// A cursor released meanwhile fails the foreign key.
				if _, err := w.tx.ExecContext(ctx, `INSERT INTO query_cursor_ids (key, chunk, n, ids)
					SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[])`, key, seqs, ns, chunks); err != nil {
					return err
				}
			}
			if total >= 0 {
				_, err := w.tx.ExecContext(ctx, "UPDATE query_cursors SET total = $1 WHERE key = $2", total, key)
				return err
			}
			return nil
		})
		seqs, ns, chunks = seqs[:0], ns[:0], chunks[:0]
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
			seqs, ns, chunks = append(seqs, int64(seq)), append(ns, int64(n)), append(chunks, string(buf))
			buf, n, seq = buf[:0], 0, seq+1
			if len(chunks) == snapshotFlush {
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
		seqs, ns, chunks = append(seqs, int64(seq)), append(ns, int64(n)), append(chunks, string(buf))
	}
	return total, store(total)
}

// Cursor finds a cursor of org's user that has not been idle too long, and marks it
// used; the mark (a write) is skipped while the stored one is less than idle/30 old, as
// records.Cursors allows.
func (db *DB) Cursor(ctx context.Context, orgID, userID sfid.ID, key string, now time.Time, idle time.Duration) (*records.Cursor, error) {
	now = now.UTC().Truncate(time.Millisecond)
	c := &records.Cursor{Key: key, OrgID: orgID, UserID: userID}
	var nowMS, usedMS int64
	err := db.sql.QueryRowContext(ctx, `SELECT soql, all_rows, batch, now_ms, snapshot, total, used_ms FROM query_cursors
		WHERE key = $1 AND org_id = $2 AND user_id = $3 AND used_ms >= $4`,
		key, string(orgID), string(userID), now.Add(-idle).UnixMilli()).
		Scan(&c.Query, &c.All, &c.Batch, &nowMS, &c.Snapshot, &c.Total, &usedMS)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("postgres: cursor %q: %w", key, records.ErrNoCursor)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: cursor %q: %w", key, err)
	}
	c.Now, c.Used = time.UnixMilli(nowMS).UTC(), time.UnixMilli(usedMS).UTC()
	if now.Sub(c.Used) < idle/30 {
		return c, nil
	}
	var found bool
	err = db.write(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(ctx, "UPDATE query_cursors SET used_ms = greatest(used_ms, $1) WHERE key = $2 AND used_ms >= $3",
			now.UnixMilli(), key, now.Add(-idle).UnixMilli())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		found = n == 1
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: cursor %q: %w", key, err)
	}
	if !found { // closed, released or swept meanwhile
		return nil, fmt.Errorf("postgres: cursor %q: %w", key, records.ErrNoCursor)
	}
	c.Used = now
	return c, nil
}

// CursorRows reads the rows at positions offset … offset+limit-1 of a snapshot cursor.
func (db *DB) CursorRows(ctx context.Context, orgID sfid.ID, key string, plan *query.Plan, offset, limit int) ([]records.Row, error) {
	if plan == nil || plan.Object == nil || plan.Aggregate || plan.CountOnly {
		return nil, errors.New("postgres: cursor rows: a snapshot needs a plan of rows with IDs")
	}
	if offset < 0 || limit <= 0 {
		return []records.Row{}, nil
	}
	ids, err := db.cursorIDs(ctx, orgID, key, offset, limit)
	if err != nil || len(ids) == 0 {
		return []records.Row{}, err
	}
	return db.cursorPage(ctx, orgID, plan, ids)
}

// cursorIDs reads the IDs at positions offset … offset+limit-1 of org's cursor's
// snapshot (none for another org's cursor).
func (db *DB) cursorIDs(ctx context.Context, orgID sfid.ID, key string, offset, limit int) ([]string, error) {
	first, last := offset/cursorChunk, (offset+limit-1)/cursorChunk
	rows, err := db.sql.QueryContext(ctx, `SELECT i.chunk, i.ids FROM query_cursors c JOIN query_cursor_ids i ON i.key = c.key
		WHERE c.key = $1 AND c.org_id = $2 AND i.chunk BETWEEN $3 AND $4 ORDER BY i.chunk`, key, string(orgID), first, last)
	if err != nil {
		return nil, fmt.Errorf("postgres: cursor rows: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var chunk int
		var ids string
		if err := rows.Scan(&chunk, &ids); err != nil {
			return nil, fmt.Errorf("postgres: cursor rows: %w", err)
		}
		all := strings.Split(ids, ",")
		lo := max(offset-chunk*cursorChunk, 0)
		hi := min(offset+limit-chunk*cursorChunk, len(all))
		if lo < hi {
			out = append(out, all[lo:hi]...)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: cursor rows: %w", err)
	}
	return out, nil
}

// CloseCursor forgets a cursor and its IDs (ON DELETE CASCADE).
func (db *DB) CloseCursor(ctx context.Context, key string) error {
	return db.write(ctx, func(w *wtx) error {
		if _, err := w.tx.ExecContext(ctx, "DELETE FROM query_cursors WHERE key = $1", key); err != nil {
			return fmt.Errorf("postgres: close cursor: %w", err)
		}
		return nil
	})
}

// DeleteCursorsBefore removes the cursors last used before t, with their IDs.
func (db *DB) DeleteCursorsBefore(ctx context.Context, t time.Time) (int, error) {
	var n int64
	err := db.write(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(ctx, "DELETE FROM query_cursors WHERE used_ms < $1", t.UnixMilli())
		if err != nil {
			return fmt.Errorf("postgres: delete cursors: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
