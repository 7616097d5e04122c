package directory_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/directory"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/postgres"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// Two nodes' Setup caches over one store, joined by a PostgreSQL cluster: a change made
// through one node's Directory is seen by the other, which had the old object cached,
// within a second.
func TestSetupChangeReachesOtherNode(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ff.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	url := pgtest.URL(t)
	var dirs []*directory.Directory
	for range 2 {
		pg, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pg.Close() })
		d := directory.New(st)
		d.Share(pg.Cluster())
		dirs = append(dirs, d)
	}
	a, b := dirs[0], dirs[1]
	var id sfid.ID // assigned by the first put
	put := func(d *directory.Directory, name string) {
		t.Helper()
		if err := d.UpdateSetup(ctx, func(w store.SetupWriter) error {
			o := &org.Org{ID: id, Name: name}
			err := w.PutOrg(ctx, o)
			id = o.ID
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	put(a, "Acme")
	if o, err := b.Org(ctx, id); err != nil || o.Name != "Acme" {
		t.Fatalf("node B reads %q, %v", o.Name, err)
	}
	put(a, "Acme Renamed")
	deadline := time.Now().Add(time.Second)
	for {
		o, err := b.Org(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Name == "Acme Renamed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("node B still serves %q a second after node A's change", o.Name)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
