package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

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

// What SQLite's Sync makes beyond the conformance suite (storetest.RunRecords): its
// tables' columns and indexes, and no SQL at all for an unchanged catalog.
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

	// New fields: indexes added (their values: storetest.RunRecords).
	cat2 := testCatalog(t,
		schema.Field{Name: "Region__c", Type: schema.TypePicklist, Custom: true},
		schema.Field{Name: "Partner__c", Type: schema.TypeReference, Custom: true, ReferenceTo: []string{"Account"}},
		schema.Field{Name: "Key__c", Type: schema.TypeString, Custom: true, Unique: true})
	if err := db.Sync(ctx, orgA, cat2); err != nil {
		t.Fatalf("Sync with new fields: %v", err)
	}
	want = []string{"code__c 0 0", "deleted 0 1", "ext__c__u 1 1", "key__c__u 1 1", "name 0 0", "ownerid 0 0", "parentid 0 0", "partner__c 0 0"}
	if diff := cmp.Diff(want, indexes(t, db, table)); diff != "" {
		t.Errorf("Account indexes after new fields (-want +got):\n%s", diff)
	}
	// The table dropped behind Sync's back is back.
	insert(t, db, orgA, object(t, cat2, "Contact"), records.Record{"Name": "back"})
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
