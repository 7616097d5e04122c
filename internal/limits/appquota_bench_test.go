package limits_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store/postgres"
	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

// BenchmarkAppQuotaTake is one TakeAPI: in memory (one node), and through a PostgreSQL
// node's shared quotas for an app without a quota (counted in memory) and with one (one
// reservation transaction). Median in median-us:
//
//	FORCEFIELD_TEST_POSTGRES=… go test ./internal/limits -run '^$' -bench AppQuotaTake -count 6
func BenchmarkAppQuotaTake(b *testing.B) {
	q := org.AppQuotas{APIRequestsPerDay: 100_000_000}
	run := func(name string, c *limits.AppQuotas, q org.AppQuotas) {
		b.Run(name, func(b *testing.B) {
			times := make([]time.Duration, 0, 1024)
			for b.Loop() {
				start := time.Now()
				if _, _, r := c.TakeAPI("org", "app", q); r != nil {
					b.Fatal(r)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Nanoseconds())/1000, "median-us")
		})
	}
	run("memory/quota", limits.NewAppQuotas(nil), q)
	db, err := postgres.Open(context.Background(), pgtest.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	shared := limits.NewAppQuotas(nil)
	shared.Share(db.Cluster().Quotas())
	run("postgres/no-quota", shared, org.AppQuotas{})
	run("postgres/quota", shared, q)
}
