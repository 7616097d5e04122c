package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/soql"
)

// RunCursors is the conformance suite of records.Cursors (query cursors). open must
// return a new, empty store for each call. It pins down, beyond the comments of
// records.Cursors: a snapshot holds the IDs of the whole result in the plan's order,
// within its LIMIT and OFFSET; pages read through a plan come back in snapshot order
// whatever the records became — a record inserted since is not in it, one updated keeps
// its position with its new values, one soft-deleted is still returned, one purged is
// absent — with child subquery rows; a cursor is found only by its org and user and only
// while not idle longer than asked, each lookup renewing it; perUser releases the
// least recently used of that user's cursors alone; Close and DeleteCursorsBefore take
// the IDs along.
func RunCursors(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	orgA, orgB := sfid.New("00D", "5F", 31), sfid.New("00D", "5F", 32)
	alice, bob := sfid.New("005", "5F", 1), sfid.New("005", "5F", 2)
	t0 := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	cat := cursorCatalog(t)
	account, _ := cat.Object("Account")
	contact, _ := cat.Object("Contact")
	admin := access.New(org.Principal{User: org.User{ID: alice}, Profile: org.Profile{Permissions: []string{"ModifyAllData"}}})
	plan := func(t *testing.T, text string) *query.Plan {
		t.Helper()
		ast, err := soql.Parse(text)
		if err != nil {
			t.Fatalf("Parse %q: %v", text, err)
		}
		p, err := query.Resolve(ast, cat, admin, query.Options{Now: t0})
		if err != nil {
			t.Fatalf("Resolve %q: %v", text, err)
		}
		return p
	}
	// fresh opens a store with 30 Accounts ranked 0…29 (Name A00…A29) in orgA.
	fresh := func(t *testing.T) (records.Store, []sfid.ID) {
		t.Helper()
		s := open(t)
		for _, o := range []sfid.ID{orgA, orgB} {
			if err := s.Sync(ctx, o, cat); err != nil {
				t.Fatalf("Sync: %v", err)
			}
		}
		var recs []records.Record
		for i := range 30 {
			recs = append(recs, records.Record{"Name": fmt.Sprintf("A%02d", i), "Rank__c": int64(i), "IsDeleted": false})
		}
		var ids []sfid.ID
		if err := s.Write(ctx, orgA, func(tx records.Tx) error {
			var err error
			ids, err = tx.Insert(ctx, account, recs)
			return err
		}); err != nil {
			t.Fatalf("Insert: %v", err)
		}
		return s, ids
	}
	write := func(t *testing.T, s records.Store, fn func(tx records.Tx) error) {
		t.Helper()
		if err := s.Write(ctx, orgA, fn); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	// names reads every page of a cursor (pages of size) and returns the first column.
	names := func(t *testing.T, s records.Store, key string, p *query.Plan, total, size int) []any {
		t.Helper()
		var out []any
		for off := 0; off < total; off += size {
			rows, err := s.CursorRows(ctx, orgA, key, p, off, size)
			if err != nil {
				t.Fatalf("CursorRows(%d, %d): %v", off, size, err)
			}
			for _, r := range rows {
				out = append(out, r.Values[0])
			}
		}
		return out
	}
	openCursor := func(t *testing.T, s records.Store, c *records.Cursor, p *query.Plan, perUser int) {
		t.Helper()
		if err := s.OpenCursor(ctx, c, p, perUser); err != nil {
			t.Fatalf("OpenCursor: %v", err)
		}
	}

	t.Run("SnapshotIsFixed", func(t *testing.T) {
		s, ids := fresh(t)
		const text = "SELECT Name, Rank__c FROM Account WHERE Rank__c >= 5 ORDER BY Rank__c DESC"
		p := plan(t, text)
		c := &records.Cursor{Key: "01gSNAPSHOT0000001", OrgID: orgA, UserID: alice, Query: text, Batch: 200, Now: t0, Snapshot: true, Used: t0}
		openCursor(t, s, c, p, 10)
		if c.Total != 25 {
			t.Fatalf("Total = %d, want 25", c.Total)
		}
		var want []any
		for i := 29; i >= 5; i-- {
			want = append(want, fmt.Sprintf("A%02d", i))
		}
		for _, size := range []int{1, 7, 25, 2000} {
			if diff := cmp.Diff(want, names(t, s, c.Key, p, c.Total, size)); diff != "" {
				t.Errorf("pages of %d (-want +got):\n%s", size, diff)
			}
		}
		// Another org's cursor has no rows for this org.
		if rows, err := s.CursorRows(ctx, orgB, c.Key, p, 0, 10); err != nil || len(rows) != 0 {
			t.Errorf("CursorRows of another org's cursor = %d rows, %v", len(rows), err)
		}
		// Past the end, or a nonsense window: no rows, no error.
		for _, w := range [][2]int{{25, 10}, {1000, 5}, {-1, 5}, {0, 0}} {
			if rows, err := s.CursorRows(ctx, orgA, c.Key, p, w[0], w[1]); err != nil || len(rows) != 0 {
				t.Errorf("CursorRows%v = %d rows, %v", w, len(rows), err)
			}
		}

		// Writes after the snapshot: a new matching record (not in it), A29 moved to the end
		// of the sort order (same position, new values), A20 soft-deleted (still there),
		// A10 purged (gone).
		write(t, s, func(tx records.Tx) error {
			if _, err := tx.Insert(ctx, account, []records.Record{{"Name": "A99", "Rank__c": int64(99), "IsDeleted": false}}); err != nil {
				return err
			}
			if err := tx.Update(ctx, account, ids[29], records.Record{"Name": "A29 renamed", "Rank__c": int64(-1)}); err != nil {
				return err
			}
			if err := tx.Delete(ctx, account, []sfid.ID{ids[20]}, time.Now()); err != nil {
				return err
			}
			return tx.Purge(ctx, account, []sfid.ID{ids[10]}, time.Now())
		})
		var after []any
		for _, n := range want {
			switch n {
			case "A29":
				after = append(after, "A29 renamed")
			case "A10":
			default:
				after = append(after, n)
			}
		}
		if diff := cmp.Diff(after, names(t, s, c.Key, p, c.Total, 7)); diff != "" {
			t.Errorf("pages after writes (-want +got):\n%s", diff)
		}
		rows, err := s.CursorRows(ctx, orgA, c.Key, p, 0, 1)
		if err != nil || len(rows) != 1 || rows[0].Values[1] != int64(-1) {
			t.Errorf("the updated record's values: %v %v", rows, err)
		}
	})

	t.Run("LimitOffsetAndChildren", func(t *testing.T) {
		s, ids := fresh(t)
		write(t, s, func(tx records.Tx) error {
			_, err := tx.Insert(ctx, contact, []records.Record{
				{"LastName": "C1", "AccountId": string(ids[4]), "IsDeleted": false},
				{"LastName": "C2", "AccountId": string(ids[4]), "IsDeleted": false},
				{"LastName": "C3", "AccountId": string(ids[6]), "IsDeleted": false},
			})
			return err
		})
		const text = "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name LIMIT 5 OFFSET 3"
		p := plan(t, text)
		c := &records.Cursor{Key: "01gLIMITOFFSET0001", OrgID: orgA, UserID: alice, Query: text, Batch: 2, Now: t0, Snapshot: true, Used: t0}
		openCursor(t, s, c, p, 10)
		if c.Total != 5 {
			t.Fatalf("Total = %d, want 5", c.Total)
		}
		var got []string
		for off := 0; off < c.Total; off += 2 {
			rows, err := s.CursorRows(ctx, orgA, c.Key, p, off, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				line := r.Values[0].(string) + ":"
				for _, ch := range r.Children[0] {
					line += " " + ch.Values[0].(string)
				}
				got = append(got, line)
			}
		}
		want := []string{"A03:", "A04: C1 C2", "A05:", "A06: C3", "A07:"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("rows with children (-want +got):\n%s", diff)
		}
	})

	t.Run("Lookup", func(t *testing.T) {
		s, _ := fresh(t)
		c := &records.Cursor{Key: "01gLOOKUP000000001", OrgID: orgA, UserID: alice, Query: "SELECT COUNT(Id) n, Name FROM Account GROUP BY Name",
			All: true, Batch: 500, Now: t0.Add(-time.Hour), Total: 30, Used: t0}
		openCursor(t, s, c, plan(t, c.Query), 10)
		got, err := s.Cursor(ctx, orgA, alice, c.Key, t0.Add(10*time.Minute), 15*time.Minute)
		if err != nil {
			t.Fatalf("Cursor: %v", err)
		}
		want := *c
		want.Used = t0.Add(10 * time.Minute)
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("Cursor (-want +got):\n%s", diff)
		}
		// A lookup soon after may leave the mark as it is (at most idle/30 behind).
		if again, err := s.Cursor(ctx, orgA, alice, c.Key, t0.Add(10*time.Minute+29*time.Second), 15*time.Minute); err != nil ||
			again.Used.Before(t0.Add(10*time.Minute)) || again.Used.After(t0.Add(10*time.Minute+29*time.Second)) {
			t.Errorf("lookup 29 s later: %v, %v", again, err)
		}
		// Each lookup renews it: 24 minutes after opening it is still 14 minutes idle.
		if _, err := s.Cursor(ctx, orgA, alice, c.Key, t0.Add(24*time.Minute), 15*time.Minute); err != nil {
			t.Errorf("renewed cursor: %v", err)
		}
		for name, try := range map[string]func() error{
			"other user": func() error { _, err := s.Cursor(ctx, orgA, bob, c.Key, t0, time.Hour); return err },
			"other org":  func() error { _, err := s.Cursor(ctx, orgB, alice, c.Key, t0, time.Hour); return err },
			"no key":     func() error { _, err := s.Cursor(ctx, orgA, alice, "01gNOSUCHCURSOR001", t0, time.Hour); return err },
			"idle": func() error {
				_, err := s.Cursor(ctx, orgA, alice, c.Key, t0.Add(39*time.Minute+time.Millisecond), 15*time.Minute)
				return err
			},
		} {
			if err := try(); !errors.Is(err, records.ErrNoCursor) {
				t.Errorf("%s: %v, want ErrNoCursor", name, err)
			}
		}
		// A snapshot of an aggregate is refused, and stores nothing.
		agg := &records.Cursor{Key: "01gAGGREGATE000001", OrgID: orgA, UserID: alice, Query: c.Query, Snapshot: true, Used: t0}
		if err := s.OpenCursor(ctx, agg, plan(t, c.Query), 10); err == nil {
			t.Error("a snapshot of an aggregate query was accepted")
		}
		if _, err := s.Cursor(ctx, orgA, alice, agg.Key, t0, time.Hour); !errors.Is(err, records.ErrNoCursor) {
			t.Errorf("refused cursor stored: %v", err)
		}
	})

	t.Run("ReleaseOldest", func(t *testing.T) {
		s, _ := fresh(t)
		p := plan(t, "SELECT Name FROM Account")
		mk := func(key string, user sfid.ID, used time.Time) *records.Cursor {
			c := &records.Cursor{Key: key, OrgID: orgA, UserID: user, Query: "SELECT Name FROM Account", Batch: 200, Now: used, Snapshot: true, Used: used}
			openCursor(t, s, c, p, 3)
			return c
		}
		b1 := mk("01gBOB000000000001", bob, t0)
		a1 := mk("01gALICE0000000001", alice, t0.Add(time.Minute))
		a2 := mk("01gALICE0000000002", alice, t0.Add(2*time.Minute))
		a3 := mk("01gALICE0000000003", alice, t0.Add(3*time.Minute))
		// a1 is used again: a2 is now the least recently used of alice's three.
		if _, err := s.Cursor(ctx, orgA, alice, a1.Key, t0.Add(10*time.Minute), time.Hour); err != nil {
			t.Fatal(err)
		}
		a4 := mk("01gALICE0000000004", alice, t0.Add(11*time.Minute))
		for _, c := range []*records.Cursor{b1, a1, a3, a4} {
			if _, err := s.Cursor(ctx, orgA, c.UserID, c.Key, t0.Add(12*time.Minute), time.Hour); err != nil {
				t.Errorf("%s released: %v", c.Key, err)
			}
		}
		if _, err := s.Cursor(ctx, orgA, alice, a2.Key, t0.Add(12*time.Minute), time.Hour); !errors.Is(err, records.ErrNoCursor) {
			t.Errorf("least recently used cursor kept: %v", err)
		}
		if rows, err := s.CursorRows(ctx, orgA, a2.Key, p, 0, 100); err != nil || len(rows) != 0 {
			t.Errorf("released cursor's IDs kept: %d rows, %v", len(rows), err)
		}
	})

	t.Run("CloseAndSweep", func(t *testing.T) {
		s, _ := fresh(t)
		p := plan(t, "SELECT Name FROM Account")
		for i, used := range []time.Time{t0, t0.Add(time.Minute), t0.Add(2 * time.Minute)} {
			c := &records.Cursor{Key: fmt.Sprintf("01gSWEEP0000000%03d", i), OrgID: orgA, UserID: alice, Query: "SELECT Name FROM Account", Batch: 200, Now: used, Snapshot: true, Used: used}
			openCursor(t, s, c, p, 0)
		}
		if err := s.CloseCursor(ctx, "01gSWEEP0000000002"); err != nil {
			t.Fatal(err)
		}
		if err := s.CloseCursor(ctx, "01gSWEEP0000000002"); err != nil {
			t.Errorf("closing a closed cursor: %v", err)
		}
		if rows, err := s.CursorRows(ctx, orgA, "01gSWEEP0000000002", p, 0, 100); err != nil || len(rows) != 0 {
			t.Errorf("closed cursor's IDs kept: %d rows, %v", len(rows), err)
		}
		n, err := s.DeleteCursorsBefore(ctx, t0.Add(time.Minute))
		if err != nil || n != 1 {
			t.Errorf("DeleteCursorsBefore = %d, %v; want 1", n, err)
		}
		if rows, _ := s.CursorRows(ctx, orgA, "01gSWEEP0000000000", p, 0, 100); len(rows) != 0 {
			t.Errorf("swept cursor's IDs kept: %d rows", len(rows))
		}
		if rows, _ := s.CursorRows(ctx, orgA, "01gSWEEP0000000001", p, 0, 100); len(rows) != 30 {
			t.Errorf("cursor used at the bound swept: %d rows", len(rows))
		}
	})
}

