// Package limits counts each org's REST API requests per UTC day against its
// DailyApiRequests limit, the number reported by GET /limits and in the
// Sforce-Limit-Info: api-usage=N/M header (the reference salesforce-rest.md §6).
//
// Counts live in memory: a restart starts the day's count again, which an emulator can
// afford and which keeps the count off the request path's database.
package limits

import (
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// Counter is safe for concurrent use.
type Counter struct {
	now func() time.Time

	mu     sync.Mutex
	day    string
	counts map[sfid.ID]int
}

// New returns a Counter using now as its clock (time.Now if nil).
func New(now func() time.Time) *Counter {
	if now == nil {
		now = time.Now
	}
	return &Counter{now: now, counts: map[sfid.ID]int{}}
}

func (c *Counter) rollover() {
	if d := c.now().UTC().Format(time.DateOnly); d != c.day {
		c.day, c.counts = d, map[sfid.ID]int{}
	}
}

// Use counts one request of an org whose limit is max. It returns the number used so far
// today and false when the request is over the limit (and so not counted).
func (c *Counter) Use(orgID sfid.ID, max int) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rollover()
	if c.counts[orgID] >= max {
		return c.counts[orgID], false
	}
	c.counts[orgID]++
	return c.counts[orgID], true
}

// Used returns the number of requests an org made today.
func (c *Counter) Used(orgID sfid.ID) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rollover()
	return c.counts[orgID]
}
