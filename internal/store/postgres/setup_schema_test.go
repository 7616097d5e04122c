package postgres

import (
	"context"
	"database/sql"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// setupTables are the tables of migrations/0002_schema.sql (settings and id_sequences are
// 0001's).
var setupTables = []string{
	"orgs", "profiles", "permission_sets", "users", "permission_set_assignments",
	"connected_apps", "credentials", "sessions", "login_history", "login_lockouts",
	"setup_audit_trail", "signing_keys", "custom_objects", "seeded_records", "oauth_codes",
	"refresh_tokens", "oauth_approvals", "oauth_auth_requests", "settings", "id_sequences",
}

// The Setup schema has SQLite's tables with SQLite's column names (decision 1 of issue
// 12), so that the two backends' code ports line by line: a column added on one side only
// fails here.
func TestSetupSchemaMatchesSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pg := openTest(t)

	path := filepath.Join(t.TempDir(), "ff.db")
	lite, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	lite.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()

	for _, table := range setupTables {
		want := columns(t, raw, "SELECT name FROM pragma_table_info(?)", table)
		got := columns(t, pg.sql, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1`, table)
		if len(want) == 0 {
			t.Errorf("SQLite has no table %s", table)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s columns (-sqlite +postgres):\n%s", table, diff)
		}
	}
}

func columns(t *testing.T, db *sql.DB, query, table string) []string {
	t.Helper()
	rows, err := db.Query(query, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}
