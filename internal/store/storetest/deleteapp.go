package storetest

import (
	"context"
	"testing"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// testDeleteConnectedApp: deleting an app removes it and its credentials (the consumer key
// is free again), leaves the other apps alone, and a second delete is ErrNotFound.
func testDeleteConnectedApp(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	pairs := []org.Credential{
		{AppID: f.app1.ID, ConsumerKey: "3MVG9gone", SecretHash: "sha256$00", State: org.CredentialActive},
		{AppID: f.app1.ID, ConsumerKey: "3MVG9gone2", SecretHash: "sha256$01", State: org.CredentialStaged},
		{AppID: f.app2.ID, ConsumerKey: "3MVG9kept", SecretHash: "sha256$02", State: org.CredentialActive},
	}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error {
		for i := range pairs {
			if err := w.PutCredential(ctx, &pairs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.DeleteConnectedApp(ctx, f.app1.ID) })
	_, err := s.ConnectedApp(ctx, f.app1.ID)
	wantErr(t, "ConnectedApp(deleted)", err, store.ErrNotFound)
	gone, err := s.CredentialsByKey(ctx, "3MVG9gone")
	must(t, "CredentialsByKey(deleted app)", err)
	diff(t, "CredentialsByKey(deleted app)", []org.Credential(nil), gone)
	kept, err := s.Credentials(ctx, f.app2.ID)
	must(t, "Credentials(app2)", err)
	diff(t, "Credentials(app2)", []org.Credential{pairs[2]}, kept)
	list, err := s.ConnectedApps(ctx, f.org1.ID)
	must(t, "ConnectedApps(org1)", err)
	diff(t, "ConnectedApps(org1)", []org.ConnectedApp{f.app2}, list, anyOrder)
	err = tryPut(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.DeleteConnectedApp(ctx, f.app1.ID) })
	wantErr(t, "DeleteConnectedApp(deleted)", err, store.ErrNotFound)
	// The key of a deleted app may be given to another.
	reuse := org.Credential{AppID: f.app2.ID, ConsumerKey: "3MVG9gone", SecretHash: "sha256$03", State: org.CredentialStaged}
	put(t, s, func(ctx context.Context, w store.SetupWriter) error { return w.PutCredential(ctx, &reuse) })
}
