package sqlite

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Two org IDs for record tests (record tables need no orgs row).
var (
	orgA = sfid.New("00D", pod, 101)
	orgB = sfid.New("00D", pod, 102)
)

// accountFields is a small Account: one field of every storage form.
func accountFields() []schema.Field {
	return []schema.Field{
		{Name: "Id", Type: schema.TypeID, System: true},
		{Name: "IsDeleted", Type: schema.TypeBoolean, System: true},
		{Name: "Name", Type: schema.TypeString, NameField: true},
		{Name: "OwnerId", Type: schema.TypeReference, ReferenceTo: []string{"User"}, RelationshipName: "Owner"},
		{Name: "ParentId", Type: schema.TypeReference, ReferenceTo: []string{"Account"}, RelationshipName: "Parent"},
		{Name: "CreatedDate", Type: schema.TypeDateTime, System: true},
		{Name: "AnnualRevenue", Type: schema.TypeCurrency},
		{Name: "NumberOfEmployees", Type: schema.TypeInt},
		{Name: "Active__c", Type: schema.TypeBoolean, Custom: true},
		{Name: "Founded__c", Type: schema.TypeDate, Custom: true},
		{Name: "Tags__c", Type: schema.TypeMultiPicklist, Custom: true},
		{Name: "Ext__c", Type: schema.TypeString, Custom: true, ExternalID: true, Unique: true},
		{Name: "Code__c", Type: schema.TypeString, Custom: true, ExternalID: true},
	}
}

// setupObjects are Setup objects with a few fields each, one of them unmapped (Alias).
func setupObjects() []*schema.Object {
	return []*schema.Object{
		{Name: "User", KeyPrefix: "005", Setup: true, Fields: []schema.Field{
			{Name: "Id", Type: schema.TypeID}, {Name: "Username", Type: schema.TypeString},
			{Name: "FirstName", Type: schema.TypeString}, {Name: "LastName", Type: schema.TypeString},
			{Name: "Name", Type: schema.TypeString, NameField: true}, {Name: "IsActive", Type: schema.TypeBoolean},
			{Name: "ProfileId", Type: schema.TypeReference, ReferenceTo: []string{"Profile"}},
			{Name: "CreatedDate", Type: schema.TypeDateTime}, {Name: "Alias", Type: schema.TypeString},
		}},
		{Name: "Profile", KeyPrefix: "00e", Setup: true, Fields: []schema.Field{
			{Name: "Id", Type: schema.TypeID}, {Name: "Name", Type: schema.TypeString, NameField: true},
		}},
		{Name: "PermissionSet", KeyPrefix: "0PS", Setup: true, Fields: []schema.Field{
			{Name: "Id", Type: schema.TypeID}, {Name: "Name", Type: schema.TypeString},
			{Name: "Label", Type: schema.TypeString}, {Name: "IsOwnedByProfile", Type: schema.TypeBoolean},
		}},
		{Name: "Organization", KeyPrefix: "00D", Setup: true, Fields: []schema.Field{
			{Name: "Id", Type: schema.TypeID}, {Name: "Name", Type: schema.TypeString},
			{Name: "InstanceName", Type: schema.TypeString}, {Name: "IsSandbox", Type: schema.TypeBoolean},
			{Name: "TrialExpirationDate", Type: schema.TypeDateTime}, {Name: "OrganizationType", Type: schema.TypePicklist},
		}},
		{Name: "LoginHistory", KeyPrefix: "0Ya", Setup: true, Fields: []schema.Field{
			{Name: "Id", Type: schema.TypeID}, {Name: "UserId", Type: schema.TypeReference, ReferenceTo: []string{"User"}},
			{Name: "LoginTime", Type: schema.TypeDateTime}, {Name: "Status", Type: schema.TypeString},
			{Name: "SourceIp", Type: schema.TypeString}, {Name: "ClientVersion", Type: schema.TypeString},
		}},
	}
}

