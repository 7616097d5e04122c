package postgres

import (
	"context"
	"fmt"

	"github.com/forcefield/forcefield/internal/store/backend"
)

var (
	_ backend.PoolStatser    = (*DB)(nil)
	_ backend.BulkJobCounter = (*DB)(nil)
)

// PoolStats reports the one pgxpool.Pool (pgxpool.Stat, no query). WaitCount is
// EmptyAcquireCount — acquisitions that found no idle connection and waited for one to
// be freed or opened — and WaitDuration the time they waited.
func (db *DB) PoolStats() []backend.PoolStats {
	s := db.pool.Stat()
	return []backend.PoolStats{{
		Pool: "main", MaxOpen: int(s.MaxConns()), Open: int(s.TotalConns()),
		InUse: int(s.AcquiredConns()), Idle: int(s.IdleConns()),
		WaitCount: s.EmptyAcquireCount(), WaitDuration: s.EmptyAcquireWaitTime(),
	}}
}

// BulkJobCounts counts the stored bulk jobs by state (bulk_jobs, migration 0003_bulk).
func (db *DB) BulkJobCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.pool.Query(ctx, "SELECT state, COUNT(*) FROM bulk_jobs GROUP BY state")
	if err != nil {
		return nil, fmt.Errorf("postgres: count bulk jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("postgres: count bulk jobs: %w", err)
		}
		out[state] = int(n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: count bulk jobs: %w", err)
	}
	return out, nil
}
