package postgres

import (
	"testing"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestCursorConformance(t *testing.T) {
	t.Parallel()
	storetest.RunCursors(t, func(t *testing.T) records.Store { return openTest(t) })
}

// The same suite with chunks of 7 IDs stored 2 chunks per write: the 25- and 30-row
// results of the suite then span several chunks and several writes, pages of 7 and 25
// rows cross chunk boundaries. Not parallel: it changes package variables, which the
// parallel tests only read after it has put them back.
func TestCursorConformanceSmallChunks(t *testing.T) {
	chunk, flush := cursorChunk, snapshotFlush
	cursorChunk, snapshotFlush = 7, 2
	t.Cleanup(func() { cursorChunk, snapshotFlush = chunk, flush })
	storetest.RunCursors(t, func(t *testing.T) records.Store { return openTest(t) })
}
