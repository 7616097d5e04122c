package backend

import (
	"context"
	"errors"
	"time"
)

// ErrSchemaBehind is what Ping wraps when the database answers but misses migrations this
// binary needs (/readyz says "schema not up to date" rather than "database unreachable").
// A database ahead of the binary — a newer node migrated it — is not an error: migrations
// are additive (docs/operations.md "Upgrades").
var ErrSchemaBehind = errors.New("database schema is older than this binary")

// PoolStats is the state of one connection pool of a backend, for /metrics. Counts are
// connections; WaitCount and WaitDuration are totals since the pool opened.
type PoolStats struct {
	// Pool names the pool: "write", "read" and "checkpoint" for SQLite's three, "main"
	// for PostgreSQL's one.
	Pool    string
	MaxOpen int // 0: unbounded
	Open    int
	InUse   int
	Idle    int
	// WaitCount is how many times a caller had to wait for a connection, WaitDuration
	// the time they waited in total.
	WaitCount    int64
	WaitDuration time.Duration
}

// PoolStatser is optionally implemented by a backend whose connection pools /metrics
// should report. Reading the stats must not touch the database.
type PoolStatser interface {
	PoolStats() []PoolStats
}

// BulkJobCounter is optionally implemented by a backend that can count its stored bulk
// jobs by state (bulk.Job.State) for /metrics. One indexed GROUP BY: the table holds the
// jobs of the bulk retention period (7 days) only.
type BulkJobCounter interface {
	BulkJobCounts(ctx context.Context) (map[string]int, error)
}