// cursorCatalog is Account (with a ranking field and child Accounts) and Contact.
func cursorCatalog(t *testing.T) *schema.Catalog {
	t.Helper()
	id := schema.Field{Name: "Id", Type: schema.TypeID, System: true}
	del := schema.Field{Name: "IsDeleted", Type: schema.TypeBoolean, System: true}
	cat, err := schema.NewCatalog([]*schema.Object{
		{Name: "Account", KeyPrefix: "001", Sharing: schema.SharingReadWrite, Queryable: true, Fields: []schema.Field{
			id, del, {Name: "Name", Type: schema.TypeString, NameField: true, Length: 255},
			{Name: "Rank__c", Type: schema.TypeInt, Custom: true, Nillable: true, Permissionable: true},
		}},
		{Name: "Contact", KeyPrefix: "003", Sharing: schema.SharingReadWrite, Queryable: true, Fields: []schema.Field{
			id, del, {Name: "LastName", Type: schema.TypeString, Length: 80},
			{Name: "AccountId", Type: schema.TypeReference, Nillable: true, ReferenceTo: []string{"Account"},
				RelationshipName: "Account", ChildRelationshipName: "Contacts"},
		}},
	})
	if err != nil {
		t.Fatalf("NewCatalog: %v", err)
	}
	return cat
}
