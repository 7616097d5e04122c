package sqlite

import (
	"context"
	"fmt"
	"time"
)

// PurgeLoginHistory deletes up to limit login-history rows older than before, oldest
// first, in one write transaction. The subquery walks login_history_time (0001), the
// table's one index, from its oldest end, so a call costs its limit rows and no scan; no
// new index is needed (0018 is left unused).
func (db *DB) PurgeLoginHistory(ctx context.Context, before time.Time, limit int) (int, error) {
	n, err := db.purge(ctx, `DELETE FROM login_history WHERE seq IN
		(SELECT seq FROM login_history WHERE time < ? ORDER BY time LIMIT ?)`, before, limit)
	if err != nil {
		return n, fmt.Errorf("sqlite: purge login history: %w", err)
	}
	return n, nil
}

// PurgeSetupAudit deletes up to limit setup audit trail rows older than before, oldest
// first, in one write transaction, through setup_audit_trail_date (0003).
func (db *DB) PurgeSetupAudit(ctx context.Context, before time.Time, limit int) (int, error) {
	n, err := db.purge(ctx, `DELETE FROM setup_audit_trail WHERE id IN
		(SELECT id FROM setup_audit_trail WHERE created_date < ? ORDER BY created_date LIMIT ?)`, before, limit)
	if err != nil {
		return n, fmt.Errorf("sqlite: purge setup audit trail: %w", err)
	}
	return n, nil
}

func (db *DB) purge(ctx context.Context, query string, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	var n int64
	err := db.write(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(ctx, query, before.UnixMilli(), limit)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
