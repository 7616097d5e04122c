package bulk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Directory gives the users and orgs jobs run as (directory.Directory, cached).
type Directory interface {
	Principal(ctx context.Context, userID sfid.ID) (org.Principal, error)
	Org(ctx context.Context, id sfid.ID) (org.Org, error)
}

// Usage counts the Bulk API's daily allocations (limits.Counter). Use counts n against
// the named limit and reports whether it was within max.
type Usage interface {
	UseN(name string, orgID sfid.ID, n, max int) (int, bool)
}

// Config is what an Engine needs.
type Config struct {
	Store    Store
	Records  records.Store
	Catalogs *records.Catalogs
	Dir      Directory
	Usage    Usage
	Now      func() time.Time
	// Clock tells each org's time (time travel): a job's and its batches' stamps, its
	// records' and its SOQL's date literals are in its org's time. Nil: all on Now.
	Clock  *orgclock.Clock
	Logger *slog.Logger
	// Timers makes the retention sweep run on one node per SweepEvery across the
	// cluster (nil: every sweep runs).
	Timers cluster.Timers
	// Workers is how many jobs are processed at once (default 2: the machine's cores,
	// and the single SQLite writer serialises the writes anyway).
	Workers int
	// ChunkRows is how many records one committed chunk of ingest holds (default 1000:
	// SQLite has one writer, and a chunk holds it for as long as it takes to write — with
	// the search index about 40 ms at 1,000 — so token issuance and REST writes queue for
	// about that long behind a job; 5,000 cost them 4x the throughput, for no faster job;
	// docs/performance.md "Bulk API").
	ChunkRows int
	// Decoders read Bulk 1.0 batches by job content type (XML, JSON); CSV is built in.
	Decoders map[string]Decoder
	// Encoders render Bulk 1.0 query results by job content type; CSV is built in.
	Encoders map[string]RowEncoder
	// Retention is how long a job and its data and results are kept after it was
	// created (default 7 days, as Salesforce keeps them); SweepEvery how often old jobs
	// are deleted (default 1 hour).
	Retention  time.Duration
	SweepEvery time.Duration
	// Node names this process in job claims (default: host, process id and a random
	// suffix; lease.go). ClaimFor is how long a claim lasts unrenewed (default 30 s; it
	// is renewed every third of that); ScanEvery how often this node looks for pending
	// jobs no node is running (default 5 s).
	Node      string
	ClaimFor  time.Duration
	ScanEvery time.Duration
}

// Engine processes jobs in the background and answers the adapters' requests.
type Engine struct {
	cfg Config

	mu      sync.Mutex
	queued  map[sfid.ID]sfid.ID // job → org, waiting or running
	again   map[sfid.ID]bool    // jobs given more work while running
	ready   chan sfid.ID
	stop    context.CancelFunc
	done    sync.WaitGroup
	started bool
}

// New returns an Engine; Start runs it.
func New(cfg Config) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Clock == nil {
		cfg.Clock = orgclock.New(cfg.Now)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.ChunkRows <= 0 {
		cfg.ChunkRows = 1000
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 7 * 24 * time.Hour
	}
	if cfg.SweepEvery <= 0 {
		cfg.SweepEvery = time.Hour
	}
	if cfg.Node == "" {
		cfg.Node = nodeName()
	}
	if cfg.ClaimFor <= 0 {
		cfg.ClaimFor = DefaultClaimFor
	}
	if cfg.ScanEvery <= 0 {
		cfg.ScanEvery = DefaultScanEvery
	}
	return &Engine{cfg: cfg, queued: map[sfid.ID]sfid.ID{}, again: map[sfid.ID]bool{}, ready: make(chan sfid.ID, 1<<16)}
}

// Start starts the workers and queues every job a previous run left unfinished: its
// committed chunks stay, processing goes on after the last of them. With several nodes
// a job is processed by the one holding its claim (lease.go).
func (e *Engine) Start(ctx context.Context) error {
	jobs, err := e.cfg.Store.Pending(ctx)
	if err != nil {
		return fmt.Errorf("bulk: resuming jobs: %w", err)
	}
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e.stop = cancel
	e.started = true
	for range e.cfg.Workers {
		e.done.Add(1)
		go e.worker(wctx)
	}
	e.done.Add(2)
	go e.sweeper(wctx)
	go e.scanner(wctx)
	for _, j := range jobs {
		e.cfg.Logger.Info("bulk job resumed", "job", j.ID, "org", j.OrgID, "state", j.State)
		e.submit(j.OrgID, j.ID)
	}
	return nil
}

