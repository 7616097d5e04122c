package limits

// Exhausting a limit now (issue 14 §1: "exhaust an org's DailyApiRequests now"), so that
// an integration's handling of REQUEST_LIMIT_EXCEEDED can be tested without making
// 15,000 requests. The units left in the window are counted as used in the current hour:
// GET /limits then shows Remaining 0, the next request is refused, and the window frees
// them 23 to 24 hours later as it would real requests (or sooner, with the org's time
// travelled).
//
// With several nodes (shared.go) the units are reserved in the shared buckets, so every
// node's next reservation fails; the blocks other nodes reserved earlier and have not
// spent would still let a few requests through, so Exhaust tells them (cluster notice
// "limits") to count their blocks as spent too.

import (
	"context"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/sfid"
)

// noticeTopic is the topic of the Counter's notices: "spent:<quota key>".
const noticeTopic = "limits"

// Listen makes the Counter hear the other nodes' Exhaust (call it once, with the
// cluster the Counter Shares).
func (c *Counter) Listen(n cluster.Notifier) {
	if n == nil || c.q == nil {
		return
	}
	c.n = n
	n.Subscribe(noticeTopic, func(payload string) {
		qk, ok := strings.CutPrefix(payload, "spent:")
		if !ok {
			return
		}
		c.mu.Lock()
		var bs []*block
		for k, b := range c.blocks {
			if quotaKey(k) == qk {
				bs = append(bs, b)
			}
		}
		c.mu.Unlock()
		for _, b := range bs {
			b.mu.Lock()
			b.seen += b.left // reserved in the shared sum: count them as spent
			b.left = 0
			b.mu.Unlock()
		}
	})
}

// Exhaust counts every unit left of an org's daily limit name ("" is DailyApiRequests)
// of max as used now, and returns the units it counted.
func (c *Counter) Exhaust(ctx context.Context, name string, orgID sfid.ID, max int) (int, error) {
	k := key{name, orgID}
	if c.q != nil {
		return c.exhaustShared(ctx, k, max)
	}
	h := c.hourOf(orgID) // the org's own hour (time travel)
	c.mu.Lock()
	defer c.mu.Unlock()
	u := c.orgs[k]
	if u == nil {
		u = &usage{}
		c.orgs[k] = u
	}
	n := max - u.total(h)
	if n <= 0 {
		return 0, nil
	}
	u.add(h, n)
	return n, nil
}

func (c *Counter) exhaustShared(ctx context.Context, k key, limit int) (int, error) {
	now := c.orgNow(k.org)
	h := now.Unix() / 3600
	b := c.block(k)
	b.mu.Lock()
	if b.hour != h {
		if b.left > 0 {
			_ = c.q.Release(ctx, quotaKey(k), b.hour, b.left)
		}
		b.hour, b.left, b.fullTill = h, 0, time.Time{}
	}
	granted, used, err := c.q.Reserve(ctx, quotaKey(k), h, limit, limit)
	if err != nil {
		b.mu.Unlock()
		return 0, err
	}
	b.seen = used // this node's unspent units are spent too
	b.left = 0
	b.fullTill = now.Add(time.Second)
	b.mu.Unlock()
	if c.n != nil {
		if err := c.n.Publish(ctx, noticeTopic, "spent:"+quotaKey(k)); err != nil {
			return granted, err
		}
	}
	return granted, nil
}
