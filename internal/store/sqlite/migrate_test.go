package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMigrateFillsGaps: a database that ran 0001 and 0003 (numbers have gaps while
// branches are apart) gets 0002 when a binary that has it opens the file, and a binary
// older than the database refuses it.
func TestMigrateFillsGaps(t *testing.T) {
	ctx := context.Background()
	w, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "gap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	m := func(v int, name string) migration {
		return migration{version: v, name: name, sql: "CREATE TABLE " + name + " (x INTEGER)"}
	}
	if err := apply(ctx, w, []migration{m(1, "one"), m(3, "three")}); err != nil {
		t.Fatalf("first binary: %v", err)
	}
	if err := apply(ctx, w, []migration{m(1, "one"), m(2, "two"), m(3, "three")}); err != nil {
		t.Fatalf("merged binary: %v", err)
	}
	rows, err := w.QueryContext(ctx, "SELECT version, name FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
	}
	rows.Close()
	if d := cmp.Diff([]string{"one", "two", "three"}, got); d != "" {
		t.Errorf("applied migrations (-want +got):\n%s", d)
	}
	if _, err := w.ExecContext(ctx, "INSERT INTO two (x) VALUES (1)"); err != nil {
		t.Errorf("migration two's table: %v", err)
	}
	// Applying again changes nothing (it would fail: the tables exist).
	if err := apply(ctx, w, []migration{m(1, "one"), m(2, "two"), m(3, "three")}); err != nil {
		t.Errorf("second run: %v", err)
	}
	err = apply(ctx, w, []migration{m(1, "one"), m(2, "two")})
	if err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		t.Errorf("older binary: error %v, want one saying the database is newer", err)
	}
}
