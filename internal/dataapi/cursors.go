package dataapi

import (
	"crypto/rand"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Query locators (the part of nextRecordsUrl after /query/): 01g + 15 random characters,
// a dash and the offset of the next page — the shape of Salesforce's
// (01gRO0000016PIAYA2-500), slash-free as jsforce and go-salesforce need (§4). A cursor
// keeps the resolved plan; the next page runs it again from its offset. Cursors expire
// after cursorIdle without use (Salesforce keeps an idle locator about 15 minutes) and
// at most maxCursors are kept, the least recently used going first.
const (
	cursorIdle = 15 * time.Minute
	maxCursors = 10000
	// maxUserCursors is how many cursors one user keeps open (see releaseOldest).
	maxUserCursors = 10
)

// cursor is an open query result.
type cursor struct {
	orgID, userID sfid.ID
	plan          *query.Plan
	batch         int
	version       string
	used          time.Time
}

type cursors struct {
	now   func() time.Time
	mu    sync.Mutex
	m     map[string]*cursor
	swept time.Time // last expire pass
}

func newCursors(now func() time.Time) *cursors {
	return &cursors{now: now, m: map[string]*cursor{}}
}

const locatorAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// open registers a cursor and returns its key.
func (cs *cursors) open(c *cursor) string {
	var b [15]byte
	rand.Read(b[:])
	key := make([]byte, 0, 18)
	key = append(key, "01g"...)
	for _, x := range b {
		key = append(key, locatorAlphabet[int(x)%len(locatorAlphabet)])
	}
	now := cs.now()
	c.used = now
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if now.Sub(cs.swept) > time.Minute || len(cs.m) >= maxCursors {
		cs.expire(now)
		cs.swept = now
	}
	cs.releaseOldest(c.orgID, c.userID)
	cs.m[string(key)] = c
	return string(key)
}

// releaseOldest keeps a user under maxUserCursors by dropping their least recently used
// cursor — Salesforce's rule: "A user can have up to 10 query cursors open at a time. If
// 10 QueryLocator cursors are open when a client application, logged in as the same
// user, attempts to open a new one, then the oldest of the 10 cursors is released" (SOAP
// API Developer Guide, query()). One client flooding locators thus cannot evict the
// cursors of other users (callers hold mu).
func (cs *cursors) releaseOldest(orgID, userID sfid.ID) {
	n, oldest := 0, ""
	for k, c := range cs.m {
		if c.orgID != orgID || c.userID != userID {
			continue
		}
		n++
		if oldest == "" || c.used.Before(cs.m[oldest].used) {
			oldest = k
		}
	}
	if n >= maxUserCursors {
		delete(cs.m, oldest)
	}
}

// expire drops idle cursors and, over the cap, the least recently used (callers hold mu).
func (cs *cursors) expire(now time.Time) {
	for k, c := range cs.m {
		if now.Sub(c.used) > cursorIdle {
			delete(cs.m, k)
		}
	}
	for len(cs.m) >= maxCursors {
		var oldest string
		for k, c := range cs.m {
			if oldest == "" || c.used.Before(cs.m[oldest].used) {
				oldest = k
			}
		}
		delete(cs.m, oldest)
	}
}

// get finds the cursor of a locator "key-offset" for the caller's org and user.
func (cs *cursors) get(locator string, orgID, userID sfid.ID) (*cursor, string, int, bool) {
	key, off, ok := strings.Cut(locator, "-")
	if !ok {
		return nil, "", 0, false
	}
	offset, err := strconv.Atoi(off)
	if err != nil || offset < 0 {
		return nil, "", 0, false
	}
	now := cs.now()
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c, ok := cs.m[key]
	if !ok || c.orgID != orgID || c.userID != userID || now.Sub(c.used) > cursorIdle {
		return nil, "", 0, false
	}
	c.used = now
	return c, key, offset, true
}

// close forgets a cursor whose last page was served.
func (cs *cursors) close(key string) {
	cs.mu.Lock()
	delete(cs.m, key)
	cs.mu.Unlock()
}
