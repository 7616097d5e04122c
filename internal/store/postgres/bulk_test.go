package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestBulkConformance(t *testing.T) {
	t.Parallel()
	storetest.RunBulk(t, func(t *testing.T) bulk.Store { return openTest(t) })
}

func TestListViewUseConformance(t *testing.T) {
	t.Parallel()
	storetest.RunListViewUse(t, func(t *testing.T) store.ListViewUse { return openTest(t) })
}

// Uploads racing from several nodes (each its own pool, so its own connections) for
// batch number 1 of one job: exactly one lands, the others get ErrBatchExists and leave
// no parts; uploads racing a close of the job either land before it or get ErrNotOpen.
func TestAddBatchRacingNodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	const nodes = 4
	dbs := make([]*DB, nodes)
	for i := range dbs {
		db, err := Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	org := sfid.New("00D", "5F", 1)
	job := &bulk.Job{OrgID: org, Type: bulk.TypeClassic, Operation: bulk.OpInsert, Object: "Account",
		State: bulk.StateOpen, CreatedDate: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	if err := dbs[0].CreateJob(ctx, job); err != nil {
		t.Fatal(err)
	}

	// Round 1: every node uploads "batch 1"; a slow reader keeps the uploads overlapping.
	errs := make([]error, nodes*2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			data := &slowReader{r: strings.NewReader(strings.Repeat(fmt.Sprint(i%10), 300)), chunk: 50}
			errs[i] = dbs[i%nodes].AddBatch(ctx, org, &bulk.Batch{JobID: job.ID, Seq: 1, State: bulk.BatchQueued}, data, 100, 1000)
		}()
	}
	close(start)
	wg.Wait()
	landed := 0
	for i, err := range errs {
		switch {
		case err == nil:
			landed++
		case !errors.Is(err, bulk.ErrBatchExists):
			t.Errorf("upload %d: %v, want nil or ErrBatchExists", i, err)
		}
	}
	if landed != 1 {
		t.Errorf("%d uploads of batch 1 landed, want 1", landed)
	}
	var parts int
	if err := dbs[0].sql.QueryRowContext(ctx, "SELECT count(*) FROM bulk_parts").Scan(&parts); err != nil {
		t.Fatal(err)
	}
	if parts != 3 {
		t.Errorf("%d request parts stored, want the 3 of the one upload that landed", parts)
	}

	// Round 2: unnumbered uploads race a close: each lands with its own number, or finds
	// the job closed; none lands after the close committed.
	var closedAt int
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data := &slowReader{r: strings.NewReader("x,y\n"), chunk: 1}
			errs[i] = dbs[i%nodes].AddBatch(ctx, org, &bulk.Batch{JobID: job.ID, State: bulk.BatchQueued}, data, 100, 1000)
		}()
	}
	time.Sleep(2 * time.Millisecond)
	if _, err := dbs[1].UpdateJob(ctx, org, job.ID, func(j *bulk.Job) error {
		bs, err := dbs[1].Batches(ctx, org, j.ID)
		closedAt = len(bs)
		j.State = bulk.StateClosed
		return err
	}); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	landed = 0
	for i, err := range errs {
		switch {
		case err == nil:
			landed++
		case !errors.Is(err, bulk.ErrNotOpen):
			t.Errorf("upload %d: %v, want nil or ErrNotOpen", i, err)
		}
	}
	bs, err := dbs[2].Batches(ctx, org, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1+landed {
		t.Errorf("%d batches, want 1 + %d landed", len(bs), landed)
	}
	if len(bs) < closedAt {
		t.Errorf("%d batches after the close saw %d", len(bs), closedAt)
	}
	for i, b := range bs {
		if b.Seq != i+1 {
			t.Errorf("batch %d has seq %d", i, b.Seq)
		}
	}
}

// Concurrent read-modify-writes of one job from several nodes lose no update.
func TestUpdateJobRacingNodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	a, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	org := sfid.New("00D", "5F", 1)
	job := &bulk.Job{OrgID: org, Type: bulk.TypeV2Ingest, State: bulk.StateOpen, CreatedDate: time.Now()}
	if err := a.CreateJob(ctx, job); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db := []*DB{a, b}[i%2]
			if _, err := db.UpdateJob(ctx, org, job.ID, func(j *bulk.Job) error {
				j.RecordsProcessed++
				return nil
			}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := a.Job(ctx, org, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.RecordsProcessed != n {
		t.Errorf("RecordsProcessed = %d after %d concurrent increments", got.RecordsProcessed, n)
	}
}

// slowReader hands out its data chunk bytes at a time with a pause, so that uploads
// stay open long enough to overlap.
type slowReader struct {
	r     *strings.Reader
	chunk int
}

func (s *slowReader) Read(p []byte) (int, error) {
	time.Sleep(time.Millisecond)
	if len(p) > s.chunk {
		p = p[:s.chunk]
	}
	return s.r.Read(p)
}
