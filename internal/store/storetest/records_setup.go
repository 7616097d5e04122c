package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RunRecordsSetup checks the Setup objects read through the records path (User,
// Profile, PermissionSet, Organization, LoginHistory): values in storage form from the
// Setup rows (Name = FirstName LastName, empty texts NULL where Salesforce has none, an
// unmapped field nil, OrganizationType from the edition, InstanceName FF5F), per org
// only; LoginHistory IDs are the 0Ya IDs RecordLogins gave, other IDs find nothing; Find
// on a Setup object ignores case and stays in its org; Setup objects cannot be written;
// a catalog whose Setup object gains a field replaces its view. open must return a new,
// empty store.
func RunRecordsSetup(t *testing.T, open func(t *testing.T) RecordStore) {
	ctx := context.Background()
	s := open(t)
	o := org.Org{Name: "Acme"}
	u := org.User{Username: "integration@acme.test", Active: true}
	a := org.ConnectedApp{Name: "Sync", Scopes: []string{"api"}, ClientCredentialsEnabled: true}
	other := org.Org{Name: "Globex", Edition: org.EditionDeveloper}
	p := org.Profile{Name: "Standard User"}
	ps := org.PermissionSet{Name: "Sales_Ops"}
	u2 := org.User{Username: "jane@acme.test", FirstName: "Jane", LastName: "Doe", Active: true}
	setup(t, s, func(w store.SetupWriter) error {
		if err := w.PutOrg(ctx, &o); err != nil {
			return err
		}
		u.OrgID, a.OrgID = o.ID, o.ID
		if err := w.PutUser(ctx, &u); err != nil {
			return err
		}
		a.RunAsUserID = u.ID
		if err := w.PutConnectedApp(ctx, &a); err != nil {
			return err
		}
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
	now := time.Now()
	logins := make([]*org.LoginEvent, 2)
	for i := range logins {
		logins[i] = &org.LoginEvent{
			OrgID: o.ID, UserID: u.ID, AppID: a.ID, Time: now, SourceIP: "203.0.113.7",
			LoginType: org.LoginTypeRemoteAccess2, LoginSubType: org.LoginSubTypeClientCredentials,
			Status: org.LoginStatusSuccess, Application: a.Name, LoginURL: "acme.my.forcefield.test",
			APIType: "N/A", APIVersion: "N/A", Browser: "Unknown", Platform: "Unknown",
		}
	}
	logins[1].Browser = ""
	if err := s.RecordLogins(ctx, nil, logins); err != nil {
		t.Fatal(err)
	}
	cat := RecordCatalog(t)
	for _, id := range []sfid.ID{o.ID, other.ID} {
		if err := s.Sync(ctx, id, cat); err != nil {
			t.Fatal(err)
		}
	}

	user := recObject(t, cat, "User")
	got := recGet(t, s, o.ID, user, []sfid.ID{u2.ID, u.ID}, nil)
	want := []records.Record{
		{"Id": string(u2.ID), "Username": "jane@acme.test", "FirstName": "Jane", "LastName": "Doe", "Name": "Jane Doe",
			"IsActive": true, "ProfileId": string(p.ID), "CreatedDate": u2.CreatedAt, "Alias": nil},
		{"Id": string(u.ID), "Username": "integration@acme.test", "FirstName": nil, "LastName": "", "Name": "",
			"IsActive": true, "ProfileId": nil, "CreatedDate": u.CreatedAt, "Alias": nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get User (-want +got):\n%s", diff)
	}
	if got := recGet(t, s, other.ID, user, []sfid.ID{u.ID}, nil); len(got) != 0 {
		t.Errorf("another org reads the user: %v", got)
	}

	orgObj := recObject(t, cat, "Organization")
	got = recGet(t, s, o.ID, orgObj, []sfid.ID{o.ID, other.ID}, nil)
	want = []records.Record{{"Id": string(o.ID), "Name": "Acme", "InstanceName": "FF5F", "IsSandbox": false,
		"TrialExpirationDate": nil, "OrganizationType": "Enterprise Edition"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get Organization (-want +got):\n%s", diff)
	}
	// OrganizationType follows the org's edition ("" is Enterprise).
	got = recGet(t, s, other.ID, orgObj, []sfid.ID{other.ID}, []string{"OrganizationType"})
	if want := []records.Record{{"OrganizationType": "Developer Edition"}}; !cmp.Equal(want, got) {
		t.Errorf("Get Organization of a Developer Edition org = %v, want %v", got, want)
	}

	lh := recObject(t, cat, "LoginHistory")
	got = recGet(t, s, o.ID, lh, []sfid.ID{logins[0].ID, logins[1].ID}, []string{"Id", "UserId", "LoginTime", "Status", "ClientVersion"})
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
	// IDs that are not LoginHistory IDs of this backend find nothing.
	if got := recGet(t, s, o.ID, lh, []sfid.ID{sfid.New("001", "5F", 1), "0Ya5F0000000001xyz", logins[1].ID}, []string{"Id"}); !cmp.Equal(got, []records.Record{{"Id": string(logins[1].ID)}}) {
		t.Errorf("Get LoginHistory with odd IDs = %v", got)
	}

	err := s.Write(ctx, o.ID, func(tx records.Tx) error {
		ids, err := tx.Find(ctx, user, "Username", "JANE@acme.test")
		if err != nil {
			return err
		}
		if diff := cmp.Diff([]sfid.ID{u2.ID}, ids); diff != "" {
			t.Errorf("Find User by Username (-want +got):\n%s", diff)
		}
		got, err := tx.Get(ctx, recObject(t, cat, "PermissionSet"), []sfid.ID{ps.ID}, nil)
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
	err = s.Write(ctx, other.ID, func(tx records.Tx) error {
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
	objs := RecordSetupObjects()
	objs[0].Fields = append(objs[0].Fields, schema.Field{Name: "Email", Type: schema.TypeEmail})
	cat2, err := schema.NewCatalog(objs)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx, o.ID, cat2); err != nil {
		t.Fatal(err)
	}
	got = recGet(t, s, o.ID, recObject(t, cat2, "User"), []sfid.ID{u2.ID}, []string{"Email"})
	if diff := cmp.Diff([]records.Record{{"Email": ""}}, got); diff != "" {
		t.Errorf("Get User.Email after the view changed (-want +got):\n%s", diff)
	}
}
