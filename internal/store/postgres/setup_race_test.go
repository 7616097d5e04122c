package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// Two nodes giving one consumer key to two different apps at once: exactly one wins (the
// advisory lock of PutCredential; without it both reads could find no other app).
func TestPutCredentialRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	nodes := make([]*DB, 2)
	for i := range nodes {
		db, err := Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		nodes[i] = db
	}
	o, _, a := seedSetup(t, nodes[0])
	b := org.ConnectedApp{OrgID: o.ID, Name: "Other"}
	if err := nodes[0].UpdateSetup(ctx, func(w store.SetupWriter) error { return w.PutConnectedApp(ctx, &b) }); err != nil {
		t.Fatal(err)
	}
	for round := range 8 {
		key := fmt.Sprint("key-", round)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, app := range []org.ConnectedApp{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = nodes[i].UpdateSetup(ctx, func(w store.SetupWriter) error {
					return w.PutCredential(ctx, &org.Credential{AppID: app.ID, ConsumerKey: key, SecretHash: "h", State: org.CredentialActive})
				})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, store.ErrConflict):
				t.Errorf("round %d: %v", round, err)
			}
		}
		creds, err := nodes[0].CredentialsByKey(ctx, key)
		if ok != 1 || err != nil || len(creds) != 1 {
			t.Errorf("round %d: %d puts succeeded, %d pairs stored (%v); want exactly one (%v)", round, ok, len(creds), err, errs)
		}
	}
}
