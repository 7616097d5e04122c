package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

func testSnapshotRoundTrip(t *testing.T, s SnapshotStore) {
	ctx := t.Context()
	cat := snapCatalog(t, nil)
	a := snapSeed(t, s, cat, "acme")
	b := snapSeed(t, s, cat, "globex")
	before := dumpOrg(t, s, cat, a.org.ID)
	if len(before.Records["Account"]) != 20 || len(before.Search["Account*"]) != 19 || len(before.Search["R3"]) != 1 || len(before.Recent[a.user.ID]) != 2 {
		t.Fatalf("fixture: %d accounts, %d found, %d recent", len(before.Records["Account"]), len(before.Search["Account*"]), len(before.Recent[a.user.ID]))
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 123_456_789, time.UTC)
	info, err := s.SnapshotOrg(ctx, a.org.ID, "clean", at, false)
	must(t, "SnapshotOrg", err)
	if info.Records != 22 || !info.CreatedAt.Equal(at.Truncate(time.Millisecond)) || info.Bytes <= 0 || info.Name != "clean" || info.OrgID != a.org.ID {
		t.Errorf("SnapshotOrg = %+v, want 22 records, created %v, some bytes", info, at)
	}

	// Change Setup.
	setup(t, s, func(w store.SetupWriter) error {
		o := a.org
		o.SessionTimeoutMinutes, o.MyDomain, o.PasswordPolicy.LockoutAttempts = 120, "changed", 3
		if err := w.PutOrg(ctx, &o); err != nil {
			return err
		}
		p := a.prof
		p.Permissions, p.ObjectPermissions = []string{"ApiEnabled", "ModifyAllData"}, nil
		if err := w.PutProfile(ctx, &p); err != nil {
			return err
		}
		ps := org.PermissionSet{OrgID: a.org.ID, Name: "Later"}
		if err := w.PutPermissionSet(ctx, &ps); err != nil {
			return err
		}
		u := a.user
		u.PermissionSetIDs, u.PasswordHash, u.Active = []sfid.ID{ps.ID}, "new-hash", false
		if err := w.PutUser(ctx, &u); err != nil {
			return err
		}
		nu := org.User{OrgID: a.org.ID, Username: "new@acme.test", LastName: "New", Active: true, ProfileID: a.prof.ID}
		if err := w.PutUser(ctx, &nu); err != nil {
			return err
		}
		app := a.app
		app.Scopes, app.RunAsUserID = []string{"api", "refresh_token"}, nu.ID
		if err := w.PutConnectedApp(ctx, &app); err != nil {
			return err
		}
		c := a.cred
		c.State, c.ExpiresAt = org.CredentialRotated, time.UnixMilli(1_900_000_000_000).UTC()
		if err := w.PutCredential(ctx, &c); err != nil {
			return err
		}
		c2 := org.Credential{AppID: a.app.ID, ConsumerKey: c.ConsumerKey, SecretHash: "rotated-hash", State: org.CredentialActive}
		if err := w.PutCredential(ctx, &c2); err != nil {
			return err
		}
		na := org.ConnectedApp{OrgID: a.org.ID, Name: "Later App"}
		if err := w.PutConnectedApp(ctx, &na); err != nil {
			return err
		}
		if err := w.PutCustomObjects(ctx, a.org.ID, []schema.ObjectSpec{{Name: "Gadget__c"}, {Name: "Widget__c"}}); err != nil {
			return err
		}
		return w.PutSeededRecord(ctx, a.org.ID, "acct2", "001000000000002AAA")
	})
	must(t, "ResetLoginFailures", s.ResetLoginFailures(ctx, a.user.ID))

	// Change data, and the shape of the tables: a new field, a new object.
	widget := &schema.Object{Name: "Widget__c", KeyPrefix: "a02", Custom: true, Searchable: true, Fields: []schema.Field{
		{Name: "Id", Type: schema.TypeID}, {Name: "IsDeleted", Type: schema.TypeBoolean},
		{Name: "Name", Type: schema.TypeString, NameField: true}}}
	cat2 := snapCatalog(t, []schema.Field{{Name: "Color__c", Type: schema.TypeString, Custom: true}}, widget)
	must(t, "Sync", s.Sync(ctx, a.org.ID, cat2))
	acc := mustObj(t, cat2, "Account")
	recInsert(t, s, a.org.ID, acc, records.Record{"Name": "Account Later"})
	recInsert(t, s, a.org.ID, mustObj(t, cat2, "Widget__c"), records.Record{"Name": "Widget Later"})
	recInsert(t, s, a.org.ID, mustObj(t, cat2, "Gadget__c"), records.Record{"Name": "Gadget Later", "Color__c": "red"})
	must(t, "Write", s.Write(ctx, a.org.ID, func(tx records.Tx) error {
		if err := tx.Update(ctx, acc, a.accts[0], records.Record{"Name": "Renamed Corp", "NumberOfEmployees": int64(7)}); err != nil {
			return err
		}
		if err := tx.Update(ctx, acc, a.accts[19], records.Record{"IsDeleted": false}); err != nil {
			return err
		}
		if err := tx.Delete(ctx, acc, a.accts[1:2], time.UnixMilli(1_800_000_000_000)); err != nil {
			return err
		}
		return tx.Purge(ctx, acc, a.accts[2:3], time.UnixMilli(1_800_000_000_000))
	}))
	must(t, "MarkRecent", s.MarkRecent(ctx, a.org.ID, a.user.ID, acc, a.accts[5:6], time.UnixMilli(1_800_000_000_000), true))
	if changed := dumpOrg(t, s, cat, a.org.ID); cmp.Equal(before, changed) {
		t.Fatal("the changes changed nothing")
	}

	otherBefore := dumpOrg(t, s, cat, b.org.ID)
	got, err := s.RestoreOrg(ctx, a.org.ID, "clean")
	must(t, "RestoreOrg", err)
	if d := cmp.Diff(info, got); d != "" {
		t.Errorf("RestoreOrg info (-snapshot +restore):\n%s", d)
	}
	if d := cmp.Diff(otherBefore, dumpOrg(t, s, cat, b.org.ID)); d != "" {
		t.Errorf("restoring org A changed org B (-before +after):\n%s", d)
	}
	must(t, "Sync", s.Sync(ctx, a.org.ID, snapCatalog(t, nil))) // the restored catalog
	if d := cmp.Diff(before, dumpOrg(t, s, cat, a.org.ID)); d != "" {
		t.Errorf("after restore (-snapshot +restored):\n%s", d)
	}

	// The restored index keeps working: new writes are found, renamed records move.
	fresh := recInsert(t, s, a.org.ID, acc, records.Record{"Name": "Fresh Account"})
	must(t, "Write", s.Write(ctx, a.org.ID, func(tx records.Tx) error {
		return tx.Update(ctx, acc, a.accts[3], records.Record{"Name": "Moved Corp"})
	}))
	if got, want := snapSearch(t, s, a.org.ID, acc, "Fresh"), []string{"Fresh Account"}; !slices.Equal(got, want) {
		t.Errorf("search Fresh after restore = %v, want %v", got, want)
	}
	if got, want := snapSearch(t, s, a.org.ID, acc, "Moved"), []string{"Moved Corp"}; !slices.Equal(got, want) {
		t.Errorf("search Moved after restore = %v, want %v", got, want)
	}
	if got := snapSearch(t, s, a.org.ID, acc, "R3"); len(got) != 0 {
		t.Errorf("search R3 (the renamed record's old name) after restore = %v, want none", got)
	}
	if got := snapSearch(t, s, a.org.ID, acc, "Account*"); len(got) != 20 {
		t.Errorf("search Account* after restore and an insert = %v, want 20 names", got)
	}
	if len(fresh) != 1 {
		t.Fatal("insert after restore")
	}

	// A snapshot restores as often as asked.
	_, err = s.RestoreOrg(ctx, a.org.ID, "clean")
	must(t, "RestoreOrg again", err)
	must(t, "Sync", s.Sync(ctx, a.org.ID, snapCatalog(t, nil)))
	if d := cmp.Diff(before, dumpOrg(t, s, cat, a.org.ID)); d != "" {
		t.Errorf("after a second restore (-snapshot +restored):\n%s", d)
	}

	// The reset loop of a test suite: writes, restore, writes, restore — with no change of
	// shape in between (a backend may then restore only what was written).
	for round := range 2 {
		recInsert(t, s, a.org.ID, acc, records.Record{"Name": fmt.Sprintf("Fresh %d", round)})
		must(t, "Write", s.Write(ctx, a.org.ID, func(tx records.Tx) error {
			if err := tx.Update(ctx, acc, a.accts[4], records.Record{"Name": "Moved Again"}); err != nil {
				return err
			}
			return tx.Delete(ctx, acc, a.accts[5:7], time.UnixMilli(1_800_000_000_000))
		}))
		_, err = s.RestoreOrg(ctx, a.org.ID, "clean")
		must(t, "RestoreOrg in a loop", err)
		must(t, "Sync", s.Sync(ctx, a.org.ID, snapCatalog(t, nil)))
		if d := cmp.Diff(before, dumpOrg(t, s, cat, a.org.ID)); d != "" {
			t.Errorf("reset round %d (-snapshot +restored):\n%s", round, d)
		}
	}
}

