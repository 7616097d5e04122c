package server

import (
	"context"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/sfid"
)

// orgClock is the server's clock, now, with each org's offset read from the Setup cache
// (org.Org.ClockOffset; time travel, issue 14 §2). A travel is a Setup change: it drops
// the cache on every node, so every node's orgs move together. An org the cache cannot
// read (deleted, or the database failing) is on the server's time.
//
// The offset is read on every org-time reading — each token request and API call — so it
// is the cache's read path: a read-locked map lookup, no allocation (bench_clock_test.go).
func orgClock(now func() time.Time, dir *directory.Directory) *orgclock.Clock {
	c := orgclock.New(now)
	c.SetOffsets(func(id sfid.ID) time.Duration {
		if id.IsZero() {
			return 0
		}
		o, err := dir.Org(context.Background(), id)
		if err != nil {
			return 0
		}
		return o.ClockOffset
	})
	return c
}
