package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestRecordsConformance(t *testing.T) {
	storetest.RunRecords(t, func(t *testing.T) records.Store {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestRecordsSetupConformance(t *testing.T) {
	storetest.RunRecordsSetup(t, func(t *testing.T) storetest.RecordStore {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// Two org IDs for record tests (record tables need no orgs row).
var (
	orgA = sfid.New("00D", pod, 101)
	orgB = sfid.New("00D", pod, 102)
)

// testCatalog is the conformance suite's record catalog: Account (with extra fields),
// Contact and the Setup objects.
func testCatalog(t testing.TB, extra ...schema.Field) *schema.Catalog {
	t.Helper()
	return storetest.RecordCatalog(t, extra...)
}

func object(t testing.TB, cat *schema.Catalog, name string) *schema.Object {
	t.Helper()
	o, ok := cat.Object(name)
	if !ok {
		t.Fatalf("no object %s", name)
	}
	return o
}

// syncedDB opens a temp DB and syncs cat for orgA and orgB.
func syncedDB(t testing.TB, cat *schema.Catalog) (*DB, string) {
	t.Helper()
	db, path := openTemp(t)
	t.Cleanup(func() { db.Close() })
	for _, o := range []sfid.ID{orgA, orgB} {
		if err := db.Sync(context.Background(), o, cat); err != nil {
			t.Fatalf("Sync %s: %v", o, err)
		}
	}
	return db, path
}

// insert inserts recs in one Write and returns their IDs.
func insert(t testing.TB, db *DB, orgID sfid.ID, obj *schema.Object, recs ...records.Record) []sfid.ID {
	t.Helper()
	var ids []sfid.ID
	err := db.Write(context.Background(), orgID, func(tx records.Tx) error {
		var err error
		ids, err = tx.Insert(context.Background(), obj, recs)
		return err
	})
	if err != nil {
		t.Fatalf("Insert: %v", err)
	}
	return ids
}

func get(t testing.TB, db *DB, orgID sfid.ID, obj *schema.Object, ids []sfid.ID, fields []string) []records.Record {
	t.Helper()
	got, err := db.Get(context.Background(), orgID, obj, ids, fields)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	return got
}

func TestRecordsReopen(t *testing.T) {
	ctx := context.Background()
	cat := testCatalog(t)
	db, path := openTemp(t)
	if err := db.Sync(ctx, orgA, cat); err != nil {
		t.Fatal(err)
	}
	acc := object(t, cat, "Account")
	ids := insert(t, db, orgA, acc, records.Record{"Name": "Durable", "AnnualRevenue": 1.5})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Readable before any Sync of the new process.
	if got := get(t, db, orgA, acc, ids, []string{"Name", "AnnualRevenue"}); !cmp.Equal(got, []records.Record{{"Name": "Durable", "AnnualRevenue": 1.5}}) {
		t.Errorf("after reopen: %v", got)
	}
	if err := db.Sync(ctx, orgA, cat); err != nil {
		t.Fatalf("Sync after reopen: %v", err)
	}
	if more := insert(t, db, orgA, acc, records.Record{"Name": "Next"}); more[0] != sfid.New("001", pod, 2) {
		t.Errorf("id after reopen = %s, want the sequence to continue at 2", more[0])
	}
}

// names builds n records named R0…, with Ext__c f(i) unless f is nil.
func names(n int, f func(i int) string) []records.Record {
	recs := make([]records.Record, n)
	for i := range recs {
		recs[i] = records.Record{"Name": fmt.Sprintf("R%d", i)}
		if f != nil {
			recs[i]["Ext__c"] = f(i)
		}
	}
	return recs
}
