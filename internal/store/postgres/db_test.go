package postgres

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/forcefield/forcefield/internal/store/backend"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

// openTest opens a new, empty database (its own schema) that is closed when t ends.
func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Nodes starting together on one new schema apply the migrations once: the advisory
// lock makes the others wait, then find nothing to do.
func TestMigrateConcurrentOpen(t *testing.T) {
	url := pgtest.URL(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := Open(context.Background(), url)
			if err == nil {
				err = db.Ping(context.Background())
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: %v", i, err)
		}
	}
	db, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, _ := migrations()
	var n int
	if err := db.pool.QueryRow(context.Background(), "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(ms))
	}
}

// A database missing a migration this binary has is not ready (/readyz answers 503), and
// is again once the migration is back.
func TestPingSchemaBehind(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if err := db.Ping(ctx); err != nil {
		t.Fatalf("Ping on a migrated database: %v", err)
	}
	var v int
	var name string
	var at int64
	if err := db.pool.QueryRow(ctx, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version DESC LIMIT 1").Scan(&v, &name, &at); err != nil {
		t.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, "DELETE FROM schema_migrations WHERE version = $1", v); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(ctx); !errors.Is(err, backend.ErrSchemaBehind) {
		t.Errorf("Ping without migration %d = %v, want ErrSchemaBehind", v, err)
	}
	if _, err := db.pool.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", v, name, at); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("Ping with the migration back: %v", err)
	}
}
