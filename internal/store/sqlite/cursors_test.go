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

// The same suite with chunks of 7 IDs stored 2 chunks per write: the 25- and 30-row
// results of the suite then span several chunks and several writes, pages of 7 and 25
// rows cross chunk boundaries.
func TestCursorConformanceSmallChunks(t *testing.T) {
	chunk, flush := cursorChunk, snapshotFlush
	cursorChunk, snapshotFlush = 7, 2
	t.Cleanup(func() { cursorChunk, snapshotFlush = chunk, flush })
	TestCursorConformance(t)
}
