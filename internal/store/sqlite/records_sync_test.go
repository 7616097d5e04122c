package sqlite

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

// indexes lists the indexes of table as "name unique? partial?" lines.
func indexes(t testing.TB, db *DB, table string) []string {
	t.Helper()
	rows, err := db.r.Query("SELECT name, \"unique\", partial FROM pragma_index_list(?) WHERE origin = 'c' ORDER BY name", table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		var unique, partial int
		if err := rows.Scan(&name, &unique, &partial); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %d %d", strings.TrimPrefix(name, table+"__"), unique, partial))
	}
	return out
}

func TestSyncTablesAndIndexes(t *testing.T) {
	ctx := context.Background()
	cat := testCatalog(t)
	db, _ := syncedDB(t, cat)
	acc := object(t, cat, "Account")
	table := recordTable(orgA, acc)
	// "deleted 0 1": the partial index of soft-deleted rows that Count reads.
	want := []string{"code__c 0 0", "deleted 0 1", "ext__c__u 1 1", "name 0 0", "ownerid 0 0", "parentid 0 0"}
	if diff := cmp.Diff(want, indexes(t, db, table)); diff != "" {
		t.Errorf("Account indexes (-want +got):\n%s", diff)
	}
	cols, err := tableColumns(ctx, db.r, table)
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) != len(acc.Fields) || cols["id"] != "TEXT" || cols["isdeleted"] != "INTEGER" || cols["annualrevenue"] != "REAL" {
		t.Errorf("Account columns = %v", cols)
	}
	ids := insert(t, db, orgA, acc, records.Record{"Name": "Before"})

	// An equal catalog (another pointer) runs no SQL: a table dropped behind Sync's back
	// stays dropped.
	contact := object(t, cat, "Contact")
	if _, err := db.w.Exec("DROP TABLE " + quoteIdent(recordTable(orgA, contact))); err != nil {
		t.Fatal(err)
	}
	if err := db.Sync(ctx, orgA, testCatalog(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Get(ctx, orgA, contact, []sfid.ID{"003000000000001AAA"}, nil); !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Sync of an unchanged catalog touched the database (Get: %v)", err)
	}

	// New fields: columns and indexes added, old rows read NULL; the dropped table is back.
	cat2 := testCatalog(t,
		schema.Field{Name: "Region__c", Type: schema.TypePicklist, Custom: true},
		schema.Field{Name: "Partner__c", Type: schema.TypeReference, Custom: true, ReferenceTo: []string{"Account"}},
		schema.Field{Name: "Key__c", Type: schema.TypeString, Custom: true, Unique: true})
	if err := db.Sync(ctx, orgA, cat2); err != nil {
		t.Fatalf("Sync with new fields: %v", err)
	}
	acc2 := object(t, cat2, "Account")
	got := get(t, db, orgA, acc2, ids, []string{"Name", "Region__c", "Partner__c", "Key__c"})
	if diff := cmp.Diff([]records.Record{{"Name": "Before", "Region__c": nil, "Partner__c": nil, "Key__c": nil}}, got); diff != "" {
		t.Errorf("old record with new fields (-want +got):\n%s", diff)
	}
	want = []string{"code__c 0 0", "deleted 0 1", "ext__c__u 1 1", "key__c__u 1 1", "name 0 0", "ownerid 0 0", "parentid 0 0", "partner__c 0 0"}
	if diff := cmp.Diff(want, indexes(t, db, table)); diff != "" {
		t.Errorf("Account indexes after new fields (-want +got):\n%s", diff)
	}
	if got := get(t, db, orgA, object(t, cat2, "Contact"), nil, nil); len(got) != 0 {
		t.Errorf("Get of no IDs = %v", got)
	}
	insert(t, db, orgA, object(t, cat2, "Contact"), records.Record{"Name": "back"})

	// A type change to another storage class is refused, and the catalog is not marked
	// synced.
	bad := testCatalog(t, schema.Field{Name: "Region__c", Type: schema.TypeInt, Custom: true})
	for range 2 {
		if err := db.Sync(ctx, orgA, bad); err == nil || !strings.Contains(err.Error(), "Region__c") {
			t.Errorf("Sync with Region__c now an int: %v, want an error naming the field", err)
		}
	}
	// Text to text (picklist → string) is compatible.
	if err := db.Sync(ctx, orgA, testCatalog(t, schema.Field{Name: "Region__c", Type: schema.TypeString})); err != nil {
		t.Errorf("Sync with Region__c now a string: %v", err)
	}
}

