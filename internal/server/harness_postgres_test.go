package server

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/forcefield/forcefield/internal/store/backend"
	"github.com/forcefield/forcefield/internal/store/postgres"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

// The wire tests run on SQLite by default. With FORCEFIELD_TEST_DB=postgres every test
// server whose Config.DB is a file path runs instead on a new PostgreSQL schema (pgtest)
// standing for that path: a test that stops a server and starts another on the same path
// gets the same schema back, so restarts keep their data as a file would.
const testDBEnv = "FORCEFIELD_TEST_DB"

// onPostgres reports whether the wire tests run on PostgreSQL.
func onPostgres() bool { return os.Getenv(testDBEnv) == "postgres" }

// pgSchemaPool readies the test servers' schemas, migrated, while the tests run, and drops
// them in the background (~1 s per server saved). A server's Open finds its schema
// current, as a node joining a running cluster does; TestNodes* (startNodes) and the
// postgres package's tests still migrate new, empty schemas.
var pgSchemaPool = pgtest.NewPool(func(ctx context.Context, url string) error {
	db, err := postgres.Open(ctx, url)
	if err != nil {
		return err
	}
	return db.Close()
})

// pgSchemas maps the file paths of running tests to the schema URLs standing for them.
var pgSchemas sync.Map

// testDB returns the --db value a test server with Config.DB db runs on: db itself, or
// under FORCEFIELD_TEST_DB=postgres, the schema standing for the file path db. It skips
// the test when the PostgreSQL backend cannot run.
func testDB(t testing.TB, db string) string {
	t.Helper()
	if !onPostgres() || backend.Scheme(db) != "" {
		return db
	}
	requirePostgres(t)
	if u, ok := pgSchemas.Load(db); ok {
		return u.(string)
	}
	// A subtest may start the first server on a path its parent owns (t.TempDir of the
	// parent) and the parent a second one after the subtest ended: the schema must then
	// outlive the subtest, as the file would. Schemas first used in a subtest are dropped
	// when the package's tests end (TestMain), those of a top-level test with it.
	owner := t
	if strings.Contains(t.Name(), "/") {
		owner = packageScoped{t}
	}
	u := pgSchemaPool.URL(owner)
	pgSchemas.Store(db, u)
	owner.Cleanup(func() { pgSchemas.Delete(db) })
	return u
}

// packageScoped is a test whose cleanups run when the package's tests end.
type packageScoped struct{ testing.TB }

var (
	packageCleanupsMu sync.Mutex
	packageCleanups   []func()
)

func (packageScoped) Cleanup(f func()) {
	packageCleanupsMu.Lock()
	defer packageCleanupsMu.Unlock()
	packageCleanups = append(packageCleanups, f)
}

// runPackageCleanups runs the cleanups of packageScoped tests, last first.
func runPackageCleanups() {
	packageCleanupsMu.Lock()
	defer packageCleanupsMu.Unlock()
	for i := len(packageCleanups) - 1; i >= 0; i-- {
		packageCleanups[i]()
	}
	packageCleanups = nil
}

// requirePostgres skips the test, saying why, unless a PostgreSQL answers. Without one
// under CI=true, pgtest fails the test instead.
func requirePostgres(t testing.TB) {
	t.Helper()
	if !pgtest.Available() {
		pgtest.URL(t) // skips, or fails under CI=true, saying why
	}
}

// sqliteOnly skips a test that reads the SQLite file itself when the tests run on
// PostgreSQL.
func sqliteOnly(t testing.TB, why string) {
	t.Helper()
	if onPostgres() {
		t.Skipf("%s=postgres: %s", testDBEnv, why)
	}
}

// startNodes runs n servers on one new PostgreSQL schema, each on its own loopback port,
// sharing one clock (the nodes of a cluster agree on the time). The first applies
// cfg.OrgFile; the others start on what it wrote, as nodes joining a running cluster do.
// cfg.DB, when set to a postgres:// URL, is used instead of a new schema.
func startNodes(t testing.TB, n int, cfg Config) []*testServer {
	t.Helper()
	requirePostgres(t)
	if backend.Scheme(cfg.DB) != "postgres" {
		cfg.DB = pgtest.URL(t)
	}
	clk := newClock()
	nodes := make([]*testServer, n)
	for i := range nodes {
		c := cfg
		if i > 0 {
			c.OrgFile = ""
		}
		nodes[i] = startOn(t, c, clk)
	}
	return nodes
}

// nodeName names a node in test messages.
func nodeName(i int) string { return fmt.Sprintf("node %d", i+1) }
