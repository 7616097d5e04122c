package limits

// Per-app quotas (issue 14 §4; org.AppQuotas; docs/quotas.md): the tokens the token
// endpoint may grant a connected app in the last hour and the last 24 hours, and the API
// requests the app may make in the last 24 hours, enforced exactly — a quota of 100 lets
// exactly 100 through however many requests race, on one node and across several.
//
// Windows. Both are 24 buckets, like the org's DailyApiRequests (limits.go): the day's of
// an hour each, the hour's of 150 seconds each. So "per hour" slides by 2½ minutes (a
// token stops counting between 57½ and 60 minutes after it was granted) and "per day" by
// an hour (between 23 and 24 hours), and one bucket scheme — cluster.Quotas' 24 buckets —
// serves both. Buckets are numbered on the org's own clock (orgclock: an org moved
// forward in time rolls its apps' windows, no other org's).
//
// Counting. On one node the counts are in memory under one lock: check and count are one
// step, so they are exact. With several nodes (Share) an app with a quota counts through
// cluster.Quotas.Reserve one unit per request — no block is reserved ahead (shared.go's
// blocks would let a node hold units another node is refused), so the sum over the nodes
// is exact, for the price of one short transaction per request of an app with a quota.
// An app without a quota of a family is counted in this node's memory, for the admin
// view's usage: with several nodes that usage is this node's, and when a quota is set
// the shared count starts from then.
//
// What counts: a token counts once granted (a request refused for any reason gives its
// unit back, Return), and an API request counts when the org's DailyApiRequests counted
// it too (the data API gives the app's unit back when the org's limit refused it).

