package forcefieldtest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/forcefieldtest"
	"github.com/forcefield/forcefield/internal/server"
)

// fileSecretOrg is exampleOrg with the app's key and secret in the file, as sfauth's tests
// and most suites write them.
var fileSecretOrg = strings.Replace(exampleOrg, "scopes: [api]\n", "scopes: [api]\n        consumerKey: OrdersKey0001\n        consumerSecret: OrdersSecret0001\n", 1)

// BenchmarkStart is what one server per test costs: New and Close of exampleOrg (its
// secret generated, or given in the file), against the baseline of the hand-written
// harness forcefieldtest replaced (server.Open with the org file given at start, Run,
// stop) in the same run. On PostgreSQL (FORCEFIELD_TEST_DB=postgres) each start also
// creates a schema and migrates it.
//
//	go test -run '^$' -bench BenchmarkStart -count 6 ./forcefieldtest
func BenchmarkStart(b *testing.B) {
	if !strings.Contains(fileSecretOrg, "OrdersSecret0001") {
		b.Fatal("fileSecretOrg has no secret")
	}
	start := func(org string) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				srv, err := forcefieldtest.New(org)
				if err != nil {
					b.Fatal(err)
				}
				if err := srv.Close(); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("forcefieldtest/generated-secret", start(exampleOrg))
	b.Run("forcefieldtest/file-secret", start(fileSecretOrg))
	b.Run("baseline=server.Open/file-secret", func(b *testing.B) {

		if os.Getenv("FORCEFIELD_TEST_DB") == "postgres" {
			b.Skip("the baseline runs on SQLite")
		}
		for b.Loop() {
			dir := b.TempDir()
			orgFile := filepath.Join(dir, "org.yaml")
			if err := os.WriteFile(orgFile, []byte(fileSecretOrg), 0o600); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			s, err := server.Open(ctx, server.Config{Addr: "127.0.0.1:0", DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile, AdminToken: "bench-admin-token"})
			if err != nil {
				b.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- s.Run(ctx) }()
			cancel()
			if err := <-done; err != nil {
				b.Fatal(err)
			}
		}
	})
}
