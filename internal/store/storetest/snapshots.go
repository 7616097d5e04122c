package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/sosl"
	"github.com/forcefield/forcefield/internal/store"
)

// SnapshotStore is what RunSnapshots needs: Setup, records and snapshots.
type SnapshotStore interface {
	store.Store
	records.Store
	store.Snapshots
}

// RunSnapshots is the conformance suite of store.Snapshots. open must return a new,
// empty store for each call (open registers its cleanup). It pins down:
//   - a round trip field by field: after changes to Setup (org settings, a new user, a
//     changed profile, a rotated and a deleted credential, custom objects, a lockout) and
//     to data (records created, updated, soft-deleted and purged, a new custom field and
//     a new object, recently viewed records), RestoreOrg gives back exactly the dump taken
//     at SnapshotOrg — Setup, every record with every field, the delete log, recent
//     records and SOSL results — and the restored SOSL index keeps working for new
//     writes;
//   - isolation: another org's full dump is the same before and after;
//   - names: a taken name is ErrSnapshotExists (and ErrConflict) unless replace, which
//     replaces; missing names and orgs are ErrSnapshotNotFound / ErrNotFound; names are
//     per org; OrgSnapshots lists by name with the record count; Delete removes;
//   - a restore racing record writes leaves each write whole or gone, never half.
func RunSnapshots(t *testing.T, open func(t *testing.T) SnapshotStore) {
	t.Run("RoundTrip", func(t *testing.T) { testSnapshotRoundTrip(t, open(t)) })
	t.Run("Names", func(t *testing.T) { testSnapshotNames(t, open(t)) })
	t.Run("RestoreRacesWrites", func(t *testing.T) { testSnapshotRace(t, open(t)) })
}

// snapCatalog is Account (searchable), Contact, a custom object Gadget__c and the Setup
// objects; extra fields go on Gadget__c, extraObjs are added.
func snapCatalog(t testing.TB, extra []schema.Field, extraObjs ...*schema.Object) *schema.Catalog {
	t.Helper()
	base := RecordCatalog(t)
	var objs []*schema.Object
	for _, o := range base.Objects() {
		if o.Name == "Account" {
			c := *o
			c.Searchable = true
			o = &c
		}
		objs = append(objs, o)
	}
	objs = append(objs, &schema.Object{Name: "Gadget__c", KeyPrefix: "a01", Custom: true, Searchable: true,
		Fields: append([]schema.Field{
			{Name: "Id", Type: schema.TypeID}, {Name: "IsDeleted", Type: schema.TypeBoolean},
			{Name: "Name", Type: schema.TypeString, NameField: true},
			{Name: "Weight__c", Type: schema.TypeDouble, Custom: true},
		}, extra...)})
	cat, err := schema.NewCatalog(append(objs, extraObjs...))
	if err != nil {
		t.Fatalf("NewCatalog: %v", err)
	}
	return cat
}

// snapFixture is one org with Setup and data.
type snapFixture struct {
	org   org.Org
	user  org.User
	prof  org.Profile
	app   org.ConnectedApp
	cred  org.Credential
	accts []sfid.ID
}

