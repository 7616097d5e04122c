package postgres

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

// The token hot path on both backends in one run, e.g.
//
//	go test -run '^$' -bench 'RecordLogins|SessionByTokenHash' ./internal/store/postgres/
//
// The PostgreSQL figures include a round trip to the server (here on the same machine)
// and its WAL flush per commit; SQLite's are in-process.

// sessionBenchBackends opens an empty store of each backend.
var sessionBenchBackends = []struct {
	name string
	open func(b *testing.B) store.Store
}{
	{"sqlite", func(b *testing.B) store.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "ff.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}},
	{"postgres", func(b *testing.B) store.Store { return openTest(b) }},
}

// BenchmarkRecordLogins is one group commit of the session manager: 100 sessions and 100
// login events per RecordLogins, on tables that grow as it runs.
func BenchmarkRecordLogins(b *testing.B) {
	for _, be := range sessionBenchBackends {
		b.Run(be.name, func(b *testing.B) {
			ctx := context.Background()
			db := be.open(b)
			o, u, a := seedSetup(b, db)
			const size = 100
			var next uint64
			iterations := 0
			for b.Loop() {
				iterations++
				sessions, logins := loginBatch(o, u, a, next, size)
				next += size
				if err := db.RecordLogins(ctx, sessions, logins); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(2*size*iterations)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkSessionByTokenHash looks up sessions by token hash, as every API request does
// on a session cache miss, among 20,000 stored sessions; "parallel" runs GOMAXPROCS
// lookups at once.
func BenchmarkSessionByTokenHash(b *testing.B) {
	for _, be := range sessionBenchBackends {
		b.Run(be.name, func(b *testing.B) {
			ctx := context.Background()
			const stored = 20000
			db := be.open(b)
			o, u, a := seedSetup(b, db)
			for first := uint64(0); first < stored; first += 1000 {
				sessions, _ := loginBatch(o, u, a, first, 1000)
				if err := db.RecordLogins(ctx, sessions, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("serial", func(b *testing.B) {
				i := uint64(0)
				for b.Loop() {
					i = (i + 7919) % stored
					if _, err := db.SessionByTokenHash(ctx, sessionTokenHash(i)); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("parallel", func(b *testing.B) {
				b.RunParallel(func(pb *testing.PB) {
					i := uint64(0)
					for pb.Next() {
						i = (i + 7919) % stored
						if _, err := db.SessionByTokenHash(ctx, sessionTokenHash(i)); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		})
	}
}
