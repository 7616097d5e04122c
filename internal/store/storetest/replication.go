package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// RunReplication is the conformance suite of records.Replication and records.Recent
// (getUpdated, getDeleted, recently viewed records). open must return a new, empty store
// for each call. It pins down, beyond the comments of package records: windows are
// [Start, End) to the millisecond; creates are updates; soft-deleted records leave
// Updated and enter Deleted at their deletion time; deleting again keeps the first time;
// a hard delete (Purge) after a soft delete keeps the soft delete's time, a Purge of a
// live record logs the Purge's time; undeleting removes the entry; a rolled-back delete
// logs nothing; OwnerID filters by the owner when deleted; orgs and objects are apart;
// an object without SystemModstamp is ErrUnknownObject for Updated; Setup objects have no
// deletes. Recent: FOR VIEW sets both times, FOR REFERENCE
// only the referenced time, times only move forward, entries are per user, and marks
// made through a Tx (records.RecentTx) roll back with it.
func RunReplication(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	orgA, orgB := sfid.New("00D", "5F", 301), sfid.New("00D", "5F", 302)
	alice, bob := sfid.New("005", "5F", 1), sfid.New("005", "5F", 2)
	fields := func() []schema.Field {
		return []schema.Field{
			{Name: "Id", Type: schema.TypeID, System: true},
			{Name: "IsDeleted", Type: schema.TypeBoolean, System: true},
			{Name: "Name", Type: schema.TypeString, NameField: true},
			{Name: "OwnerId", Type: schema.TypeReference, ReferenceTo: []string{"User"}, RelationshipName: "Owner"},
			{Name: "SystemModstamp", Type: schema.TypeDateTime, System: true},
		}
	}
	cat, err := schema.NewCatalog([]*schema.Object{
		{Name: "Account", KeyPrefix: "001", Fields: fields()},
		{Name: "Widget__c", KeyPrefix: "a00", Custom: true, Fields: fields()},
		{Name: "User", KeyPrefix: "005", Setup: true, Fields: []schema.Field{
			{Name: "Id", Type: schema.TypeID}, {Name: "Name", Type: schema.TypeString, NameField: true},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	acc, _ := cat.Object("Account")
	wid, _ := cat.Object("Widget__c")
	usr, _ := cat.Object("User")
	t0 := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	at := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

	// seed opens a store with Accounts stamped at the given seconds after t0 (alternately
	// owned by alice and bob) and one Widget__c at t0+30s, in orgA, and one Account at
	// t0+30s in orgB.
	seed := func(t *testing.T, secs ...int) (records.Store, []sfid.ID) {
		t.Helper()
		s := open(t)
		for _, o := range []sfid.ID{orgA, orgB} {
			if err := s.Sync(ctx, o, cat); err != nil {
				t.Fatalf("Sync: %v", err)
			}
		}
		var ids []sfid.ID
		err := s.Write(ctx, orgA, func(tx records.Tx) error {
			recs := make([]records.Record, len(secs))
			for i, sec := range secs {
				owner := alice
				if i%2 == 1 {
					owner = bob
				}
				recs[i] = records.Record{"Name": "A", "OwnerId": string(owner), "SystemModstamp": at(sec), "IsDeleted": false}
			}
			var err error
			if ids, err = tx.Insert(ctx, acc, recs); err != nil {
				return err
			}
			_, err = tx.Insert(ctx, wid, []records.Record{{"Name": "W", "OwnerId": string(alice), "SystemModstamp": at(30)}})
			return err
		})
		must(t, "seed orgA", err)
		must(t, "seed orgB", s.Write(ctx, orgB, func(tx records.Tx) error {
			_, err := tx.Insert(ctx, acc, []records.Record{{"Name": "B", "OwnerId": string(alice), "SystemModstamp": at(30)}})
			return err
		}))
		return s, ids
	}
	write := func(t *testing.T, s records.Store, fn func(tx records.Tx) error) {
		t.Helper()
		must(t, "Write", s.Write(ctx, orgA, fn))
	}
	win := func(from, to int) records.ChangeWindow {
		return records.ChangeWindow{Start: at(from), End: at(to), Limit: 100}
	}
	updated := func(t *testing.T, s records.Store, obj *schema.Object, w records.ChangeWindow) []sfid.ID {
		t.Helper()
		ids, err := s.Updated(ctx, orgA, obj, w)
		must(t, "Updated", err)
		return ids
	}
	deleted := func(t *testing.T, s records.Store, w records.ChangeWindow) []records.DeletedRecord {
		t.Helper()
		d, err := s.Deleted(ctx, orgA, acc, w)
		must(t, "Deleted", err)
		return d
	}

	t.Run("Updated", func(t *testing.T) {
		// Stamped out of order: the answer is in SystemModstamp order, ties by ID.
		s, ids := seed(t, 90, 0, 60, 59, 60, 120)
		diff(t, "[0s, 120s)", []sfid.ID{ids[1], ids[3], ids[2], ids[4], ids[0]}, updated(t, s, acc, win(0, 120)))
		diff(t, "[59s, 60s): end excluded", []sfid.ID{ids[3]}, updated(t, s, acc, win(59, 60)))
		diff(t, "[60s, 121s)", []sfid.ID{ids[2], ids[4], ids[0], ids[5]}, updated(t, s, acc, win(60, 121)))
		w := win(0, 200)
		w.OwnerID = bob
		diff(t, "bob's", []sfid.ID{ids[1], ids[3], ids[5]}, updated(t, s, acc, w))
		w = win(0, 200)
		w.Limit = 2
		diff(t, "limit 2", []sfid.ID{ids[1], ids[3]}, updated(t, s, acc, w))
		w.Start = at(1000)
		w.End = at(2000)
		diff(t, "empty window", []sfid.ID(nil), updated(t, s, acc, w))
		if got := updated(t, s, wid, win(0, 200)); len(got) != 1 || got[0].Prefix() != "a00" {
			t.Errorf("Widget__c updated = %v, want its one record", got)
		}
		if got, err := s.Updated(ctx, orgB, acc, win(0, 200)); err != nil || len(got) != 1 || got[0] == ids[0] {
			t.Errorf("orgB updated = %v, %v: want its own one record", got, err)
		}
		// An update moves the record; a deleted record leaves.
		write(t, s, func(tx records.Tx) error {
			if err := tx.Update(ctx, acc, ids[1], records.Record{"SystemModstamp": at(150)}); err != nil {
				return err
			}
			return tx.Delete(ctx, acc, []sfid.ID{ids[3]}, at(151))
		})
		diff(t, "after update and delete", []sfid.ID{ids[2], ids[4], ids[0], ids[5], ids[1]}, updated(t, s, acc, win(0, 200)))
		if _, err := s.Updated(ctx, orgA, usr, win(0, 200)); !errors.Is(err, records.ErrUnknownObject) {
			t.Errorf("Updated of an object without SystemModstamp: %v, want ErrUnknownObject", err)
		}
	})

	t.Run("Deleted", func(t *testing.T) {
		s, ids := seed(t, 0, 0, 0, 0, 0)
		write(t, s, func(tx records.Tx) error {
			if err := tx.Delete(ctx, acc, []sfid.ID{ids[0], ids[1]}, at(100)); err != nil {
				return err
			}
			if err := tx.Delete(ctx, acc, []sfid.ID{ids[0]}, at(110)); err != nil { // again: keeps 100
				return err
			}
			if err := tx.Purge(ctx, acc, []sfid.ID{ids[1]}, at(120)); err != nil { // hard delete after soft: keeps 100
				return err
			}
			return tx.Purge(ctx, acc, []sfid.ID{ids[2]}, at(130)) // hard delete of a live record
		})
		boom := errors.New("boom")
		if err := s.Write(ctx, orgA, func(tx records.Tx) error {
			if err := tx.Delete(ctx, acc, []sfid.ID{ids[3]}, at(140)); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("rolled-back write: %v", err)
		}
		want := []records.DeletedRecord{{ID: ids[0], DeletedDate: at(100)}, {ID: ids[1], DeletedDate: at(100)}, {ID: ids[2], DeletedDate: at(130)}}
		if ids[1] < ids[0] {
			want[0], want[1] = want[1], want[0]
		}
		diff(t, "log", want, deleted(t, s, win(0, 200)))
		diff(t, "[100s, 130s): end excluded", want[:2], deleted(t, s, win(100, 130)))
		w := win(0, 200)
		w.OwnerID = bob // ids[1] (odd) is bob's
		diff(t, "bob's", []records.DeletedRecord{{ID: ids[1], DeletedDate: at(100)}}, deleted(t, s, w))
		w = win(0, 200)
		w.Limit = 1
		diff(t, "limit 1", want[:1], deleted(t, s, w))
		if d, err := s.Deleted(ctx, orgA, wid, win(0, 200)); err != nil || len(d) != 0 {
			t.Errorf("Widget__c deleted = %v, %v: want none", d, err)
		}
		if d, err := s.Deleted(ctx, orgB, acc, win(0, 200)); err != nil || len(d) != 0 {
			t.Errorf("orgB deleted = %v, %v: want none", d, err)
		}
		// Undelete: out of the log, back in Updated.
		write(t, s, func(tx records.Tx) error {
			return tx.Update(ctx, acc, ids[0], records.Record{"IsDeleted": false, "SystemModstamp": at(160)})
		})
		diff(t, "log after undelete", []records.DeletedRecord{{ID: ids[1], DeletedDate: at(100)}, {ID: ids[2], DeletedDate: at(130)}}, deleted(t, s, win(0, 200)))
		diff(t, "updated after undelete", []sfid.ID{ids[0]}, updated(t, s, acc, win(160, 161)))
		if d, err := s.Deleted(ctx, orgA, usr, win(0, 200)); err != nil || len(d) != 0 {
			t.Errorf("Deleted of a Setup object: %v, %v; want none", d, err)
		}
	})

	t.Run("Recent", func(t *testing.T) {
		s, ids := seed(t, 0, 0, 0)
		recent := func(user sfid.ID, obj *schema.Object, limit int) []records.RecentView {
			t.Helper()
			got, err := s.Recent(ctx, orgA, user, obj, limit)
			must(t, "Recent", err)
			return got
		}
		diff(t, "nothing viewed", []records.RecentView(nil), recent(alice, nil, 10))
		must(t, "view", s.MarkRecent(ctx, orgA, alice, acc, []sfid.ID{ids[0], ids[1]}, at(10), true))
		must(t, "reference", s.MarkRecent(ctx, orgA, alice, acc, []sfid.ID{ids[2]}, at(20), false))
		widID := updatedOne(t, s, orgA, wid)
		must(t, "view widget", s.MarkRecent(ctx, orgA, alice, wid, []sfid.ID{widID}, at(30), true))
		must(t, "bob views", s.MarkRecent(ctx, orgA, bob, acc, []sfid.ID{ids[2]}, at(40), true))
		// ids[0] referenced later, then viewed earlier than that: times never go back.
		must(t, "reference again", s.MarkRecent(ctx, orgA, alice, acc, []sfid.ID{ids[0]}, at(50), false))
		must(t, "stale view", s.MarkRecent(ctx, orgA, alice, acc, []sfid.ID{ids[0]}, at(5), true))
		diff(t, "alice's", []records.RecentView{
			{Object: "Account", ID: ids[0], Viewed: at(10), Referenced: at(50)},
			{Object: "Widget__c", ID: widID, Viewed: at(30), Referenced: at(30)},
			{Object: "Account", ID: ids[2], Referenced: at(20)},
			{Object: "Account", ID: ids[1], Viewed: at(10), Referenced: at(10)},
		}, recent(alice, nil, 10))
		diff(t, "alice's Accounts, limit 2", []records.RecentView{
			{Object: "Account", ID: ids[0], Viewed: at(10), Referenced: at(50)},
			{Object: "Account", ID: ids[2], Referenced: at(20)},
		}, recent(alice, acc, 2))
		diff(t, "bob's", []records.RecentView{{Object: "Account", ID: ids[2], Viewed: at(40), Referenced: at(40)}}, recent(bob, nil, 10))
		// Inside a write transaction (RecentTx): marks roll back and commit with it.
		markIn := func(id sfid.ID, sec int, fail error) error {
			return s.Write(ctx, orgA, func(tx records.Tx) error {
				rt, ok := tx.(records.RecentTx)
				if !ok {
					t.Fatal("the store's Tx does not implement records.RecentTx")
				}
				if err := rt.MarkRecent(ctx, bob, acc, []sfid.ID{id}, at(sec), true); err != nil {
					return err
				}
				return fail
			})
		}
		boom := errors.New("boom")
		if err := markIn(ids[0], 60, boom); !errors.Is(err, boom) {
			t.Fatalf("rolled-back mark: %v", err)
		}
		must(t, "mark in a transaction", markIn(ids[1], 70, nil))
		diff(t, "bob's after a rolled-back and a committed mark", []records.RecentView{
			{Object: "Account", ID: ids[1], Viewed: at(70), Referenced: at(70)},
			{Object: "Account", ID: ids[2], Viewed: at(40), Referenced: at(40)},
		}, recent(bob, nil, 10))
		if got, err := s.Recent(ctx, orgB, alice, nil, 10); err != nil || len(got) != 0 {
			t.Errorf("orgB recent = %v, %v: want none", got, err)
		}
	})
}

// updatedOne returns the one record of obj in org (any change time).
func updatedOne(t *testing.T, s records.Store, orgID sfid.ID, obj *schema.Object) sfid.ID {
	t.Helper()
	ids, err := s.Updated(context.Background(), orgID, obj, records.ChangeWindow{
		Start: time.Unix(0, 0), End: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), Limit: 2})
	if err != nil || len(ids) != 1 {
		t.Fatalf("records of %s: %v, %v", obj.Name, ids, err)
	}
	return ids[0]
}
