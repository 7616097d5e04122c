// Package cluster is what the Forcefield nodes on one database share beyond storage:
// change notices that keep each node's caches honest, periodic work that runs once across
// the nodes rather than once per node, and limits counted across the nodes without a
// database write per request.
//
// A backend provides the Coordinator (backend.Backend.Cluster): the SQLite backend is one
// node by construction and returns Local; the PostgreSQL backend uses LISTEN/NOTIFY, a
// timer table and a quota table (internal/store/postgres/cluster.go).
package cluster

import (
	"context"
	"sync"
	"time"
)

// Coordinator is the cluster a node belongs to.
type Coordinator interface {
	Notifier
	Timers
	// Quotas returns the shared counters, or nil on a single node, where limits are
	// counted in memory (package limits).
	Quotas() Quotas
}

// Resync is the payload a subscriber receives when notices may have been missed (the
// node's connection to the database was lost): it must forget everything it caches, or
// check it again against the store before trusting it. A coordinator also delivers it
// periodically (PostgreSQL's: every minute), because a notice can be lost without any
// gap a node could see — its publisher dying between committing a change and publishing
// it — and the period bounds how long such a loss leaves a cache stale.
const Resync = "\x00resync"

// Notifier carries change notices between the nodes.
type Notifier interface {
	// Publish delivers payload to the subscribers of topic on every node, this one
	// included, normally within milliseconds. Call it after the change it announces is
	// committed (a notice that arrives first would let another node re-read and cache the
	// old state). Payloads are short (at most 1,000 bytes). Subscribers must be idempotent:
	// the publishing node hears its own notices, after acting on the change itself.
	Publish(ctx context.Context, topic, payload string) error
	// Subscribe registers fn for topic's notices. fn runs on the coordinator's goroutine,
	// in the order notices arrive; it must not block. After a gap in delivery fn is
	// called with Resync.
	Subscribe(topic string, fn func(payload string))
}

// Timers make periodic work run once across the cluster.
type Timers interface {
	// Due reports whether this node should run the job name now: of the nodes asking
	// during one period of length every, exactly one is told true.
	Due(ctx context.Context, name string, now time.Time, every time.Duration) (bool, error)
}

// Quotas are counters over a rolling 24 hours in hourly buckets (package limits), shared
// by every node. A node reserves units in blocks and spends them from memory, so a
// limit of N allows N units in total across the nodes while the database sees one write
// per block, not one per request.
type Quotas interface {
	// Reserve takes up to n units of counter key in the bucket of hour (hours since the
	// Unix epoch), as far as the sum of the buckets hour-23 … hour stays ≤ max. It
	// returns the units granted (0 … n) and that sum after the grant.
	Reserve(ctx context.Context, key string, hour int64, n, max int) (granted, used int, err error)
	// Release returns units reserved in hour's bucket but not spent (a node closing).
	Release(ctx context.Context, key string, hour int64, n int) error
	// Used returns the sum of key's buckets hour-23 … hour.
	Used(ctx context.Context, key string, hour int64) (int, error)
}

// Shared reports whether c coordinates several nodes (its Quotas are shared): what a node
// caches may then change behind its back, and a cache miss must read the store.
func Shared(c Coordinator) bool { return c != nil && c.Quotas() != nil }

// Local is the Coordinator of a single node: notices go to this process's subscribers,
// every timer is due (the caller's own ticker paces it), and there are no shared quotas.
func Local() Coordinator { return &local{subs: map[string][]func(string){}} }

type local struct {
	mu   sync.Mutex
	subs map[string][]func(string)
}

func (l *local) Publish(_ context.Context, topic, payload string) error {
	l.mu.Lock()
	fns := l.subs[topic]
	l.mu.Unlock()
	for _, fn := range fns {
		fn(payload)
	}
	return nil
}

func (l *local) Subscribe(topic string, fn func(string)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.subs[topic] = append(l.subs[topic], fn)
}

func (l *local) Due(context.Context, string, time.Time, time.Duration) (bool, error) {
	return true, nil
}

func (l *local) Quotas() Quotas { return nil }
