package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/forcefield/forcefield/internal/store/backend"
)

var (
	_ backend.PoolStatser    = (*DB)(nil)
	_ backend.BulkJobCounter = (*DB)(nil)
)

// PoolStats reports the three connection pools (database/sql's DB.Stats, no query): the
// single writer — whose WaitCount stays 0 because writers queue on wmu, not on the pool —
// the read pool, and the checkpointer's connection.
func (db *DB) PoolStats() []backend.PoolStats {
	one := func(name string, d *sql.DB) backend.PoolStats {
		s := d.Stats()
		return backend.PoolStats{Pool: name, MaxOpen: s.MaxOpenConnections, Open: s.OpenConnections,
			InUse: s.InUse, Idle: s.Idle, WaitCount: s.WaitCount, WaitDuration: s.WaitDuration}
	}
	return []backend.PoolStats{one("write", db.w), one("read", db.r), one("checkpoint", db.c)}
}

// BulkJobCounts counts the stored bulk jobs by state, through the bulk_jobs_state index.
func (db *DB) BulkJobCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT state, COUNT(*) FROM bulk_jobs GROUP BY state")
	if err != nil {
		return nil, fmt.Errorf("sqlite: count bulk jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("sqlite: count bulk jobs: %w", err)
		}
		out[state] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: count bulk jobs: %w", err)
	}
	return out, nil
}
