package storetest

// RunRecords' checks of unique fields, Sync and concurrency (records.go).

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

func testRecordsDuplicates(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	cat := RecordCatalog(t)
	s := recSynced(t, open, cat)
	acc := recObject(t, cat, "Account")
	first := recInsert(t, s, recOrgA, acc, records.Record{"Name": "One", "Ext__c": "ACME-1"})

	tryInsert := func(recs []records.Record) ([]sfid.ID, error) {
		var ids []sfid.ID
		err := s.Write(ctx, recOrgA, func(tx records.Tx) error {
			var err error
			ids, err = tx.Insert(ctx, acc, recs)
			return err
		})
		return ids, err
	}
	checkDup := func(name string, err error, want records.DuplicateError) {
		t.Helper()
		var dup *records.DuplicateError
		if !errors.As(err, &dup) {
			t.Errorf("%s: %v, want a DuplicateError", name, err)
			return
		}
		if diff := cmp.Diff(want, *dup); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	_, err := tryInsert([]records.Record{{"Name": "Two", "Ext__c": "ok"}, {"Name": "Dup", "Ext__c": "acme-1"}})
	checkDup("case-insensitive duplicate of a stored record", err,
		records.DuplicateError{Object: "Account", Field: "Ext__c", Value: "acme-1", ExistingID: first[0]})
	_, err = tryInsert([]records.Record{{"Name": "A", "Ext__c": "NEW"}, {"Name": "B", "Ext__c": "new"}})
	checkDup("duplicate inside the batch", err, records.DuplicateError{Object: "Account", Field: "Ext__c", Value: "new"})

	// A big batch that fails in its last record leaves nothing behind, even when the
	// caller keeps the transaction.
	big := recNames(1200, func(i int) string { return fmt.Sprintf("BIG-%d", i) })
	big[1199]["Ext__c"] = "ACME-1"
	err = s.Write(ctx, recOrgA, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, acc, big)
		checkDup("duplicate in the last record of a big batch", err,
			records.DuplicateError{Object: "Account", Field: "Ext__c", Value: "ACME-1", ExistingID: first[0]})
		_, err = tx.Insert(ctx, acc, []records.Record{{"Name": "after"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := recLive(t, s, recOrgA, acc); n != 2 {
		t.Errorf("%d records after a failed big Insert, want 2", n)
	}

	// A deleted record frees its unique value; undeleting it then is a duplicate.
	var second []sfid.ID
	err = s.Write(ctx, recOrgA, func(tx records.Tx) error {
		if err := tx.Delete(ctx, acc, first, time.Time{}); err != nil {
			return err
		}
		var err error
		second, err = tx.Insert(ctx, acc, []records.Record{{"Name": "Reborn", "Ext__c": "Acme-1"}})
		return err
	})
	if err != nil {
		t.Fatalf("insert over a deleted record's unique value: %v", err)
	}
	err = s.Write(ctx, recOrgA, func(tx records.Tx) error {
		return tx.Update(ctx, acc, first[0], records.Record{"IsDeleted": false})
	})
	checkDup("undelete", err, records.DuplicateError{Object: "Account", Field: "Ext__c", Value: "ACME-1", ExistingID: second[0]})
	ids := recInsert(t, s, recOrgA, acc, records.Record{"Name": "Other", "Ext__c": "OTHER"})
	err = s.Write(ctx, recOrgA, func(tx records.Tx) error {
		return tx.Update(ctx, acc, ids[0], records.Record{"Ext__c": "acme-1"})
	})
	checkDup("update", err, records.DuplicateError{Object: "Account", Field: "Ext__c", Value: "acme-1", ExistingID: second[0]})
}

func testSyncNewFields(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	cat := RecordCatalog(t)
	s := recSynced(t, open, cat)
	acc := recObject(t, cat, "Account")
	ids := recInsert(t, s, recOrgA, acc, records.Record{"Name": "Before"})
	if err := s.Sync(ctx, recOrgA, RecordCatalog(t)); err != nil {
		t.Fatalf("Sync of an equal catalog: %v", err)
	}

	// New fields: columns added, old rows read nil.
	cat2 := RecordCatalog(t,
		schema.Field{Name: "Region__c", Type: schema.TypePicklist, Custom: true},
		schema.Field{Name: "Partner__c", Type: schema.TypeReference, Custom: true, ReferenceTo: []string{"Account"}},
		schema.Field{Name: "Key__c", Type: schema.TypeString, Custom: true, Unique: true})
	if err := s.Sync(ctx, recOrgA, cat2); err != nil {
		t.Fatalf("Sync with new fields: %v", err)
	}
	acc2 := recObject(t, cat2, "Account")
	got := recGet(t, s, recOrgA, acc2, ids, []string{"Name", "Region__c", "Partner__c", "Key__c"})
	if diff := cmp.Diff([]records.Record{{"Name": "Before", "Region__c": nil, "Partner__c": nil, "Key__c": nil}}, got); diff != "" {
		t.Errorf("old record with new fields (-want +got):\n%s", diff)
	}
	// The new unique field is unique, ignoring case.
	recInsert(t, s, recOrgA, acc2, records.Record{"Name": "K1", "Key__c": "k"})
	err := s.Write(ctx, recOrgA, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, acc2, []records.Record{{"Name": "K2", "Key__c": "K"}})
		return err
	})
	var dup *records.DuplicateError
	if !errors.As(err, &dup) || dup.Field != "Key__c" {
		t.Errorf("duplicate of a new unique field: %v, want a DuplicateError on Key__c", err)
	}
	if got := recGet(t, s, recOrgA, recObject(t, cat2, "Contact"), nil, nil); len(got) != 0 {
		t.Errorf("Get of no IDs = %v", got)
	}
	recInsert(t, s, recOrgA, recObject(t, cat2, "Contact"), records.Record{"Name": "c"})

	// A type change to another storage type is refused, and the catalog is not marked
	// synced.
	bad := RecordCatalog(t, schema.Field{Name: "Region__c", Type: schema.TypeInt, Custom: true})
	for range 2 {
		if err := s.Sync(ctx, recOrgA, bad); err == nil || !strings.Contains(err.Error(), "Region__c") {
			t.Errorf("Sync with Region__c now an int: %v, want an error naming the field", err)
		}
	}
	// Text to text (picklist → string) is compatible.
	if err := s.Sync(ctx, recOrgA, RecordCatalog(t, schema.Field{Name: "Region__c", Type: schema.TypeString})); err != nil {
		t.Errorf("Sync with Region__c now a string: %v", err)
	}
}

func testSyncRefusesBadArguments(t *testing.T, open func(t *testing.T) records.Store) {
	s := open(t)
	if err := s.Sync(context.Background(), "", RecordCatalog(t)); err == nil {
		t.Error("Sync of the empty org ID: no error")
	}
	if err := s.Sync(context.Background(), recOrgA, nil); err == nil {
		t.Error("Sync of a nil catalog: no error")
	}
}

func testSyncConcurrent(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	s := open(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			orgID := []sfid.ID{recOrgA, recOrgB}[i%2]
			errs <- s.Sync(ctx, orgID, RecordCatalog(t))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Sync: %v", err)
		}
	}
	cat := RecordCatalog(t)
	recInsert(t, s, recOrgB, recObject(t, cat, "Account"), records.Record{"Name": "ok"})
}

// testRecordsConcurrentReads reads while a writer inserts: every read sees whole
// committed batches, never an error.
func testRecordsConcurrentReads(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	cat := RecordCatalog(t)
	s := recSynced(t, open, cat)
	acc := recObject(t, cat, "Account")
	base := recInsert(t, s, recOrgA, acc, recNames(50, nil)...)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				got, err := s.Get(ctx, recOrgA, acc, base, []string{"Name"})
				if err != nil {
					errs <- err
					return
				}
				if len(got) != len(base) {
					errs <- fmt.Errorf("read %d of %d records", len(got), len(base))
					return
				}
			}
		}()
	}
	var written []sfid.ID
	deadline := time.Now().Add(500 * time.Millisecond)
	for time.Now().Before(deadline) {
		written = append(written, recInsert(t, s, recOrgA, acc, recNames(100, nil)...)...)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Get: %v", err)
	}
	if got := recGet(t, s, recOrgA, acc, written, []string{"Id"}); len(got) != len(written) {
		t.Errorf("read back %d of %d records written", len(got), len(written))
	}
}
