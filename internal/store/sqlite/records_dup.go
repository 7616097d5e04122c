package sqlite

// Write errors of records: unique violations become *records.DuplicateError
// (DUPLICATE_VALUE, salesforce-rest.md), a missing table records.ErrUnknownObject.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// wrapTableErr maps "no such table" (Sync never made obj's table) to
// records.ErrUnknownObject and wraps everything else.
func wrapTableErr(obj *schema.Object, op string, err error) error {
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), "no such table") {
		return fmt.Errorf("sqlite: %s %s: %w", op, obj.Name, records.ErrUnknownObject)
	}
	return fmt.Errorf("sqlite: %s %s: %w", op, obj.Name, err)
}

// uniqueField returns the field a unique-constraint error names ("UNIQUE constraint
// failed: table.Column").
func uniqueField(obj *schema.Object, err error) (*schema.Field, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE {
		return nil, false
	}
	_, rest, ok := strings.Cut(err.Error(), "UNIQUE constraint failed: ")
	if !ok {
		return nil, false
	}
	col, _, _ := strings.Cut(rest, " ")
	col, _, _ = strings.Cut(col, ",") // several columns: the first
	if i := strings.LastIndexByte(col, '.'); i >= 0 {
		col = col[i+1:]
	}
	return obj.Field(col)
}

// writeErr turns the failure of a write of recs[start:end] (ids: the IDs of recs) into
// the error to return. For a unique violation it finds the value and the record already
// holding it: another record of the same batch (ExistingID empty: it does not exist yet)
// or a stored one, looked up by the index.
func (t *recordsTx) writeErr(ctx context.Context, obj *schema.Object, op string, err error,
	recs []records.Record, start, end int, ids []sfid.ID) error {
	f, ok := uniqueField(obj, err)
	if !ok {
		return wrapTableErr(obj, op, err)
	}
	dup := &records.DuplicateError{Object: obj.Name, Field: f.Name}
	// A value twice in the batch, up to the failed rows.
	seen := map[any]bool{}
	for _, r := range recs[:end] {
		v := uniqueKey(r[f.Name])
		if v == nil {
			continue
		}
		if seen[v] {
			dup.Value = r[f.Name]
			return dup
		}
		seen[v] = true
	}
	// A stored live record (the unique indexes cover live rows only) holding one of the failed rows' values.
	mine := make(map[sfid.ID]bool, len(ids))
	for _, id := range ids {
		mine[id] = true
	}
	table := recordTable(t.org, obj)
	for _, r := range recs[start:end] {
		v := r[f.Name]
		if v == nil {
			continue
		}
		found, ferr := findIDs(ctx, t.w.tx, table, f, toSQL(v))
		if ferr != nil {
			return errors.Join(dup, ferr)
		}
		for _, id := range found {
			if !mine[id] {
				dup.Value, dup.ExistingID = v, id
				return dup
			}
		}
	}
	return dup
}

// uniqueKey is the value a unique index compares: text ignoring ASCII case (NOCASE).
func uniqueKey(v any) any {
	switch x := toSQL(v).(type) {
	case string:
		return strings.Map(func(r rune) rune {
			if 'A' <= r && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, x)
	case nil:
		return nil
	default:
		return x
	}
}
