package storetest

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
	"github.com/forcefield/forcefield/internal/store"
)

// RunRecords is the conformance suite of the record half of records.Store: Sync, Write
// and its Tx (Insert, Update, Delete, Find, Get), Get. open must return a new, empty
// store for each call (closed by open's cleanup). It pins down, beyond the comments of
// package records: values round-trip in storage form, a field never set reads nil; IDs
// are the object's key prefix and consecutive sequence numbers, a rolled-back Write gives
// them back; Get follows the order of the IDs asked, dropping unknown and repeated ones;
// a Tx sees its own writes; Find compares text ignoring (ASCII) case and sees live
// records only; Update and Delete of an unknown ID wrap store.ErrNotFound and a failed
// Delete deletes nothing; orgs never see each other's records and a unique field is
// unique per org; an object not synced is ErrUnknownObject; a unique field ignores case,
// a deleted record frees its value and undeleting it is then a DuplicateError naming the
// holder; a failed Insert leaves nothing and the transaction usable; Sync adds new fields
// (old records read nil), refuses a type change of storage and is safe concurrently.
func RunRecords(t *testing.T, open func(t *testing.T) records.Store) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) records.Store)
	}{
		{"RoundTrip", testRecordsRoundTrip},
		{"UpdateDeleteFind", testRecordsUpdateDeleteFind},
		{"WriteRollsBack", testRecordsWriteRollsBack},
		{"UnknownObject", testRecordsUnknownObject},
		{"OrgIsolation", testRecordsOrgIsolation},
		{"Duplicates", testRecordsDuplicates},
		{"SyncNewFields", testSyncNewFields},
		{"SyncRefusesBadArguments", testSyncRefusesBadArguments},
		{"SyncConcurrent", testSyncConcurrent},
		{"ConcurrentReads", testRecordsConcurrentReads},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// Two org IDs for record tests (record tables need no orgs row).
var (
	recOrgA = sfid.New("00D", "5F", 101)
	recOrgB = sfid.New("00D", "5F", 102)
)

// RecordAccountFields is a small Account: one field of every storage form.
func RecordAccountFields() []schema.Field {
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

// RecordSetupObjects are Setup objects with a few fields each, one of them unmapped
// (Alias).
func RecordSetupObjects() []*schema.Object {
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

// RecordCatalog builds a fresh catalog: Account (RecordAccountFields and extra), Contact
// and the Setup objects (RecordSetupObjects).
func RecordCatalog(t testing.TB, extra ...schema.Field) *schema.Catalog {
	t.Helper()
	objs := []*schema.Object{
		{Name: "Account", KeyPrefix: "001", Fields: append(RecordAccountFields(), extra...)},
		{Name: "Contact", KeyPrefix: "003", Fields: []schema.Field{
			{Name: "Id", Type: schema.TypeID}, {Name: "IsDeleted", Type: schema.TypeBoolean},
			{Name: "Name", Type: schema.TypeString, NameField: true}, {Name: "Email", Type: schema.TypeEmail},
			{Name: "AccountId", Type: schema.TypeReference, ReferenceTo: []string{"Account"}},
		}},
	}
	cat, err := schema.NewCatalog(append(objs, RecordSetupObjects()...))
	if err != nil {
		t.Fatalf("NewCatalog: %v", err)
	}
	return cat
}

func recObject(t testing.TB, cat *schema.Catalog, name string) *schema.Object {
	t.Helper()
	o, ok := cat.Object(name)
	if !ok {
		t.Fatalf("no object %s", name)
	}
	return o
}

// recSynced opens a store and syncs cat for recOrgA and recOrgB.
func recSynced(t *testing.T, open func(t *testing.T) records.Store, cat *schema.Catalog) records.Store {
	t.Helper()
	s := open(t)
	for _, o := range []sfid.ID{recOrgA, recOrgB} {
		if err := s.Sync(context.Background(), o, cat); err != nil {
			t.Fatalf("Sync %s: %v", o, err)
		}
	}
	return s
}

// recInsert inserts recs in one Write and returns their IDs.
func recInsert(t testing.TB, s records.Store, orgID sfid.ID, obj *schema.Object, recs ...records.Record) []sfid.ID {
	t.Helper()
	var ids []sfid.ID
	err := s.Write(context.Background(), orgID, func(tx records.Tx) error {
		var err error
		ids, err = tx.Insert(context.Background(), obj, recs)
		return err
	})
	if err != nil {
		t.Fatalf("Insert: %v", err)
	}
	return ids
}

func recGet(t testing.TB, s records.Store, orgID sfid.ID, obj *schema.Object, ids []sfid.ID, fields []string) []records.Record {
	t.Helper()
	got, err := s.Get(context.Background(), orgID, obj, ids, fields)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	return got
}

// recNames builds n records named R0…, with Ext__c f(i) unless f is nil.
func recNames(n int, f func(i int) string) []records.Record {
	recs := make([]records.Record, n)
	for i := range recs {
		recs[i] = records.Record{"Name": fmt.Sprintf("R%d", i)}
		if f != nil {
			recs[i]["Ext__c"] = f(i)
		}
	}
	return recs
}

// recLive is the number of live records of obj in org (Count).
func recLive(t testing.TB, s records.Store, orgID sfid.ID, obj *schema.Object) int64 {
	t.Helper()
	n, err := s.Count(context.Background(), orgID, []*schema.Object{obj})
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	return n[0]
}

func testRecordsRoundTrip(t *testing.T, open func(t *testing.T) records.Store) {
	cat := RecordCatalog(t)
	s := recSynced(t, open, cat)
	acc := recObject(t, cat, "Account")
	created := time.Date(2026, 3, 4, 5, 6, 7, 891_000_000, time.UTC)
	owner := sfid.New("005", "5F", 7)
	in := []records.Record{
		{"Name": "Acme", "OwnerId": owner, "CreatedDate": created, "AnnualRevenue": 1234.5,
			"NumberOfEmployees": int64(42), "Active__c": true, "Founded__c": "1999-12-31",
			"Tags__c": "a;b", "Ext__c": "ACME-1", "Code__c": nil},
		{"Name": "Globex", "Active__c": false},
	}
	ids := recInsert(t, s, recOrgA, acc, in...)
	if len(ids) != 2 || ids[0].Prefix() != "001" || ids[1] != sfid.New("001", "5F", 2) {
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
	got := recGet(t, s, recOrgA, acc, []sfid.ID{ids[1], sfid.New("001", "5F", 99), ids[0], ids[1]}, nil)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get all fields (-want +got):\n%s", diff)
	}
	got = recGet(t, s, recOrgA, acc, ids, []string{"name", "NumberOfEmployees"})
	wantSome := []records.Record{{"Name": "Acme", "NumberOfEmployees": int64(42)}, {"Name": "Globex", "NumberOfEmployees": nil}}
	if diff := cmp.Diff(wantSome, got); diff != "" {
		t.Errorf("Get named fields (-want +got):\n%s", diff)
	}
	if _, err := s.Get(context.Background(), recOrgA, acc, ids, []string{"Nope__c"}); err == nil {
		t.Error("Get of an unknown field: no error")
	}
	// Bad records are refused before anything is written.
	for _, rec := range []records.Record{{"Nope__c": 1}, {"Id": ids[0]}, {"name": "lower-case key"}} {
		err := s.Write(context.Background(), recOrgA, func(tx records.Tx) error {
			_, err := tx.Insert(context.Background(), acc, []records.Record{rec})
			return err
		})
		if err == nil {
			t.Errorf("Insert %v: no error", rec)
		}
	}
	if n := recLive(t, s, recOrgA, acc); n != 2 {
		t.Errorf("%d records after refused inserts, want 2", n)
	}
}

func testRecordsUpdateDeleteFind(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	cat := RecordCatalog(t)
	s := recSynced(t, open, cat)
	acc := recObject(t, cat, "Account")
	ids := recInsert(t, s, recOrgA, acc,
		records.Record{"Name": "One", "Code__c": "X", "NumberOfEmployees": int64(1)},
		records.Record{"Name": "Two", "Code__c": "x"},
		records.Record{"Name": "Three", "Code__c": "Y"})
	err := s.Write(ctx, recOrgA, func(tx records.Tx) error {
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
	got := recGet(t, s, recOrgA, acc, ids[:2], []string{"Name", "NumberOfEmployees", "AnnualRevenue", "IsDeleted"})
	want := []records.Record{
		{"Name": "Uno", "NumberOfEmployees": int64(1), "AnnualRevenue": 5.0, "IsDeleted": false},
		{"Name": "Two", "NumberOfEmployees": nil, "AnnualRevenue": nil, "IsDeleted": true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after Update and Delete (-want +got):\n%s", diff)
	}

	unknown := sfid.New("001", "5F", 999)
	err = s.Write(ctx, recOrgA, func(tx records.Tx) error {
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
		// The transaction is still usable after the refusals.
		return tx.Update(ctx, acc, ids[2], records.Record{"NumberOfEmployees": int64(3)})
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	// The failed Delete deleted nothing; the Update after it was kept.
	if got := recGet(t, s, recOrgA, acc, ids[2:], []string{"IsDeleted", "NumberOfEmployees"}); !cmp.Equal(got, []records.Record{{"IsDeleted": false, "NumberOfEmployees": int64(3)}}) {
		t.Errorf("record of a failed Delete: %v, want live with 3 employees", got)
	}
}

func testRecordsWriteRollsBack(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	cat := RecordCatalog(t)
	s := recSynced(t, open, cat)
	acc := recObject(t, cat, "Account")
	boom := errors.New("boom")
	var lost []sfid.ID
	err := s.Write(ctx, recOrgA, func(tx records.Tx) error {
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
	if got := recGet(t, s, recOrgA, acc, lost, nil); len(got) != 0 {
		t.Errorf("rolled-back record readable: %v", got)
	}
	// The rollback gave the ID back.
	if ids := recInsert(t, s, recOrgA, acc, records.Record{"Name": "Kept"}); ids[0] != lost[0] {
		t.Errorf("id after rollback = %s, want %s again", ids[0], lost[0])
	}
}

func testRecordsUnknownObject(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	s := open(t)
	cat := RecordCatalog(t)
	acc := recObject(t, cat, "Account")
	if _, err := s.Get(ctx, recOrgA, acc, []sfid.ID{sfid.New("001", "5F", 1)}, nil); !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Get before Sync: %v, want ErrUnknownObject", err)
	}
	if _, err := s.Get(ctx, recOrgA, recObject(t, cat, "User"), []sfid.ID{sfid.New("005", "5F", 1)}, nil); !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Get User before Sync: %v, want ErrUnknownObject", err)
	}
	err := s.Write(ctx, recOrgA, func(tx records.Tx) error {
		_, err := tx.Insert(ctx, acc, []records.Record{{"Name": "x"}})
		return err
	})
	if !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Insert before Sync: %v, want ErrUnknownObject", err)
	}
	if err := s.Sync(ctx, recOrgA, cat); err != nil {
		t.Fatal(err)
	}
	// Synced for recOrgA only.
	if _, err := s.Get(ctx, recOrgB, acc, []sfid.ID{sfid.New("001", "5F", 1)}, nil); !errors.Is(err, records.ErrUnknownObject) {
		t.Errorf("Get in an org not synced: %v, want ErrUnknownObject", err)
	}
}

func testRecordsOrgIsolation(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	cat := RecordCatalog(t)
	s := recSynced(t, open, cat)
	acc := recObject(t, cat, "Account")
	a := recInsert(t, s, recOrgA, acc, records.Record{"Name": "A's", "Ext__c": "SAME"})
	b := recInsert(t, s, recOrgB, acc, records.Record{"Name": "B's", "Ext__c": "SAME"}) // unique per org
	if got := recGet(t, s, recOrgB, acc, a, nil); len(got) != 0 {
		t.Errorf("org B reads org A's record: %v", got)
	}
	if got := recGet(t, s, recOrgA, acc, b, nil); len(got) != 0 {
		t.Errorf("org A reads org B's record: %v", got)
	}
	err := s.Write(ctx, recOrgB, func(tx records.Tx) error {
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
	if got := recGet(t, s, recOrgA, acc, a, []string{"Name", "IsDeleted"}); !cmp.Equal(got, []records.Record{{"Name": "A's", "IsDeleted": false}}) {
		t.Errorf("org A's record after org B's attempts: %v", got)
	}
}

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
