package server

import (
	"os"
	"testing"
)

// TestMain runs the tests, then what must outlive any one test: the PostgreSQL schemas
// that subtests created for their parents' paths (harness_postgres_test.go).
func TestMain(m *testing.M) {
	code := m.Run()
	runPackageCleanups()
	os.Exit(code)
}
