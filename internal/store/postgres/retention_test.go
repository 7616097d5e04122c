package postgres

import (
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestRetentionConformance(t *testing.T) {
	t.Parallel()
	storetest.RunRetention(t, func(t *testing.T) storetest.RetentionStore { return openTest(t) })
}

// TestPurgePlans: each purge's subquery walks its index from the oldest end. Sequential
// scans are switched off for the check, as an empty table would otherwise rightly be
// scanned; what matters is that the index can serve the query without a sort.
func TestPurgePlans(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	ctx := t.Context()
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SET enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, "RESET enable_seqscan")
	for _, tc := range []struct{ query, index string }{
		{purgeLoginHistorySQL, "login_history_time"},
		{purgeSetupAuditSQL, "setup_audit_trail_date"},
	} {
		rows, err := conn.Query(ctx, "EXPLAIN "+tc.query, int64(0), 1)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		got := strings.Join(plan, "\n")
		if !strings.Contains(got, tc.index) || strings.Contains(got, "Sort") {
			t.Errorf("%s:\n%s\nwant a walk of %s without a sort", tc.query, got, tc.index)
		}
	}
}
