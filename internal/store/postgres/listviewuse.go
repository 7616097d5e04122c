package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ store.ListViewUse = (*DB)(nil)

// TouchListView records that user opened list view viewID of object at at (one row per
// user and view, keeping the newest use; an older use does not move it back). One
// statement, an upsert, so it needs no transaction of its own:
// https://www.postgresql.org/docs/15/sql-insert.html#SQL-ON-CONFLICT
func (db *DB) TouchListView(ctx context.Context, orgID, userID sfid.ID, object string, viewID sfid.ID, at time.Time) error {
	_, err := db.sql.ExecContext(ctx, `INSERT INTO listview_use (user_id, view_id, org_id, object, used_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, view_id) DO UPDATE SET used_at = GREATEST(listview_use.used_at, excluded.used_at)`,
		string(userID), string(viewID), string(orgID), object, at.UnixMilli())
	if err != nil {
		return fmt.Errorf("postgres: touch list view %s: %w", viewID, mapErr(err))
	}
	return nil
}

// RecentListViews returns the list views of object that user opened, most recently used
// first (ties: highest ID first, in byte order), at most limit. The object is compared
// case-insensitively, on the expression index listview_use_recent.
func (db *DB) RecentListViews(ctx context.Context, orgID, userID sfid.ID, object string, limit int) ([]sfid.ID, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT view_id FROM listview_use WHERE user_id = $1 AND lower(object) = lower($2) AND org_id = $3
		ORDER BY used_at DESC, view_id DESC LIMIT $4`, string(userID), object, string(orgID), limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: recent list views: %w", err)
	}
	defer rows.Close()
	var out []sfid.ID
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("postgres: recent list views: %w", err)
		}
		out = append(out, sfid.ID(id))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: recent list views: %w", err)
	}
	return out, nil
}
