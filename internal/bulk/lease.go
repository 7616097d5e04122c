package bulk

// Several nodes on one database (docs/operations.md "Several nodes"). A worker processes
// a job only while this node holds the job's claim (Claims in store.go): it claims the
// job when it takes it from the queue, renews the claim every third of ClaimFor while it
// works, and releases it when done. A job whose claim another node holds is left to that
// node. Every node looks for pending jobs every ScanEvery and queues those it does not
// run itself; claiming weeds out the ones another node is running, so a crashed node's
// jobs are taken over once its claims expire — within ClaimFor + ScanEvery — and resume
// after their last committed chunk, as after a restart.
//
// The scan runs on every node rather than once across the cluster: it must not depend on
// one node being alive, and it costs one indexed query per node per ScanEvery.
//
// A node that cannot renew (the database unreachable, or another node took the claim
// after it expired) stops working on the job at its next chunk: its job context is
// cancelled when a renewal reports the claim lost, or when the claim it last renewed is
// about to run out (a third of ClaimFor before). Work committed before that point is
// kept; the next holder goes on after it.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Defaults of the claim timings (Config.ClaimFor, Config.ScanEvery). A claim of 30 s
// survives a pause of the node (GC, a slow commit) of 20 s; a crashed node's jobs resume
// elsewhere within 35 s.
const (
	DefaultClaimFor  = 30 * time.Second
	DefaultScanEvery = 5 * time.Second
)

// nodeName names this process in claims: host, process id and a random suffix, so that a
// restarted process is a new node and two processes never share a name.
func nodeName() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// runClaimed claims job id, processes it while holding the claim (again, as long as work
// is added meanwhile) and releases it. A job another node holds is dropped from the queue.
func (e *Engine) runClaimed(ctx context.Context, orgID, id sfid.ID) {
	for {
		now := e.now()
		ok, err := e.cfg.Store.ClaimJob(ctx, orgID, id, e.cfg.Node, now, now.Add(e.cfg.ClaimFor))
		if err != nil || !ok {
			if err != nil && !errors.Is(err, store.ErrNotFound) && ctx.Err() == nil {
				e.cfg.Logger.Error("bulk job: claiming", "job", id, "err", err) // the next scan tries again
			}
			e.dequeue(id)
			return
		}
		jctx, cancel := context.WithCancel(ctx)
		renewed := make(chan struct{})
		go e.renew(jctx, cancel, orgID, id, renewed)
		for {
			e.process(jctx, orgID, id)
			e.mu.Lock()
			more := e.again[id]
			delete(e.again, id)
			e.mu.Unlock()
			if !more || jctx.Err() != nil {
				break
			}
		}
		cancel()
		<-renewed
		// Released before the job leaves the queue: a submit meanwhile sets again, and the
		// claim is taken anew below rather than released under a second worker's feet.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		if err := e.cfg.Store.ReleaseClaim(rctx, orgID, id, e.cfg.Node); err != nil {
			e.cfg.Logger.Warn("bulk job: releasing its claim; it expires by itself", "job", id, "err", err)
		}
		rcancel()
		e.mu.Lock()
		more := e.again[id] && ctx.Err() == nil
		delete(e.again, id)
		if !more {
			delete(e.queued, id)
		}
		e.mu.Unlock()
		if !more {
			return
		}
	}
}

func (e *Engine) dequeue(id sfid.ID) {
	e.mu.Lock()
	delete(e.queued, id)
	delete(e.again, id)
	e.mu.Unlock()
}

// renew keeps this node's claim on a job while ctx lasts; it cancels the job's work when
// the claim is lost or about to run out unrenewed. It closes done when it returns.
func (e *Engine) renew(ctx context.Context, cancel context.CancelFunc, orgID, id sfid.ID, done chan<- struct{}) {
	defer close(done)
	every := e.cfg.ClaimFor / 3
	tick := time.NewTicker(every)
	defer tick.Stop()
	deadline := time.Now().Add(e.cfg.ClaimFor - every)
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		rctx, rcancel := context.WithTimeout(ctx, every) // a hung database must not hide the deadline
		ok, err := e.cfg.Store.RenewClaim(rctx, orgID, id, e.cfg.Node, e.now().Add(e.cfg.ClaimFor))
		rcancel()
		switch {
		case ctx.Err() != nil:
			return
		case err == nil && ok:
			deadline = time.Now().Add(e.cfg.ClaimFor - every)
			continue
		case err == nil:
			e.cfg.Logger.Warn("bulk job: another node took its claim over; stopping here", "job", id)
		case errors.Is(err, store.ErrNotFound):
			// deleted: processing finds out by itself
			continue
		case time.Now().Before(deadline):
			e.cfg.Logger.Warn("bulk job: renewing its claim", "job", id, "err", err)
			continue
		default:
			e.cfg.Logger.Error("bulk job: its claim runs out unrenewed; stopping here", "job", id, "err", err)
		}
		cancel()
		return
	}
}

// scanner queues, every ScanEvery, the pending jobs this node is not running: those of a
// crashed node once their claims have expired, and any whose submit was missed.
func (e *Engine) scanner(ctx context.Context) {
	defer e.done.Done()
	tick := time.NewTicker(e.cfg.ScanEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		jobs, err := e.cfg.Store.Pending(ctx)
		if err != nil {
			if ctx.Err() == nil {
				e.cfg.Logger.Error("bulk: looking for pending jobs", "err", err)
			}
			continue
		}
		for _, j := range jobs {
			e.enqueue(j.OrgID, j.ID)
		}
	}
}

// enqueue queues a job unless this node has it queued or running already (unlike
// submit, it does not make a running job look again).
func (e *Engine) enqueue(orgID, jobID sfid.ID) {
	e.mu.Lock()
	_, queued := e.queued[jobID]
	e.mu.Unlock()
	if !queued {
		e.submit(orgID, jobID)
	}
}
