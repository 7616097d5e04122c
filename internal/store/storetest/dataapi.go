package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// What issue 3 (the data API) adds to Setup: grants on profiles and permission sets,
// custom object specs, seeded record refs.

// grants returns object and field permissions in a deliberately unsorted order, so that
// a backend returning them sorted fails.
func grants(objects ...string) ([]org.ObjectPermission, []org.FieldPermission) {
	var ops []org.ObjectPermission
	var fps []org.FieldPermission
	for i, o := range objects {
		ops = append(ops, org.ObjectPermission{Object: o, Read: true, Create: i%2 == 0, Edit: i%3 == 0,
			Delete: i == 1, ViewAll: i == 2, ModifyAll: i == 3})
		fps = append(fps, org.FieldPermission{Field: o + ".Name", Read: true, Edit: i%2 == 1})
	}
	return ops, fps
}

func testObjectPermissions(t *testing.T, s store.Store) {
	ctx := t.Context()
	o := org.Org{Name: "Grants"}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutOrg(ctx, &o) })

	p := org.Profile{OrgID: o.ID, Name: "Sales"}
	p.ObjectPermissions, p.FieldPermissions = grants("Opportunity", "Account", "Invoice__c", "Contact")
	plain := org.Profile{OrgID: o.ID, Name: "Plain"}
	ps := org.PermissionSet{OrgID: o.ID, Name: "Extra"}
	ps.ObjectPermissions, ps.FieldPermissions = grants("Task", "Case")
	setup(t, s, func(w store.SetupWriter) error {
		for _, pr := range []*org.Profile{&p, &plain} {
			if err := w.PutProfile(ctx, pr); err != nil {
				return err
			}
		}
		return w.PutPermissionSet(ctx, &ps)
	})

	got, err := s.Profile(ctx, p.ID)
	must(t, "Profile", err)
	diff(t, "Profile with grants", p, got)
	list, err := s.Profiles(ctx, o.ID)
	must(t, "Profiles", err)
	diff(t, "Profiles with grants", []org.Profile{p, plain}, list, anyOrder)
	gotPS, err := s.PermissionSet(ctx, ps.ID)
	must(t, "PermissionSet", err)
	diff(t, "PermissionSet with grants", ps, gotPS)
	sets, err := s.PermissionSets(ctx, o.ID)
	must(t, "PermissionSets", err)
	diff(t, "PermissionSets with grants", []org.PermissionSet{ps}, sets, anyOrder)

	// An update replaces the grants: fewer, reordered, then none.
	p.ObjectPermissions, p.FieldPermissions = grants("Contact", "Opportunity")
	ps.ObjectPermissions, ps.FieldPermissions = nil, nil
	setup(t, s, func(w store.SetupWriter) error {
		if err := w.PutProfile(ctx, &p); err != nil {
			return err
		}
		return w.PutPermissionSet(ctx, &ps)
	})
	got, err = s.Profile(ctx, p.ID)
	must(t, "Profile after update", err)
	diff(t, "Profile after replacing grants", p, got)
	gotPS, err = s.PermissionSet(ctx, ps.ID)
	must(t, "PermissionSet after update", err)
	diff(t, "PermissionSet after clearing grants", ps, gotPS)
	if len(gotPS.ObjectPermissions)+len(gotPS.FieldPermissions) != 0 {
		t.Errorf("cleared permission set still has grants: %+v", gotPS)
	}
}

