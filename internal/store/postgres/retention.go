package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/store"
)

var _ store.Retention = (*DB)(nil)

// PostgreSQL's DELETE has no LIMIT, so each purge deletes the keys a limited subquery
// picks from the oldest end of an index that 0002_schema.sql already has
// (login_history_time, setup_audit_trail_date): a call costs its own rows, no scan, and no
// retention migration is needed (0008 is left unused). Each call is one statement, so one
// transaction; deleted rows become dead tuples that autovacuum makes reusable
// (https://www.postgresql.org/docs/15/routine-vacuuming.html), so a purged table stops
// growing rather than shrinking on disk.
const (
	purgeLoginHistorySQL = `DELETE FROM login_history WHERE seq IN
		(SELECT seq FROM login_history WHERE time < $1 ORDER BY time LIMIT $2)`
	purgeSetupAuditSQL = `DELETE FROM setup_audit_trail WHERE id IN
		(SELECT id FROM setup_audit_trail WHERE created_date < $1 ORDER BY created_date LIMIT $2)`
)

// PurgeLoginHistory deletes up to limit login-history rows older than before, oldest
// first, in one transaction.
func (db *DB) PurgeLoginHistory(ctx context.Context, before time.Time, limit int) (int, error) {
	n, err := db.purge(ctx, purgeLoginHistorySQL, before, limit)
	if err != nil {
		return n, fmt.Errorf("postgres: purge login history: %w", err)
	}
	return n, nil
}

// PurgeSetupAudit deletes up to limit setup audit trail rows older than before, oldest
// first, in one transaction.
func (db *DB) PurgeSetupAudit(ctx context.Context, before time.Time, limit int) (int, error) {
	n, err := db.purge(ctx, purgeSetupAuditSQL, before, limit)
	if err != nil {
		return n, fmt.Errorf("postgres: purge setup audit trail: %w", err)
	}
	return n, nil
}

// purge runs one purge statement, again if PostgreSQL aborted it for a deadlock (two
// nodes purging at once, should the cluster timer ever let them).
func (db *DB) purge(ctx context.Context, query string, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	var n int64
	err := db.retry(ctx, func() error {
		tag, err := db.pool.Exec(ctx, query, before.UnixMilli(), limit)
		n = tag.RowsAffected()
		return err
	})
	return int(n), err
}
