package sqlite

import (
	"testing"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestCursorConformance(t *testing.T) {
	storetest.RunCursors(t, func(t *testing.T) records.Store {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}
