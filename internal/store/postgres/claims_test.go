package postgres

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestBulkClaimsConformance(t *testing.T) {
	t.Parallel()
	storetest.RunBulkClaims(t, func(t *testing.T) bulk.Store { return openTest(t) })
}

// 64 claimers spread over four nodes (four pools, so 32 connections racing at once) for
// one free job, then for its expired claim: each time exactly one wins.
func TestClaimRacingNodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	dbs := make([]*DB, 4)
	for i := range dbs {
		db, err := Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	orgID := sfid.New("00D", pod, 1)
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	j := &bulk.Job{OrgID: orgID, Type: bulk.TypeV2Ingest, Operation: bulk.OpInsert, Object: "Account", State: bulk.StateUploadComplete, CreatedDate: t0}
	if err := dbs[0].CreateJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	for round, now := range []time.Time{t0, t0.Add(time.Minute)} {
		var won atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				ok, err := dbs[i%len(dbs)].ClaimJob(ctx, orgID, j.ID, fmt.Sprintf("node-%d-%d", round, i), now, now.Add(30*time.Second))
				if err != nil {
					t.Error(err)
				}
				if ok {
					won.Add(1)
				}
			}()
		}
		close(start)
		wg.Wait()
		if n := won.Load(); n != 1 {
			t.Errorf("round %d: %d of 64 racing claimers won, want exactly 1", round, n)
		}
	}
}
