package setup_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

var admin = setup.Actor{Name: "admin@acme.test"}

// profile returns the Acme profile named name.
func (e *testEnv) profile(t *testing.T, name string) org.Profile {
	t.Helper()
	sam := e.user(t, "sam@acme.test")
	all, err := e.st.Profiles(context.Background(), sam.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no profile %q", name)
	return org.Profile{}
}

// wantKind checks that err is a *setup.Error of kind on field ("" for any field); kind -1
// wants no error.
func wantKind(t *testing.T, err error, kind setup.Kind, field string) {
	t.Helper()
	if kind < 0 {
		if err != nil {
			t.Fatalf("error %v, want none", err)
		}
		return
	}
	e, ok := setup.AsError(err)
	if !ok || e.Kind != kind || (field != "" && e.Field != field) {
		t.Fatalf("error %#v, want kind %d on field %q", err, kind, field)
	}
}

const ok = setup.Kind(-1)

func TestCloneProfile(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	orgID := env.user(t, "sam@acme.test").OrgID
	std := env.profile(t, "Standard User")
	// Give the source everything a clone copies.
	if err := env.svc.AddProfileIPRange(ctx, admin, orgID, std.ID, org.IPRange{Start: "10.0.0.0", End: "10.0.0.255"}); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetProfileObjectPermissions(ctx, admin, orgID, std.ID, []org.ObjectPermission{{Object: "account", Edit: true}}); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetProfileFieldPermissions(ctx, admin, orgID, std.ID, "Account", []org.FieldPermission{{Field: "Industry", Edit: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.UpdateProfile(ctx, admin, orgID, std.ID, setup.ProfileSettings{Name: "Standard User", Permissions: []string{"ApiEnabled"}, SessionTimeoutMinutes: 30}); err != nil {
		t.Fatal(err)
	}
	std = env.profile(t, "Standard User")

	otherOrg := sfid.New(sfid.PrefixOrganization, "zz", 1)
	for _, tc := range []struct {
		name      string
		orgID     sfid.ID
		from      sfid.ID
		newName   string
		kind      setup.Kind
		wantField string
	}{
		{"clone", orgID, std.ID, "API Integration", ok, ""},
		{"same name", orgID, std.ID, "API Integration", setup.Conflict, "Name"},
		{"same name other case", orgID, std.ID, "api integration", setup.Conflict, "Name"},
		{"existing profile's name", orgID, std.ID, "System Administrator", setup.Conflict, "Name"},
		{"blank", orgID, std.ID, "   ", setup.Invalid, "Name"},
		{"no source", orgID, "", "Other", setup.Invalid, "From"},
		{"missing source", orgID, sfid.New(sfid.PrefixProfile, "zz", 9), "Other", setup.NotFound, ""},
		{"source of another org", otherOrg, std.ID, "Other", setup.NotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := env.svc.CloneProfile(ctx, admin, tc.orgID, tc.from, tc.newName)
			wantKind(t, err, tc.kind, tc.wantField)
			if err != nil {
				return
			}
			want := std
			want.ID, want.Name, want.CreatedAt, want.UpdatedAt = p.ID, tc.newName, p.CreatedAt, p.UpdatedAt
			if diff := cmp.Diff(want, env.profile(t, tc.newName)); diff != "" {
				t.Errorf("clone (-want +got):\n%s", diff)
			}
		})
	}
	audit := env.audit(t)
	if got := audit[len(audit)-1]; got != "admin@acme.test|created|Created profile API Integration (cloned from Standard User)" {
		t.Errorf("last audit row %q", got)
	}
}

// Two admins naming a new profile alike at once: one wins, the others get Conflict.
func TestCloneProfileRace(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	orgID := env.user(t, "sam@acme.test").OrgID
	std := env.profile(t, "Standard User")
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = env.svc.CloneProfile(ctx, admin, orgID, std.ID, "Racer")
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		wantKind(t, err, setup.Conflict, "Name")
	}
	if won != 1 {
		t.Fatalf("%d of %d racing clones succeeded, want 1", won, n)
	}
	if got := len(env.audit(t)); got != 1 {
		t.Errorf("%d audit rows, want 1", got)
	}
}

func TestUpdateProfile(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	orgID := env.user(t, "sam@acme.test").OrgID
	std := env.profile(t, "Standard User")
	for _, tc := range []struct {
		name string
		in   setup.ProfileSettings
		kind setup.Kind
		fld  string
	}{
		{"unknown permission", setup.ProfileSettings{Name: "Standard User", Permissions: []string{"ApiOnlyUser"}}, setup.Invalid, ""},
		{"timeout too short", setup.ProfileSettings{Name: "Standard User", SessionTimeoutMinutes: 5}, setup.Invalid, "SessionTimeout"},
		{"timeout too long", setup.ProfileSettings{Name: "Standard User", SessionTimeoutMinutes: 1441}, setup.Invalid, "SessionTimeout"},
		{"another profile's name", setup.ProfileSettings{Name: "integration"}, setup.Conflict, "Name"},
		{"api only", setup.ProfileSettings{Name: "Standard User", Permissions: []string{"ApiUserOnly", "ApiEnabled", "ApiEnabled"}, SessionTimeoutMinutes: 120}, ok, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.svc.UpdateProfile(ctx, admin, orgID, std.ID, tc.in)
			wantKind(t, err, tc.kind, tc.fld)
		})
	}
	got := env.profile(t, "Standard User")
	if diff := cmp.Diff([]string{"ApiEnabled", "ApiUserOnly"}, got.Permissions); diff != "" || got.SessionTimeoutMinutes != 120 {
		t.Errorf("permissions (-want +got):\n%s timeout %d", diff, got.SessionTimeoutMinutes)
	}
	// The change reaches the user's principal (the Setup cache) at once.
	p, err := env.svc.Directory().Principal(ctx, env.user(t, "sam@acme.test").ID)
	if err != nil || !p.Has(org.PermAPIUserOnly) {
		t.Errorf("sam's principal after the change: %v, API only %v", err, p.Has(org.PermAPIUserOnly))
	}
	if diff := cmp.Diff([]string{"admin@acme.test|updated|Changed profile Standard User: API Only User on; Session Times Out After 2 hours"}, env.audit(t)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

func TestProfileIPRanges(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	orgID := env.user(t, "sam@acme.test").OrgID
	id := env.profile(t, "Standard User").ID
	for _, tc := range []struct {
		start, end string
		kind       setup.Kind
		field      string
	}{
		{"10.0.0.1", "10.0.0.9", ok, ""},
		{"10.0.0.1", "10.0.0.9", setup.Conflict, ""},
		{"2001:db8::1", "2001:db8::ff", ok, ""},
		{"10.0.0.300", "10.0.0.9", setup.Invalid, "StartAddress"},
		{"10.0.0.1", "nowhere", setup.Invalid, "EndAddress"},
		{"10.0.0.9", "10.0.0.1", setup.Invalid, ""},
		{"10.0.0.1", "2001:db8::1", setup.Invalid, ""},
		{"<script>", "10.0.0.1", setup.Invalid, "StartAddress"},
	} {
		err := env.svc.AddProfileIPRange(ctx, admin, orgID, id, org.IPRange{Start: tc.start, End: tc.end})
		t.Run(tc.start+"-"+tc.end, func(t *testing.T) { wantKind(t, err, tc.kind, tc.field) })
	}
	wantKind(t, env.svc.DeleteProfileIPRange(ctx, admin, orgID, id, org.IPRange{Start: "10.0.0.1", End: "10.0.0.9"}), ok, "")
	wantKind(t, env.svc.DeleteProfileIPRange(ctx, admin, orgID, id, org.IPRange{Start: "10.0.0.1", End: "10.0.0.9"}), setup.NotFound, "")
	if diff := cmp.Diff([]org.IPRange{{Start: "2001:db8::1", End: "2001:db8::ff"}}, env.profile(t, "Standard User").LoginIPRanges); diff != "" {
		t.Errorf("ranges (-want +got):\n%s", diff)
	}
}

func TestProfileObjectSettings(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sam := env.user(t, "sam@acme.test")
	id := env.profile(t, "Standard User").ID
	for _, tc := range []struct {
		name   string
		grants []org.ObjectPermission
		kind   setup.Kind
	}{
		{"unknown object", []org.ObjectPermission{{Object: "Nope__c", Read: true}}, setup.NotFound},
		// Delete ticks Edit and Read, as Salesforce's page does.
		{"dependencies", []org.ObjectPermission{{Object: "account", Delete: true}, {Object: "Contact", ModifyAll: true}}, ok},
		{"clear contact", []org.ObjectPermission{{Object: "Contact"}}, ok},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantKind(t, env.svc.SetProfileObjectPermissions(ctx, admin, sam.OrgID, id, tc.grants), tc.kind, "")
		})
	}
	if diff := cmp.Diff([]org.ObjectPermission{{Object: "Account", Read: true, Edit: true, Delete: true}},
		env.profile(t, "Standard User").ObjectPermissions); diff != "" {
		t.Errorf("object permissions (-want +got):\n%s", diff)
	}
	// Field-Level Security: only permissionable fields; Edit Access implies Read Access.
	wantKind(t, env.svc.SetProfileFieldPermissions(ctx, admin, sam.OrgID, id, "Account", []org.FieldPermission{{Field: "Name", Read: true}}), setup.Invalid, "")
	wantKind(t, env.svc.SetProfileFieldPermissions(ctx, admin, sam.OrgID, id, "Nope__c", nil), setup.NotFound, "")
	wantKind(t, env.svc.SetProfileFieldPermissions(ctx, admin, sam.OrgID, id, "Account",
		[]org.FieldPermission{{Field: "Industry", Edit: true}, {Field: "AnnualRevenue", Read: true}, {Field: "Phone"}}), ok, "")
	if diff := cmp.Diff([]org.FieldPermission{{Field: "Account.AnnualRevenue", Read: true}, {Field: "Account.Industry", Read: true, Edit: true}},
		env.profile(t, "Standard User").FieldPermissions); diff != "" {
		t.Errorf("field permissions (-want +got):\n%s", diff)
	}
	// What the user may do follows at once.
	p, err := env.svc.Directory().Principal(ctx, sam.ID)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := env.svc.Directory().Catalog(ctx, sam.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	acct, _ := cat.Object("Account")
	industry, _ := acct.Field("Industry")
	phone, _ := acct.Field("Phone")
	chk := access.New(p)
	if !chk.Object(acct, access.Delete) || !chk.FieldEditable(acct, industry) || chk.FieldReadable(acct, phone) {
		t.Errorf("sam's access: delete %v, Industry editable %v, Phone readable %v; want true, true, false",
			chk.Object(acct, access.Delete), chk.FieldEditable(acct, industry), chk.FieldReadable(acct, phone))
	}
}

func TestDeleteProfile(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	orgID := env.user(t, "sam@acme.test").OrgID
	std := env.profile(t, "Standard User")
	wantKind(t, env.svc.DeleteProfile(ctx, admin, orgID, std.ID), setup.Invalid, "")
	spare, err := env.svc.CloneProfile(ctx, admin, orgID, std.ID, "Spare")
	if err != nil {
		t.Fatal(err)
	}
	wantKind(t, env.svc.DeleteProfile(ctx, admin, orgID, spare.ID), ok, "")
	wantKind(t, env.svc.DeleteProfile(ctx, admin, orgID, spare.ID), setup.NotFound, "")
	audit := env.audit(t)
	if got := audit[len(audit)-1]; got != "admin@acme.test|deletedProfile|Deleted profile Spare" {
		t.Errorf("last audit row %q", got)
	}
}

func TestPermissionSets(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	sam := env.user(t, "sam@acme.test")
	ps, err := env.svc.CreatePermissionSet(ctx, admin, sam.OrgID, "Account Editors")
	if err != nil {
		t.Fatal(err)
	}
	if got := setup.PermissionSetAPIName(ps.Name); got != "Account_Editors" {
		t.Errorf("API Name %q", got)
	}
	for _, tc := range []struct {
		label string
		kind  setup.Kind
	}{
		{"account editors", setup.Conflict},
		{"Account-Editors", setup.Conflict}, // the same API Name
		{"", setup.Invalid},
	} {
		_, err := env.svc.CreatePermissionSet(ctx, admin, sam.OrgID, tc.label)
		t.Run(tc.label, func(t *testing.T) { wantKind(t, err, tc.kind, "Label") })
	}
	if _, err := env.svc.UpdatePermissionSet(ctx, admin, sam.OrgID, ps.ID, setup.PermissionSetSettings{Label: "Account Editors", Permissions: []string{"ViewSetup"}}); err != nil {
		t.Fatal(err)
	}
	if err := env.svc.SetPermissionSetObjectPermissions(ctx, admin, sam.OrgID, ps.ID, []org.ObjectPermission{{Object: "Account", Edit: true}}); err != nil {
		t.Fatal(err)
	}
	bot := env.user(t, "bot@acme.test")
	wantKind(t, env.svc.SetPermissionSetAssignments(ctx, admin, sam.OrgID, ps.ID, []sfid.ID{sam.ID, bot.ID, sam.ID}, nil), ok, "")
	wantKind(t, env.svc.SetPermissionSetAssignments(ctx, admin, sam.OrgID, ps.ID, []sfid.ID{sfid.New(sfid.PrefixUser, "zz", 5)}, nil), setup.NotFound, "")
	p, err := env.svc.Directory().Principal(ctx, sam.ID)
	if err != nil || !p.Has("ViewSetup") {
		t.Errorf("sam's principal after the assignment: %v, ViewSetup %v", err, p.Has("ViewSetup"))
	}
	wantKind(t, env.svc.SetPermissionSetAssignments(ctx, admin, sam.OrgID, ps.ID, nil, []sfid.ID{bot.ID}), ok, "")
	if got := env.user(t, "bot@acme.test").PermissionSetIDs; len(got) != 0 {
		t.Errorf("bot keeps %v", got)
	}
	// Delete removes the remaining assignment (sam's) with the set.
	wantKind(t, env.svc.DeletePermissionSet(ctx, admin, sam.OrgID, ps.ID), ok, "")
	if got := env.user(t, "sam@acme.test").PermissionSetIDs; len(got) != 0 {
		t.Errorf("sam keeps %v", got)
	}
	want := []string{
		"admin@acme.test|created|Created permission set Account Editors",
		"admin@acme.test|updated|Changed permission set Account Editors: View Setup and Configuration on",
		"admin@acme.test|updated|Changed permission set Account Editors: Object Settings Account: Read, Edit",
		"admin@acme.test|assignedPermissionSet|Permission set Account Editors: assigned to user sam@acme.test",
		"admin@acme.test|assignedPermissionSet|Permission set Account Editors: assigned to user bot@acme.test",
		"admin@acme.test|unassignedPermissionSet|Permission set Account Editors: unassigned from user bot@acme.test",
		"admin@acme.test|deletedPermSet|Deleted permission set Account Editors (removed from 1 users)",
	}
	if diff := cmp.Diff(want, env.audit(t)); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
}

// A console user cannot take away their own Manage Users (or make themselves API only)
// through their profile or a permission set; another administrator can.
func TestKeepActorAdmin(t *testing.T) {
	env := newTestService(t)
	ctx := context.Background()
	me := env.user(t, "admin@acme.test")
	self := setup.UserActor(me)
	sysadmin := env.profile(t, "System Administrator")
	for _, tc := range []struct {
		name  string
		perms []string
		kind  setup.Kind
	}{
		{"drop Manage Users and Modify All Data", []string{"ApiEnabled", "ViewSetup"}, setup.Invalid},
		{"become API only", []string{"ApiEnabled", "ModifyAllData", "ApiUserOnly"}, setup.Invalid},
		{"keep Modify All Data", []string{"ApiEnabled", "ModifyAllData"}, ok},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.svc.UpdateProfile(ctx, self, me.OrgID, sysadmin.ID, setup.ProfileSettings{Name: sysadmin.Name, Permissions: tc.perms})
			wantKind(t, err, tc.kind, "")
		})
	}
	if got := env.profile(t, "System Administrator").Permissions; len(got) != 2 {
		t.Errorf("System Administrator permissions %v, want the last change's two", got)
	}
	// A permission set giving Manage Users may not be taken from oneself once the profile
	// no longer does.
	ps, err := env.svc.CreatePermissionSet(ctx, self, me.OrgID, "Admins")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.svc.UpdatePermissionSet(ctx, self, me.OrgID, ps.ID, setup.PermissionSetSettings{Label: "Admins", Permissions: []string{"ManageUsers"}}); err != nil {
		t.Fatal(err)
	}
	wantKind(t, env.svc.SetPermissionSetAssignments(ctx, self, me.OrgID, ps.ID, []sfid.ID{me.ID}, nil), ok, "")
	if _, err := env.svc.UpdateProfile(ctx, self, me.OrgID, sysadmin.ID, setup.ProfileSettings{Name: sysadmin.Name, Permissions: []string{"ApiEnabled"}}); err != nil {
		t.Fatalf("dropping Modify All Data while a permission set gives Manage Users: %v", err)
	}
	wantKind(t, env.svc.SetPermissionSetAssignments(ctx, self, me.OrgID, ps.ID, nil, []sfid.ID{me.ID}), setup.Invalid, "")
	wantKind(t, env.svc.DeletePermissionSet(ctx, self, me.OrgID, ps.ID), setup.Invalid, "")
	// The admin token is not a user: it may.
	wantKind(t, env.svc.DeletePermissionSet(ctx, setup.ActorAdminToken, me.OrgID, ps.ID), ok, "")
}