func testSnapshotNames(t *testing.T, s SnapshotStore) {
	ctx := t.Context()
	cat := snapCatalog(t, nil)
	a := snapSeed(t, s, cat, "acme")
	b := snapSeed(t, s, cat, "globex")
	now := time.Now()
	_, err := s.SnapshotOrg(ctx, a.org.ID, "clean", now, false)
	must(t, "SnapshotOrg", err)
	_, err = s.SnapshotOrg(ctx, a.org.ID, "clean", now, false)
	if !errors.Is(err, store.ErrSnapshotExists) || !errors.Is(err, store.ErrConflict) {
		t.Errorf("SnapshotOrg of a taken name: %v, want ErrSnapshotExists", err)
	}
	recInsert(t, s, a.org.ID, mustObj(t, cat, "Account"), records.Record{"Name": "One More"})
	info, err := s.SnapshotOrg(ctx, a.org.ID, "clean", now, true)
	must(t, "SnapshotOrg replace", err)
	if info.Records != 23 {
		t.Errorf("replaced snapshot holds %d records, want 23", info.Records)
	}
	_, err = s.SnapshotOrg(ctx, a.org.ID, "Clean", now, false)
	must(t, "SnapshotOrg Clean", err)
	_, err = s.SnapshotOrg(ctx, b.org.ID, "clean", now, false)
	must(t, "SnapshotOrg of org B", err)
	must(t, "Write", s.Write(ctx, a.org.ID, func(tx records.Tx) error {
		return tx.Purge(ctx, mustObj(t, cat, "Account"), a.accts, now)
	}))
	got, err := s.RestoreOrg(ctx, a.org.ID, "clean")
	must(t, "RestoreOrg", err)
	if got.Records != 23 || len(allRecords(t, s, a.org.ID, mustObj(t, cat, "Account"))) != 21 {
		t.Errorf("restore of the replaced snapshot: %+v", got)
	}
	list, err := s.OrgSnapshots(ctx, a.org.ID)
	must(t, "OrgSnapshots", err)
	var names []string
	for _, l := range list {
		names = append(names, fmt.Sprintf("%s/%d/%t", l.Name, l.Records, l.CreatedAt.Equal(now.Truncate(time.Millisecond))))
	}
	if want := []string{"Clean/23/true", "clean/23/true"}; !slices.Equal(names, want) {
		t.Errorf("OrgSnapshots = %v, want %v", names, want)
	}
	for what, err := range map[string]error{
		"restore of a missing name": second(s.RestoreOrg(ctx, a.org.ID, "nope")),
		"delete of a missing name":  s.DeleteOrgSnapshot(ctx, a.org.ID, "nope"),
		"restore of org B's name":   second(s.RestoreOrg(ctx, b.org.ID, "Clean")),
	} {
		if !errors.Is(err, store.ErrSnapshotNotFound) || !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: %v, want ErrSnapshotNotFound", what, err)
		}
	}
	if _, err := s.SnapshotOrg(ctx, sfid.New("00D", "5F", 999), "x", now, false); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("snapshot of a missing org: %v, want ErrNotFound", err)
	}
	must(t, "DeleteOrgSnapshot", s.DeleteOrgSnapshot(ctx, a.org.ID, "clean"))
	list, err = s.OrgSnapshots(ctx, a.org.ID)
	must(t, "OrgSnapshots", err)
	if len(list) != 1 || list[0].Name != "Clean" {
		t.Errorf("after delete: %+v, want Clean only", list)
	}
	if list, _ := s.OrgSnapshots(ctx, b.org.ID); len(list) != 1 || list[0].Name != "clean" {
		t.Errorf("org B's snapshots: %+v", list)
	}
}

