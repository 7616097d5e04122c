package postgres

// Recently viewed and referenced records (records.Recent, records.RecentTx; the table is
// recent_records, migrations/0004_records.sql), as SQLite's replication.go.

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

var _ records.RecentTx = (*recordsTx)(nil)

// MarkRecent implements records.Recent.
func (db *DB) MarkRecent(ctx context.Context, orgID, userID sfid.ID, obj *schema.Object, ids []sfid.ID, at time.Time, view bool) error {
	if len(ids) == 0 {
		return nil
	}
	return db.write(ctx, func(w *wtx) error { return markRecent(ctx, w.tx, orgID, userID, obj, ids, at, view) })
}

// MarkRecent implements records.RecentTx.
func (t *recordsTx) MarkRecent(ctx context.Context, userID sfid.ID, obj *schema.Object, ids []sfid.ID, at time.Time, view bool) error {
	if len(ids) == 0 {
		return nil
	}
	return t.guard(ctx, func() error { return markRecent(ctx, t.w.tx, t.org, userID, obj, ids, at, view) }, nil)
}

// markRecent upserts the recent_records rows of ids, all in one statement (the IDs as an
// array): times only move forward. Rows are written in ID order, so that two
// transactions marking overlapping records lock them in the same order and cannot
// deadlock on each other.
func markRecent(ctx context.Context, tx *sql.Tx, orgID, userID sfid.ID, obj *schema.Object, ids []sfid.ID, at time.Time, view bool) error {
	ms := at.UnixMilli()
	var viewed any
	if view {
		viewed = ms
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO recent_records (org_id, user_id, record_id, object, viewed_at, referenced_at, last_at)
		SELECT DISTINCT $1::text, $2::text, id, $3::text, $4::bigint, $5::bigint, $5::bigint FROM unnest($6::text[]) id ORDER BY id
		ON CONFLICT (org_id, user_id, record_id) DO UPDATE SET
			viewed_at = CASE WHEN excluded.viewed_at IS NULL THEN recent_records.viewed_at
				ELSE greatest(coalesce(recent_records.viewed_at, 0), excluded.viewed_at) END,
			referenced_at = greatest(recent_records.referenced_at, excluded.referenced_at),
			last_at = greatest(recent_records.last_at, excluded.last_at)`,
		string(orgID), string(userID), obj.Name, viewed, ms, idArray(uniqueIDs(ids)))
	if err != nil {
		return fmt.Errorf("postgres: mark recent: %w", err)
	}
	return nil
}

// Recent implements records.Recent.
func (db *DB) Recent(ctx context.Context, orgID, userID sfid.ID, obj *schema.Object, limit int) ([]records.RecentView, error) {
	q := "SELECT object, record_id, viewed_at, referenced_at FROM recent_records WHERE org_id = $1 AND user_id = $2"
	args := []any{string(orgID), string(userID)}
	if obj != nil {
		q += " AND lower(object) = lower($3)"
		args = append(args, obj.Name)
	}
	args = append(args, max(limit, 0))
	q += fmt.Sprintf(" ORDER BY last_at DESC, record_id DESC LIMIT $%d", len(args))
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: recent: %w", err)
	}
	defer rows.Close()
	var out []records.RecentView
	for rows.Next() {
		var v records.RecentView
		var viewed sql.NullInt64
		var ref int64
		if err := rows.Scan(&v.Object, &v.ID, &viewed, &ref); err != nil {
			return nil, fmt.Errorf("postgres: recent: %w", err)
		}
		v.Viewed = fromMS(viewed)
		v.Referenced = time.UnixMilli(ref).UTC()
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: recent: %w", err)
	}
	return out, nil
}
