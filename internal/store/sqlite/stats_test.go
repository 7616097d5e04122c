package sqlite

import (
	"testing"

	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestStats(t *testing.T) {
	storetest.RunStats(t, func(t *testing.T) storetest.StatsStore {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}
