package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RunBulkClaims is the conformance suite of bulk.Claims, the leases that keep two nodes
// from processing one bulk job. open must return a new, empty store for each call; for a
// backend several processes share, the racing claimers are real concurrent transactions.
// It pins down: of 64 nodes claiming a free job — or one whose claim expired — at once,
// exactly one wins; a claim is free again exactly at its until time (until ≤ now);
// ClaimJob by the holder extends it; RenewClaim never takes a claim from another node,
// even an expired one, but takes a free one; ReleaseClaim frees a claim at once and only
// the holder's; a job of another org, or a missing one, is not found; 15-character IDs
// are accepted; deleting a job, one by one or by age, takes its claim along.
func RunBulkClaims(t *testing.T, open func(t *testing.T) bulk.Store) {
	ctx := context.Background()
	orgA, orgB := sfid.New("00D", "5F", 1), sfid.New("00D", "5F", 2)
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	const lease = 30 * time.Second
	newJob := func(t *testing.T, s bulk.Store) *bulk.Job {
		t.Helper()
		j := &bulk.Job{OrgID: orgA, Type: bulk.TypeV2Ingest, Operation: bulk.OpInsert, Object: "Account",
			State: bulk.StateUploadComplete, CreatedDate: t0}
		if err := s.CreateJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		return j
	}
	claim := func(t *testing.T, s bulk.Store, j *bulk.Job, node string, now time.Time) bool {
		t.Helper()
		ok, err := s.ClaimJob(ctx, orgA, j.ID, node, now, now.Add(lease))
		if err != nil {
			t.Fatalf("ClaimJob(%s at %s): %v", node, now.Format(time.TimeOnly), err)
		}
		return ok
	}
	// race has n nodes claim j at now at once and returns the winners.
	race := func(t *testing.T, s bulk.Store, j *bulk.Job, n int, now time.Time) []string {
		t.Helper()
		var (
			mu      sync.Mutex
			winners []string
			wg      sync.WaitGroup
			start   = make(chan struct{})
		)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				node := fmt.Sprintf("racer-%02d", i)
				<-start
				ok, err := s.ClaimJob(ctx, orgA, j.ID, node, now, now.Add(lease))
				if err != nil {
					t.Errorf("ClaimJob(%s): %v", node, err)
				}
				if ok {
					mu.Lock()
					winners = append(winners, node)
					mu.Unlock()
				}
			}()
		}
		close(start)
		wg.Wait()
		return winners
	}

	t.Run("Race", func(t *testing.T) {
		s := open(t)
		j := newJob(t, s)
		if w := race(t, s, j, 64, t0); len(w) != 1 {
			t.Fatalf("64 nodes claiming a free job: winners %v, want exactly one", w)
		}
		// The claim expires; a second crowd races for it.
		later := t0.Add(lease)
		w := race(t, s, j, 64, later)
		if len(w) != 1 {
			t.Fatalf("64 nodes claiming an expired claim: winners %v, want exactly one", w)
		}
		if claim(t, s, j, "latecomer", later.Add(lease-time.Millisecond)) {
			t.Error("a node took the claim of the second winner before it expired")
		}
	})

	t.Run("Expiry", func(t *testing.T) {
		s := open(t)
		j := newJob(t, s)
		if !claim(t, s, j, "a", t0) {
			t.Fatal("a could not claim a free job")
		}
		if claim(t, s, j, "b", t0.Add(lease-time.Millisecond)) {
			t.Fatal("b took a's claim a millisecond before it expired")
		}
		if !claim(t, s, j, "a", t0.Add(time.Second)) { // the holder claiming again extends
			t.Fatal("a could not claim its own job again")
		}
		if claim(t, s, j, "b", t0.Add(lease)) {
			t.Fatal("b took a's claim, which a had extended")
		}
		handover := t0.Add(time.Second + lease) // exactly when a's extended claim ends
		if !claim(t, s, j, "b", handover) {
			t.Fatal("b could not take a's claim once it expired")
		}
		// a comes back: its renewal must fail, it has lost the job.
		if ok, err := s.RenewClaim(ctx, orgA, j.ID, "a", handover.Add(lease)); err != nil || ok {
			t.Fatalf("RenewClaim by the node that lost the claim = %v, %v; want false", ok, err)
		}
		if claim(t, s, j, "a", handover.Add(time.Second)) {
			t.Fatal("a took the claim back from b")
		}
	})

	t.Run("Renew", func(t *testing.T) {
		s := open(t)
		j := newJob(t, s)
		if !claim(t, s, j, "a", t0) {
			t.Fatal("a could not claim a free job")
		}
		if ok, err := s.RenewClaim(ctx, orgA, j.ID, "a", t0.Add(2*lease)); err != nil || !ok {
			t.Fatalf("RenewClaim by the holder = %v, %v", ok, err)
		}
		if claim(t, s, j, "b", t0.Add(2*lease-time.Millisecond)) {
			t.Fatal("b took a claim that was renewed")
		}
		// An expired claim stays its holder's against RenewClaim by another node.
		if ok, err := s.RenewClaim(ctx, orgA, j.ID, "b", t0.Add(10*lease)); err != nil || ok {
			t.Fatalf("RenewClaim by another node of an expired claim = %v, %v; want false", ok, err)
		}
		// A renewal after its own expiry, with nobody having taken over, holds.
		if ok, err := s.RenewClaim(ctx, orgA, j.ID, "a", t0.Add(10*lease)); err != nil || !ok {
			t.Fatalf("late RenewClaim by the holder = %v, %v", ok, err)
		}
		if claim(t, s, j, "b", t0.Add(10*lease-time.Millisecond)) {
			t.Fatal("b took a claim renewed late")
		}
	})

	t.Run("Release", func(t *testing.T) {
		s := open(t)
		j := newJob(t, s)
		if !claim(t, s, j, "a", t0) {
			t.Fatal("a could not claim a free job")
		}
		if err := s.ReleaseClaim(ctx, orgA, j.ID, "b"); err != nil {
			t.Fatal(err)
		}
		if err := s.ReleaseClaim(ctx, orgB, j.ID, "a"); err != nil {
			t.Fatal(err)
		}
		if claim(t, s, j, "b", t0.Add(time.Second)) {
			t.Fatal("a release by another node, or through another org, freed a's claim")
		}
		if err := s.ReleaseClaim(ctx, orgA, sfid.ID(j.ID.Short()), "a"); err != nil {
			t.Fatal(err)
		}
		if !claim(t, s, j, "b", t0.Add(time.Second)) {
			t.Fatal("b could not claim a job a released")
		}
		if err := s.ReleaseClaim(ctx, orgA, j.ID, "b"); err != nil {
			t.Fatal(err)
		}
		// RenewClaim takes a free claim (a node whose claim was dropped keeps its job).
		if ok, err := s.RenewClaim(ctx, orgA, j.ID, "a", t0.Add(lease)); err != nil || !ok {
			t.Fatalf("RenewClaim of a free claim = %v, %v", ok, err)
		}
		if claim(t, s, j, "b", t0.Add(2*time.Second)) {
			t.Fatal("b took the claim a renewed")
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s := open(t)
		j := newJob(t, s)
		missing := sfid.New(bulk.JobPrefix, "5F", 999999)
		for _, tc := range []struct {
			name   string
			org, j sfid.ID
		}{{"another org's job", orgB, j.ID}, {"a missing job", orgA, missing}, {"a malformed id", orgA, "750nonsense"}} {
			if ok, err := s.ClaimJob(ctx, tc.org, tc.j, "a", t0, t0.Add(lease)); ok || !errors.Is(err, store.ErrNotFound) {
				t.Errorf("ClaimJob of %s = %v, %v; want store.ErrNotFound", tc.name, ok, err)
			}
			if ok, err := s.RenewClaim(ctx, tc.org, tc.j, "a", t0.Add(lease)); ok || !errors.Is(err, store.ErrNotFound) {
				t.Errorf("RenewClaim of %s = %v, %v; want store.ErrNotFound", tc.name, ok, err)
			}
			if err := s.ReleaseClaim(ctx, tc.org, tc.j, "a"); err != nil {
				t.Errorf("ReleaseClaim of %s: %v", tc.name, err)
			}
		}
		if ok, err := s.ClaimJob(ctx, orgA, sfid.ID(j.ID.Short()), "a", t0, t0.Add(lease)); err != nil || !ok {
			t.Errorf("ClaimJob by 15-character id = %v, %v", ok, err)
		}
	})

	t.Run("DeleteTakesClaim", func(t *testing.T) {
		s := open(t)
		j, old := newJob(t, s), newJob(t, s)
		for _, x := range []*bulk.Job{j, old} {
			if !claim(t, s, x, "a", t0) {
				t.Fatal("a could not claim a free job")
			}
		}
		if err := s.DeleteJob(ctx, orgA, j.ID); err != nil {
			t.Fatalf("DeleteJob of a claimed job: %v", err)
		}
		if n, err := s.DeleteJobsBefore(ctx, t0.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("DeleteJobsBefore with a claimed job = %d, %v", n, err)
		}
		for _, x := range []*bulk.Job{j, old} {
			if ok, err := s.ClaimJob(ctx, orgA, x.ID, "b", t0, t0.Add(lease)); ok || !errors.Is(err, store.ErrNotFound) {
				t.Errorf("ClaimJob of a deleted job = %v, %v; want store.ErrNotFound", ok, err)
			}
		}
	})
}
