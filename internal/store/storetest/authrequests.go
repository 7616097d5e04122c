package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RunAuthRequests checks a store.AuthRequests: round trip, single take under a race, and
// the sweep of expired requests on put. open returns a new, empty store.
func RunAuthRequests(t *testing.T, open func(t *testing.T) store.AuthRequests) {
	ctx := context.Background()
	hash := func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
	req := func(id string, created time.Time) org.AuthRequest {
		return org.AuthRequest{
			IDHash: hash(id), OrgID: sfid.ID("00D000000000001AAA"), AppID: sfid.ID("0H4000000000001AAA"),
			ClientID: "key", ResponseType: "code", RedirectURI: "http://localhost:1717/OauthRedirect?x=1",
			State: "st ate", Scopes: []string{"api", "refresh_token"}, Prompt: []string{"login", "consent"},
			LoginHint: "a@b.c", Nonce: "n", Challenge: "abc", ChallengeMethod: "S256",
			CreatedAt: created, ExpiresAt: created.Add(org.AuthRequestLifetime),
		}
	}
	t.Run("RoundTrip", func(t *testing.T) {
		s := open(t)
		want := req("one", base)
		if err := s.PutAuthRequest(ctx, want); err != nil {
			t.Fatal(err)
		}
		if err := s.PutAuthRequest(ctx, want); !errors.Is(err, store.ErrConflict) {
			t.Errorf("second put of one id: %v, want ErrConflict", err)
		}
		got, err := s.AuthRequest(ctx, hash("one"))
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got, opts); d != "" {
			t.Errorf("AuthRequest (-want +got):\n%s", d)
		}
		if _, err := s.AuthRequest(ctx, hash("other")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown id: %v, want ErrNotFound", err)
		}
		got, err = s.TakeAuthRequest(ctx, hash("one"))
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got, opts); d != "" {
			t.Errorf("TakeAuthRequest (-want +got):\n%s", d)
		}
		if _, err := s.AuthRequest(ctx, hash("one")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after take: %v, want ErrNotFound", err)
		}
	})
	t.Run("TakeRace", func(t *testing.T) {
		s := open(t)
		if err := s.PutAuthRequest(ctx, req("race", base)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, lost := 0, 0
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.TakeAuthRequest(ctx, hash("race"))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case errors.Is(err, store.ErrNotFound):
					lost++
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if won != 1 || lost != 63 {
			t.Errorf("64 racing takes: %d won, %d not found; want 1 and 63", won, lost)
		}
	})
	t.Run("PutSweepsExpired", func(t *testing.T) {
		s := open(t)
		if err := s.PutAuthRequest(ctx, req("old", base)); err != nil {
			t.Fatal(err)
		}
		if err := s.PutAuthRequest(ctx, req("young", base.Add(time.Minute))); err != nil {
			t.Fatal(err)
		}
		// A put at the old request's expiry removes it, and only it.
		if err := s.PutAuthRequest(ctx, req("new", base.Add(org.AuthRequestLifetime))); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AuthRequest(ctx, hash("old")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired request after a later put: %v, want ErrNotFound", err)
		}
		if _, err := s.AuthRequest(ctx, hash("young")); err != nil {
			t.Errorf("unexpired request after a later put: %v", err)
		}
	})
}
