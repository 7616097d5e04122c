package postgres

// Timers and quotas of the PostgreSQL cluster.Coordinator (cluster.go).

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/forcefield/forcefield/internal/cluster"
)

// Due moves the timer's next run forward by every when it is not after now: one
// statement, so of any number of nodes asking at once exactly one moves it. INSERT … ON
// CONFLICT DO UPDATE … WHERE locks the conflicting row and evaluates WHERE against its
// latest committed version, even one newer than the statement's snapshot (the docs' "ON
// CONFLICT DO UPDATE" in READ COMMITTED: https://www.postgresql.org/docs/15/transaction-iso.html),
// so a node that waited for another's update sees the moved next_run and is told false.
// Times are the caller's clock: a skew between nodes' clocks shifts when a period starts,
// not how many runs it gets.
func (c *coordinator) Due(ctx context.Context, name string, now time.Time, every time.Duration) (bool, error) {
	t := now.UnixMilli()
	var got string
	err := c.db.pool.QueryRow(ctx, `INSERT INTO cluster_timers (name, next_run) VALUES ($1, $2::bigint + $3::bigint)
		ON CONFLICT (name) DO UPDATE SET next_run = EXCLUDED.next_run WHERE cluster_timers.next_run <= $2::bigint
		RETURNING name`, name, t, every.Milliseconds()).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("postgres: timer %s: %w", name, err)
	}
	return true, nil
}

// quotas are cluster.Quotas in cluster_quota_keys (one row per counter, the lock that
// serialises its reservations) and cluster_quotas (its hourly buckets).
type quotas struct{ db *DB }

var _ cluster.Quotas = (*quotas)(nil)

// Reserve grants min(n, max − the window's sum) units in one transaction of two
// statements. The first takes the counter's row lock (inserting the row when new; ON
// CONFLICT DO UPDATE locks the existing row), so reservations of one counter run one
// after the other, and the second — whose snapshot, in READ COMMITTED, is taken after the
// lock was granted, so it sees every earlier reservation committed — sums the window,
// adds the grant to hour's bucket, and drops buckets that left the window. Racing
// reservations can therefore never grant past max.
func (q *quotas) Reserve(ctx context.Context, key string, hour int64, n, max int) (granted, used int, err error) {
	if n <= 0 {
		u, err := q.Used(ctx, key, hour)
		return 0, u, err
	}
	err = pgx.BeginFunc(ctx, q.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO cluster_quota_keys (key) VALUES ($1)
			ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key`, key); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `WITH s AS (
				SELECT COALESCE(SUM(used), 0)::bigint AS used FROM cluster_quotas
				WHERE key = $1 AND hour > $2::bigint - 24 AND hour <= $2::bigint),
			g AS (SELECT GREATEST(0, LEAST($3::bigint, $4::bigint - used)) AS granted, used FROM s),
			up AS (INSERT INTO cluster_quotas (key, hour, used) SELECT $1, $2, granted FROM g WHERE granted > 0
				ON CONFLICT (key, hour) DO UPDATE SET used = cluster_quotas.used + EXCLUDED.used),
			old AS (DELETE FROM cluster_quotas WHERE key = $1 AND hour <= $2::bigint - 24)
			SELECT granted, used + granted FROM g`, key, hour, n, max).Scan(&granted, &used)
	})
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: reserve quota %s: %w", key, err)
	}
	return granted, used, nil
}

// Release takes back n unspent units from hour's bucket (never below zero). It needs no
// lock: it only lowers the sum.
func (q *quotas) Release(ctx context.Context, key string, hour int64, n int) error {
	if n <= 0 {
		return nil
	}
	if _, err := q.db.pool.Exec(ctx, "UPDATE cluster_quotas SET used = GREATEST(0, used - $3) WHERE key = $1 AND hour = $2",
		key, hour, n); err != nil {
		return fmt.Errorf("postgres: release quota %s: %w", key, err)
	}
	return nil
}

// Used sums the counter's buckets of the 24 hours ending with hour.
func (q *quotas) Used(ctx context.Context, key string, hour int64) (int, error) {
	var used int
	if err := q.db.pool.QueryRow(ctx, `SELECT COALESCE(SUM(used), 0)::bigint FROM cluster_quotas
		WHERE key = $1 AND hour > $2::bigint - 24 AND hour <= $2::bigint`, key, hour).Scan(&used); err != nil {
		return 0, fmt.Errorf("postgres: quota %s: %w", key, err)
	}
	return used, nil
}
