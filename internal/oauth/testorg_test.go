package oauth

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/session"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// testOrg is what every test and benchmark of this package starts from: a real SQLite
// store in a temporary directory with an org file applied, and a session manager over it.
// Both close when the test ends (the manager first).
type testOrg struct {
	db       *sqlite.DB
	sessions *session.Manager
	applied  *orgfile.Result // the org file's new consumer secrets, among others
	log      *slog.Logger    // discards
}

// openTestOrg applies orgYAML to a new store; opts configures the session manager (its
// Logger defaults to the discarding one).
func openTestOrg(tb testing.TB, orgYAML string, opts session.Options) testOrg {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "ff.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	f, err := orgfile.Parse(filepath.Join(dir, "org.yaml"), []byte(orgYAML))
	if err != nil {
		tb.Fatal(err)
	}
	res, err := orgfile.Apply(ctx, db, f)
	if err != nil {
		tb.Fatal(err)
	}
	o := testOrg{db: db, applied: res, log: slog.New(slog.DiscardHandler)}
	if opts.Logger == nil {
		opts.Logger = o.log
	}
	o.sessions = session.NewManager(db, opts)
	tb.Cleanup(func() { o.sessions.Close() }) // runs before db.Close
	return o
}
