package storetest

import (
	"context"
	"testing"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// testOrgLicences: every read of an org counts its licences, its active users (the
// allocations of its edition depend on them), and no other org's.
func testOrgLicences(t *testing.T, s store.Store) {
	ctx := t.Context()
	o1, o2 := org.Org{Name: "L1", Edition: org.EditionEnterprise}, org.Org{Name: "L2"}
	setup(t, s, func(w store.SetupWriter) error {
		for _, o := range []*org.Org{&o1, &o2} {
			if err := w.PutOrg(ctx, o); err != nil {
				return err
			}
		}
		for _, u := range []org.User{
			{OrgID: o1.ID, Username: "a@l1.test", LastName: "A", Active: true},
			{OrgID: o1.ID, Username: "b@l1.test", LastName: "B", Active: true},
			{OrgID: o1.ID, Username: "c@l1.test", LastName: "C", Active: false},
			{OrgID: o2.ID, Username: "d@l2.test", LastName: "D", Active: true},
		} {
			if err := w.PutUser(ctx, &u); err != nil {
				return err
			}
		}
		return nil
	})
	want := map[string]int{"L1": 2, "L2": 1}
	check := func(what string, o org.Org) {
		t.Helper()
		if o.Licences != want[o.Name] {
			t.Errorf("%s %s: Licences = %d, want %d (active users)", what, o.Name, o.Licences, want[o.Name])
		}
	}
	got, err := s.Org(ctx, o1.ID)
	must(t, "Org", err)
	check("Org", got)
	got, err = s.OrgByName(ctx, "L2")
	must(t, "OrgByName", err)
	check("OrgByName", got)
	all, err := s.Orgs(ctx)
	must(t, "Orgs", err)
	for _, o := range all {
		if _, ok := want[o.Name]; ok {
			check("Orgs", o)
		}
	}
	// Inside a write transaction too, seeing its own writes.
	put(t, s, func(ctx context.Context, w store.SetupWriter) error {
		u := org.User{OrgID: o1.ID, Username: "e@l1.test", LastName: "E", Active: true}
		if err := w.PutUser(ctx, &u); err != nil {
			return err
		}
		o, err := w.Org(ctx, o1.ID)
		if err != nil {
			return err
		}
		if o.Licences != 3 {
			t.Errorf("Org in the transaction that added a user: Licences = %d, want 3", o.Licences)
		}
		return nil
	})
}
