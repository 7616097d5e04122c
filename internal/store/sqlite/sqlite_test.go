package sqlite

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

func openTemp(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "forcefield.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db, path
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, _ := openTemp(t)
		return db
	})
}

func TestBulkConformance(t *testing.T) {
	storetest.RunBulk(t, func(t *testing.T) bulk.Store {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestBulkClaimsConformance(t *testing.T) {
	storetest.RunBulkClaims(t, func(t *testing.T) bulk.Store {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// tokenHash returns a realistic (uniformly spread) token hash for n.
func tokenHash(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	h := sha256.Sum256(b[:])
	return h[:]
}

// seed creates an org, user and app and returns them.
func seed(t testing.TB, db *DB) (org.Org, org.User, org.ConnectedApp) {
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
		if err := w.PutConnectedApp(ctx, &a); err != nil {
			return err
		}
		return w.PutCredential(ctx, &org.Credential{AppID: a.ID, ConsumerKey: "key", SecretHash: "hash", State: org.CredentialActive})
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return o, u, a
}

// batch builds n sessions and n login events numbered from first.
func batch(o org.Org, u org.User, a org.ConnectedApp, first uint64, n int) ([]*org.Session, []*org.LoginEvent) {
	now := time.Now()
	sessions := make([]*org.Session, n)
	logins := make([]*org.LoginEvent, n)
	for i := range n {
		sessions[i] = &org.Session{
			TokenHash: tokenHash(first + uint64(i)), OrgID: o.ID, UserID: u.ID, AppID: a.ID,
			Scopes: []string{"api"}, SourceIP: "203.0.113.7", LoginType: org.LoginSubTypeClientCredentials,
			CreatedAt: now, LastActivity: now, Timeout: 2 * time.Hour,
		}
		logins[i] = &org.LoginEvent{
			OrgID: o.ID, UserID: u.ID, AppID: a.ID, Time: now, SourceIP: "203.0.113.7",
			LoginType: org.LoginTypeRemoteAccess2, LoginSubType: org.LoginSubTypeClientCredentials,
			Status: org.LoginStatusSuccess, Application: a.Name, LoginURL: "acme.my.forcefield.test",
			APIType: "N/A", APIVersion: "N/A", Browser: "Unknown", Platform: "Unknown",
		}
	}
	return sessions, logins
}

var cmpOpts = cmp.Options{cmpopts.EquateEmpty()}

// TestReopen checks that everything written is there after Close and Open, that the ID
// sequences continue, and that reopening applies no migration twice.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	db, path := openTemp(t)
	o, u, a := seed(t, db)
	sessions, logins := batch(o, u, a, 1, 3)
	if err := db.RecordLogins(ctx, sessions, logins); err != nil {
		t.Fatalf("RecordLogins: %v", err)
	}
	if err := db.PutSetting(ctx, "k", "v"); err != nil {
		t.Fatalf("PutSetting: %v", err)
	}
	if _, err := db.DeleteSession(ctx, sessions[2].ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	gotOrg, err := db.OrgByName(ctx, "Acme")
	if err != nil {
		t.Fatalf("OrgByName after reopen: %v", err)
	}
	o.Licences = 1 // seed's one active user
	if d := cmp.Diff(o, gotOrg, cmpOpts); d != "" {
		t.Errorf("org after reopen (-want +got):\n%s", d)
	}
	gotApp, err := db.ConnectedApp(ctx, a.ID)
	if err != nil {
		t.Fatalf("ConnectedApp after reopen: %v", err)
	}
	if d := cmp.Diff(a, gotApp, cmpOpts); d != "" {
		t.Errorf("app after reopen (-want +got):\n%s", d)
	}
	for _, s := range sessions[:2] {
		got, err := db.SessionByTokenHash(ctx, s.TokenHash)
		if err != nil {
			t.Fatalf("SessionByTokenHash after reopen: %v", err)
		}
		if d := cmp.Diff(*s, got, cmpOpts); d != "" {
			t.Errorf("session after reopen (-want +got):\n%s", d)
		}
	}
	history, err := db.LoginHistory(ctx, store.LoginFilter{})
	if err != nil || len(history) != 3 {
		t.Errorf("LoginHistory after reopen: %d rows, %v; want 3", len(history), err)
	}
	if v, err := db.Setting(ctx, "k"); err != nil || v != "v" {
		t.Errorf("Setting after reopen = %q, %v; want v", v, err)
	}

	// Sequences continue; the deleted session's ID is not reused.
	more, _ := batch(o, u, a, 100, 1)
	if err := db.RecordLogins(ctx, more, nil); err != nil {
		t.Fatalf("RecordLogins after reopen: %v", err)
	}
	if want := sfid.New(sfid.PrefixAuthSession, pod, 4); more[0].ID != want {
		t.Errorf("session after reopen got ID %s, want %s", more[0].ID, want)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if ms, _ := migrations(); n != len(ms) {
		t.Errorf("schema_migrations has %d rows after reopen, want %d", n, len(ms))
	}
}

// TestPragmas checks the connection settings the durability and concurrency story rests on.
func TestPragmas(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	for _, tc := range []struct {
		pool *sql.DB
		name string
		want string
	}{
		{db.w, "journal_mode", "wal"},
		{db.w, "synchronous", "1"},
		{db.w, "foreign_keys", "1"},
		{db.w, "query_only", "0"},
		{db.w, "cache_size", "-65536"},
		{db.r, "journal_mode", "wal"},
		{db.r, "foreign_keys", "1"},
		{db.r, "query_only", "1"},
		{db.r, "busy_timeout", "10000"},
	} {
		var got string
		if err := tc.pool.QueryRow("PRAGMA " + tc.name).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("PRAGMA %s = %s, want %s", tc.name, got, tc.want)
		}
	}
	if _, err := db.r.Exec("INSERT INTO settings (key, value) VALUES ('x', 'y')"); err == nil {
		t.Error("the read pool accepted a write")
	}
}

// TestConcurrentWrites runs writers and readers at once (meant for -race): every session
// gets a distinct ID and every one is stored.
func TestConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	defer db.Close()
	o, u, a := seed(t, db)
	const writers, batches, size = 6, 10, 20
	var wg sync.WaitGroup
	ids := make(chan sfid.ID, writers*batches*size)
	errs := make(chan error, writers*2)
	for w := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for b := range batches {
				sessions, logins := batch(o, u, a, uint64((w*batches+b)*size), size)
				if err := db.RecordLogins(ctx, sessions, logins); err != nil {
					errs <- err
					return
				}
				for _, s := range sessions {
					ids <- s.ID
				}
			}
		}()
		go func() { // a reader
			defer wg.Done()
			for range batches {
				if _, err := db.ListSessions(ctx, store.SessionFilter{UserID: u.ID, Limit: 10}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(ids)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[sfid.ID]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("ID %s assigned twice", id)
		}
		seen[id] = true
	}
	all, err := db.ListSessions(ctx, store.SessionFilter{})
	if err != nil || len(all) != writers*batches*size || len(seen) != len(all) {
		t.Errorf("ListSessions: %d rows (%v), %d IDs assigned; want %d", len(all), err, len(seen), writers*batches*size)
	}
}

// TestDeleteExpiredInChunks checks that a purge larger than one chunk removes everything.
func TestDeleteExpiredInChunks(t *testing.T) {
	defer func(n int) { expiredChunk = n }(expiredChunk)
	expiredChunk = 7
	ctx := context.Background()
	db, _ := openTemp(t)
	defer db.Close()
	o, u, a := seed(t, db)
	expired, _ := batch(o, u, a, 0, 3*expiredChunk) // exactly three chunks
	live, _ := batch(o, u, a, 1000, 5)
	for _, s := range expired {
		s.Timeout = time.Minute
	}
	if err := db.RecordLogins(ctx, append(expired, live...), nil); err != nil {
		t.Fatal(err)
	}
	n, err := db.DeleteExpiredSessions(ctx, time.Now().Add(time.Hour))
	if err != nil || n != len(expired) {
		t.Errorf("DeleteExpiredSessions = %d, %v; want %d", n, err, len(expired))
	}
	left, err := db.ListSessions(ctx, store.SessionFilter{})
	if err != nil || len(left) != len(live) {
		t.Errorf("%d sessions left (%v), want %d", len(left), err, len(live))
	}
}

const helperEnv = "FORCEFIELD_SQLITE_HELPER_DB"

// TestHelperProcess is the child of TestKillAfterRecordLogins: it records a batch, prints
// "ok" once RecordLogins has returned, then keeps writing until it is killed.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("helper process of TestKillAfterRecordLogins")
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	o, u, a := seed(t, db)
	sessions, logins := batch(o, u, a, 1, 50)
	if err := db.RecordLogins(ctx, sessions, logins); err != nil {
		fmt.Println("record:", err)
		os.Exit(2)
	}
	fmt.Println("ok")
	for n := uint64(1000); ; n += 50 { // be mid-transaction when the kill lands
		sessions, logins := batch(o, u, a, n, 50)
		if err := db.RecordLogins(ctx, sessions, logins); err != nil {
			fmt.Println("record:", err)
			os.Exit(2)
		}
	}
}

// TestKillAfterRecordLogins kills a writer process with SIGKILL right after an
// acknowledged RecordLogins and checks that the rows survived and the file is sound.
func TestKillAfterRecordLogins(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	path := filepath.Join(t.TempDir(), "killed.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(out)
	for lines.Scan() && lines.Text() != "ok" {
		t.Logf("child: %s", lines.Text())
	}
	if lines.Text() != "ok" {
		cmd.Wait()
		t.Fatalf("child ended without acknowledging its write: %v", lines.Err())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die of SIGKILL: %v", err)
	}

	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open after kill: %v", err)
	}
	defer db.Close()
	var check string
	if err := db.w.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	if _, err := db.OrgByName(ctx, "Acme"); err != nil {
		t.Errorf("org written before the kill: %v", err)
	}
	for i := range uint64(50) {
		s, err := db.SessionByTokenHash(ctx, tokenHash(1+i))
		if err != nil {
			t.Fatalf("acknowledged session %d lost: %v", i, err)
		}
		if want := sfid.New(sfid.PrefixAuthSession, pod, 1+i); s.ID != want {
			t.Errorf("session %d has ID %s, want %s", i, s.ID, want)
		}
	}
	history, err := db.LoginHistory(ctx, store.LoginFilter{})
	if err != nil || len(history) < 50 {
		t.Errorf("LoginHistory after kill: %d rows, %v; want at least 50", len(history), err)
	}
	sessions, err := db.ListSessions(ctx, store.SessionFilter{})
	if err != nil || len(sessions) != len(history) {
		t.Errorf("after kill: %d sessions, %d logins (%v); batches are atomic, want equal counts", len(sessions), len(history), err)
	}
}

// BenchmarkRecordLogins measures the group-commit hot path: one RecordLogins of 100
// sessions and 100 login events per iteration, on a table that grows as it runs.
// rows/s counts both kinds of rows.
func BenchmarkRecordLogins(b *testing.B) {
	ctx := context.Background()
	db, _ := openTemp(b)
	defer db.Close()
	o, u, a := seed(b, db)
	const size = 100
	var next uint64
	iterations := 0
	for b.Loop() {
		iterations++
		sessions, logins := batch(o, u, a, next, size)
		next += size
		if err := db.RecordLogins(ctx, sessions, logins); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(2*size*iterations)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRecordLoginsLarge is BenchmarkRecordLogins on a database already holding
// $FORCEFIELD_BENCH_SESSIONS sessions and as many login events (skipped if unset), e.g.
//
//	FORCEFIELD_BENCH_SESSIONS=1000000 go test -run '^$' -bench RecordLoginsLarge ./internal/store/sqlite/
func BenchmarkRecordLoginsLarge(b *testing.B) {
	prefill, _ := strconv.Atoi(os.Getenv("FORCEFIELD_BENCH_SESSIONS"))
	if prefill <= 0 {
		b.Skip("set FORCEFIELD_BENCH_SESSIONS to the number of sessions to start with")
	}
	ctx := context.Background()
	db, _ := openTemp(b)
	defer db.Close()
	o, u, a := seed(b, db)
	var next uint64
	for next < uint64(prefill) {
		sessions, logins := batch(o, u, a, next, 1000)
		next += 1000
		if err := db.RecordLogins(ctx, sessions, logins); err != nil {
			b.Fatal(err)
		}
	}
	const size = 100
	iterations := 0
	b.ResetTimer()
	for b.Loop() {
		iterations++
		sessions, logins := batch(o, u, a, next, size)
		next += size
		if err := db.RecordLogins(ctx, sessions, logins); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(2*size*iterations)/b.Elapsed().Seconds(), "rows/s")
}

// TestRecordLoginsChunking writes batches that are not powers of two and larger than one
// multi-row statement, and reads every row back with its own values.
func TestRecordLoginsChunking(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	defer db.Close()
	o, u, a := seed(t, db)
	var first uint64
	for _, n := range []int{1, 37, 64, 65, 200} {
		sessions, logins := batch(o, u, a, first, n)
		if err := db.RecordLogins(ctx, sessions, logins[:n-n/3]); err != nil {
			t.Fatalf("batch of %d: %v", n, err)
		}
		for i, s := range sessions {
			got, err := db.SessionByTokenHash(ctx, tokenHash(first+uint64(i)))
			if err != nil {
				t.Fatalf("batch of %d, session %d: %v", n, i, err)
			}
			if diff := cmp.Diff(*s, got, cmpOpts); diff != "" {
				t.Fatalf("batch of %d, session %d (-want +got):\n%s", n, i, diff)
			}
		}
		first += uint64(n)
	}
	rows, err := db.LoginHistory(ctx, store.LoginFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + 25 + 43 + 44 + 134; len(rows) != want {
		t.Errorf("%d login rows, want %d", len(rows), want)
	}
	all, err := db.ListSessions(ctx, store.SessionFilter{})
	if err != nil || len(all) != int(first) {
		t.Fatalf("%d sessions (%v), want %d", len(all), err, first)
	}
	for i := 1; i < len(all); i++ { // newest first, consecutive IDs
		a, _ := all[i-1].ID.Sequence()
		b, _ := all[i].ID.Sequence()
		if a != b+1 {
			t.Fatalf("session IDs not consecutive: %s then %s", all[i-1].ID, all[i].ID)
		}
	}
}

func TestExplainConformance(t *testing.T) {
	storetest.RunExplain(t, func(t *testing.T) records.Store {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestBulkApplyConformance(t *testing.T) {
	storetest.RunBulkApply(t, func(t *testing.T) storetest.BulkRecordStore {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestListViewUseConformance(t *testing.T) {
	storetest.RunListViewUse(t, func(t *testing.T) store.ListViewUse {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestAuthRequestsConformance(t *testing.T) {
	storetest.RunAuthRequests(t, func(t *testing.T) store.AuthRequests {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestFaultsConformance(t *testing.T) {
	storetest.RunFaults(t, func(t *testing.T) store.Faults {
		db, _ := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}
