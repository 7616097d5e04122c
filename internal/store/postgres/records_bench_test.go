package postgres

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
	"github.com/forcefield/forcefield/internal/store/sqlite"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

// Record writes and reads on both backends in one run, so that the figures compare:
//
//	go test -run '^$' -bench 'Records' -benchtime 2s -count 2 ./internal/store/postgres/
//
// (SQLite: a file in a temporary directory, its group-committing writer; PostgreSQL:
// the test server, a schema of its own.)

// benchBackends opens a store of each backend with cat synced for recOrg.
func benchBackends(b *testing.B, cat *schema.Catalog) map[string]records.Store {
	b.Helper()
	ctx := context.Background()
	lite, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { lite.Close() })
	out := map[string]records.Store{"sqlite": lite}
	if pgtest.Available() {
		out["postgres"] = openTest(b)
	}
	for name, s := range out {
		if err := s.Sync(ctx, recOrg, cat); err != nil {
			b.Fatalf("%s: Sync: %v", name, err)
		}
	}
	return out
}

// benchAccounts are n Accounts of 11 fields, a unique external ID among them, numbered
// from first.
func benchAccounts(first, n int) []records.Record {
	owner := sfid.New("005", pod, 1)
	created := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	recs := make([]records.Record, n)
	for j := range recs {
		i := first + j
		recs[j] = records.Record{
			"Name": fmt.Sprintf("Account %d", i), "OwnerId": owner, "CreatedDate": created,
			"AnnualRevenue": 1e6, "NumberOfEmployees": int64(i), "Active__c": true,
			"Founded__c": "2001-02-03", "Tags__c": "a;b", "Ext__c": fmt.Sprintf("EXT-%d", i),
			"Code__c": "C", "IsDeleted": false,
		}
	}
	return recs
}

// BenchmarkRecordsInsert1000: one Write inserting 1,000 Accounts per op, into a table
// that grows as it runs.
func BenchmarkRecordsInsert1000(b *testing.B) {
	cat := storetest.RecordCatalog(b)
	acc := mustObject(b, cat, "Account")
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			s, ok := benchBackends(b, cat)[name]
			if !ok {
				b.Skip("no PostgreSQL")
			}
			ctx := context.Background()
			next := 0
			for b.Loop() {
				recs := benchAccounts(next, 1000)
				next += 1000
				err := s.Write(ctx, recOrg, func(tx records.Tx) error {
					_, err := tx.Insert(ctx, acc, recs)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(next)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkRecordsGet: Get of one Account by ID (every field), and of 200, from 10,000.
func BenchmarkRecordsGet(b *testing.B) {
	cat := storetest.RecordCatalog(b)
	acc := mustObject(b, cat, "Account")
	for _, name := range []string{"sqlite", "postgres"} {
		for _, n := range []int{1, 200} {
			b.Run(fmt.Sprintf("%s/ids=%d", name, n), func(b *testing.B) {
				s, ok := benchBackends(b, cat)[name]
				if !ok {
					b.Skip("no PostgreSQL")
				}
				ctx := context.Background()
				var ids []sfid.ID
				err := s.Write(ctx, recOrg, func(tx records.Tx) error {
					var err error
					ids, err = tx.Insert(ctx, acc, benchAccounts(0, 10_000))
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				i := 0
				for b.Loop() {
					start := (i * 7919) % (len(ids) - n)
					i++
					got, err := s.Get(ctx, recOrg, acc, ids[start:start+n], nil)
					if err != nil || len(got) != n {
						b.Fatalf("Get: %d records, %v", len(got), err)
					}
				}
			})
		}
	}
}
