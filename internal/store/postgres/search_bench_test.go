package postgres

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/sosl"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

// Benchmarks of the SOSL index on the standard Account, as SQLite's search_bench_test.go
// (docs/performance.md, "Search (SOSL)"), on PostgreSQL:
//
//	go test ./internal/store/postgres -run '^$' -bench 'BenchmarkSearch' -benchtime 200x

// searchCatalog is the standard objects, with Account searchable or not.
func searchCatalog(tb testing.TB, searchable bool) *schema.Catalog {
	tb.Helper()
	objs := schema.Standard()
	for i, o := range objs {
		if o.Name == "Account" {
			c := *o
			c.Searchable = searchable
			objs[i] = &c
		}
	}
	cat, err := schema.NewCatalog(objs)
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

// searchAccount is the i-th Account: a name with a token shared by ten records
// (tag<i/10>), a unique website, a phone, a city and a description (SQLite's
// benchAccount).
func searchAccount(i int, owner sfid.ID, created time.Time) records.Record {
	cities := []string{"Springfield", "Riverside", "Franklin", "Greenville", "Bristol", "Clinton", "Fairview", "Salem"}
	return records.Record{
		"Name":        fmt.Sprintf("Account %d Holdings tag%d", i, i/10),
		"Website":     fmt.Sprintf("www.company%d.example", i),
		"Phone":       fmt.Sprintf("(415) 555-%04d", i%10000),
		"BillingCity": cities[i%len(cities)],
		"Description": "Imported from the legacy CRM during the migration",
		"OwnerId":     string(owner), "CreatedDate": created, "IsDeleted": false,
	}
}

// BenchmarkSearchFind runs FIND {term} RETURNING Account(Name) over 10k and 100k
// Accounts: a selective term (one record), a term of ten records and a term every record
// has (the first 2000 by Id come back). The fill is not timed.
func BenchmarkSearchFind(b *testing.B) {
	ctx := context.Background()
	org := storetest.QueryOrg
	for _, n := range []int{10_000, 100_000} {
		b.Run("accounts="+strconv.Itoa(n), func(b *testing.B) {
			db := openTest(b)
			cat := searchCatalog(b, true)
			if err := db.Sync(ctx, org, cat); err != nil {
				b.Fatal(err)
			}
			acc, _ := cat.Object("Account")
			owner, created := sfid.New("005", pod, 1), time.Now().UTC()
			for start := 0; start < n; start += 5000 {
				var recs []records.Record
				for i := start; i < min(start+5000, n); i++ {
					recs = append(recs, searchAccount(i, owner, created))
				}
				if err := db.Write(ctx, org, func(tx records.Tx) error { _, err := tx.Insert(ctx, acc, recs); return err }); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := db.pool.Exec(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			name, _ := acc.Field("Name")
			id, _ := acc.Field("Id")
			var fields []string
			for _, f := range sosl.SearchFields(acc) {
				fields = append(fields, f.Name)
			}
			for _, tc := range []struct {
				name, find string
				want       int
			}{
				{"selective", fmt.Sprintf("company%d", n/2), 1},
				{"ten", fmt.Sprintf("tag%d", n/20), 10},
				{"broad", "holdings", min(n, sosl.MaxLimit)},
			} {
				b.Run(tc.name, func(b *testing.B) {
					for b.Loop() {
						x, err := sosl.ParseExpr(tc.find)
						if err != nil {
							b.Fatal(err)
						}
						plan := &query.Plan{Object: acc, Limit: sosl.MaxLimit, Columns: []query.Column{
							{Path: &query.Path{Field: name, Name: "Name"}},
							{Path: &query.Path{Field: id, Name: "Id"}, Hidden: true},
						}}
						rows, err := db.Search(ctx, org, plan, records.Match{Expr: x, Fields: fields})
						if err != nil {
							b.Fatal(err)
						}
						if len(rows) != tc.want {
							b.Fatalf("FIND {%s}: %d rows, want %d", tc.find, len(rows), tc.want)
						}
					}
				})
			}
		})
	}
}

// BenchmarkSearchInsert is the write cost of the index: Accounts inserted in Writes of
// 200 into a searchable Account (indexed) and the same Account not searchable (plain),
// in one run; ns/op is per record.
func BenchmarkSearchInsert(b *testing.B) {
	ctx := context.Background()
	org := storetest.QueryOrg
	for _, tc := range []struct {
		name       string
		searchable bool
	}{{"plain", false}, {"indexed", true}} {
		b.Run(tc.name, func(b *testing.B) {
			cat := searchCatalog(b, tc.searchable)
			db := openTest(b)
			if err := db.Sync(ctx, org, cat); err != nil {
				b.Fatal(err)
			}
			acc, _ := cat.Object("Account")
			owner, created := sfid.New("005", pod, 1), time.Now().UTC()
			const batch = 200
			recs := make([]records.Record, batch)
			b.ResetTimer()
			for i := 0; i < b.N; i += batch {
				n := min(batch, b.N-i)
				for j := range n {
					recs[j] = searchAccount(i+j, owner, created)
				}
				if err := db.Write(ctx, org, func(tx records.Tx) error { _, err := tx.Insert(ctx, acc, recs[:n]); return err }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
