package sqlite

import (
	"context"
	"testing"

	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestSnapshotsConformance(t *testing.T) {
	storetest.RunSnapshots(t, func(t *testing.T) storetest.SnapshotStore {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestSnapshotTablesClassified: every table of the schema is either copied by a snapshot
// (snapshotSetupTables) or left out for a stated reason (snapshotSkipped). A migration
// that adds a table makes this fail until the table is classified in snapshots.go.
func TestSnapshotTablesClassified(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	rows, err := db.r.QueryContext(context.Background(), `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'r\_%' ESCAPE '\'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	copied := map[string]bool{}
	for _, s := range snapshotSetupTables {
		copied[s.name] = true
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if _, skipped := snapshotSkipped[name]; !copied[name] && !skipped {
			t.Errorf("table %s is neither copied by snapshots nor listed in snapshotSkipped (snapshots.go)", name)
		}
	}
}
