package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The read statement cache answers what uncached queries answer: across a schema change,
// past its bound, and for SQL that does not prepare.
func TestCachedReader(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	defer db.Close()
	mustExec(t, db, `CREATE TABLE t (a INTEGER, b TEXT)`)
	mustExec(t, db, `INSERT INTO t VALUES (1, 'one'), (2, 'two')`)
	c := db.rc
	read := func(q string, args ...any) []string {
		t.Helper()
		rows, err := c.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var a int
			var b string
			if err := rows.Scan(&a, &b); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%d %s", a, b))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	const q = `SELECT a, b FROM t WHERE a >= ? ORDER BY a`
	for range 3 {
		if diff := cmp.Diff([]string{"2 two"}, read(q, 2)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	if len(c.stmts) != 1 || c.stmts[q] == nil {
		t.Errorf("cache holds %d statements, want the one of %q", len(c.stmts), q)
	}

	// A column added by the writer: the cached statement still answers, with new rows.
	mustExec(t, db, `ALTER TABLE t ADD COLUMN c TEXT`)
	mustExec(t, db, `INSERT INTO t VALUES (3, 'three', 'x')`)
	if diff := cmp.Diff([]string{"2 two", "3 three"}, read(q, 2)); diff != "" {
		t.Errorf("after ALTER TABLE (-want +got):\n%s", diff)
	}
	var n int
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM t WHERE c = ?`, "x").Scan(&n); err != nil || n != 1 {
		t.Errorf("QueryRowContext = %d, %v", n, err)
	}

	// SQL that does not prepare: the error, nothing cached.
	if _, err := c.QueryContext(ctx, `SELECT nope FROM t`); err == nil {
		t.Error("bad column: no error")
	}
	if c.stmts[`SELECT nope FROM t`] != nil {
		t.Error("a failed statement was cached")
	}

	// Past the bound: answers still right, the cache no bigger.
	for i := range maxCachedStmts + 10 {
		if got := read(fmt.Sprintf(`SELECT a, b FROM t WHERE a = ? AND %d = %d`, i, i), 1); len(got) != 1 || got[0] != "1 one" {
			t.Fatalf("query %d: %v", i, got)
		}
	}
	if len(c.stmts) != maxCachedStmts {
		t.Errorf("cache holds %d statements, want %d", len(c.stmts), maxCachedStmts)
	}
}
