package pgtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// A Pool hands out new schemas that a prepare function (running the migrations, say) has
// already been run on, readied in the background while the tests run, and drops them in
// the background once their tests end: a suite that starts hundreds of servers does not
// wait, per server, for a schema to be created, migrated and dropped (~1 s each on a
// loaded machine). Each schema still serves one test only, as URL's do.
//
// A Pool starts working at its first URL call, so that a suite that never asks for a
// schema never connects. Close it when the tests end (TestMain): it waits for the drops
// and drops the schemas readied but not taken.
type Pool struct {
	prepare func(ctx context.Context, url string) error

	start sync.Once
	ready chan readied   // the next schema, or why none could be readied
	stop  chan struct{}  // closed by Close: the filler stops
	done  chan struct{}  // closed when the filler has stopped
	drops sync.WaitGroup // background drops under way
	mu    sync.Mutex     // guards errs
	errs  []error        // failed drops, reported by Close
	base  string         // the server, once started
	close sync.Once
}

// readied is one schema the filler made ready.
type readied struct {
	schema, url string
	err         error
}

// NewPool returns a Pool whose schemas prepare has been run on (with the schema's URL).
func NewPool(prepare func(ctx context.Context, url string) error) *Pool {
	return &Pool{prepare: prepare, ready: make(chan readied, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// URL returns the URL of a new, prepared schema of its own (through the search_path
// parameter), dropped with everything in it in the background after t ends. Without a
// PostgreSQL, t is skipped (fails under CI=true) as with URL.
func (p *Pool) URL(t testing.TB) string {
	t.Helper()
	base := reachable(t)
	p.start.Do(func() {
		p.base = base
		go p.fill()
	})
	r, ok := <-p.ready
	if !ok {
		t.Fatal("pgtest: the pool is closed")
	}
	if r.err != nil {
		t.Fatalf("pgtest: %v", r.err)
	}
	t.Cleanup(func() { p.dropLater(r.schema) })
	return r.url
}

// fill readies schemas one ahead of the tests until Close.
func (p *Pool) fill() {
	defer close(p.done)
	defer close(p.ready)
	for {
		r := p.readyOne()
		select {
		case p.ready <- r:
		case <-p.stop:
			if r.err == nil {
				p.dropLater(r.schema)
			}
			return
		}
	}
}

// readyOne creates a schema and prepares it.
func (p *Pool) readyOne() readied {
	ctx := context.Background()
	schema, u, err := create(ctx, p.base)
	if err != nil {
		return readied{err: err}
	}
	if err := p.prepare(ctx, u); err != nil {
		p.dropLater(schema)
		return readied{err: fmt.Errorf("prepare schema %s: %w", schema, err)}
	}
	return readied{schema: schema, url: u}
}

// dropLater drops schema in the background; Close waits for it and reports a failure.
func (p *Pool) dropLater(schema string) {
	p.drops.Add(1)
	go func() {
		defer p.drops.Done()
		if err := drop(p.base, schema); err != nil {
			p.mu.Lock()
			p.errs = append(p.errs, err)
			p.mu.Unlock()
		}
	}()
}

// Close stops readying schemas, drops those readied but not taken, waits for every drop
// and returns the failures. Call it after the tests that used the pool have ended.
func (p *Pool) Close() error {
	p.close.Do(func() {
		close(p.stop)
		started := true
		p.start.Do(func() { started = false })
		if !started {
			close(p.ready) // a later URL fails the test
			return
		}
		<-p.done
		for r := range p.ready {
			if r.err == nil {
				p.dropLater(r.schema)
			}
		}
	})
	p.drops.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return errors.Join(p.errs...)
}
