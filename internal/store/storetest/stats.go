package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store/backend"
)

// StatsStore is what RunStats checks: the optional statistics a backend offers /metrics.
type StatsStore interface {
	bulk.Store
	backend.BulkJobCounter
	backend.PoolStatser
}

// RunStats checks backend.BulkJobCounter (jobs of every org counted by state, updates
// and deletions followed) and backend.PoolStatser (named pools, consistent counts).
// open must return a new, empty store; closing it is open's business.
func RunStats(t *testing.T, open func(t *testing.T) StatsStore) {
	ctx := context.Background()
	s := open(t)
	if got, err := s.BulkJobCounts(ctx); err != nil || len(got) != 0 {
		t.Errorf("BulkJobCounts of an empty store = %v, %v; want none", got, err)
	}
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	var jobs []*bulk.Job
	for i, st := range []string{bulk.StateOpen, bulk.StateOpen, bulk.StateInProgress, bulk.StateJobComplete, bulk.StateOpen} {
		j := &bulk.Job{OrgID: sfid.New("00D", "5F", uint64(1+i%2)), Type: bulk.TypeV2Ingest, Operation: bulk.OpInsert,
			Object: "Account", State: st, CreatedDate: t0}
		must(t, "CreateJob", s.CreateJob(ctx, j))
		jobs = append(jobs, j)
	}
	_, err := s.UpdateJob(ctx, jobs[2].OrgID, jobs[2].ID, func(j *bulk.Job) error { j.State = bulk.StateJobComplete; return nil })
	must(t, "UpdateJob", err)
	must(t, "DeleteJob", s.DeleteJob(ctx, jobs[4].OrgID, jobs[4].ID))
	got, err := s.BulkJobCounts(ctx)
	must(t, "BulkJobCounts", err)
	diff(t, "BulkJobCounts", map[string]int{bulk.StateOpen: 2, bulk.StateJobComplete: 2}, got)

	pools := s.PoolStats()
	if len(pools) == 0 {
		t.Fatal("PoolStats: no pools")
	}
	for _, p := range pools {
		if p.Pool == "" || p.Open < 0 || p.InUse+p.Idle != p.Open || (p.MaxOpen > 0 && p.Open > p.MaxOpen) || p.WaitCount < 0 {
			t.Errorf("PoolStats: inconsistent %+v", p)
		}
	}
}
