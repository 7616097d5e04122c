package sqlite

import (
	"os"
	"testing"

	"github.com/forcefield/forcefield/internal/store/storetest"
)

// BenchmarkRestore: RestoreOrg against org size, after a test's few writes (churn=test)
// and after half the org was purged (churn=all) (storetest.BenchRestore). 100k records
// only with FORCEFIELD_BENCH_LARGE=1 (its setup takes a while):
//
//	go test ./internal/store/sqlite -run '^$' -bench BenchmarkRestore -count 5
func BenchmarkRestore(b *testing.B) {
	sizes := []int{1_000, 10_000}
	if os.Getenv("FORCEFIELD_BENCH_LARGE") != "" {
		sizes = append(sizes, 100_000)
	}
	for _, churn := range []string{"test", "all"} {
		for _, n := range sizes {
			b.Run("churn="+churn+"/"+benchName(n), func(b *testing.B) {
				db, _ := openTemp(b)
				defer db.Close()
				storetest.BenchRestore(b, db, n, churn)
			})
		}
	}
}

func benchName(n int) string {
	switch {
	case n >= 1000:
		return "records=" + itoa(n/1000) + "k"
	}
	return "records=" + itoa(n)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
