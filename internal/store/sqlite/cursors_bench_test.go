package sqlite

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/soql"
)

// BenchmarkQueryPaging pages SELECT Id, Name, NumberOfEmployees FROM Account ORDER BY
// Name (an index on Name; names are a permutation of the Ids, so the rows are read in an
// order unrelated to their storage: the worst case) over FORCEFIELD_BENCH_ROWS rows
// (1,000,000 by default), 2000 rows a page, at the start of the result and deep in it
// (the last full page):
//
//   - offset: the locator as it was — the query run again from the page's offset
//     (records.Store.Query, which also counts the result for totalSize);
//   - cursor: the snapshot cursor — the cursor looked up and renewed (Cursor) and the
//     page's rows read by their IDs (CursorRows);
//   - open: taking the snapshot of the whole result (OpenCursor), once per query.
//
// Each reports the median besides the mean (ns/op):
//
//	go test -run '^$' -bench QueryPaging -benchtime 20x -count 3 ./internal/store/sqlite/
func BenchmarkQueryPaging(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("FORCEFIELD_BENCH_ROWS")); err == nil && v > 2000 {
		n = v
	}
	db, _ := openTemp(b)
	defer db.Close()
	cat := Catalog()
	createTables(b, db, testOrg, cat)
	obj, _ := cat.Object("Account")
	table := quoteIdent(recordTable(testOrg, obj))
	// Names are a permutation of the counter, so Name order is not Id order.
	mustExec(b, db, `INSERT INTO `+table+` ("Id", "Name", "NumberOfEmployees", "OwnerId")
		WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < ?)
		SELECT printf('001%015d', n), printf('Account %09d', (n * 7919) % ?), n % 1000, ? FROM c`, n, n, string(UserID))
	mustExec(b, db, `CREATE INDEX bench_paging_name ON `+table+` ("Name")`)
	mustExec(b, db, `ANALYZE`)
	ctx := context.Background()
	q := Q("Account", F("Id"), F("Name"), F("NumberOfEmployees"))
	// FORCEFIELD_BENCH_ORDER=Id pages in Id order (a plain "SELECT … FROM Account", the
	// order a sync usually reads in) instead of by Name.
	order := "Name"
	if os.Getenv("FORCEFIELD_BENCH_ORDER") == "Id" {
		order = "Id"
	}
	q.OrderBy = []soql.Order{{Field: N(order)}}
	plan, err := query.Resolve(q, cat, Admin(), query.Options{})
	if err != nil {
		b.Fatal(err)
	}
	const page = 2000
	deep := (n/page - 1) * page
	now := time.Now()
	cur := &records.Cursor{Key: "01gBENCHPAGING0001", OrgID: testOrg, UserID: UserID, Query: "bench", Batch: page, Now: now, Snapshot: true, Used: now}
	if err := db.OpenCursor(ctx, cur, plan, 0); err != nil {
		b.Fatal(err)
	}
	if cur.Total != n {
		b.Fatalf("snapshot of %d rows, want %d", cur.Total, n)
	}
	median := func(b *testing.B, times []time.Duration) {
		slices.Sort(times)
		b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	}
	for _, at := range []struct {
		name   string
		offset int
	}{{"start", 0}, {"deep", deep}} {
		b.Run("offset/"+at.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				res, err := db.Query(ctx, testOrg, plan, at.offset, page)
				times = append(times, time.Since(start))
				if err != nil || len(res.Rows) != page {
					b.Fatalf("%v, %d rows", err, len(res.Rows))
				}
			}
			median(b, times)
		})
		b.Run("cursor/"+at.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := db.Cursor(ctx, testOrg, UserID, cur.Key, time.Now(), time.Hour); err != nil {
					b.Fatal(err)
				}
				rows, err := db.CursorRows(ctx, testOrg, cur.Key, plan, at.offset, page)
				times = append(times, time.Since(start))
				if err != nil || len(rows) != page {
					b.Fatalf("%v, %d rows", err, len(rows))
				}
			}
			median(b, times)
		})
	}
	b.Run("open", func(b *testing.B) {
		var times []time.Duration
		i := 0
		for b.Loop() {
			i++
			c := &records.Cursor{Key: fmt.Sprintf("01gBENCHOPEN%06d", i), OrgID: testOrg, UserID: UserID, Query: "bench", Batch: page, Now: now, Snapshot: true, Used: now}
			start := time.Now()
			err := db.OpenCursor(ctx, c, plan, 0)
			times = append(times, time.Since(start))
			if err != nil {
				b.Fatal(err)
			}
			if err := db.CloseCursor(ctx, c.Key); err != nil {
				b.Fatal(err)
			}
		}
		median(b, times)
	})
}
