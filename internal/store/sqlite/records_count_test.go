package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestRecordCountConformance(t *testing.T) {
	storetest.RunRecordCount(t, func(t *testing.T) storetest.RecordStore {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "ff.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