// testCatalog builds a fresh catalog: Account (with extra fields), Contact and the Setup
// objects.
func testCatalog(t testing.TB, extra ...schema.Field) *schema.Catalog {
	t.Helper()
	objs := []*schema.Object{
		{Name: "Account", KeyPrefix: "001", Fields: append(accountFields(), extra...)},
		{Name: "Contact", KeyPrefix: "003", Fields: []schema.Field{
			{Name: "Id", Type: schema.TypeID}, {Name: "IsDeleted", Type: schema.TypeBoolean},
			{Name: "Name", Type: schema.TypeString, NameField: true}, {Name: "Email", Type: schema.TypeEmail},
			{Name: "AccountId", Type: schema.TypeReference, ReferenceTo: []string{"Account"}},
		}},
	}
	cat, err := schema.NewCatalog(append(objs, setupObjects()...))
	if err != nil {
		t.Fatalf("NewCatalog: %v", err)
	}
	return cat
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

func TestRecordsRoundTrip(t *testing.T) {
	cat := testCatalog(t)
	db, _ := syncedDB(t, cat)
	acc := object(t, cat, "Account")
	created := time.Date(2026, 3, 4, 5, 6, 7, 891_000_000, time.UTC)
	owner := sfid.New("005", pod, 7)
	in := []records.Record{
		{"Name": "Acme", "OwnerId": owner, "CreatedDate": created, "AnnualRevenue": 1234.5,
			"NumberOfEmployees": int64(42), "Active__c": true, "Founded__c": "1999-12-31",
			"Tags__c": "a;b", "Ext__c": "ACME-1", "Code__c": nil},
		{"Name": "Globex", "Active__c": false},
	}
	ids := insert(t, db, orgA, acc, in...)
	if len(ids) != 2 || ids[0].Prefix() != "001" || ids[1] != sfid.New("001", pod, 2) {
		t.Fatalf("ids = %v, want 001… sequence numbers 1 and 2", ids)
	}
	want := []records.Record{
		{"Id": string(ids[1]), "IsDeleted": false, "Name": "Globex", "OwnerId": nil, "ParentId": nil,
			"CreatedDate": nil, "AnnualRevenue": nil, "NumberOfEmployees": nil, "Active__c": false,
			"Founded__c": nil, "Tags__c": nil, "Ext__c": nil, "Code__c": nil},
		{"Id": string(ids[0]), "IsDeleted": false, "Name": "Acme", "OwnerId": string(owner), "ParentId": nil,
			"CreatedDate": created, "AnnualRevenue": 1234.5, "NumberOfEmployees": int64(42), "Active__c": true,
			"Founded__c": "1999-12-31", "Tags__c": "a;b", "Ext__c": "ACME-1", "Code__c": nil},
	}
	// Order of ids, unknown and repeated IDs dropped.
	got := get(t, db, orgA, acc, []sfid.ID{ids[1], sfid.New("001", pod, 99), ids[0], ids[1]}, nil)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get all fields (-want +got):\n%s", diff)
	}
	got = get(t, db, orgA, acc, ids, []string{"name", "NumberOfEmployees"})
	wantSome := []records.Record{{"Name": "Acme", "NumberOfEmployees": int64(42)}, {"Name": "Globex", "NumberOfEmployees": nil}}
	if diff := cmp.Diff(wantSome, got); diff != "" {
		t.Errorf("Get named fields (-want +got):\n%s", diff)
	}
	if _, err := db.Get(context.Background(), orgA, acc, ids, []string{"Nope__c"}); err == nil {
		t.Error("Get of an unknown field: no error")
	}
	// Bad records are refused before anything is written.
	for _, rec := range []records.Record{{"Nope__c": 1}, {"Id": ids[0]}, {"name": "lower-case key"}} {
		err := db.Write(context.Background(), orgA, func(tx records.Tx) error {
			_, err := tx.Insert(context.Background(), acc, []records.Record{rec})
			return err
		})
		if err == nil {
			t.Errorf("Insert %v: no error", rec)
		}
	}
}

