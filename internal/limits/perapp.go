package limits

import (
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// Per-app DailyApiRequests (Setup → API Usage, issue 11): the same hourly buckets as the
// org's count, kept per connected app so that the console can chart which app used the
// org's requests. UseApp counts the org's request and the app's under the one lock Use
// takes, so the request path pays one more map lookup, not another lock.

// appKey is one connected app of one org.
type appKey struct {
	org sfid.ID
	app sfid.ID
}

// UseApp is Use for a request made with a session of app (zero: no app, e.g. a UI
// session): it counts the org's request against max and, when counted, the app's.
//
// With several nodes (shared.go) the org's count is shared and the app's is this node's.
func (c *Counter) UseApp(orgID, appID sfid.ID, max int) (int, bool) {
	if c.q != nil {
		used, ok := c.useShared(key{"", orgID}, 1, max)
		if ok {
			c.mu.Lock()
			c.appUsage(appKey{orgID, appID}).add(c.hourOf(orgID), 1)
			c.mu.Unlock()
		}
		return used, ok
	}
	h := c.hourOf(orgID)
	c.mu.Lock()
	defer c.mu.Unlock()
	k := key{"", orgID}
	u := c.orgs[k]
	if u == nil {
		u = &usage{}
		c.orgs[k] = u
	}
	used := u.total(h)
	if used+1 > max {
		return used, false
	}
	u.add(h, 1)
	c.appUsage(appKey{orgID, appID}).add(h, 1)
	return used + 1, true
}

// appUsage returns an app's counts, created if new; c.mu must be held.
func (c *Counter) appUsage(ak appKey) *usage {
	a := c.apps[ak]
	if a == nil {
		a = &usage{}
		c.apps[ak] = a
	}
	return a
}

// add counts n in hour h's bucket, reusing the bucket of hour h-24.
func (u *usage) add(h int64, n int) {
	i := h % window
	if u.hours[i] != h {
		u.hours[i], u.buckets[i] = h, 0
	}
	u.buckets[i] += n
}

// AppHours is one app's requests in each of the last 24 hours.
type AppHours struct {
	AppID sfid.ID // zero: requests with no app (UI sessions)
	// Hours[i] counts the hour starting at Start.Add(i hours); Hours[23] is the current one.
	Hours [window]int
	Total int
}

// HourlyByApp returns, for every app of the org that made a request in the last 24
// hours, its hourly counts, and the start of the first hour. Apps come in no set order.
func (c *Counter) HourlyByApp(orgID sfid.ID) ([]AppHours, time.Time) {
	h := c.hourOf(orgID)
	start := time.Unix((h-window+1)*3600, 0).UTC()
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []AppHours
	for k, u := range c.apps {
		if k.org != orgID {
			continue
		}
		a := AppHours{AppID: k.app}
		for i := range u.buckets {
			if age := h - u.hours[i]; age < window && u.buckets[i] > 0 {
				a.Hours[window-1-age] += u.buckets[i]
				a.Total += u.buckets[i]
			}
		}
		if a.Total > 0 {
			out = append(out, a)
		}
	}
	return out, start
}
