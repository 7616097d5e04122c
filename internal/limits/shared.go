package limits

// Counting across several nodes (issue 12 §3: "a limit of N allows N requests in total,
// not N per node, without a database write per request").
//
// A Counter that Shares cluster.Quotas keeps each counted limit's units in the shared
// hourly buckets, reserved in blocks: a request spends a unit of the node's current block
// in memory; when the block is spent the node reserves the next one in one transaction
// (cluster.Quotas.Reserve), which never grants past the limit however many nodes ask at
// once. The block is large when the limit is far (1/64 of what remains, at most 1,000,
// so spending a default org's 15,000 requests costs about 260 reservations) and one unit
// within 256 of the limit, so that near it every node asks for exactly what it spends.
// A block reserved but not spent counts as used until the node spends it, releases it
// at Close or at the end of its hour: a node that stops receiving requests may hold up to
// one block, and the others are refused that much early — never more than N in total.
//
// What a request is told it used (the Sforce-Limit-Info header) is the shared sum as of
// this node's last reservation, without its own unspent units, plus what it spent since;
// GET /limits (Used) reads the shared sum. After a refusal the node asks again no sooner
// than a second later, so a client hammering past its limit does not cost a write per
// request. If the database cannot be reached the request is let through uncounted: every
// API request needs the database anyway.
//
// The per-app counts (UseApp, HourlyByApp: the console's API Usage chart) stay per node:
// each node charts the requests it served.

import (
	"context"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
)

const (
	nearLimit   = 256  // within this many units of the limit, blocks are of one unit
	maxBlock    = 1000 // the largest block
	blockDivide = 64   // a block is this fraction of what remains
	quotaWait   = 5 * time.Second
)

// block is one counted limit's reservation on this node.
type block struct {
	mu       sync.Mutex
	hour     int64     // the hour the units were reserved in
	left     int       // reserved in hour, not spent
	seen     int       // the window's use as this node knows it (see the file comment)
	fullTill time.Time // refused: do not ask again before
}

// Share makes the Counter count through q, shared with the other nodes; q nil (one node)
// keeps counting in memory. Call it before use.
func (c *Counter) Share(q cluster.Quotas) {
	if q == nil {
		return
	}
	c.q = q
	c.blocks = map[key]*block{}
}

// quotaKey names a counted limit in the shared quotas.
func quotaKey(k key) string { return "limit:" + k.name + ":" + k.org.String() }

// blockSize is the units to reserve when remaining are left before the limit.
func blockSize(remaining int) int {
	if remaining <= nearLimit {
		return 1
	}
	return min(remaining/blockDivide, maxBlock)
}

func (c *Counter) block(k key) *block {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.blocks[k]
	if b == nil {
		b = &block{}
		c.blocks[k] = b
	}
	return b
}

// useShared is UseN through the shared quotas.
func (c *Counter) useShared(k key, n, limit int) (int, bool) {
	now := c.orgNow(k.org)
	h := now.Unix() / 3600
	b := c.block(k)
	b.mu.Lock()
	defer b.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), quotaWait)
	defer cancel()
	if b.hour != h {
		if b.left > 0 {
			_ = c.q.Release(ctx, quotaKey(k), b.hour, b.left) // failed: counted till it leaves the window
		}
		b.hour, b.left, b.fullTill = h, 0, time.Time{}
	}
	if b.left < n {
		if now.Before(b.fullTill) {
			return b.seen, false
		}
		want := max(n-b.left, blockSize(limit-b.seen-b.left))
		granted, used, err := c.q.Reserve(ctx, quotaKey(k), h, want, limit)
		if err != nil {
			return b.seen, true // see the file comment
		}
		b.left += granted
		b.seen = used - b.left
		if b.left < n {
			b.fullTill = now.Add(time.Second)
			return b.seen, false
		}
	}
	b.left -= n
	b.seen += n
	return b.seen, true
}

// usedShared is UsedN through the shared quotas: the shared sum less this node's unspent
// units.
func (c *Counter) usedShared(k key) int {
	h := c.hourOf(k.org)
	b := c.block(k)
	ctx, cancel := context.WithTimeout(context.Background(), quotaWait)
	defer cancel()
	used, err := c.q.Used(ctx, quotaKey(k), h)
	b.mu.Lock()
	defer b.mu.Unlock()
	if err != nil {
		return b.seen
	}
	if b.hour == h {
		used -= b.left
	}
	return used
}

// Close gives back the units this node reserved and did not spend, so that the other
// nodes may use them. Counting after Close still works (and reserves again).
func (c *Counter) Close() error {
	if c.q == nil {
		return nil
	}
	c.mu.Lock()
	bs := make(map[key]*block, len(c.blocks))
	for k, b := range c.blocks {
		bs[k] = b
	}
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), quotaWait)
	defer cancel()
	var first error
	for k, b := range bs {
		b.mu.Lock()
		if b.left > 0 {
			if err := c.q.Release(ctx, quotaKey(k), b.hour, b.left); err != nil && first == nil {
				first = err
			}
			b.left = 0
		}
		b.mu.Unlock()
	}
	return first
}
