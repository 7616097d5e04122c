package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/forcefield/forcefield/internal/sfid"
)

// Conversions between Go values and the columns of the Setup tables, shared by the ported
// query code (they mirror internal/store/sqlite/convert.go, so that both backends store
// the same text).

// querier is what reads need: the pool through database/sql, or a write transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanner is a *sql.Row, *sql.Rows or pgx.Row.
type scanner interface{ Scan(dest ...any) error }

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// truncMS returns t as it reads back after storage: in UTC, truncated to milliseconds.
func truncMS(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}

// nowMS is the current time with storage precision.
func nowMS() time.Time { return truncMS(time.Now()) }

// nullID stores an optional reference: NULL for the empty ID.
func nullID(id sfid.ID) any {
	if id.IsZero() {
		return nil
	}
	return string(id)
}

// fromNullID is the inverse of nullID.
func fromNullID(s sql.NullString) sfid.ID { return sfid.ID(s.String) }

// encodeList stores a list as a JSON array ("[]" for nil and empty).
func encodeList[T ~string](xs []T) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, err := json.Marshal(xs)
	if err != nil { // cannot happen for string slices
		panic(err)
	}
	return string(b)
}

// decodeList is the inverse of encodeList; the empty list comes back nil.
func decodeList[T ~string](s string) ([]T, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var xs []T
	if err := json.Unmarshal([]byte(s), &xs); err != nil {
		return nil, fmt.Errorf("decode list: %w", err)
	}
	return xs, nil
}

// limitSQL is a LIMIT clause, or nothing for 0 (no limit).
func limitSQL(limit int) string {
	if limit <= 0 {
		return ""
	}
	return fmt.Sprintf(" LIMIT %d", limit)
}

// idFilterSQL builds the conditions matching the non-empty org, user and app IDs, with
// placeholders numbered from $start, joined by AND (empty when all three are empty).
func idFilterSQL(start int, orgID, userID, appID sfid.ID) (string, []any) {
	var conds []string
	var args []any
	for _, f := range []struct {
		col string
		id  sfid.ID
	}{{"org_id", orgID}, {"user_id", userID}, {"app_id", appID}} {
		if !f.id.IsZero() {
			args = append(args, string(f.id))
			conds = append(conds, fmt.Sprintf("%s = $%d", f.col, start+len(args)-1))
		}
	}
	return strings.Join(conds, " AND "), args
}

// where prefixes non-empty conditions with WHERE.
func where(conds string) string {
	if conds == "" {
		return ""
	}
	return " WHERE " + conds
}

// collect scans every row of a pgx query (the hot paths query the pool directly: pgx
// caches each statement prepared per connection, QueryExecModeCacheStatement, and skips
// database/sql's per-call overhead).
func collect[T any](rows pgx.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