func second[T any](_ T, err error) error { return err }

// testSnapshotRace: 64 writers each insert an Account and a Contact in one transaction
// while a restore runs; afterwards every pair is whole or gone.
func testSnapshotRace(t *testing.T, s SnapshotStore) {
	ctx := t.Context()
	cat := snapCatalog(t, nil)
	a := snapSeed(t, s, cat, "acme")
	_, err := s.SnapshotOrg(ctx, a.org.ID, "clean", time.Now(), false)
	must(t, "SnapshotOrg", err)
	acc, con := mustObj(t, cat, "Account"), mustObj(t, cat, "Contact")
	const writers = 64
	var wg sync.WaitGroup
	started := make(chan struct{}, writers)
	errs := make(chan error, writers+1)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			errs <- s.Write(ctx, a.org.ID, func(tx records.Tx) error {
				name := fmt.Sprintf("pair-%d", i)
				if _, err := tx.Insert(ctx, acc, []records.Record{{"Name": name}}); err != nil {
					return err
				}
				_, err := tx.Insert(ctx, con, []records.Record{{"Name": name}})
				return err
			})
		}()
	}
	for range writers / 4 {
		<-started
	}
	_, err = s.RestoreOrg(ctx, a.org.ID, "clean")
	errs <- err
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("racing write or restore: %v", err)
		}
	}
	pairs := func(obj *schema.Object) []string {
		out := []string{}
		for _, r := range allRecords(t, s, a.org.ID, obj) {
			if n := fmt.Sprint(r["Name"]); strings.HasPrefix(n, "pair-") {
				out = append(out, n)
			}
		}
		slices.Sort(out)
		return out
	}
	if d := cmp.Diff(pairs(acc), pairs(con)); d != "" {
		t.Errorf("a write was cut in two by the restore (-accounts +contacts):\n%s", d)
	}
	if n := len(allRecords(t, s, a.org.ID, acc)) - len(pairs(acc)); n != 20 {
		t.Errorf("%d of the snapshot's 20 accounts after the race", n)
	}
}
