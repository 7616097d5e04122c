package server

import (
	"fmt"
	"os"
	"testing"

	"github.com/forcefield/forcefield/internal/secret"
)

// testPBKDF2Iterations is the work factor the test servers hash org-file consumer secrets
// with. Every test server applies the test org file and so hashes its dozen consumer
// secrets: at the program's 600,000 iterations that is ~1.4 s of CPU, 90% of starting a
// server, paid again by each of the suite's hundreds of servers (and once more per app at
// its first token). The hashes record their count and go through the same PBKDF2 code;
// internal/secret's tests hold the program's count.
const testPBKDF2Iterations = 1000

// programPBKDF2Iterations is the program's work factor, read before TestMain lowers it.
var programPBKDF2Iterations = secret.PBKDF2Iterations

// programKDF makes the servers t starts hash org-file secrets at the program's work
// factor, for a test that measures what a KDF run costs.
func programKDF(t testing.TB) {
	secret.PBKDF2Iterations = programPBKDF2Iterations
	t.Cleanup(func() { secret.PBKDF2Iterations = testPBKDF2Iterations })
}

// TestMain runs the tests, then what must outlive any one test: the PostgreSQL schemas
// that subtests created for their parents' paths, and the background drops of the test
// servers' schemas (harness_postgres_test.go).
func TestMain(m *testing.M) {
	secret.PBKDF2Iterations = testPBKDF2Iterations
	code := m.Run()
	runPackageCleanups()
	if err := pgSchemaPool.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "PostgreSQL test schemas:", err)
		code = max(code, 1)
	}
	os.Exit(code)
}
