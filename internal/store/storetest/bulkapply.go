package storetest

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// BulkRecordStore is a backend's bulk and record halves together: bulk.Store.Apply writes
// records through the records.Tx of its own transaction.
type BulkRecordStore interface {
	bulk.Store
	records.Store
}

// RunBulkApply is the conformance suite of bulk.Store.Apply with real record writes. open
// must return a new, empty store for each call. It pins down: the records fn writes commit
// with the batch's progress and outcome part, or — when fn fails — roll back with them; a
// record write refused inside fn (a duplicate external ID: the bulk engine records it as a
// failed row and goes on) leaves the transaction usable, so the chunk's other writes and
// its progress still commit.
func RunBulkApply(t *testing.T, open func(t *testing.T) BulkRecordStore) {
	ctx := context.Background()
	s := open(t)
	cat := RecordCatalog(t)
	if err := s.Sync(ctx, recOrgA, cat); err != nil {
		t.Fatal(err)
	}
	acc := recObject(t, cat, "Account")
	j := &bulk.Job{OrgID: recOrgA, Type: bulk.TypeV2Ingest, Operation: bulk.OpInsert, Object: "Account", State: bulk.StateOpen,
		CreatedDate: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	if err := s.CreateJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	b := &bulk.Batch{JobID: j.ID, State: bulk.BatchInProgress}
	if err := s.AddBatch(ctx, recOrgA, b, emptyReader{}, 100, 100); err != nil {
		t.Fatal(err)
	}

	// fn fails after writing a record: neither the record nor any progress remains.
	boom := errors.New("boom")
	var lost []sfid.ID
	err := s.Apply(ctx, recOrgA, b.ID, func(tx records.Tx) (bulk.Progress, error) {
		var err error
		if lost, err = tx.Insert(ctx, acc, []records.Record{{"Name": "Lost", "Ext__c": "L"}}); err != nil {
			return bulk.Progress{}, err
		}
		return bulk.Progress{Rows: 1, Processed: 1, Outcome: bulk.Part{Rows: 1, Data: []byte("x")}}, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Apply = %v, want fn's error", err)
	}
	if got := recGet(t, s, recOrgA, acc, lost, nil); len(got) != 0 {
		t.Errorf("a record of a failed chunk is readable: %v", got)
	}

	// A chunk of three rows, the second a duplicate of the first: two records, one failure.
	var kept []sfid.ID
	err = s.Apply(ctx, recOrgA, b.ID, func(tx records.Tx) (bulk.Progress, error) {
		for _, ext := range []string{"A", "A", "B"} {
			ids, err := tx.Insert(ctx, acc, []records.Record{{"Name": "Row " + ext, "Ext__c": ext}})
			var dup *records.DuplicateError
			switch {
			case errors.As(err, &dup):
				continue
			case err != nil:
				return bulk.Progress{}, err
			}
			kept = append(kept, ids...)
		}
		return bulk.Progress{Rows: 3, Processed: 3, Failed: 1, Outcome: bulk.Part{Rows: 3, Data: []byte("abc")}}, nil
	})
	if err != nil {
		t.Fatalf("Apply with a refused row: %v", err)
	}
	var names []any
	for _, r := range recGet(t, s, recOrgA, acc, kept, []string{"Name"}) {
		names = append(names, r["Name"])
	}
	if diff := cmp.Diff([]any{"Row A", "Row B"}, names); diff != "" {
		t.Errorf("records of the chunk (-want +got):\n%s", diff)
	}
	bs, err := s.Batches(ctx, recOrgA, j.ID)
	if err != nil || len(bs) != 1 {
		t.Fatalf("Batches = %v, %v", bs, err)
	}
	if diff := cmp.Diff([]int64{3, 3, 1}, []int64{bs[0].RowsDone, bs[0].RecordsProcessed, bs[0].RecordsFailed}); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	var parts []string
	if err := s.Parts(ctx, recOrgA, b.ID, bulk.PartOutcome, 0, func(p bulk.Part) error {
		parts = append(parts, string(p.Data))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"abc"}, parts); diff != "" {
		t.Errorf("outcome parts (-want +got):\n%s", diff)
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, io.EOF }
