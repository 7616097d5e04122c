package sqlite

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
)

// BenchmarkQueryIndexedEquality answers SELECT Id, Name, NumberOfEmployees FROM Account
// WHERE Name = '…' (one row) over tables of 10k, 100k and 1M rows with an index on Name,
// and reports the median latency besides the mean (ns/op). Target: < 5 ms at 1M.
func BenchmarkQueryIndexedEquality(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			db, _ := openTemp(b)
			defer db.Close()
			cat := Catalog()
			createTables(b, db, testOrg, cat)
			obj, _ := cat.Object("Account")
			table := quoteIdent(recordTable(testOrg, obj))
			// One INSERT … SELECT over a recursive counter: a single statement in one
			// transaction, the fastest way to fill the table.
			mustExec(b, db, `INSERT INTO `+table+` ("Id", "Name", "NumberOfEmployees", "OwnerId")
				WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < ?)
				SELECT printf('001%015d', n), 'Account ' || n, n % 1000, ? FROM c`, n, string(UserID))
			mustExec(b, db, `CREATE INDEX bench_name ON `+table+` ("Name")`)
			mustExec(b, db, `ANALYZE`)
			ctx := context.Background()
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
				res, err := db.Query(ctx, testOrg, p, 0, 2000)
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
