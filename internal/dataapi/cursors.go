package dataapi

import (
	"context"
	"crypto/rand"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Query locators (the part of nextRecordsUrl after /query/): 01g + 15 random characters,
// a dash and the position of the next page — the shape of Salesforce's
// (01gRO0000016PIAYA2-500), slash-free as jsforce and go-salesforce need (§4).
//
// The cursor behind a locator lives in the store (records.Cursors), not in this process:
// another node on the same database, or this one after a restart, serves the next page.
// A query of rows holds the ordered IDs of its whole result, taken when its first page
// is served, so its pages are one consistent result however records change between
// them (see records.Cursors for what a page returns). Cursors expire after cursorIdle
// without use (Salesforce: "QueryLocator objects expire automatically after 15 minutes
// of inactivity") and a user keeps at most maxUserCursors, the least recently used
// released first; expired ones are swept from the database at most once a sweepEvery.
const (
	cursorIdle = 15 * time.Minute
	// maxUserCursors: "A user can have up to 10 query cursors open at a time. If 10
	// QueryLocator cursors are open when a client application, logged in as the same
	// user, attempts to open a new one, then the oldest of the 10 cursors is released"
	// (SOAP API Developer Guide, QueryLocator). One client flooding locators thus cannot
	// evict the cursors of other users.
	maxUserCursors = 10
	sweepEvery     = time.Minute
)

// cursors opens and finds query cursors in the store.
type cursors struct {
	st     records.Cursors
	now    func() time.Time        // the server's: the sweep's
	orgNow func(sfid.ID) time.Time // an org's: its cursors idle out in its time
	timers cluster.Timers          // nil: one node (cluster.go)
	mu     sync.Mutex
	swept  time.Time // last sweep by this process
}

func newCursors(st records.Cursors, now func() time.Time, orgNow func(sfid.ID) time.Time) *cursors {
	return &cursors{st: st, now: now, orgNow: orgNow}
}

const locatorAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newKey is a fresh cursor key: 01g and 15 random characters.
func newKey() string {
	var b [15]byte
	rand.Read(b[:])
	key := make([]byte, 0, 18)
	key = append(key, "01g"...)
	for _, x := range b {
		key = append(key, locatorAlphabet[int(x)%len(locatorAlphabet)])
	}
	return string(key)
}

// open stores c under a new key (snapshotting plan's IDs when c.Snapshot), after
// sweeping expired cursors if this process has not for a while.
func (cs *cursors) open(ctx context.Context, c *records.Cursor, plan *query.Plan) error {
	now := cs.now()
	cs.mu.Lock()
	sweep := now.Sub(cs.swept) > sweepEvery
	if sweep {
		cs.swept = now
	}
	cs.mu.Unlock()
	if sweep && cs.timers != nil { // several nodes: one of them sweeps each period
		due, err := cs.timers.Due(ctx, "cursors.sweep", now, sweepEvery)
		sweep = err == nil && due
	}
	if sweep {
		if _, err := cs.st.DeleteCursorsBefore(ctx, now.Add(-cursorIdle)); err != nil {
			return err
		}
	}
	// Swept in the server's time (a travelled org's cursors, used in its future, stay
	// until the server's time passes their idle limit — their reads check the org's).
	c.Key, c.Used = newKey(), cs.orgNow(c.OrgID)
	return cs.st.OpenCursor(ctx, c, plan, maxUserCursors)
}

// get finds the cursor of a locator "key-offset" for the caller's org and user; ok is
// false for a malformed locator or a cursor that is not there (INVALID_QUERY_LOCATOR).
func (cs *cursors) get(ctx context.Context, locator string, orgID, userID sfid.ID) (c *records.Cursor, offset int, ok bool, err error) {
	key, off, found := strings.Cut(locator, "-")
	if !found || len(key) != 18 || !strings.HasPrefix(key, "01g") {
		return nil, 0, false, nil
	}
	offset, err = strconv.Atoi(off)
	if err != nil || offset < 0 {
		return nil, 0, false, nil
	}
	c, err = cs.st.Cursor(ctx, orgID, userID, key, cs.orgNow(orgID), cursorIdle)
	if errors.Is(err, records.ErrNoCursor) {
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, err
	}
	return c, offset, true, nil
}

// close forgets a cursor whose last page was served.
func (cs *cursors) close(ctx context.Context, key string) error {
	return cs.st.CloseCursor(ctx, key)
}