// Close stops the workers, waiting for the chunk each is committing, and releases their
// claims; unfinished jobs resume at the next Start, or on another node.
func (e *Engine) Close() {
	if !e.started {
		return
	}
	e.stop()
	e.done.Wait()
	e.started = false
}

// now is the server's time: claims, leases and the retention sweep.
func (e *Engine) now() time.Time { return e.cfg.Now().UTC().Truncate(time.Millisecond) }

// orgNow is org orgID's time (time travel): what its jobs, batches and records carry.
func (e *Engine) orgNow(orgID sfid.ID) time.Time {
	return e.cfg.Clock.Org(orgID).UTC().Truncate(time.Millisecond)
}

// submit queues a job for processing (once; a running job is looked at again after).
func (e *Engine) submit(orgID, jobID sfid.ID) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.queued[jobID]; ok {
		e.again[jobID] = true
		return
	}
	e.queued[jobID] = orgID
	select {
	case e.ready <- jobID:
	default: // a full queue: the next scan finds the job again
		delete(e.queued, jobID)
		e.cfg.Logger.Warn("bulk queue full; job waits for the next scan", "job", jobID)
	}
}

func (e *Engine) worker(ctx context.Context) {
	defer e.done.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-e.ready:
			e.mu.Lock()
			orgID := e.queued[id]
			e.mu.Unlock()
			e.runClaimed(ctx, orgID, id)
		}
	}
}

// process runs what a job has to do now. Errors that are not the job's fault are
// logged and fail the job rather than leave it spinning.
func (e *Engine) process(ctx context.Context, orgID, id sfid.ID) {
	j, err := e.cfg.Store.Job(ctx, orgID, id)
	if errors.Is(err, store.ErrNotFound) || ctx.Err() != nil {
		return
	}
	if err != nil {
		e.cfg.Logger.Error("bulk job: loading", "job", id, "err", err)
		return
	}
	switch j.Type {
	case TypeV2Ingest:
		err = e.runV2Ingest(ctx, j)
	case TypeV2Query:
		err = e.runV2Query(ctx, j)
	case TypeClassic:
		err = e.runClassic(ctx, j)
	}
	if err != nil && ctx.Err() == nil {
		e.cfg.Logger.Error("bulk job failed", "job", id, "org", orgID, "err", err)
		e.failJob(ctx, j, "InternalError : the job could not be processed; see the server log")
	}
}

// failJob ends a job as Failed with msg, unless it already ended.
func (e *Engine) failJob(ctx context.Context, j *Job, msg string) {
	_, err := e.cfg.Store.UpdateJob(ctx, j.OrgID, j.ID, func(cur *Job) error {
		if cur.Terminal() {
			return errAlreadyEnded
		}
		cur.State, cur.ErrorMessage, cur.SystemModstamp = StateFailed, msg, e.orgNow(j.OrgID)
		return nil
	})
	if err != nil && !errors.Is(err, errAlreadyEnded) {
		e.cfg.Logger.Error("bulk job: marking failed", "job", j.ID, "err", err)
	}
}

var errAlreadyEnded = errors.New("bulk: job already ended")

// sweeper deletes jobs past their retention, at start and then every SweepEvery.
func (e *Engine) sweeper(ctx context.Context) {
	defer e.done.Done()
	tick := time.NewTicker(e.cfg.SweepEvery)
	defer tick.Stop()
	for {
		e.Sweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Sweep deletes the jobs created more than Retention ago.
func (e *Engine) Sweep(ctx context.Context) {
	if e.cfg.Timers != nil {
		if due, err := e.cfg.Timers.Due(ctx, "bulk.sweep", e.now(), e.cfg.SweepEvery); err != nil || !due {
			return
		}
	}
	n, err := e.cfg.Store.DeleteJobsBefore(ctx, e.now().Add(-e.cfg.Retention))
	switch {
	case err != nil && ctx.Err() == nil:
		e.cfg.Logger.Error("bulk: deleting old jobs", "err", err)
	case n > 0:
		e.cfg.Logger.Info("bulk: deleted jobs past their retention", "jobs", n, "retention", e.cfg.Retention)
	}
}

// errBatchEnded is a batch found terminal when processing was to start it: an abort
// marked it NotProcessed after the worker listed it. It is skipped, not revived.
var errBatchEnded = errors.New("bulk: batch already ended")
