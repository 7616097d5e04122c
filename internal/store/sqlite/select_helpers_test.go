package sqlite

import (
	"strings"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Helpers of the SQLite-only tests and benchmarks: tables created with plain SQL following
// records_tables.go exactly (fast bulk fills), and the IDs they use.

var (
	testOrg = sfid.New(sfid.PrefixOrganization, pod, 1)
	testNow = time.Date(2024, 5, 15, 13, 30, 0, 0, time.UTC)
)

// createTables creates the data tables of cat for orgID, and the Setup views User and
// LoginHistory as views over plain tables holding every org's rows.
func createTables(t testing.TB, db *DB, orgID sfid.ID, cat *schema.Catalog) {
	t.Helper()
	for _, obj := range cat.Objects() {
		var cols []string
		for i := range obj.Fields {
			f := &obj.Fields[i]
			switch f.Name {
			case "Id":
				cols = append(cols, `"Id" TEXT PRIMARY KEY`)
			case "IsDeleted":
				cols = append(cols, `"IsDeleted" INTEGER NOT NULL DEFAULT 0`)
			default:
				cols = append(cols, quoteIdent(f.Name)+" "+columnType(f))
			}
		}
		table := recordTable(orgID, obj)
		if obj.Setup {
			cols = append(cols, "_org TEXT NOT NULL")
			table = "fake_" + table
		}
		mustExec(t, db, "CREATE TABLE IF NOT EXISTS "+quoteIdent(table)+" ("+strings.Join(cols, ", ")+")")
		if obj.Setup {
			mustExec(t, db, "CREATE VIEW IF NOT EXISTS "+quoteIdent(recordTable(orgID, obj))+" AS SELECT * FROM "+quoteIdent(table))
		}
	}
}

func mustExec(t testing.TB, db *DB, q string, args ...any) {
	t.Helper()
	if _, err := db.w.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
