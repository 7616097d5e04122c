package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/sosl"
)

// Benchmarks of the SOSL index (docs/performance.md, "Search (SOSL)"), on the standard
// Account (its real set of searchable fields).

// standardCatalog is the standard objects, with Account searchable or not.
func standardCatalog(tb testing.TB, searchable bool) *schema.Catalog {
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

var cities = []string{"Springfield", "Riverside", "Franklin", "Greenville", "Bristol", "Clinton", "Fairview", "Salem"}

// benchAccount is the i-th Account of n: a name with a token shared by ten records
// (tag<i/10>), a unique website, a phone, a city and a description.
func benchAccount(i int, owner sfid.ID, created time.Time) records.Record {
	return records.Record{
		"Name":        fmt.Sprintf("Account %d Holdings tag%d", i, i/10),
		"Website":     fmt.Sprintf("www.company%d.example", i),
		"Phone":       fmt.Sprintf("(415) 555-%04d", i%10000),
		"BillingCity": cities[i%len(cities)],
		"Description": "Imported from the legacy CRM during the migration",
		"OwnerId":     owner, "CreatedDate": created,
	}
}

// fillAccounts inserts n benchAccounts into org in Writes of 5000.
func fillAccounts(tb testing.TB, db *DB, org sfid.ID, acc *schema.Object, n int) {
	tb.Helper()
	ctx := context.Background()
	owner := sfid.New("005", pod, 1)
	created := time.Now().UTC()
	const batch = 5000
	recs := make([]records.Record, 0, batch)
	for start := 0; start < n; start += batch {
		recs = recs[:0]
		for i := start; i < min(start+batch, n); i++ {
			recs = append(recs, benchAccount(i, owner, created))
		}
		if err := db.Write(ctx, org, func(tx records.Tx) error {
			_, err := tx.Insert(ctx, acc, recs)
			return err
		}); err != nil {
			tb.Fatal(err)
		}
	}
}

// filled are the databases of BenchmarkSearchFind by size, filled once per process (so
// that -count repeats the searches, not the fill) and removed by TestMain.
var filled struct {
	sync.Mutex
	dir string
	dbs map[int]*DB
	cat *schema.Catalog
}

func filledDB(b *testing.B, n int) (*DB, *schema.Catalog) {
	filled.Lock()
	defer filled.Unlock()
	if db, ok := filled.dbs[n]; ok {
		return db, filled.cat
	}
	if filled.dbs == nil {
		dir, err := os.MkdirTemp("", "ff-search-bench-")
		if err != nil {
			b.Fatal(err)
		}
		filled.dir, filled.dbs, filled.cat = dir, map[int]*DB{}, standardCatalog(b, true)
	}
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(filled.dir, strconv.Itoa(n)+".db"))
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Sync(ctx, orgA, filled.cat); err != nil {
		b.Fatal(err)
	}
	acc, _ := filled.cat.Object("Account")
	t0 := time.Now()
	fillAccounts(b, db, orgA, acc, n)
	b.Logf("filled %d Accounts in %v", n, time.Since(t0).Round(time.Millisecond))
	filled.dbs[n] = db
	return db, filled.cat
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, db := range filled.dbs {
		db.Close()
	}
	if filled.dir != "" {
		os.RemoveAll(filled.dir)
	}
	os.Exit(code)
}

// BenchmarkSearchFind runs FIND {term} RETURNING Account(Name) over 10k, 100k and 1M
// Accounts: a selective term (one record: its website's token), a term of ten records
// (tag…) and a term every record has (the first 2000 are returned). SEARCH_BENCH_MAX caps the sizes (default 1000000). The fill is not
// timed.
func BenchmarkSearchFind(b *testing.B) {
	max := 1000000
	if s := os.Getenv("SEARCH_BENCH_MAX"); s != "" {
		max, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	for _, n := range []int{10000, 100000, 1000000} {
		if n > max {
			continue
		}
		b.Run("accounts="+strconv.Itoa(n), func(b *testing.B) {
			db, cat := filledDB(b, n)
			acc, _ := cat.Object("Account")
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
				// Every record matches: the first 2000 by Id come back.
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
						rows, err := db.Search(ctx, orgA, plan, records.Match{Expr: x, Fields: fields})
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
// 200, into a searchable Account (indexed) and the same Account not searchable (plain),
// in one run; ns/op is per record.
func BenchmarkSearchInsert(b *testing.B) {
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		searchable bool
	}{{"plain", false}, {"indexed", true}} {
		b.Run(tc.name, func(b *testing.B) {
			cat := standardCatalog(b, tc.searchable)
			db, _ := openTemp(b)
			b.Cleanup(func() { db.Close() })
			if err := db.Sync(ctx, orgA, cat); err != nil {
				b.Fatal(err)
			}
			acc, _ := cat.Object("Account")
			owner := sfid.New("005", pod, 1)
			created := time.Now().UTC()
			const batch = 200
			recs := make([]records.Record, batch)
			b.ResetTimer()
			for i := 0; i < b.N; i += batch {
				n := min(batch, b.N-i)
				for j := range n {
					recs[j] = benchAccount(i+j, owner, created)
				}
				if err := db.Write(ctx, orgA, func(tx records.Tx) error {
					_, err := tx.Insert(ctx, acc, recs[:n])
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
