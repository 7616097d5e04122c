package sqlite

import (
	"context"
	"fmt"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/store/backend"
)

// A --db value that is a file path (no scheme) opens this backend.
func init() {
	backend.Register("", func(ctx context.Context, path string) (backend.Backend, error) { return Open(ctx, path) })
}

var _ backend.Backend = (*DB)(nil)

// Cluster is cluster.Local: a SQLite file serves one node. Two servers on one file would
// not see each other's cache changes; several nodes need PostgreSQL.
func (db *DB) Cluster() cluster.Coordinator { return db.cluster }

// Kind is "sqlite".
func (db *DB) Kind() string { return "sqlite" }

// Ping reads the schema version through the read pool: the file is readable and the
// migrations Open applied are there.
func (db *DB) Ping(ctx context.Context) error {
	var v int
	if err := db.r.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	if want := ms[len(ms)-1].version; v < want {
		return fmt.Errorf("sqlite: %w: at version %d, want %d", backend.ErrSchemaBehind, v, want)
	}
	return nil
}
