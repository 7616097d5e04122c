package postgres

import (
	"testing"

	"github.com/forcefield/forcefield/internal/store/storetest"
)

var _ storetest.StatsStore = (*DB)(nil)

// TestStats: the pool figures and the bulk job counts behind /metrics.
func TestStats(t *testing.T) {
	t.Parallel()
	db := openTest(t)
	storetest.RunStats(t, func(t *testing.T) storetest.StatsStore { return db })
}
