package postgres

import (
	"context"
	"testing"

	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestSnapshotsConformance(t *testing.T) {
	storetest.RunSnapshots(t, func(t *testing.T) storetest.SnapshotStore { return openTest(t) })
}

// TestSnapshotTablesClassified: every table of the schema is either copied by a snapshot
// (snapshotSetupTables) or left out for a stated reason (snapshotSkipped).
func TestSnapshotTablesClassified(t *testing.T) {
	db := openTest(t)
	rows, err := db.sql.QueryContext(context.Background(), `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'r\_%'`)
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
