package storetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RunBulk is the conformance suite of bulk.Store (Bulk API jobs, batches and parts).
// open must return a new, empty store for each call. It pins down, beyond the comments of
// bulk.Store: job IDs carry 750 and batch IDs 751; a job of another org is not found
// (15-character IDs are accepted); an updater's error leaves the job unchanged; Jobs
// pages by After in ID order; an upload over its limit, or to a job no longer Open,
// stores nothing; Apply's progress and outcome part roll back with fn's error; Parts
// starts at the part holding a row; DeleteJob and DeleteJobsBefore take the parts along.
func RunBulk(t *testing.T, open func(t *testing.T) bulk.Store) {
	ctx := context.Background()
	orgA, orgB := sfid.New("00D", "5F", 1), sfid.New("00D", "5F", 2)
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	newJob := func(t *testing.T, s bulk.Store, org sfid.ID, typ, state string, created time.Time) *bulk.Job {
		t.Helper()
		j := &bulk.Job{OrgID: org, Type: typ, Operation: bulk.OpInsert, Object: "Account", State: state, CreatedDate: created}
		if err := s.CreateJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		return j
	}

	t.Run("Jobs", func(t *testing.T) {
		s := open(t)
		a := newJob(t, s, orgA, bulk.TypeV2Ingest, bulk.StateOpen, t0)
		b := newJob(t, s, orgA, bulk.TypeV2Query, bulk.StateUploadComplete, t0)
		newJob(t, s, orgB, bulk.TypeV2Ingest, bulk.StateOpen, t0)
		if a.ID.Prefix() != bulk.JobPrefix || len(a.ID) != 18 {
			t.Errorf("job id %q", a.ID)
		}
		if got, err := s.Job(ctx, orgA, sfid.ID(a.ID.Short())); err != nil || got.ID != a.ID {
			t.Errorf("Job by 15-character id: %v %v", got, err)
		}
		if _, err := s.Job(ctx, orgB, a.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Job of another org: %v", err)
		}
		boom := errors.New("boom")
		if _, err := s.UpdateJob(ctx, orgA, a.ID, func(j *bulk.Job) error { j.State = bulk.StateAborted; return boom }); !errors.Is(err, boom) {
			t.Errorf("UpdateJob error = %v", err)
		}
		if got, _ := s.Job(ctx, orgA, a.ID); got.State != bulk.StateOpen {
			t.Errorf("a failed update changed the job: %s", got.State)
		}
		all, err := s.Jobs(ctx, orgA, bulk.JobFilter{})
		if err != nil || len(all) != 2 || all[0].ID != a.ID {
			t.Fatalf("Jobs = %v, %v", all, err)
		}
		if q, _ := s.Jobs(ctx, orgA, bulk.JobFilter{Types: []string{bulk.TypeV2Query}}); len(q) != 1 || q[0].ID != b.ID {
			t.Errorf("Jobs by type = %v", q)
		}
		if next, _ := s.Jobs(ctx, orgA, bulk.JobFilter{After: a.ID, Limit: 5}); len(next) != 1 || next[0].ID != b.ID {
			t.Errorf("Jobs after = %v", next)
		}
		if p, _ := s.Pending(ctx); len(p) != 1 || p[0].ID != b.ID {
			t.Errorf("Pending = %v, want the UploadComplete job", p)
		}
	})

	t.Run("Batches", func(t *testing.T) {
		s := open(t)
		j := newJob(t, s, orgA, bulk.TypeClassic, bulk.StateOpen, t0)
		b := &bulk.Batch{JobID: j.ID, State: bulk.BatchQueued}
		data := strings.Repeat("0123456789", 25) // 250 bytes in parts of 100
		if err := s.AddBatch(ctx, orgA, b, strings.NewReader(data), 100, 1000); err != nil {
			t.Fatal(err)
		}
		if b.ID.Prefix() != bulk.BatchPrefix || b.Seq != 1 || b.RequestBytes != 250 {
			t.Errorf("batch = %+v", b)
		}
		var got bytes.Buffer
		var parts int
		if err := s.Parts(ctx, orgA, b.ID, bulk.PartRequest, 0, func(p bulk.Part) error { parts++; got.Write(p.Data); return nil }); err != nil {
			t.Fatal(err)
		}
		if got.String() != data || parts != 3 {
			t.Errorf("request parts: %d parts, %q", parts, got.String())
		}
		if err := s.AddBatch(ctx, orgA, &bulk.Batch{JobID: j.ID}, strings.NewReader(data), 100, 200); !errors.Is(err, bulk.ErrTooLarge) {
			t.Errorf("over the limit: %v", err)
		}
		if err := s.AddBatch(ctx, orgA, &bulk.Batch{JobID: j.ID, Seq: 1}, strings.NewReader("x"), 100, 200); !errors.Is(err, bulk.ErrBatchExists) {
			t.Errorf("a second batch 1: %v", err)
		}
		if _, err := s.UpdateJob(ctx, orgA, j.ID, func(j *bulk.Job) error { j.State = bulk.StateClosed; return nil }); err != nil {
			t.Fatal(err)
		}
		if err := s.AddBatch(ctx, orgA, &bulk.Batch{JobID: j.ID}, strings.NewReader("x"), 100, 200); !errors.Is(err, bulk.ErrNotOpen) {
			t.Errorf("a batch for a closed job: %v", err)
		}
		if bs, _ := s.Batches(ctx, orgA, j.ID); len(bs) != 1 {
			t.Errorf("refused uploads left batches: %v", bs)
		}
		if bs, err := s.Batches(ctx, orgB, j.ID); err != nil || len(bs) != 0 {
			t.Errorf("another org's batches: %v %v", bs, err)
		}

		// Apply: progress and the outcome part commit together, or not at all.
		boom := errors.New("boom")
		if err := s.Apply(ctx, orgA, b.ID, func(records.Tx) (bulk.Progress, error) {
			return bulk.Progress{Rows: 9, Processed: 9}, boom
		}); !errors.Is(err, boom) {
			t.Errorf("Apply error = %v", err)
		}
		for i, rows := range []int{2, 3} {
			err := s.Apply(ctx, orgA, b.ID, func(records.Tx) (bulk.Progress, error) {
				return bulk.Progress{Rows: int64(rows), Processed: int64(rows), Failed: 1,
					Outcome: bulk.Part{Rows: rows, Data: []byte(strings.Repeat(string(rune('a'+i)), rows))}}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		bs, _ := s.Batches(ctx, orgA, j.ID)
		if diff := cmp.Diff([]int64{5, 5, 2}, []int64{bs[0].RowsDone, bs[0].RecordsProcessed, bs[0].RecordsFailed}); diff != "" {
			t.Errorf("progress (-want +got):\n%s", diff)
		}
		var firsts []int64
		s.Parts(ctx, orgA, b.ID, bulk.PartOutcome, 3, func(p bulk.Part) error { firsts = append(firsts, p.FirstRow); return nil })
		if diff := cmp.Diff([]int64{2}, firsts); diff != "" {
			t.Errorf("outcome parts from row 3 start at (-want +got):\n%s", diff)
		}
		if err := s.ClearParts(ctx, orgA, b.ID, bulk.PartOutcome); err != nil {
			t.Fatal(err)
		}
		n := 0
		s.Parts(ctx, orgA, b.ID, bulk.PartOutcome, 0, func(bulk.Part) error { n++; return nil })
		if n != 0 {
			t.Errorf("%d outcome parts after ClearParts", n)
		}
		if err := s.DeleteJob(ctx, orgA, j.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Parts(ctx, orgA, b.ID, bulk.PartRequest, 0, func(bulk.Part) error { return nil }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("parts of a deleted job: %v", err)
		}
		if err := s.DeleteJob(ctx, orgA, j.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
	})

	t.Run("DeleteJobsBefore", func(t *testing.T) {
		s := open(t)
		old := newJob(t, s, orgA, bulk.TypeV2Ingest, bulk.StateJobComplete, t0)
		young := newJob(t, s, orgB, bulk.TypeV2Ingest, bulk.StateOpen, t0.Add(time.Hour))
		if n, err := s.DeleteJobsBefore(ctx, t0.Add(time.Minute)); err != nil || n != 1 {
			t.Fatalf("DeleteJobsBefore = %d, %v", n, err)
		}
		if _, err := s.Job(ctx, orgA, old.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old job: %v", err)
		}
		if _, err := s.Job(ctx, orgB, young.ID); err != nil {
			t.Errorf("young job: %v", err)
		}
	})
}
