package records

import (
	"context"
	"errors"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Query cursors: what a query locator (the part of nextRecordsUrl after /query/) stands
// for. A cursor is kept in the store, not in a server process, so that any Forcefield
// node sharing the database — or the same node after a restart — serves the next page.
//
// A cursor with a snapshot holds the ordered IDs of its query's root rows, read by one
// statement when it was opened: membership and order are fixed then, so no row is
// skipped or repeated however the records change between pages. Each page reads the
// rows of its IDs through the query's plan (columns, parent fields, child subqueries,
// field-level security as the plan has them now) in snapshot order, ignoring the plan's
// WHERE (membership is the snapshot's) and the root's IsDeleted filter: a record deleted
// since the first page is still returned, as it is stored now; a record purged for good,
// or one the running user may no longer see (the plan's owner rule), is left out.
//
// A cursor without a snapshot (aggregate queries, whose rows have no IDs) only keeps
// what its query needs to run again from an offset.
//
// Bulk query jobs do not use cursors: a Bulk query batch already reads its whole result
// with one statement (Store.Scan) and stores the rendered rows in the database as parts
// (bulk.Store), behind its own opaque locator — a consistent, stored result with values
// as selected, which is what Bulk's results are. An ID snapshot would make it read the
// result twice; a stored rendered result would make a REST query's first page render a
// million rows. The two share the database and the plan, not the storage format.

// Cursor is a query's open result.
type Cursor struct {
	Key           string  // the locator's key: 01g and 15 characters
	OrgID, UserID sfid.ID // only this user of this org may follow it
	Query         string  // the SOQL text, resolved again for every page
	All           bool    // queryAll: soft-deleted rows are part of the result
	Batch         int     // rows per page
	Now           time.Time
	// Now is the instant the query was first resolved at: later pages resolve date
	// literals (TODAY, LAST_N_DAYS:n) against it, as the first page did.
	Snapshot bool // the cursor holds its rows' IDs (Total of them)
	Total    int  // rows of the whole result (set by OpenCursor for a snapshot)
	Used     time.Time
}

// Cursors keeps query cursors. Lookups of a cursor that does not exist, belongs to
// another org or user, or has been idle too long return an error wrapping ErrNoCursor.
// Backends: internal/store/sqlite.
type Cursors interface {
	// OpenCursor stores c, Used = c.Used. When c.Snapshot it also stores the IDs of the
	// root rows of plan's whole result (its LIMIT and OFFSET applied) in plan's order,
	// read by one statement (one consistent state of the org), and sets c.Total; on an
	// error it stores nothing. It first
	// releases the user's least recently used cursors so that at most perUser remain
	// with the new one. Plans with aggregates or COUNT() have no IDs: Snapshot is
	// refused for them.
	OpenCursor(ctx context.Context, c *Cursor, plan *query.Plan, perUser int) error
	// Cursor returns the cursor key of org's user, idle since no earlier than
	// now-idle, and marks it used at now (Used is the mark). A backend may leave the
	// mark as it is while it is less than idle/30 old, to spare a write per page: a
	// cursor then expires up to idle/30 early (30 seconds of 15 minutes).
	Cursor(ctx context.Context, orgID, userID sfid.ID, key string, now time.Time, idle time.Duration) (*Cursor, error)
	// CursorRows returns the rows at positions offset … offset+limit-1 of a snapshot
	// cursor, read through plan (see the package comment) in snapshot order. Rows of
	// records that no longer exist or that plan's owner rule hides are absent, so fewer
	// than limit rows may come back before the end. Another org's cursor has no rows.
	CursorRows(ctx context.Context, orgID sfid.ID, key string, plan *query.Plan, offset, limit int) ([]Row, error)
	// CloseCursor forgets a cursor (its last page was served); closing one that is gone
	// is not an error.
	CloseCursor(ctx context.Context, key string) error
	// DeleteCursorsBefore removes the cursors of every org last used before t, with
	// their IDs, and returns how many it removed.
	DeleteCursorsBefore(ctx context.Context, t time.Time) (int, error)
}

// ErrNoCursor is a cursor that is not there for the caller: never opened, closed,
// released, expired, or someone else's.
var ErrNoCursor = errors.New("records: no such query cursor")
