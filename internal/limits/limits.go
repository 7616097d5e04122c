// Package limits counts each org's REST API requests over a rolling 24 hours against its
// DailyApiRequests limit, the number reported by GET /limits and in the
// Sforce-Limit-Info: api-usage=N/M header (the reference salesforce-rest.md §6).
// Salesforce's limit is a rolling 24-hour window; Forcefield counts in hourly buckets,
// so a request stops counting between 23 and 24 hours after it was made.
//
// Each org counts in its own time (time travel, package orgclock): an org moved 25 hours
// ahead finds its window empty, and no other org's moves.
//
// Counts live in memory: a restart starts the window again, which an emulator can
// afford and which keeps the count off the request path's database. With several nodes
// the counts are shared through the database in reserved blocks (shared.go).
package limits

import (
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/sfid"
)

// window is the number of hourly buckets: 24 hours.
const window = 24

// usage is one org's hourly counts; buckets[h%window] counts hour h (hours since the
// Unix epoch) while hours[h%window] == h.
type usage struct {
	hours   [window]int64
	buckets [window]int
}

// total is the count of the window ending at hour now.
func (u *usage) total(now int64) int {
	n := 0
	for i := range u.buckets {
		if now-u.hours[i] < window {
			n += u.buckets[i]
		}
	}
	return n
}

// Counter is safe for concurrent use.
type Counter struct {
	now    func() time.Time
	orgNow func(sfid.ID) time.Time // each org's time; SetClock

	mu   sync.Mutex
	orgs map[key]*usage
	apps map[appKey]*usage // DailyApiRequests per connected app (perapp.go)

	q      cluster.Quotas // nil: one node, counts in memory (shared.go)
	blocks map[key]*block // with q: this node's reservations

	n cluster.Notifier // with q: hears the other nodes' Exhaust (exhaust.go)
}

// key is one counted limit of one org; name "" is DailyApiRequests.
type key struct {
	name string
	org  sfid.ID
}

// New returns a Counter using now as its clock (time.Now if nil).
func New(now func() time.Time) *Counter {
	if now == nil {
		now = time.Now
	}
	orgNow := func(sfid.ID) time.Time { return now() }
	return &Counter{now: now, orgNow: orgNow, orgs: map[key]*usage{}, apps: map[appKey]*usage{}}
}

// SetClock makes the counter count each org's windows in the org's time (time travel).
// Call it before use.
func (c *Counter) SetClock(clock *orgclock.Clock) { c.orgNow = clock.Org }

// hourOf is org orgID's current hour (since the Unix epoch), in its time. Every count is
// one org's, so there is no server-time hour.
func (c *Counter) hourOf(orgID sfid.ID) int64 { return c.orgNow(orgID).Unix() / 3600 }

// Use counts one request of an org whose limit is max. It returns the number used in the
// last 24 hours and false when the request is over the limit (and so not counted).
func (c *Counter) Use(orgID sfid.ID, max int) (int, bool) { return c.UseN("", orgID, 1, max) }

// UseN counts n units of the named daily limit of an org (the Bulk API's
// DailyBulkApiBatches, DailyBulkV2QueryJobs, …) against max, as Use does for requests.
// Units that would go over max are not counted, and false is returned.
func (c *Counter) UseN(name string, orgID sfid.ID, n, max int) (int, bool) {
	if c.q != nil {
		return c.useShared(key{name, orgID}, n, max)
	}
	h := c.hourOf(orgID)
	c.mu.Lock()
	defer c.mu.Unlock()
	k := key{name, orgID}
	u := c.orgs[k]
	if u == nil {
		u = &usage{}
		c.orgs[k] = u
	}
	used := u.total(h)
	if used+n > max {
		return used, false
	}
	i := h % window
	if u.hours[i] != h {
		u.hours[i], u.buckets[i] = h, 0
	}
	u.buckets[i] += n
	return used + n, true
}

// Used returns the number of requests an org made in the last 24 hours.
func (c *Counter) Used(orgID sfid.ID) int { return c.UsedN("", orgID) }

// UsedN returns the units of the named limit an org used in the last 24 hours.
func (c *Counter) UsedN(name string, orgID sfid.ID) int {
	if c.q != nil {
		return c.usedShared(key{name, orgID})
	}
	h := c.hourOf(orgID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if u := c.orgs[key{name, orgID}]; u != nil {
		return u.total(h)
	}
	return 0
}
