package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RunListViewUse is the conformance suite of store.ListViewUse. open must return a new,
// empty store for each call. Beyond the interface's comments it pins down: uses are per
// user, org and object; an older use of a view does not replace a newer one; limit cuts
// the list.
func RunListViewUse(t *testing.T, open func(t *testing.T) store.ListViewUse) {
	ctx := t.Context()
	s := open(t)
	org1, org2 := sfid.New("00D", "5F", 1), sfid.New("00D", "5F", 2)
	alice, bob := sfid.New("005", "5F", 1), sfid.New("005", "5F", 2)
	v := func(n uint64) sfid.ID { return sfid.New("00B", "5F", n) }
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	touch := func(org, user sfid.ID, object string, view sfid.ID, at time.Time) {
		t.Helper()
		if err := s.TouchListView(ctx, org, user, object, view, at); err != nil {
			t.Fatal(err)
		}
	}
	touch(org1, alice, "Account", v(1), t0)
	touch(org1, alice, "Account", v(2), t0.Add(time.Minute))
	touch(org1, alice, "Account", v(3), t0.Add(2*time.Minute))
	touch(org1, alice, "Account", v(1), t0.Add(3*time.Minute)) // v1 is the newest now
	touch(org1, alice, "Account", v(3), t0.Add(-time.Hour))    // older: v3 keeps its use
	touch(org1, alice, "Contact", v(9), t0.Add(4*time.Minute)) // another object
	touch(org1, bob, "Account", v(2), t0.Add(5*time.Minute))   // another user
	touch(org2, alice, "Account", v(7), t0.Add(6*time.Minute)) // another org
	touch(org1, alice, "Account", v(4), t0.Add(2*time.Minute)) // ties v3: higher ID first

	for _, tc := range []struct {
		name      string
		org, user sfid.ID
		object    string
		limit     int
		want      []sfid.ID
	}{
		{"alice Account", org1, alice, "Account", 10, []sfid.ID{v(1), v(4), v(3), v(2)}},
		{"case-insensitive object", org1, alice, "account", 10, []sfid.ID{v(1), v(4), v(3), v(2)}},
		{"limit", org1, alice, "Account", 2, []sfid.ID{v(1), v(4)}},
		{"alice Contact", org1, alice, "Contact", 10, []sfid.ID{v(9)}},
		{"bob", org1, bob, "Account", 10, []sfid.ID{v(2)}},
		{"other org", org2, alice, "Account", 10, []sfid.ID{v(7)}},
		{"nothing", org1, bob, "Lead", 10, nil},
	} {
		got, err := s.RecentListViews(ctx, tc.org, tc.user, tc.object, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, got, opts); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
