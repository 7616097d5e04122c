// Package postgres is Forcefield's multi-node storage backend: a backend.Backend over one
// PostgreSQL database, through github.com/jackc/pgx/v5 (pure Go). Any number of
// Forcefield nodes may open the same database; they coordinate through it (cluster.go).
//
// Connections. One pgxpool.Pool serves everything; DB.sql is the same pool behind
// database/sql (pgx's stdlib adapter), which the ported query code uses.
//
// Durability. Commits wait for PostgreSQL's WAL flush (synchronous_commit as the server
// sets it, on by default): an acknowledged write survives kill -9 of the node and a
// restart of PostgreSQL.
//
// Schema. The migrations in migrations/NNNN_name.sql are applied in order by Open, each
// in its own transaction, under an advisory lock (migrate.go), so nodes starting together
// apply them once. A URL's search_path parameter selects the schema (the tests give each
// test its own).
//
// Conventions shared with the SQLite backend, so that both give the same answers: times are
// BIGINT Unix milliseconds (the zero time is NULL) returned in UTC; booleans are BOOLEAN;
// IDs are allocated per key prefix from id_sequences inside the writing transaction; text
// comparisons that Salesforce makes case-insensitively use lower() with matching
// expression indexes.
package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/forcefield/forcefield/internal/store/backend"
)

// pod is the instance part of every ID this backend allocates (as SQLite's "5F").
const pod = "5F"

// DB is a Forcefield store in one PostgreSQL database. It is safe for concurrent use, by
// any number of processes.
type DB struct {
	pool *pgxpool.Pool
	sql  *sql.DB // the pool through database/sql
	url  string  // redacted, for errors

	synced recordsSynced // catalogs Sync has made storage for (records_sync.go)

	closeOnce sync.Once
	closeErr  error

	clusterOnce sync.Once
	cluster     *coordinator // started by Cluster (cluster.go)
}

// Open connects to the database at url (postgres://user:pass@host:port/db?…) and brings
// its schema up to date.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", backend.Redact(url), err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	db := &DB{url: backend.Redact(url)}
	if db.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", db.url, err)
	}
	db.sql = stdlib.OpenDBFromPool(db.pool)
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %s: %w", db.url, err)
	}
	return db, nil
}

// Kind is "postgres".
func (db *DB) Kind() string { return "postgres" }

// Ping checks that the database answers and has every migration this binary knows.
func (db *DB) Ping(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var v int
	if err := db.pool.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	if want := ms[len(ms)-1].version; v < want {
		return fmt.Errorf("postgres: %w: at version %d, want %d", backend.ErrSchemaBehind, v, want)
	}
	return nil
}

// Close closes the pool. Calls after the first return its result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.clusterOnce.Do(func() {}) // no listener may start after Close
		if db.cluster != nil {
			db.cluster.stop()
		}
		if db.sql != nil {
			db.closeErr = db.sql.Close()
		}
		if db.pool != nil {
			db.pool.Close()
		}
	})
	return db.closeErr
}

// ms is t in Unix milliseconds, or nil for the zero time.
func ms(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// fromMS is the UTC time of Unix milliseconds; NULL is the zero time.
func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}
