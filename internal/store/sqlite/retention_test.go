package sqlite

import (
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestRetentionConformance(t *testing.T) {
	storetest.RunRetention(t, func(t *testing.T) storetest.RetentionStore {
		db, _ := openTemp(t)
		return db
	})
}

// TestPurgePlans: each purge batch walks an index from its oldest end, never the table,
// so it costs its own rows however large the history is.
func TestPurgePlans(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	for _, tc := range []struct{ query, index string }{
		{"SELECT seq FROM login_history WHERE time < ? ORDER BY time LIMIT ?", "login_history_time"},
		{"SELECT id FROM setup_audit_trail WHERE created_date < ? ORDER BY created_date LIMIT ?", "setup_audit_trail_date"},
	} {
		rows, err := db.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+tc.query, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		got := strings.Join(plan, "; ")
		if !strings.Contains(got, "USING") || !strings.Contains(got, tc.index) || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("%s:\nplan %q, want a walk of %s without a sort", tc.query, got, tc.index)
		}
	}
}
