package sqlite

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
)

// BenchmarkUpdated answers getUpdated (DB.Updated) over the standard Account table of an
// org holding 300,000 Accounts changed over 30 days, 100,000 of them on the day asked
// for, and reports the median latency. "day" returns those 100,000 IDs, "minute" the ~70
// of one minute. Each has a "-scan" baseline measured in the same run: the same SQL with
// NOT INDEXED, i.e. what it would cost without the index Sync keeps on SystemModstamp.
func BenchmarkUpdated(b *testing.B) {
	ctx := context.Background()
	cat, err := schema.NewOrgCatalog(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	db, _ := openTemp(b)
	defer db.Close()
	if err := db.Sync(ctx, orgA, cat); err != nil {
		b.Fatal(err)
	}
	acc := object(b, cat, "Account")
	table := quoteIdent(recordTable(orgA, acc))
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	const perDay, others = 100_000, 200_000
	dayMs := int64(24 * time.Hour / time.Millisecond)
	// 100,000 changes spread over the day, 200,000 over the 29 days before it; IDs in
	// insertion order, stamps interleaved so the table is not sorted by SystemModstamp.
	mustExec(b, db, `INSERT INTO `+table+` ("Id", "Name", "OwnerId", "SystemModstamp", "IsDeleted")
		WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < ?)
		SELECT printf('001%015d', n), 'Account ' || n, '005000000000001AAA',
			CASE WHEN n % 3 = 0 THEN ? + (n / 3) * ? / ?
			     ELSE ? - 29 * ? + (n * 7919) % (29 * ?) END, 0 FROM c`,
		perDay+others, day.UnixMilli(), dayMs, perDay, day.UnixMilli(), dayMs, dayMs)
	mustExec(b, db, "ANALYZE")

	scan := func(w records.ChangeWindow) (int, error) {
		rows, err := db.r.QueryContext(ctx, "SELECT Id FROM "+table+` NOT INDEXED WHERE "SystemModstamp" >= ? AND "SystemModstamp" < ? AND IsDeleted = 0 ORDER BY "SystemModstamp", Id LIMIT ?`,
			w.Start.UnixMilli(), w.End.UnixMilli(), w.Limit)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return 0, err
			}
			n++
		}
		return n, rows.Err()
	}
	for _, tc := range []struct {
		name string
		w    records.ChangeWindow
		want int
	}{
		{"day", records.ChangeWindow{Start: day, End: day.Add(24 * time.Hour), Limit: 600_001}, perDay},
		{"minute", records.ChangeWindow{Start: day.Add(12 * time.Hour), End: day.Add(12*time.Hour + time.Minute), Limit: 600_001}, 70},
	} {
		for _, indexed := range []bool{true, false} {
			name := tc.name
			if !indexed {
				name += "-scan"
			}
			b.Run(name, func(b *testing.B) {
				times := make([]time.Duration, 0, 256)
				for b.Loop() {
					start := time.Now()
					var n int
					if indexed {
						ids, err := db.Updated(ctx, orgA, acc, tc.w)
						if err != nil {
							b.Fatal(err)
						}
						n = len(ids)
					} else {
						var err error
						if n, err = scan(tc.w); err != nil {
							b.Fatal(err)
						}
					}
					times = append(times, time.Since(start))
					if n < tc.want-1 || n > tc.want+1 {
						b.Fatalf("%d ids, want about %d", n, tc.want)
					}
				}
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
			})
		}
	}
}

// TestUpdatedUsesIndex: getUpdated's query is a range search of the covering
// SystemModstamp index whose order needs no sort.
func TestUpdatedUsesIndex(t *testing.T) {
	ctx := context.Background()
	cat, err := schema.NewOrgCatalog(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	db, _ := openTemp(t)
	defer db.Close()
	if err := db.Sync(ctx, orgA, cat); err != nil {
		t.Fatal(err)
	}
	acc := object(t, cat, "Account")
	rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN SELECT Id FROM "+quoteIdent(recordTable(orgA, acc))+
		` WHERE "SystemModstamp" >= ? AND "SystemModstamp" < ? AND IsDeleted = 0 ORDER BY "SystemModstamp", Id LIMIT ?`, 0, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	want := fmt.Sprintf("SEARCH %s USING COVERING INDEX %s (SystemModstamp>? AND SystemModstamp<?)",
		recordTable(orgA, acc), recordTable(orgA, acc)+"__systemmodstamp")
	if len(plan) != 1 || plan[0] != want {
		t.Errorf("query plan %q, want [%q] (no temp B-tree for ORDER BY)", plan, want)
	}
}
