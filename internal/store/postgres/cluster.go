package postgres

// The cluster.Coordinator of the nodes on one PostgreSQL database.
//
// Notices travel by LISTEN/NOTIFY (https://www.postgresql.org/docs/15/sql-notify.html):
// every node holds one dedicated connection LISTENing on one channel, named after the
// schema (nodes on one schema hear each other, the tests' schemas on one server do not),
// and Publish is a pg_notify on the pool. A notice's payload is "topic\x1fpayload"; NOTIFY
// payloads are limited to 8,000 bytes, and the contract keeps them under 1,000. PostgreSQL
// delivers a notice to every listening session, the publisher's node included, in commit
// order, and only while the session is connected: notices sent while a node's listener
// is down are lost for it. So when the listener connects again the node's subscribers
// receive cluster.Resync and forget what they cache. Notices may also be lost without any
// connection failing — a node dying between committing a change and publishing it — so
// every ResyncEvery the subscribers receive Resync anyway: that bounds how long such a
// lost notice can leave another node's cache stale (docs/cluster.md).
//
// The listener's connection has short TCP keepalives (listenKeepAlive), so a silently
// dead peer (a cable pulled, a failover) is noticed within about half a minute rather
// than the kernel's default two hours.
//
// Timers and quotas are rows: cluster_timers and cluster_quotas (cluster_quotas.go).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/forcefield/forcefield/internal/cluster"
)

const (
	// topicSep separates the topic from the payload in a notice (ASCII unit separator).
	topicSep = "\x1f"
	// maxNotice is PostgreSQL's NOTIFY payload limit (less one byte, for safety).
	maxNotice = 7999
	// ResyncEvery is how often subscribers receive cluster.Resync with no gap seen: the
	// bound on how long a lost notice keeps a cache stale. Its cost is one store read per
	// cached session, refresh token and Setup object per period per node.
	ResyncEvery = time.Minute
	// firstListenWait is how long Cluster waits for the listener's first LISTEN, so that a
	// node subscribing at start hears every notice published after.
	firstListenWait = 5 * time.Second
)

// listenKeepAlive detects a dead listener connection: first probe after 10 s idle, then
// every 5 s, given up after 3 unanswered.
var listenKeepAlive = net.KeepAliveConfig{Enable: true, Idle: 10 * time.Second, Interval: 5 * time.Second, Count: 3}

// coordinator is the cluster.Coordinator of a DB.
type coordinator struct {
	db      *DB
	channel string
	log     *slog.Logger
	quotas  *quotas

	mu       sync.Mutex
	subs     map[string][]func(string)
	connects int  // listener connections made so far
	gaveUp   bool // Cluster stopped waiting for the first one: it must Resync too

	ready  chan struct{} // closed at the first LISTEN
	cancel context.CancelFunc
	done   chan struct{}
	pid    atomic.Uint32 // backend PID of the listener connection (tests kill it)
	resync time.Duration
}

var _ cluster.Coordinator = (*coordinator)(nil)

// Cluster is the coordinator of the nodes on this database. The first call starts the
// listener (its own connection) and waits up to firstListenWait for it to LISTEN; Close
// stops it.
func (db *DB) Cluster() cluster.Coordinator {
	db.clusterOnce.Do(func() { db.cluster = db.startCluster(ResyncEvery) })
	return db.cluster
}

func (db *DB) startCluster(resync time.Duration) *coordinator {
	ctx, cancel := context.WithCancel(context.Background())
	c := &coordinator{db: db, log: slog.Default(), quotas: &quotas{db: db}, subs: map[string][]func(string){},
		ready: make(chan struct{}), cancel: cancel, done: make(chan struct{}), resync: resync}
	go c.run(ctx)
	select {
	case <-c.ready:
	case <-time.After(firstListenWait):
		c.mu.Lock()
		c.gaveUp = c.connects == 0
		c.mu.Unlock()
		c.log.Warn("postgres: cluster notices: no listener yet; continuing, caches resync when it connects", "db", db.url)
	}
	return c
}

// stop ends the listener and waits for it.
func (c *coordinator) stop() {
	c.cancel()
	<-c.done
}

// channelName is the notice channel of schema: "forcefield_<schema>", or a hash of the
// schema when that would pass PostgreSQL's 63-byte identifier limit.
func channelName(schema string) string {
	ch := "forcefield_" + schema
	if len(ch) > 63 {
		sum := sha256.Sum256([]byte(schema))
		ch = "forcefield_" + hex.EncodeToString(sum[:16])
	}
	return ch
}