func TestSyncRefusesBadArguments(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	if err := db.Sync(context.Background(), "", testCatalog(t)); err == nil {
		t.Error("Sync of the empty org ID: no error")
	}
	if err := db.Sync(context.Background(), orgA, nil); err == nil {
		t.Error("Sync of a nil catalog: no error")
	}
}

func TestSyncConcurrent(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	defer db.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			orgID := []sfid.ID{orgA, orgB}[i%2]
			errs <- db.Sync(ctx, orgID, testCatalog(t))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Sync: %v", err)
		}
	}
	cat := testCatalog(t)
	insert(t, db, orgB, object(t, cat, "Account"), records.Record{"Name": "ok"})
}

func TestRecordsDuplicates(t *testing.T) {
	ctx := context.Background()
	cat := testCatalog(t)
	db, _ := syncedDB(t, cat)
	acc := object(t, cat, "Account")
	first := insert(t, db, orgA, acc, records.Record{"Name": "One", "Ext__c": "ACME-1"})

	tryInsert := func(recs []records.Record) ([]sfid.ID, error) {
		var ids []sfid.ID
		err := db.Write(ctx, orgA, func(tx records.Tx) error {
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

	// A batch of several statements that fails in its last one leaves nothing behind, even
	// when the caller keeps the transaction.
	big := names(1200, func(i int) string { return fmt.Sprintf("BIG-%d", i) })
	big[1199]["Ext__c"] = "ACME-1"
	err = db.Write(ctx, orgA, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, acc, big)
		checkDup("duplicate in the third statement", err,
			records.DuplicateError{Object: "Account", Field: "Ext__c", Value: "ACME-1", ExistingID: first[0]})
		_, err = tx.Insert(ctx, acc, []records.Record{{"Name": "after"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, orgA, acc); n != 2 {
		t.Errorf("%d rows after a failed big Insert, want 2", n)
	}

	// A deleted record frees its unique value; undeleting it then is a duplicate.
	var second []sfid.ID
	err = db.Write(ctx, orgA, func(tx records.Tx) error {
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
	err = db.Write(ctx, orgA, func(tx records.Tx) error {
		return tx.Update(ctx, acc, first[0], records.Record{"IsDeleted": false})
	})
	checkDup("undelete", err, records.DuplicateError{Object: "Account", Field: "Ext__c", Value: "ACME-1", ExistingID: second[0]})
	ids := insert(t, db, orgA, acc, records.Record{"Name": "Other", "Ext__c": "OTHER"})
	err = db.Write(ctx, orgA, func(tx records.Tx) error {
		return tx.Update(ctx, acc, ids[0], records.Record{"Ext__c": "acme-1"})
	})
	checkDup("update", err, records.DuplicateError{Object: "Account", Field: "Ext__c", Value: "acme-1", ExistingID: second[0]})
}

// queryPlan is the EXPLAIN QUERY PLAN of query, one detail a line.
func queryPlan(t testing.TB, db *DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.r.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan += detail + "\n"
	}
	return plan
}

// TestFindUsesIndexes checks that Find's lookups (external ID, unique, reference) are
// index searches, not scans.
func TestFindUsesIndexes(t *testing.T) {
	cat := testCatalog(t)
	db, _ := syncedDB(t, cat)
	acc := object(t, cat, "Account")
	table := recordTable(orgA, acc)
	for _, field := range []string{"Ext__c", "Code__c", "ParentId", "Name"} {
		q := "SELECT Id FROM " + quoteIdent(table) + " WHERE " + quoteIdent(field) + " = ? AND IsDeleted = 0 ORDER BY Id"
		if plan := queryPlan(t, db, q, "x"); !strings.Contains(plan, "USING INDEX "+table+"__"+strings.ToLower(field)) {
			t.Errorf("Find on %s:\n%s", field, plan)
		}
	}
}
