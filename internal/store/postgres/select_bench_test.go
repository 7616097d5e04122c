package postgres

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

// BenchmarkQueryIndexedEquality answers SELECT Id, Name, NumberOfEmployees FROM Account
// WHERE Name = '…' (one row) over tables of 10k and 1M rows, resolving the plan each
// time, as SQLite's benchmark of the same name does (internal/store/sqlite), and reports
// the median latency besides the mean (ns/op). Target (issue 12 §6): < 5 ms at 1M. The
// table is the one Sync makes, with its index on lower("Name"); it is filled by one
// INSERT … SELECT over generate_series and ANALYZEd.
func BenchmarkQueryIndexedEquality(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			db := openTest(b)
			ctx := context.Background()
			cat := Catalog()
			if err := db.Sync(ctx, storetest.QueryOrg, cat); err != nil {
				b.Fatal(err)
			}
			obj, _ := cat.Object("Account")
			table := quoteIdent(recordTable(storetest.QueryOrg, obj))
			if _, err := db.pool.Exec(ctx, `INSERT INTO `+table+` ("Id", "Name", "NumberOfEmployees", "OwnerId", "IsDeleted")
				SELECT '001' || lpad(n::text, 15, '0'), 'Account ' || n, n % 1000, $1, false FROM generate_series(1, $2::int) n`,
				string(UserID), n); err != nil {
				b.Fatal(err)
			}
			if _, err := db.pool.Exec(ctx, "ANALYZE "+table); err != nil {
				b.Fatal(err)
			}
			times := make([]time.Duration, 0, 1024)
			i := 0
			for b.Loop() {
				i++
				q := Q("Account", F("Id"), F("Name"), F("NumberOfEmployees"))
				q.Where = Cmp("Name", "=", Str(fmt.Sprintf("Account %d", 1+(i*7919)%n)))
				start := time.Now()
				p, err := query.Resolve(q, cat, Admin(), query.Options{})
				if err != nil {
					b.Fatal(err)
				}
				res, err := db.Query(ctx, storetest.QueryOrg, p, 0, 2000)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
				if len(res.Rows) != 1 || res.Total != 1 {
					b.Fatalf("rows %d total %d", len(res.Rows), res.Total)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}
