package sqlite

import (
	"context"
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

func TestRecordsSetupViews(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	defer db.Close()
	o, u, a := seed(t, db)
	other := org.Org{Name: "Globex", Edition: org.EditionDeveloper}
	p := org.Profile{Name: "Standard User"}
	ps := org.PermissionSet{Name: "Sales_Ops"}
	u2 := org.User{Username: "jane@acme.test", FirstName: "Jane", LastName: "Doe", Active: true}
	err := db.UpdateSetup(ctx, func(w store.SetupWriter) error {
		if err := w.PutOrg(ctx, &other); err != nil {
			return err
		}
		p.OrgID, ps.OrgID, u2.OrgID = o.ID, o.ID, o.ID
		if err := w.PutProfile(ctx, &p); err != nil {
			return err
		}
		if err := w.PutPermissionSet(ctx, &ps); err != nil {
			return err
		}
		u2.ProfileID = p.ID
		return w.PutUser(ctx, &u2)
	})
	if err != nil {
		t.Fatal(err)
	}
	_, logins := batch(o, u, a, 1, 2)
	logins[1].Browser = ""
	if err := db.RecordLogins(ctx, nil, logins); err != nil {
		t.Fatal(err)
	}
	cat := testCatalog(t)
	for _, id := range []sfid.ID{o.ID, other.ID} {
		if err := db.Sync(ctx, id, cat); err != nil {
			t.Fatal(err)
		}
	}

	user := object(t, cat, "User")
	got := get(t, db, o.ID, user, []sfid.ID{u2.ID, u.ID}, nil)
	want := []records.Record{
		{"Id": string(u2.ID), "Username": "jane@acme.test", "FirstName": "Jane", "LastName": "Doe", "Name": "Jane Doe",
			"IsActive": true, "ProfileId": string(p.ID), "CreatedDate": u2.CreatedAt, "Alias": nil},
		{"Id": string(u.ID), "Username": "integration@acme.test", "FirstName": nil, "LastName": "", "Name": "",
			"IsActive": true, "ProfileId": nil, "CreatedDate": u.CreatedAt, "Alias": nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get User (-want +got):\n%s", diff)
	}
	if got := get(t, db, other.ID, user, []sfid.ID{u.ID}, nil); len(got) != 0 {
		t.Errorf("another org reads the user: %v", got)
	}

	orgObj := object(t, cat, "Organization")
	got = get(t, db, o.ID, orgObj, []sfid.ID{o.ID, other.ID}, nil)
	want = []records.Record{{"Id": string(o.ID), "Name": "Acme", "InstanceName": "FF5F", "IsSandbox": false,
		"TrialExpirationDate": nil, "OrganizationType": "Enterprise Edition"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get Organization (-want +got):\n%s", diff)
	}
	// OrganizationType follows the org's edition ("" is Enterprise).
	got = get(t, db, other.ID, orgObj, []sfid.ID{other.ID}, []string{"OrganizationType"})
	if want := []records.Record{{"OrganizationType": "Developer Edition"}}; !cmp.Equal(want, got) {
		t.Errorf("Get Organization of a Developer Edition org = %v, want %v", got, want)
	}

	lh := object(t, cat, "LoginHistory")
	got = get(t, db, o.ID, lh, []sfid.ID{logins[0].ID, logins[1].ID}, []string{"Id", "UserId", "LoginTime", "Status", "ClientVersion"})
	want = []records.Record{
		{"Id": string(logins[0].ID), "UserId": string(u.ID), "LoginTime": logins[0].Time, "Status": "Success", "ClientVersion": nil},
		{"Id": string(logins[1].ID), "UserId": string(u.ID), "LoginTime": logins[1].Time, "Status": "Success", "ClientVersion": nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get LoginHistory (-want +got):\n%s", diff)
	}
	if logins[0].ID.Prefix() != "0Ya" {
		t.Errorf("login ID %s", logins[0].ID)
	}
	// IDs that are not LoginHistory IDs of this backend find nothing; the lookup by ID
	// uses login_history's primary key.
	if got := get(t, db, o.ID, lh, []sfid.ID{sfid.New("001", pod, 1), "0Ya5F0000000001xyz", logins[1].ID}, []string{"Id"}); !cmp.Equal(got, []records.Record{{"Id": string(logins[1].ID)}}) {
		t.Errorf("Get LoginHistory with odd IDs = %v", got)
	}
	plan := queryPlan(t, db, "SELECT Id FROM s_loginhistory WHERE _org = ? AND _seq IN (?)", string(o.ID), 1)
	if !strings.Contains(plan, "PRIMARY KEY") {
		t.Errorf("LoginHistory lookup by ID does not use the primary key:\n%s", plan)
	}

	err = db.Write(ctx, o.ID, func(tx records.Tx) error {
		ids, err := tx.Find(ctx, user, "Username", "JANE@acme.test")
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]sfid.ID{u2.ID}, ids); diff != "" {
			t.Errorf("Find User by Username (-want +got):\n%s", diff)
		}
		got, err := tx.Get(ctx, object(t, cat, "PermissionSet"), []sfid.ID{ps.ID}, nil)
		if err != nil {
			return err
		}
		want := []records.Record{{"Id": string(ps.ID), "Name": "Sales_Ops", "Label": "Sales_Ops", "IsOwnedByProfile": false}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Tx.Get PermissionSet (-want +got):\n%s", diff)
		}
		if _, err := tx.Insert(ctx, user, []records.Record{{"Username": "x"}}); err == nil {
			t.Error("Insert into a Setup object: no error")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Another org's Find does not see the user.
	err = db.Write(ctx, other.ID, func(tx records.Tx) error {
		ids, err := tx.Find(ctx, user, "Username", "jane@acme.test")
		if len(ids) != 0 {
			t.Errorf("org %s finds %v", other.ID, ids)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// A catalog whose User has another field replaces the view.
	objs := setupObjects()
	objs[0].Fields = append(objs[0].Fields, schema.Field{Name: "Email", Type: schema.TypeEmail})
	cat2, err := schema.NewCatalog(objs)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Sync(ctx, o.ID, cat2); err != nil {
		t.Fatal(err)
	}
	got = get(t, db, o.ID, object(t, cat2, "User"), []sfid.ID{u2.ID}, []string{"Email"})
	if diff := cmp.Diff([]records.Record{{"Email": ""}}, got); diff != "" {
		t.Errorf("Get User.Email after the view changed (-want +got):\n%s", diff)
	}
}

// TestRecordsConcurrentReads reads through the read pool while a writer inserts: every
// read sees whole committed batches, never an error.
func TestRecordsConcurrentReads(t *testing.T) {
	ctx := context.Background()
	cat := testCatalog(t)
	db, _ := syncedDB(t, cat)
	acc := object(t, cat, "Account")
	base := insert(t, db, orgA, acc, names(50, nil)...)

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
				got, err := db.Get(ctx, orgA, acc, base, []string{"Name"})
				if err != nil {
					errs <- err
					return
				}
				if len(got) != len(base) {
					errs <- &records.DuplicateError{Object: "short read"}
					return
				}
			}
		}()
	}
	var written []sfid.ID
	deadline := time.Now().Add(500 * time.Millisecond)
	for time.Now().Before(deadline) {
		written = append(written, insert(t, db, orgA, acc, names(100, nil)...)...)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Get: %v", err)
	}
	if got := get(t, db, orgA, acc, written, []string{"Id"}); len(got) != len(written) {
		t.Errorf("read back %d of %d records written", len(got), len(written))
	}
}
