package pgtest

import (
	"context"
	"encoding/hex"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A Pool's schemas are prepared, one per test, and every one of them — taken or only
// readied — is gone once Close returns.
func TestPool(t *testing.T) {
	reachable(t)
	ctx := context.Background()
	marker := "marker_" + hex.EncodeToString([]byte(t.Name()))[:8] + strconv.FormatInt(time.Now().UnixNano(), 36)
	prepared := 0
	p := NewPool(func(ctx context.Context, u string) error {
		prepared++
		c, err := pgx.Connect(ctx, u)
		if err != nil {
			return err
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, "CREATE TABLE "+marker+" (n INTEGER); INSERT INTO "+marker+" VALUES (42)")
		return err
	})
	var schemas []string
	for _, name := range []string{"a", "b", "c"} {
		t.Run(name, func(t *testing.T) {
			u := p.URL(t)
			c, err := pgx.Connect(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(ctx)
			var n int
			if err := c.QueryRow(ctx, "SELECT n FROM "+marker).Scan(&n); err != nil || n != 42 {
				t.Errorf("the schema is not prepared: %d, %v", n, err)
			}
			pu, _ := url.Parse(u)
			schemas = append(schemas, pu.Query().Get("search_path"))
		})
	}
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if prepared < len(schemas) {
		t.Errorf("prepared %d schemas for %d tests", prepared, len(schemas))
	}
	base, _ := server()
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var left int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = ANY($1)", schemas).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 || len(schemas) != 3 || schemas[0] == schemas[1] {
		t.Errorf("schemas %v: %d left after Close, want 3 distinct ones, all dropped", schemas, left)
	}
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_namespace n WHERE EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = n.nspname AND tablename = $1)", marker).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d readied schemas left after Close", left)
	}
}
