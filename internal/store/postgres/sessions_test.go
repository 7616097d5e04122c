package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

// tokenHash returns a realistic (uniformly spread) token hash for n.
func tokenHash(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	h := sha256.Sum256(b[:])
	return h[:]
}

// seedSetup creates an org, user and app through db.
func seedSetup(t testing.TB, db store.Setup) (org.Org, org.User, org.ConnectedApp) {
	t.Helper()
	o := org.Org{Name: "Acme"}
	u := org.User{Username: "integration@acme.test", Active: true}
	a := org.ConnectedApp{Name: "Sync", Scopes: []string{"api"}, ClientCredentialsEnabled: true}
	err := db.UpdateSetup(context.Background(), func(w store.SetupWriter) error {
		ctx := context.Background()
		if err := w.PutOrg(ctx, &o); err != nil {
			return err
		}
		u.OrgID, a.OrgID = o.ID, o.ID
		if err := w.PutUser(ctx, &u); err != nil {
			return err
		}
		a.RunAsUserID = u.ID
		return w.PutConnectedApp(ctx, &a)
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return o, u, a
}

// loginBatch builds n sessions and n login events numbered from first, each with its own
// values so that a row read back can only match its own.
func loginBatch(o org.Org, u org.User, a org.ConnectedApp, first uint64, n int) ([]*org.Session, []*org.LoginEvent) {
	now := time.Now()
	sessions := make([]*org.Session, n)
	logins := make([]*org.LoginEvent, n)
	for i := range n {
		k := first + uint64(i)
		sessions[i] = &org.Session{
			TokenHash: tokenHash(k), OrgID: o.ID, UserID: u.ID, AppID: a.ID,
			Scopes: []string{"api", fmt.Sprint(k)}, SourceIP: fmt.Sprintf("203.0.113.%d", k%250), LoginType: org.LoginSubTypeClientCredentials,
			CreatedAt: now.Add(time.Duration(k) * time.Millisecond), Timeout: time.Duration(k+1) * time.Minute,
		}
		if k%3 == 0 {
			sessions[i].UserID, sessions[i].RefreshTokenID = "", newID(sfid.PrefixOauthToken, k)
		}
		logins[i] = &org.LoginEvent{
			OrgID: o.ID, UserID: u.ID, AppID: a.ID, Time: now.Add(time.Duration(k) * time.Second), SourceIP: "203.0.113.7",
			LoginType: org.LoginTypeRemoteAccess2, LoginSubType: org.LoginSubTypeClientCredentials,
			Status: org.LoginStatusSuccess, Application: fmt.Sprint("app ", k), LoginURL: "acme.my.forcefield.test",
			APIType: "N/A", APIVersion: "N/A", Browser: "Unknown", Platform: "Unknown",
		}
		if k%4 == 0 {
			logins[i].AppID = ""
		}
	}
	return sessions, logins
}

// Batches of several sizes, with either kind of row absent, are stored whole in one
// statement: every row reads back equal to what RecordLogins returned, with consecutive
// IDs per batch.
func TestRecordLoginsBatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	o, u, a := seedSetup(t, db)
	var first uint64
	var allSessions []org.Session
	var allLogins []org.LoginEvent
	for _, c := range []struct{ sessions, logins int }{{1, 1}, {37, 0}, {0, 5}, {200, 133}} {
		sessions, logins := loginBatch(o, u, a, first, max(c.sessions, c.logins))
		sessions, logins = sessions[:c.sessions], logins[:c.logins]
		first += 1000
		if err := db.RecordLogins(ctx, sessions, logins); err != nil {
			t.Fatalf("batch %+v: %v", c, err)
		}
		for i := 1; i < len(sessions); i++ {
			if prev, _ := sessions[i-1].ID.Sequence(); prev+1 != must(sessions[i].ID.Sequence()) {
				t.Errorf("batch %+v: session IDs %s, %s not consecutive", c, sessions[i-1].ID, sessions[i].ID)
			}
		}
		for _, s := range sessions {
			allSessions = append(allSessions, *s)
		}
		for _, l := range logins {
			allLogins = append(allLogins, *l)
		}
	}
	gotSessions, err := db.ListSessions(ctx, store.SessionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(gotSessions) // newest first → insertion order
	if diff := cmp.Diff(allSessions, gotSessions); diff != "" {
		t.Errorf("sessions (-recorded +stored):\n%s", diff)
	}
	gotLogins, err := db.LoginHistory(ctx, store.LoginFilter{})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(gotLogins, func(a, b org.LoginEvent) int { return int(must(a.ID.Sequence())) - int(must(b.ID.Sequence())) })
	if diff := cmp.Diff(allLogins, gotLogins); diff != "" {
		t.Errorf("logins (-recorded +stored):\n%s", diff)
	}
	// A duplicate hash fails the whole batch, its logins and IDs included.
	sessions, logins := loginBatch(o, u, a, 5000, 3)
	sessions[2].TokenHash = tokenHash(0)
	if err := db.RecordLogins(ctx, sessions, logins); !errorsIs(err, store.ErrConflict) {
		t.Fatalf("duplicate hash: %v, want ErrConflict", err)
	}
	sessions, logins = loginBatch(o, u, a, 6000, 1)
	if err := db.RecordLogins(ctx, sessions, logins); err != nil {
		t.Fatal(err)
	}
	if want := allSessions[len(allSessions)-1].ID; must(sessions[0].ID.Sequence()) != must(want.Sequence())+1 {
		t.Errorf("after a failed batch the next session is %s, want the one after %s", sessions[0].ID, want)
	}
}

func must(n uint64, ok bool) uint64 {
	if !ok {
		panic("not a sequence ID")
	}
	return n
}

// Two nodes recording batches at once hand out distinct IDs, consecutive within a batch.
func TestRecordLoginsTwoNodes(t *testing.T) {
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
	o, u, a := seedSetup(t, nodes[0])
	const writers, batches, size = 8, 5, 20
	var mu sync.Mutex
	seen := map[sfid.ID]bool{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				sessions, logins := loginBatch(o, u, a, uint64((w*batches+b)*size), size)
				if err := nodes[w%2].RecordLogins(ctx, sessions, logins); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for i, s := range sessions {
					if seen[s.ID] || seen[logins[i].ID] {
						t.Errorf("ID handed out twice: %s or %s", s.ID, logins[i].ID)
					}
					seen[s.ID], seen[logins[i].ID] = true, true
					if i > 0 && must(s.ID.Sequence()) != must(sessions[i-1].ID.Sequence())+1 {
						t.Errorf("session IDs %s, %s of one batch not consecutive", sessions[i-1].ID, s.ID)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	got, err := nodes[1].ListSessions(ctx, store.SessionFilter{})
	if err != nil || len(got) != writers*batches*size {
		t.Errorf("%d sessions stored (%v), want %d", len(got), err, writers*batches*size)
	}
}

// A batch that touches one session several times keeps the latest time; a touch older
// than the stored activity, or of an unknown hash, changes nothing.
func TestTouchSessionsBatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTest(t)
	o, u, a := seedSetup(t, db)
	sessions, _ := loginBatch(o, u, a, 0, 2)
	base := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	for _, s := range sessions {
		s.CreatedAt, s.LastActivity = base, base
	}
	if err := db.RecordLogins(ctx, sessions, nil); err != nil {
		t.Fatal(err)
	}
	h0, h1 := sessions[0].TokenHash, sessions[1].TokenHash
	err := db.TouchSessions(ctx, []store.Touch{
		{TokenHash: h0, LastActivity: base.Add(3 * time.Minute)},
		{TokenHash: h0, LastActivity: base.Add(5 * time.Minute)},
		{TokenHash: h0, LastActivity: base.Add(4 * time.Minute)},
		{TokenHash: h1, LastActivity: base.Add(-time.Minute)},
		{TokenHash: tokenHash(999), LastActivity: base.Add(time.Hour)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		hash []byte
		want time.Time
	}{{h0, base.Add(5 * time.Minute)}, {h1, base}} {
		s, err := db.SessionByTokenHash(ctx, c.hash)
		if err != nil {
			t.Fatal(err)
		}
		if !s.LastActivity.Equal(c.want) {
			t.Errorf("session %s: LastActivity %v, want %v", s.ID, s.LastActivity, c.want)
		}
		// expires_at (what DeleteExpiredSessions selects on) moved with it.
		var exp int64
		if err := db.pool.QueryRow(ctx, "SELECT expires_at FROM sessions WHERE token_hash = $1", c.hash).Scan(&exp); err != nil {
			t.Fatal(err)
		}
		if want := c.want.Add(s.Timeout).UnixMilli(); exp != want {
			t.Errorf("session %s: expires_at %d, want %d", s.ID, exp, want)
		}
	}
}