func snapSeed(t *testing.T, s SnapshotStore, cat *schema.Catalog, name string) snapFixture {
	t.Helper()
	ctx := t.Context()
	f := snapFixture{org: org.Org{Name: name, MyDomain: "d" + name, SessionTimeoutMinutes: 30, DailyAPIRequests: 5000,
		PasswordPolicy: org.PasswordPolicy{LockoutAttempts: 5, LockoutMinutes: 15}}}
	setup(t, s, func(w store.SetupWriter) error {
		if err := w.PutOrg(ctx, &f.org); err != nil {
			return err
		}
		f.prof = org.Profile{OrgID: f.org.ID, Name: "Integration", Permissions: []string{"ApiEnabled"},
			LoginIPRanges:     []org.IPRange{{Start: "10.0.0.0", End: "10.0.0.255"}},
			ObjectPermissions: []org.ObjectPermission{{Object: "Account", Read: true, Create: true}},
			FieldPermissions:  []org.FieldPermission{{Field: "Account.Name", Read: true}}}
		if err := w.PutProfile(ctx, &f.prof); err != nil {
			return err
		}
		ps := org.PermissionSet{OrgID: f.org.ID, Name: "Extra", Permissions: []string{"ViewAllData"}}
		if err := w.PutPermissionSet(ctx, &ps); err != nil {
			return err
		}
		f.user = org.User{OrgID: f.org.ID, Username: "int@" + name + ".test", LastName: "Int", Active: true,
			ProfileID: f.prof.ID, PermissionSetIDs: []sfid.ID{ps.ID}, PasswordHash: "hash-of-pw", SecurityTokenHash: "hash-of-token"}
		if err := w.PutUser(ctx, &f.user); err != nil {
			return err
		}
		f.app = org.ConnectedApp{OrgID: f.org.ID, Name: "Sync", Scopes: []string{"api"}, ClientCredentialsEnabled: true,
			RunAsUserID: f.user.ID, CallbackURLs: []string{"https://cb.test/"}, Certificates: []string{"PEM"}}
		if err := w.PutConnectedApp(ctx, &f.app); err != nil {
			return err
		}
		f.cred = org.Credential{AppID: f.app.ID, ConsumerKey: "key-" + name, SecretHash: "secret-hash", State: org.CredentialActive}
		if err := w.PutCredential(ctx, &f.cred); err != nil {
			return err
		}
		if err := w.PutCustomObjects(ctx, f.org.ID, []schema.ObjectSpec{{Name: "Gadget__c"}}); err != nil {
			return err
		}
		return w.PutSeededRecord(ctx, f.org.ID, "acct1", "001000000000001AAA")
	})
	if _, err := s.RecordLoginFailure(ctx, f.user.ID, time.Now(), 5, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx, f.org.ID, cat); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	acc := mustObj(t, cat, "Account")
	f.accts = recInsert(t, s, f.org.ID, acc, recNames(20, func(i int) string { return fmt.Sprintf("%s Account %d", name, i) })...)
	recInsert(t, s, f.org.ID, mustObj(t, cat, "Gadget__c"), records.Record{"Name": "Sprocket " + name, "Weight__c": 1.5})
	recInsert(t, s, f.org.ID, mustObj(t, cat, "Contact"), records.Record{"Name": "Jane " + name, "AccountId": string(f.accts[0])})
	must(t, "Delete", s.Write(ctx, f.org.ID, func(tx records.Tx) error {
		return tx.Delete(ctx, acc, f.accts[19:], time.UnixMilli(1_700_000_000_000))
	}))
	must(t, "MarkRecent", s.MarkRecent(ctx, f.org.ID, f.user.ID, acc, f.accts[:2], time.UnixMilli(1_700_000_000_000), true))
	return f
}

// snapDump is everything a restore must give back, as plain values.
type snapDump struct {
	Org      org.Org
	Profiles []org.Profile
	PermSets []org.PermissionSet
	Users    []org.User
	Apps     []org.ConnectedApp
	Creds    map[sfid.ID][]org.Credential
	Lockouts map[sfid.ID]org.Lockout
	Objects  []schema.ObjectSpec
	Seeded   sfid.ID
	Records  map[string][]map[string]any
	Deleted  map[string][]records.DeletedRecord
	Recent   map[sfid.ID][]records.RecentView
	Search   map[string][]string // SOSL word → names of the Accounts found
}

