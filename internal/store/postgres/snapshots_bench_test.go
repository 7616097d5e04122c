package postgres

import (
	"fmt"
	"os"
	"testing"

	"github.com/forcefield/forcefield/internal/store/storetest"
)

// BenchmarkRestore: RestoreOrg against org size, after a test's few writes (churn=test)
// and after half the org was purged (churn=all) (storetest.BenchRestore). 100k records
// only with FORCEFIELD_BENCH_LARGE=1:
//
//	FORCEFIELD_TEST_POSTGRES=postgres://… go test ./internal/store/postgres -run '^$' -bench BenchmarkRestore -count 5
func BenchmarkRestore(b *testing.B) {
	sizes := []int{1_000, 10_000}
	if os.Getenv("FORCEFIELD_BENCH_LARGE") != "" {
		sizes = append(sizes, 100_000)
	}
	for _, churn := range []string{"test", "all"} {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("churn=%s/records=%dk", churn, n/1000), func(b *testing.B) {
				storetest.BenchRestore(b, openTest(b), n, churn)
			})
		}
	}
}
