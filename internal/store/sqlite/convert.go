package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// querier is what reads need: the read pool, or a write transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// mapErr maps SQLite's errors onto the store sentinels: uniqueness violations to
// ErrConflict, missing rows and broken references to ErrNotFound. Other errors pass
// through. The SQLite message names columns, never values.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: a referenced record does not exist: %w", store.ErrNotFound, err)
		}
	}
	return err
}

// millis returns t as Unix milliseconds, or nil (NULL) for the zero time.
func millis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// fromMillis is the inverse of millis.
func fromMillis(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// truncMillis returns t as it reads back after storage: in UTC, truncated to milliseconds.
func truncMillis(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}

// now is the current time with storage precision.
func now() time.Time { return truncMillis(time.Now()) }

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
