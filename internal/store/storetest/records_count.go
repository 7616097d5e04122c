package storetest

import (
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RecordStore is a backend holding both Setup and records, as every real one does.
type RecordStore interface {
	store.Store
	records.Store
}

// RunRecordCount checks records.Store.Count: live records only (soft-deleted and purged
// ones excluded, undeleted ones back), per org, in the order asked, Setup objects
// through their org's rows, an object without storage counted 0, no objects no counts.
func RunRecordCount(t *testing.T, open func(t *testing.T) RecordStore) {
	ctx := t.Context()
	s := open(t)
	cat, err := schema.NewOrgCatalog(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	obj := func(name string) *schema.Object {
		o, ok := cat.Object(name)
		if !ok {
			t.Fatalf("no standard object %s", name)
		}
		return o
	}
	account, contact, lead, user := obj("Account"), obj("Contact"), obj("Lead"), obj("User")
	o1, o2 := org.Org{Name: "Count1"}, org.Org{Name: "Count2"}
	setup(t, s, func(w store.SetupWriter) error {
		for _, o := range []*org.Org{&o1, &o2} {
			if err := w.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		for _, u := range []org.User{
			{OrgID: o1.ID, Username: "a@count1.test", LastName: "A", Active: true},
			{OrgID: o1.ID, Username: "b@count1.test", LastName: "B"},
			{OrgID: o2.ID, Username: "c@count2.test", LastName: "C", Active: true},
		} {
			if err := w.PutUser(ctx, &u); err != nil {
				return err
			}
		}
		return nil
	})
	for _, o := range []org.Org{o1, o2} {
		if err := s.Sync(ctx, o.ID, cat); err != nil {
			t.Fatalf("Sync: %v", err)
		}
	}
	insert := func(orgID sfid.ID, obj *schema.Object, n int) []sfid.ID {
		t.Helper()
		recs := make([]records.Record, n)
		for i := range recs {
			recs[i] = records.Record{"LastName": "r"}
			if obj.Name == "Account" {
				recs[i] = records.Record{"Name": "r"}
			}
		}
		var ids []sfid.ID
		err := s.Write(ctx, orgID, func(tx records.Tx) error {
			var err error
			ids, err = tx.Insert(ctx, obj, recs)
			return err
		})
		if err != nil {
			t.Fatalf("Insert %s: %v", obj.Name, err)
		}
		return ids
	}
	write := func(what string, fn func(tx records.Tx) error) {
		t.Helper()
		if err := s.Write(ctx, o1.ID, fn); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	count := func(what string, orgID sfid.ID, objs []*schema.Object, want []int64) {
		t.Helper()
		got, err := s.Count(ctx, orgID, objs)
		must(t, what, err)
		diff(t, what, want, got)
	}

	accs := insert(o1.ID, account, 5)
	insert(o1.ID, contact, 2)
	insert(o2.ID, account, 3)
	all := []*schema.Object{account, contact, lead, user}
	count("Count", o1.ID, all, []int64{5, 2, 0, 2})
	count("Count of the other org", o2.ID, all, []int64{3, 0, 0, 1})
	count("Count in another order", o1.ID, []*schema.Object{user, contact, account}, []int64{2, 2, 5})
	count("Count of nothing", o1.ID, nil, []int64{})

	write("Delete", func(tx records.Tx) error { return tx.Delete(ctx, account, accs[:2], time.Now()) })
	count("Count after a soft delete", o1.ID, []*schema.Object{account}, []int64{3})
	write("Purge", func(tx records.Tx) error { return tx.Purge(ctx, account, accs[1:3], time.Now()) })
	count("Count after a purge of a deleted and a live record", o1.ID, []*schema.Object{account}, []int64{2})
	write("Undelete", func(tx records.Tx) error {
		return tx.Update(ctx, account, accs[0], records.Record{"IsDeleted": false})
	})
	count("Count after an undelete", o1.ID, []*schema.Object{account}, []int64{3})

	// An object the org's storage has not synced yet counts 0, beside the others.
	extra, err := schema.NewOrgCatalog([]schema.ObjectSpec{{Name: "Unsynced__c", Label: "Unsynced"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	unsynced, _ := extra.Object("Unsynced__c")
	count("Count with an unsynced object", o1.ID, []*schema.Object{account, unsynced, contact}, []int64{3, 0, 2})
}
