package postgres

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

// The store conformance suites (internal/store/storetest), which the SQLite backend runs
// too, against PostgreSQL.

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, emptied(t))
}

func TestAuthRequestsConformance(t *testing.T) {
	t.Parallel()
	open := emptied(t)
	storetest.RunAuthRequests(t, func(t *testing.T) store.AuthRequests { return open(t) })
}

// emptied returns an opener of empty stores for the sequential subtests of one suite.
// A new schema costs about a second on this machine (the DDL of some twenty tables and
// their indexes) and a new pool a few connections; for some fifty subtests that would
// dominate the package's run time. So the suite shares one database (openTest: its own
// schema, migrated by Open) and the store's Close empties it — every row of every table
// but schema_migrations, id_sequences included — so that the next subtest's store is
// indistinguishable from a new one. The subtests must not run in parallel (storetest's
// do not).
func emptied(parent *testing.T) func(t *testing.T) store.Store {
	db := openTest(parent)
	return func(t *testing.T) store.Store { return emptiedDB{db} }
}

// emptiedDB is a DB whose Close empties it instead.
type emptiedDB struct{ *DB }

func (e emptiedDB) Close() error { return e.emptyAll(context.Background()) }

// emptyAll deletes every row of every table of the schema except schema_migrations.
func (db *DB) emptyAll(ctx context.Context) error {
	rows, err := db.pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
		AND tablename <> 'schema_migrations'`)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	// A table others reference empties once they have: delete in passes, each retrying
	// the tables whose delete a foreign key refused.
	for pass := 0; len(tables) > 0; pass++ {
		var refused []string
		var last error
		for _, tb := range tables {
			if _, err := db.pool.Exec(ctx, "DELETE FROM "+pgx.Identifier{tb}.Sanitize()); err != nil {
				refused, last = append(refused, tb), err
			}
		}
		if pass == 10 && len(refused) > 0 {
			return fmt.Errorf("empty %v: %w", refused, last)
		}
		tables = refused
	}
	return nil
}

func TestFaultsConformance(t *testing.T) {
	t.Parallel()
	open := emptied(t)
	storetest.RunFaults(t, func(t *testing.T) store.Faults {
		s := open(t)
		t.Cleanup(func() { s.Close() })
		return s.(store.Faults)
	})
}
