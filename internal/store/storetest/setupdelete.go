package storetest

import (
	"context"
	"testing"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// testSetupDeletes: a profile or permission set a user holds cannot be deleted
// (ErrConflict, nothing removed); once released it can; a missing one is ErrNotFound.
func testSetupDeletes(t *testing.T, s store.Store) {
	f := newFixture(t, s)
	ctx := t.Context()
	var ps org.PermissionSet
	put(t, s, func(ctx context.Context, w store.SetupWriter) error {
		ps = org.PermissionSet{OrgID: f.org1.ID, Name: "Extra", Permissions: []string{org.PermAPIEnabled}}
		if err := w.PutPermissionSet(ctx, &ps); err != nil {
			return err
		}
		u := f.user1
		u.PermissionSetIDs = []sfid.ID{ps.ID}
		return w.PutUser(ctx, &u)
	})
	wantErr(t, "delete a held profile", tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error {
		return w.DeleteProfile(ctx, f.user1.ProfileID)
	}), store.ErrConflict)
	wantErr(t, "delete an assigned permission set", tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error {
		return w.DeletePermissionSet(ctx, ps.ID)
	}), store.ErrConflict)
	if _, err := s.PermissionSet(ctx, ps.ID); err != nil {
		t.Fatalf("a refused delete removed the permission set: %v", err)
	}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error {
		u, err := w.User(ctx, f.user1.ID)
		if err != nil {
			return err
		}
		u.PermissionSetIDs = nil
		if err := w.PutUser(ctx, &u); err != nil {
			return err
		}
		return w.DeletePermissionSet(ctx, ps.ID)
	})
	wantErr(t, "read a deleted permission set", func() error { _, err := s.PermissionSet(ctx, ps.ID); return err }(), store.ErrNotFound)
	var spare org.Profile
	put(t, s, func(ctx context.Context, w store.SetupWriter) error {
		spare = org.Profile{OrgID: f.org1.ID, Name: "Spare"}
		if err := w.PutProfile(ctx, &spare); err != nil {
			return err
		}
		return w.DeleteProfile(ctx, spare.ID)
	})
	wantErr(t, "read a deleted profile", func() error { _, err := s.Profile(ctx, spare.ID); return err }(), store.ErrNotFound)
	wantErr(t, "delete a missing profile", tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error {
		return w.DeleteProfile(ctx, missing(sfid.PrefixProfile))
	}), store.ErrNotFound)
	wantErr(t, "delete a missing permission set", tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error {
		return w.DeletePermissionSet(ctx, missing(sfid.PrefixPermissionSet))
	}), store.ErrNotFound)
}
