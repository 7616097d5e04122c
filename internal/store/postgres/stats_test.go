package postgres

import (
	"testing"

	"github.com/forcefield/forcefield/internal/store/storetest"
)

// TestStats runs once the PostgreSQL bulk store is merged (helper pgbulk's bulk*.go and
// 0003_bulk.sql); before that *DB is no bulk.Store and the test says so. When both are in
// one branch the skip cannot happen, under CI or not.
func TestStats(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	s, ok := any(db).(storetest.StatsStore)
	if !ok {
		t.Skip("postgres.DB is not a bulk.Store in this branch (helper pgbulk's half)")
	}
	storetest.RunStats(t, func(t *testing.T) storetest.StatsStore { return s })
}
