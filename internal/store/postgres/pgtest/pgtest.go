// Package pgtest gives tests a PostgreSQL to run against: a new, empty schema per test on
// the server $FORCEFIELD_TEST_POSTGRES names (default: the one ../shared/scripts/postgres.sh
// and .ci/run start, postgres://postgres:postgres@127.0.0.1:5432/forcefield_test). When
// none answers, the test is skipped and says why — except under CI=true, where PostgreSQL
// is part of the run and its absence fails the test.
//
// A Pool (pool.go) readies such schemas ahead of the tests, migrated say, and drops them
// in the background, for suites that start a server per test.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the server tried when $FORCEFIELD_TEST_POSTGRES is unset.
const DefaultURL = "postgres://postgres:postgres@127.0.0.1:5432/forcefield_test?sslmode=disable"

var (
	once      sync.Once
	serverURL string
	reachErr  error
)

func server() (string, error) {
	once.Do(func() {
		serverURL = os.Getenv("FORCEFIELD_TEST_POSTGRES")
		if serverURL == "" {
			serverURL = DefaultURL
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, serverURL)
		if err != nil {
			reachErr = err
			return
		}
		reachErr = c.Ping(ctx)
		c.Close(ctx)
	})
	return serverURL, reachErr
}

// Available reports whether a test PostgreSQL answers (for benchmarks that choose).
func Available() bool {
	_, err := server()
	return err == nil
}

// URL returns the URL of a new, empty schema (through the search_path parameter), dropped
// with everything in it when t ends. Use it for every node of a multi-node test.
func URL(t testing.TB) string {
	t.Helper()
	base := reachable(t)
	schema, u, err := create(context.Background(), base)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		if err := drop(base, schema); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return u
}

// reachable returns the server's URL, or skips t (fails it under CI=true) saying why
// none answers.
func reachable(t testing.TB) string {
	t.Helper()
	base, err := server()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s does not answer (%v); under CI=true it must (.ci/run starts it)", redact(base), err)
		}
		t.Skipf("no PostgreSQL at %s (%v): set $FORCEFIELD_TEST_POSTGRES or run ../shared/scripts/postgres.sh", redact(base), err)
	}
	return base
}

// create makes a new, empty schema on the server at base and returns its name and the
// URL that selects it (through the search_path parameter).
func create(ctx context.Context, base string) (schema, schemaURL string, err error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", "", err
	}
	var b [6]byte
	rand.Read(b[:])
	schema = "fftest_" + hex.EncodeToString(b[:])
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", "", err
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", "", fmt.Errorf("create schema: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return schema, u.String(), nil
}

// drop drops schema with everything in it.
func drop(base, schema string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		return fmt.Errorf("drop schema %s: %w", schema, err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
		return fmt.Errorf("drop schema %s: %w", schema, err)
	}
	return nil
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