func dumpOrg(t *testing.T, s SnapshotStore, cat *schema.Catalog, orgID sfid.ID) snapDump {
	t.Helper()
	ctx := t.Context()
	var d snapDump
	var err error
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("dump %s: %v", what, err)
		}
	}
	d.Org, err = s.Org(ctx, orgID)
	check("org", err)
	d.Profiles, err = s.Profiles(ctx, orgID)
	check("profiles", err)
	d.PermSets, err = s.PermissionSets(ctx, orgID)
	check("permission sets", err)
	d.Users, err = s.Users(ctx, orgID)
	check("users", err)
	d.Apps, err = s.ConnectedApps(ctx, orgID)
	check("apps", err)
	sortBy := func(a, b sfid.ID) int { return cmpString(string(a), string(b)) }
	slices.SortFunc(d.Profiles, func(a, b org.Profile) int { return sortBy(a.ID, b.ID) })
	slices.SortFunc(d.PermSets, func(a, b org.PermissionSet) int { return sortBy(a.ID, b.ID) })
	slices.SortFunc(d.Users, func(a, b org.User) int { return sortBy(a.ID, b.ID) })
	slices.SortFunc(d.Apps, func(a, b org.ConnectedApp) int { return sortBy(a.ID, b.ID) })
	d.Creds, d.Lockouts, d.Recent = map[sfid.ID][]org.Credential{}, map[sfid.ID]org.Lockout{}, map[sfid.ID][]records.RecentView{}
	for _, a := range d.Apps {
		d.Creds[a.ID], err = s.Credentials(ctx, a.ID)
		check("credentials", err)
	}
	for _, u := range d.Users {
		d.Lockouts[u.ID], err = s.Lockout(ctx, u.ID)
		check("lockout", err)
		d.Recent[u.ID], err = s.Recent(ctx, orgID, u.ID, nil, 100)
		check("recent", err)
	}
	d.Objects, err = s.CustomObjects(ctx, orgID)
	check("custom objects", err)
	d.Seeded, _ = s.SeededRecord(ctx, orgID, "acct1")
	d.Records, d.Deleted = map[string][]map[string]any{}, map[string][]records.DeletedRecord{}
	for _, obj := range cat.Objects() {
		if obj.Setup {
			continue
		}
		d.Records[obj.Name] = allRecords(t, s, orgID, obj)
		d.Deleted[obj.Name], err = s.Deleted(ctx, orgID, obj, records.ChangeWindow{Start: time.UnixMilli(0), End: time.UnixMilli(1 << 50), Limit: 10000})
		check("deleted", err)
	}
	d.Search = map[string][]string{}
	for _, word := range []string{"Account*", "R3", "R4", "R1*", "Moved", "Renamed", "Fresh", "Later"} {
		d.Search[word] = snapSearch(t, s, orgID, mustObj(t, cat, "Account"), word)
	}
	return d
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// allRecords reads every row of obj (soft-deleted too), every stored field, by Id.
func allRecords(t *testing.T, s records.Store, orgID sfid.ID, obj *schema.Object) []map[string]any {
	t.Helper()
	p := &query.Plan{Object: obj, Limit: -1, IncludeDeleted: true}
	var names []string
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if f.Compound() {
			continue
		}
		p.Columns = append(p.Columns, query.Column{Path: &query.Path{Field: f, Name: f.Name}})
		names = append(names, f.Name)
	}
	res, err := s.Query(t.Context(), orgID, p, 0, -1)
	if err != nil {
		t.Fatalf("Query %s: %v", obj.Name, err)
	}
	out := []map[string]any{}
	for _, r := range res.Rows {
		m := map[string]any{}
		for i, n := range names {
			m[n] = r.Values[i]
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b map[string]any) int { return cmpString(fmt.Sprint(a["Id"]), fmt.Sprint(b["Id"])) })
	return out
}

// snapSearch returns the names of obj's records the SOSL word find matches, sorted.
func snapSearch(t *testing.T, s records.Store, orgID sfid.ID, obj *schema.Object, find string) []string {
	t.Helper()
	x, err := sosl.ParseExpr(find)
	if err != nil {
		t.Fatal(err)
	}
	name, _ := obj.Field("Name")
	id, _ := obj.Field("Id")
	p := &query.Plan{Object: obj, Limit: -1, Columns: []query.Column{{Path: &query.Path{Field: name, Name: "Name"}},
		{Path: &query.Path{Field: id, Name: "Id"}, Hidden: true}}}
	var in []string
	for _, f := range sosl.SearchFields(obj) {
		in = append(in, f.Name)
	}
	rows, err := s.Search(t.Context(), orgID, p, records.Match{Expr: x, Fields: in})
	if err != nil {
		t.Fatalf("Search(%q): %v", find, err)
	}
	out := []string{}
	for _, r := range rows {
		out = append(out, fmt.Sprint(r.Values[0]))
	}
	slices.Sort(out)
	return out
}