func TestRecordsUpdateDeleteFind(t *testing.T) {
	ctx := context.Background()
	cat := testCatalog(t)
	db, _ := syncedDB(t, cat)
	acc := object(t, cat, "Account")
	ids := insert(t, db, orgA, acc,
		records.Record{"Name": "One", "Code__c": "X", "NumberOfEmployees": int64(1)},
		records.Record{"Name": "Two", "Code__c": "x"},
		records.Record{"Name": "Three", "Code__c": "Y"})
	err := db.Write(ctx, orgA, func(tx records.Tx) error {
		if err := tx.Update(ctx, acc, ids[0], records.Record{"Name": "Uno", "AnnualRevenue": 5.0}); err != nil {
			return err
		}
		// The transaction sees its own write.
		got, err := tx.Get(ctx, acc, ids[:1], []string{"Name"})
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]records.Record{{"Name": "Uno"}}, got); diff != "" {
			t.Errorf("Tx.Get after Update (-want +got):\n%s", diff)
		}
		return tx.Delete(ctx, acc, []sfid.ID{ids[1], ids[1]}, time.Time{})
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	got := get(t, db, orgA, acc, ids[:2], []string{"Name", "NumberOfEmployees", "AnnualRevenue", "IsDeleted"})
	want := []records.Record{
		{"Name": "Uno", "NumberOfEmployees": int64(1), "AnnualRevenue": 5.0, "IsDeleted": false},
		{"Name": "Two", "NumberOfEmployees": nil, "AnnualRevenue": nil, "IsDeleted": true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after Update and Delete (-want +got):\n%s", diff)
	}

	unknown := sfid.New("001", pod, 999)
	err = db.Write(ctx, orgA, func(tx records.Tx) error {
		// Find: case-insensitive text, live records only.
		found, err := tx.Find(ctx, acc, "code__c", "X")
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]sfid.ID{ids[0]}, found); diff != "" {
			t.Errorf("Find (-want +got):\n%s", diff)
		}
		if found, err := tx.Find(ctx, acc, "Code__c", nil); err != nil || len(found) != 0 {
			t.Errorf("Find nil = %v, %v; want nothing", found, err)
		}
		if err := tx.Update(ctx, acc, unknown, records.Record{"Name": "?"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Update unknown id: %v, want ErrNotFound", err)
		}
		if err := tx.Update(ctx, acc, unknown, records.Record{}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("empty Update of unknown id: %v, want ErrNotFound", err)
		}
		if err := tx.Delete(ctx, acc, []sfid.ID{ids[2], unknown}, time.Time{}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Delete with an unknown id: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	// The failed Delete deleted nothing.
	if got := get(t, db, orgA, acc, ids[2:], []string{"IsDeleted"}); !cmp.Equal(got, []records.Record{{"IsDeleted": false}}) {
		t.Errorf("record of a failed Delete: %v, want live", got)
	}
}

func TestRecordsWriteRollsBack(t *testing.T) {
	ctx := context.Background()
	cat := testCatalog(t)
	db, _ := syncedDB(t, cat)
	acc := object(t, cat, "Account")
	boom := errors.New("boom")
	var lost []sfid.ID
	err := db.Write(ctx, orgA, func(tx records.Tx) error {
		var err error
		lost, err = tx.Insert(ctx, acc, []records.Record{{"Name": "Lost"}})
		if err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v, want fn's error", err)
	}
	if got := get(t, db, orgA, acc, lost, nil); len(got) != 0 {
		t.Errorf("rolled-back record readable: %v", got)
	}
	// The rollback gave the ID back.
	if ids := insert(t, db, orgA, acc, records.Record{"Name": "Kept"}); ids[0] != lost[0] {
		t.Errorf("id after rollback = %s, want %s again", ids[0], lost[0])
	}
}

func TestRecordsUnknownObject(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	defer db.Close()
	cat := testCatalog(t)
	acc := object(t, cat, "Account")
	if _, err := db.Get(ctx, orgA, acc, []sfid.ID{sfid.New("001", pod, 1)}, nil); !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Get before Sync: %v, want ErrUnknownObject", err)
	}
	if _, err := db.Get(ctx, orgA, object(t, cat, "User"), []sfid.ID{sfid.New("005", pod, 1)}, nil); !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Get User before Sync: %v, want ErrUnknownObject", err)
	}
	err := db.Write(ctx, orgA, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, acc, []records.Record{{"Name": "x"}})
		return err
	})
	if !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Insert before Sync: %v, want ErrUnknownObject", err)
	}
	if err := db.Sync(ctx, orgA, cat); err != nil {
		t.Fatal(err)
	}
	// Synced for orgA only.
	if _, err := db.Get(ctx, orgB, acc, []sfid.ID{sfid.New("001", pod, 1)}, nil); !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Get in an org not synced: %v, want ErrUnknownObject", err)
	}
}

func TestRecordsOrgIsolation(t *testing.T) {
	ctx := context.Background()
	cat := testCatalog(t)
	db, _ := syncedDB(t, cat)
	acc := object(t, cat, "Account")
	a := insert(t, db, orgA, acc, records.Record{"Name": "A's", "Ext__c": "SAME"})
	b := insert(t, db, orgB, acc, records.Record{"Name": "B's", "Ext__c": "SAME"}) // unique per org
	if got := get(t, db, orgB, acc, a, nil); len(got) != 0 {
		t.Errorf("org B reads org A's record: %v", got)
	}
	if got := get(t, db, orgA, acc, b, nil); len(got) != 0 {
		t.Errorf("org A reads org B's record: %v", got)
	}
	err := db.Write(ctx, orgB, func(tx records.Tx) error {
		found, err := tx.Find(ctx, acc, "Ext__c", "SAME")
		if err != nil {
			return err
		}
		if diff := cmp.Diff(b, found); diff != "" {
			t.Errorf("Find in org B (-want +got):\n%s", diff)
		}
		if err := tx.Update(ctx, acc, a[0], records.Record{"Name": "hijack"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("org B updates org A's record: %v, want ErrNotFound", err)
		}
		if err := tx.Delete(ctx, acc, a, time.Time{}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("org B deletes org A's record: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, db, orgA, acc, a, []string{"Name", "IsDeleted"}); !cmp.Equal(got, []records.Record{{"Name": "A's", "IsDeleted": false}}) {
		t.Errorf("org A's record after org B's attempts: %v", got)
	}
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

// countRows counts the rows of an org's object table.
func countRows(t testing.TB, db *DB, orgID sfid.ID, obj *schema.Object) int {
	t.Helper()
	var n int
	if err := db.r.QueryRow("SELECT count(*) FROM " + quoteIdent(recordTable(orgID, obj))).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
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
