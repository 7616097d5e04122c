package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// TouchListView records that user opened list view viewID of object at at (one row per
// user and view, keeping the newest use; an older use does not move it back).
func (db *DB) TouchListView(ctx context.Context, orgID, userID sfid.ID, object string, viewID sfid.ID, at time.Time) error {
	err := db.write(ctx, func(w *wtx) error {
		_, err := w.tx.ExecContext(ctx, `INSERT INTO listview_use (user_id, view_id, org_id, object, used_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, view_id) DO UPDATE SET used_at = MAX(used_at, excluded.used_at)`,
			string(userID), string(viewID), string(orgID), object, millis(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: touch list view %s: %w", viewID, mapErr(err))
	}
	return nil
}

// RecentListViews returns the list views of object that user opened, most recently used
// first (ties: highest ID first), at most limit.
func (db *DB) RecentListViews(ctx context.Context, orgID, userID sfid.ID, object string, limit int) ([]sfid.ID, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT view_id FROM listview_use WHERE user_id = ? AND org_id = ? AND object = ?
		ORDER BY used_at DESC, view_id DESC LIMIT ?`, string(userID), string(orgID), object, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recent list views: %w", err)
	}
	defer rows.Close()
	var out []sfid.ID
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: recent list views: %w", err)
		}
		out = append(out, sfid.ID(id))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: recent list views: %w", err)
	}
	return out, nil
}

var _ store.ListViewUse = (*DB)(nil)