import (
	"context"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// QuotaWindow is one of the per-app quotas' counted windows.
type QuotaWindow uint8

const (
	// TokensPerHour counts granted tokens over the last 60 minutes (150-second buckets).
	TokensPerHour QuotaWindow = iota
	// TokensPerDay counts granted tokens over the last 24 hours (hourly buckets).
	TokensPerDay
	// APIPerDay counts API requests over the last 24 hours (hourly buckets).
	APIPerDay
	numWindows
)

// bucketSeconds is each window's bucket width: 24 buckets make the window.
var bucketSeconds = [numWindows]int64{TokensPerHour: 150, TokensPerDay: 3600, APIPerDay: 3600}

// windowNames name the windows in shared quota keys, messages and metrics.
var windowNames = [numWindows]string{TokensPerHour: "tokens_per_hour", TokensPerDay: "tokens_per_day", APIPerDay: "api_per_day"}

func (w QuotaWindow) String() string { return windowNames[w] }

// quota returns the app's quota of window w (0: none).
func (w QuotaWindow) quota(q org.AppQuotas) int {
	switch w {
	case TokensPerHour:
		return q.TokenRequestsPerHour
	case TokensPerDay:
		return q.TokenRequestsPerDay
	}
	return q.APIRequestsPerDay
}

// appWindow is one counted window of one app.
type appWindow struct {
	app sfid.ID
	w   QuotaWindow
}

// AppQuotas counts and enforces the per-app quotas. It is safe for concurrent use.
type AppQuotas struct {
	now func(orgID sfid.ID) time.Time // the org's time (orgclock.Clock.Org)

	mu     sync.Mutex
	counts map[appWindow]*usage // this node's counts (all of them on one node)

	q      cluster.Quotas // nil: one node
	shared map[appWindow]*sharedWindow

	// Refused, when set, is told each refusal (the metrics' forcefield_app_quota_refusals_total).
	Refused func(app sfid.ID, w QuotaWindow)
}

// sharedWindow serialises this node's reservations of one app's window: they would wait
// for each other on the database's row lock anyway (cluster_quotas.go), and waiting here
// keeps a burst from taking every pooled connection. full remembers a refusal for a
// second, as shared.go does, so that an app hammering past its quota does not cost a
// write per request; it is kept per bucket and quota, so a window rolling or a quota
// raised takes effect at once.
type sharedWindow struct {
	mu       sync.Mutex
	bucket   int64
	max      int
	used     int
	fullTill time.Time
}

// NewAppQuotas returns the per-app quota counter; now is each org's time (time.Now for
// every org if nil).
func NewAppQuotas(now func(orgID sfid.ID) time.Time) *AppQuotas {
	if now == nil {
		now = func(sfid.ID) time.Time { return time.Now() }
	}
	return &AppQuotas{now: now, counts: map[appWindow]*usage{}, shared: map[appWindow]*sharedWindow{}}
}

// Share makes the apps with a quota count through q, shared with the other nodes; nil (one
// node) keeps every count in memory. Call it before use.
func (c *AppQuotas) Share(q cluster.Quotas) { c.q = q }

// bucket is the index of the bucket of window w that t falls in.
func bucket(w QuotaWindow, t time.Time) int64 { return t.Unix() / bucketSeconds[w] }

func appQuotaKey(aw appWindow) string { return "appquota:" + aw.w.String() + ":" + aw.app.String() }

// Refusal says which quota refused a request.
type Refusal struct {
	Window QuotaWindow
	Quota  int
	// RetryAfter is when the window's oldest bucket leaves it: the soonest a unit can free.
	RetryAfter time.Duration
}

// Taken is what a granted request counted: give it back with Return when the request
// fails after all.
type Taken struct {
	app     sfid.ID
	buckets [numWindows]int64
	shared  [numWindows]bool // counted in the shared quotas
	counted [numWindows]bool
}

// TakeToken counts one token request of app (an app of org orgID) against its per-hour and
// per-day token quotas. It returns what it counted when both allow it, and the refusal
// (nothing counted) when either is spent.
func (c *AppQuotas) TakeToken(orgID, app sfid.ID, q org.AppQuotas) (Taken, *Refusal) {
	t, _, r := c.take(orgID, app, q, TokensPerHour, TokensPerDay)
	return t, r
}

// TakeAPI counts one API request of app against its APIRequestsPerDay, as TakeToken. used
// is the app's count of the last 24 hours, this request included when it was let through.
func (c *AppQuotas) TakeAPI(orgID, app sfid.ID, q org.AppQuotas) (t Taken, used int, r *Refusal) {
	return c.take(orgID, app, q, APIPerDay)
}

// take counts one unit in each of ws, all or none; used is the last window's count.
func (c *AppQuotas) take(orgID, app sfid.ID, q org.AppQuotas, ws ...QuotaWindow) (t Taken, used int, r *Refusal) {
	now := c.now(orgID)
	t.app = app
	for _, w := range ws {
		t.buckets[w] = bucket(w, now)
		t.shared[w] = c.q != nil && w.quota(q) > 0
	}
	// Shared windows first, one reservation each; a refusal gives back what was reserved.
	for _, w := range ws {
		if !t.shared[w] {
			continue
		}
		granted, n, err := c.reserve(appWindow{app, w}, t.buckets[w], w.quota(q), now)
		if err != nil {
			continue // the database is unreachable: let it through uncounted (shared.go)
		}
		if granted == 0 {
			c.Return(t)
			return Taken{}, n, c.refuse(app, w, q, now)
		}
		t.counted[w], used = true, n
	}
	if w, n, refused := c.takeLocal(&t, q, ws); refused {
		c.Return(t)
		return Taken{}, n, c.refuse(app, w, q, now)
	} else if n >= 0 {
		used = n
	}
	return t, used, nil
}

// takeLocal counts t's windows kept in memory, all or none. It returns the window that
// refused, or the last window's count (-1: none counted here).
func (c *AppQuotas) takeLocal(t *Taken, q org.AppQuotas, ws []QuotaWindow) (QuotaWindow, int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range ws {
		if t.shared[w] {
			continue
		}
		if max, n := w.quota(q), c.usageOf(appWindow{t.app, w}).total(t.buckets[w]); max > 0 && n >= max {
			return w, n, true
		}
	}
	used := -1
	for _, w := range ws {
		if t.shared[w] {
			continue
		}
		u := c.usageOf(appWindow{t.app, w})
		u.add(t.buckets[w], 1)
		t.counted[w], used = true, u.total(t.buckets[w])
	}
	return 0, used, false
}

// Return gives back what t counted: the request it was taken for was not granted after
// all. Units leave the bucket they were counted in (none if it left the window).
func (c *AppQuotas) Return(t Taken) {
	for w := range numWindows {
		if !t.counted[w] || !t.shared[w] {
			continue
		}
		aw := appWindow{t.app, w}
		ctx, cancel := context.WithTimeout(context.Background(), quotaWait)
		_ = c.q.Release(ctx, appQuotaKey(aw), t.buckets[w], 1) // failed: counted till it leaves the window
		cancel()
		c.mu.Lock()
		sw := c.shared[aw]
		c.mu.Unlock()
		if sw != nil {
			sw.mu.Lock()
			sw.fullTill = time.Time{} // a unit is free again
			sw.mu.Unlock()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for w := range numWindows {
		if !t.counted[w] || t.shared[w] {
			continue
		}
		if u := c.counts[appWindow{t.app, w}]; u != nil {
			if i := t.buckets[w] % window; u.hours[i] == t.buckets[w] && u.buckets[i] > 0 {
				u.buckets[i]--
			}
		}
	}
}

// reserve is one unit of aw in bucket b through the shared quotas.
func (c *AppQuotas) reserve(aw appWindow, b int64, max int, now time.Time) (granted, used int, err error) {
	c.mu.Lock()
	sw := c.shared[aw]
	if sw == nil {
		sw = &sharedWindow{}
		c.shared[aw] = sw
	}
	c.mu.Unlock()
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.bucket == b && sw.max == max && now.Before(sw.fullTill) {
		return 0, sw.used, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), quotaWait)
	defer cancel()
	granted, used, err = c.q.Reserve(ctx, appQuotaKey(aw), b, 1, max)
	if err == nil && granted == 0 {
		sw.bucket, sw.max, sw.used, sw.fullTill = b, max, used, now.Add(time.Second)
	}
	return granted, used, err
}

// usageOf returns aw's counts, created if new; c.mu must be held.
func (c *AppQuotas) usageOf(aw appWindow) *usage {
	u := c.counts[aw]
	if u == nil {
		u = &usage{}
		c.counts[aw] = u
	}
	return u
}

// refuse describes app's quota of w refusing at now, and tells Refused.
func (c *AppQuotas) refuse(app sfid.ID, w QuotaWindow, q org.AppQuotas, now time.Time) *Refusal {
	if c.Refused != nil {
		c.Refused(app, w)
	}
	// The oldest bucket of the window ending with now's leaves at the end of now's bucket.
	width := bucketSeconds[w]
	next := (now.Unix()/width + 1) * width
	return &Refusal{Window: w, Quota: w.quota(q), RetryAfter: time.Unix(next, 0).Sub(now)}
}

// AppUsage is an app's counts in its quotas' windows.
type AppUsage struct {
	TokenRequestsLastHour int
	TokenRequestsLast24h  int
	APIRequestsLast24h    int
}

// Used returns app's count of window w now (see Usage).
func (c *AppQuotas) Used(orgID, app sfid.ID, w QuotaWindow, q org.AppQuotas) int {
	b := bucket(w, c.now(orgID))
	if c.q != nil && w.quota(q) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), quotaWait)
		defer cancel()
		if used, err := c.q.Used(ctx, appQuotaKey(appWindow{app, w}), b); err == nil {
			return used
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if u := c.counts[appWindow{app, w}]; u != nil {
		return u.total(b)
	}
	return 0
}

// Usage returns app's counts now; with several nodes, a window with a quota is read from
// the shared quotas (q says which are set) and one without is this node's.
func (c *AppQuotas) Usage(orgID, app sfid.ID, q org.AppQuotas) AppUsage {
	return AppUsage{TokenRequestsLastHour: c.Used(orgID, app, TokensPerHour, q),
		TokenRequestsLast24h: c.Used(orgID, app, TokensPerDay, q), APIRequestsLast24h: c.Used(orgID, app, APIPerDay, q)}
}