// Publish sends the notice through pg_notify: it reaches every node's listener, this
// one's included, once the statement ends (it is its own transaction).
func (c *coordinator) Publish(ctx context.Context, topic, payload string) error {
	if strings.Contains(topic, topicSep) {
		return fmt.Errorf("postgres: notice topic %q contains the separator", topic)
	}
	msg := topic + topicSep + payload
	if len(msg) > maxNotice {
		return fmt.Errorf("postgres: notice of %d bytes is over NOTIFY's limit", len(msg))
	}
	ch, err := c.channelName(ctx)
	if err != nil {
		return err
	}
	if _, err := c.db.pool.Exec(ctx, "SELECT pg_notify($1, $2)", ch, msg); err != nil {
		return fmt.Errorf("postgres: publish %s notice: %w", topic, err)
	}
	return nil
}

// channelName returns the channel, reading the schema once.
func (c *coordinator) channelName(ctx context.Context) (string, error) {
	c.mu.Lock()
	ch := c.channel
	c.mu.Unlock()
	if ch != "" {
		return ch, nil
	}
	var schema string
	if err := c.db.pool.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return "", fmt.Errorf("postgres: current schema: %w", err)
	}
	ch = channelName(schema)
	c.mu.Lock()
	c.channel = ch
	c.mu.Unlock()
	return ch, nil
}

// Subscribe registers fn for topic's notices.
func (c *coordinator) Subscribe(topic string, fn func(string)) {
	c.mu.Lock()
	c.subs[topic] = append(c.subs[topic], fn)
	c.mu.Unlock()
}

// deliver calls topic's subscribers with payload.
func (c *coordinator) deliver(topic, payload string) {
	c.mu.Lock()
	fns := c.subs[topic]
	c.mu.Unlock()
	for _, fn := range fns {
		fn(payload)
	}
}

// resyncAll calls every subscriber with cluster.Resync.
func (c *coordinator) resyncAll() {
	c.mu.Lock()
	var fns []func(string)
	for _, fs := range c.subs {
		fns = append(fns, fs...)
	}
	c.mu.Unlock()
	for _, fn := range fns {
		fn(cluster.Resync)
	}
}

// run keeps a listener connected until ctx ends, reconnecting with backoff (100 ms
// doubling to 5 s) and resyncing the subscribers after each gap.
func (c *coordinator) run(ctx context.Context) {
	defer close(c.done)
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		conn, err := c.listen(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			c.log.Warn("postgres: cluster notices: listener cannot connect; retrying", "db", c.db.url, "err", err, "in", backoff)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		c.mu.Lock()
		first := c.connects == 0
		c.connects++
		resync := !first || c.gaveUp
		c.mu.Unlock()
		if first {
			close(c.ready)
		}
		if resync {
			c.resyncAll()
		}
		err = c.receive(ctx, conn)
		c.pid.Store(0)
		conn.Close(context.Background())
		if ctx.Err() == nil {
			c.log.Warn("postgres: cluster notices: listener connection lost; reconnecting", "db", c.db.url, "err", err)
		}
	}
}

// listen opens the listener connection and LISTENs on the channel.
func (c *coordinator) listen(ctx context.Context) (*pgx.Conn, error) {
	cfg := c.db.pool.Config().ConnConfig.Copy()
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAliveConfig: listenKeepAlive}
	cfg.DialFunc = d.DialContext
	connCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(connCtx, cfg)
	if err != nil {
		return nil, err
	}
	ch, err := c.channelName(connCtx)
	if err == nil {
		_, err = conn.Exec(connCtx, "LISTEN "+pgx.Identifier{ch}.Sanitize())
	}
	if err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	c.pid.Store(conn.PgConn().PID())
	return conn, nil
}

// receive delivers notices until the connection fails or ctx ends; every c.resync it
// delivers Resync (see ResyncEvery).
func (c *coordinator) receive(ctx context.Context, conn *pgx.Conn) error {
	next := time.Now().Add(c.resync)
	for {
		wait, cancel := context.WithDeadline(ctx, next)
		n, err := conn.WaitForNotification(wait)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed() {
				c.resyncAll()
				next = time.Now().Add(c.resync)
				continue
			}
			return err
		}
		topic, payload, ok := strings.Cut(n.Payload, topicSep)
		if !ok {
			continue // not ours
		}
		c.deliver(topic, payload)
	}
}

// Quotas are the shared counters (cluster_quotas.go).
func (c *coordinator) Quotas() cluster.Quotas { return c.quotas }
