// Package orgclock tells the time of each org: the server's clock plus the org's clock
// offset, Forcefield's time travel (issue 14 §2). No real org can be told "pretend two
// hours have passed"; here an org whose offset is 2h sees its sessions, authorization
// codes and refresh tokens expire, its 24-hour limit windows roll, its rotated secrets
// near expiry and SOQL's TODAY move, as if two hours had passed — and no other org sees
// anything.
//
// Everything that is about one org asks Org(orgID); what belongs to the server (signing
// key rotation, the sweeps' timers, the admin API's own stamps) asks Now.
package orgclock

import (
	"sync/atomic"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// MaxOffset bounds how far an org may travel: ten years is more than any token, secret
// or limit window lasts, and keeps every time an org sees far from overflow.
const MaxOffset = 10 * 365 * 24 * time.Hour

// Clock is the server's clock and every org's offset from it. The zero Clock is not
// usable; New makes one. It is safe for concurrent use.
type Clock struct {
	now    func() time.Time
	offset atomic.Pointer[func(sfid.ID) time.Duration]
}

// New returns a clock reading now (time.Now when nil), with no org travelled until
// SetOffsets gives it a source of offsets.
func New(now func() time.Time) *Clock {
	if now == nil {
		now = time.Now
	}
	return &Clock{now: now}
}

// SetOffsets makes offset the source of each org's clock offset (the server passes the
// Setup cache's Org.ClockOffset, so a change reaches every node with the cache). offset
// must be cheap: it runs on every org-time reading.
func (c *Clock) SetOffsets(offset func(sfid.ID) time.Duration) { c.offset.Store(&offset) }

// Now is the server's time, untravelled.
func (c *Clock) Now() time.Time { return c.now() }

// Offset is how far org id's time is ahead of the server's (0 when not travelled).
func (c *Clock) Offset(id sfid.ID) time.Duration {
	if f := c.offset.Load(); f != nil && *f != nil {
		return (*f)(id)
	}
	return 0
}

// Org is org id's time: the server's plus the org's offset.
func (c *Clock) Org(id sfid.ID) time.Time { return c.now().Add(c.Offset(id)) }

// OrgFunc is Org bound to one org, for code that takes a func() time.Time.
func (c *Clock) OrgFunc(id sfid.ID) func() time.Time { return func() time.Time { return c.Org(id) } }
