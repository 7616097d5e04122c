package forcefieldtest

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
)

// newSchema creates an empty schema on the PostgreSQL server at base and returns the URL
// that selects it (the search_path parameter, as the postgres backend reads it) and a
// function dropping it with everything in it.
func newSchema(base string) (schemaURL string, drop func() error, err error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("PostgreSQL URL: %w", err)
	}
	schema := "forcefieldtest_" + randomHex(6)
	exec := func(sql string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			return fmt.Errorf("PostgreSQL at %s: %w", u.Redacted(), err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, sql); err != nil {
			return fmt.Errorf("PostgreSQL at %s: %s: %w", u.Redacted(), sql, err)
		}
		return nil
	}
	if err := exec("CREATE SCHEMA " + schema); err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() error { return exec("DROP SCHEMA " + schema + " CASCADE") }, nil
}