func testCustomObjects(t *testing.T, s store.Store) {
	ctx := t.Context()
	o1, o2 := org.Org{Name: "Custom1"}, org.Org{Name: "Custom2"}
	setup(t, s, func(w store.SetupWriter) error {
		if err := w.PutOrg(ctx, &o1); err != nil {
			return err
		}
		return w.PutOrg(ctx, &o2)
	})
	got, err := s.CustomObjects(ctx, o1.ID)
	must(t, "CustomObjects of a new org", err)
	diff(t, "CustomObjects of a new org", []schema.ObjectSpec(nil), got)

	invoice := schema.ObjectSpec{Name: "Invoice__c", Label: "Invoice", LabelPlural: "Invoices",
		Sharing: schema.SharingPrivate, KeyPrefix: "a00", NameFieldLabel: "Invoice Number", NameAutoNumber: true,
		Fields: []schema.FieldSpec{
			{Name: "Amount__c", Type: schema.TypeCurrency, Precision: 18, Scale: 2},
			{Name: "Account__c", Type: schema.TypeReference, ReferenceTo: "Account", RelationshipName: "Invoices"},
			{Name: "Number__c", Label: "Number", Type: schema.TypeString, Length: 32, ExternalID: true, Unique: true, Required: true},
			{Name: "Status__c", Type: schema.TypePicklist, Values: []string{"Draft", "Sent", "Paid"}, Restricted: true, Default: "Draft"},
		}}
	line := schema.ObjectSpec{Name: "Line__c", KeyPrefix: "a01"}
	account := schema.ObjectSpec{Name: "Account", Fields: []schema.FieldSpec{
		{Name: "Tier__c", Type: schema.TypePicklist, Values: []string{"Gold", "Silver"}},
	}}
	specs := []schema.ObjectSpec{line, account, invoice} // definition order, not sorted
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutCustomObjects(ctx, o1.ID, specs) })
	got, err = s.CustomObjects(ctx, o1.ID)
	must(t, "CustomObjects", err)
	diff(t, "CustomObjects", specs, got)
	got, err = s.CustomObjects(ctx, o2.ID)
	must(t, "CustomObjects of another org", err)
	diff(t, "CustomObjects of another org", []schema.ObjectSpec(nil), got)

	// Replace, seen inside the transaction; a rolled-back replace keeps the old list.
	errBoom := errors.New("boom")
	err = tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error {
		if err := w.PutCustomObjects(ctx, o1.ID, []schema.ObjectSpec{invoice}); err != nil {
			return err
		}
		in, err := w.CustomObjects(ctx, o1.ID)
		if err != nil {
			return err
		}
		diff(t, "CustomObjects inside the transaction", []schema.ObjectSpec{invoice}, in)
		return errBoom
	})
	wantErr(t, "rolled-back PutCustomObjects", err, errBoom)
	got, err = s.CustomObjects(ctx, o1.ID)
	must(t, "CustomObjects after rollback", err)
	diff(t, "CustomObjects after rollback", specs, got)

	put(t, s, func(ctx context.Context, w store.SetupWriter) error {
		return w.PutCustomObjects(ctx, o1.ID, []schema.ObjectSpec{invoice})
	})
	got, err = s.CustomObjects(ctx, o1.ID)
	must(t, "CustomObjects after replace", err)
	diff(t, "CustomObjects after replace", []schema.ObjectSpec{invoice}, got)
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutCustomObjects(ctx, o1.ID, nil) })
	got, err = s.CustomObjects(ctx, o1.ID)
	must(t, "CustomObjects after clearing", err)
	diff(t, "CustomObjects after clearing", []schema.ObjectSpec(nil), got)

	err = tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error {
		return w.PutCustomObjects(ctx, missing(sfid.PrefixOrganization), []schema.ObjectSpec{line})
	})
	wantErr(t, "PutCustomObjects of a missing org", err, store.ErrNotFound)
}

func testSeededRecords(t *testing.T, s store.Store) {
	ctx := t.Context()
	o1, o2 := org.Org{Name: "Seeds1"}, org.Org{Name: "Seeds2"}
	setup(t, s, func(w store.SetupWriter) error {
		if err := w.PutOrg(ctx, &o1); err != nil {
			return err
		}
		return w.PutOrg(ctx, &o2)
	})
	_, err := s.SeededRecord(ctx, o1.ID, "acme")
	wantErr(t, "SeededRecord before any seed", err, store.ErrNotFound)

	acme := sfid.New("001", "zz", 1)
	put(t, s, func(ctx context.Context, w store.SetupWriter) error {
		return w.PutSeededRecord(ctx, o1.ID, "acme", acme)
	})
	id, err := s.SeededRecord(ctx, o1.ID, "acme")
	must(t, "SeededRecord", err)
	if id != acme {
		t.Errorf("SeededRecord = %q, want %q", id, acme)
	}
	_, err = s.SeededRecord(ctx, o2.ID, "acme")
	wantErr(t, "SeededRecord of another org", err, store.ErrNotFound)
	_, err = s.SeededRecord(ctx, o1.ID, "ACME")
	wantErr(t, "SeededRecord with another case", err, store.ErrNotFound)

	err = tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error {
		return w.PutSeededRecord(ctx, o1.ID, "acme", sfid.New("001", "zz", 2))
	})
	wantErr(t, "PutSeededRecord of a ref already seeded", err, store.ErrConflict)
	other := sfid.New("001", "zz", 3)
	put(t, s, func(ctx context.Context, w store.SetupWriter) error {
		return w.PutSeededRecord(ctx, o2.ID, "acme", other)
	})
	if id, err := s.SeededRecord(ctx, o2.ID, "acme"); err != nil || id != other {
		t.Errorf("SeededRecord(o2) = %q, %v; want %q", id, err, other)
	}
	if id, err := s.SeededRecord(ctx, o1.ID, "acme"); err != nil || id != acme {
		t.Errorf("SeededRecord(o1) after o2's seed = %q, %v; want %q", id, err, acme)
	}
}
