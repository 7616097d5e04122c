package postgres

// Write errors of records: unique violations become *records.DuplicateError
// (DUPLICATE_VALUE, salesforce-rest.md), a missing table records.ErrUnknownObject.

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// pgCode returns the SQLSTATE of a PostgreSQL error, "" for other errors.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// wrapTableErr maps undefined_table (42P01: Sync never made obj's table) to
// records.ErrUnknownObject and wraps everything else.
func wrapTableErr(obj *schema.Object, op string, err error) error {
	if err == nil {
		return nil
	}
	if pgCode(err) == "42P01" {
		return fmt.Errorf("postgres: %s %s: %w", op, obj.Name, records.ErrUnknownObject)
	}
	return fmt.Errorf("postgres: %s %s: %w", op, obj.Name, err)
}

// uniqueField returns the field whose unique index a unique violation (23505) names.
func uniqueField(obj *schema.Object, orgID sfid.ID, err error) (*schema.Field, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23505" {
		return nil, false
	}
	table := recordTable(orgID, obj)
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if indexName(table, f.Name, "__u") == pe.ConstraintName {
			return f, true
		}
	}
	return nil, false
}

// writeErr turns the failure of a write of recs[start:end] (ids: the IDs of recs) into
// the error to return; the transaction has been rolled back to before the write. For a
// unique violation it finds the value and the record already holding it: another record
// of the same batch (ExistingID empty: it does not exist yet) or a stored one, looked up
// by the index in one statement.
func (t *recordsTx) writeErr(ctx context.Context, obj *schema.Object, op string, err error,
	recs []records.Record, start, end int, ids []sfid.ID) error {
	f, ok := uniqueField(obj, t.org, err)
	if !ok {
		return wrapTableErr(obj, op, err)
	}
	dup := &records.DuplicateError{Object: obj.Name, Field: f.Name}
	key := func(v any) any {
		if caseless(f) {
			return textKey(v)
		}
		sv, _ := toSQL(f, v)
		return sv
	}
	// A value twice in the batch, up to the failed rows.
	seen := map[any]bool{}
	for _, r := range recs[:end] {
		if r[f.Name] == nil {
			continue
		}
		v := key(r[f.Name])
		if seen[v] {
			dup.Value = r[f.Name]
			return dup
		}
		seen[v] = true
	}
	// A stored live record (the unique indexes cover live rows only) holding one of the
	// failed rows' values.
	mine := make(map[sfid.ID]bool, len(ids))
	for _, id := range ids {
		mine[id] = true
	}
	var vals []any
	for _, r := range recs[start:end] {
		if r[f.Name] != nil {
			sv, err := toSQL(f, r[f.Name])
			if err == nil {
				vals = append(vals, sv)
			}
		}
	}
	if len(vals) == 0 {
		return dup
	}
	col := newArrayColumn(f, len(vals))
	for _, r := range recs[start:end] {
		if r[f.Name] != nil {
			col.add(r[f.Name]) //nolint:errcheck // converted above
		}
	}
	cond := colKey(f) + " = ANY($1::" + col.sqlType + "[])"
	if caseless(f) {
		cond = colKey(f) + " = ANY(SELECT lower(v) FROM unnest($1::text[]) v)"
	}
	rows, qerr := t.w.tx.QueryContext(ctx, "SELECT \"Id\", "+colKey(f)+" FROM "+quoteIdent(recordTable(t.org, obj))+
		" WHERE "+cond+` AND NOT "IsDeleted"`, col.slice(0, len(vals)))
	if qerr != nil {
		return errors.Join(dup, qerr)
	}
	defer rows.Close()
	holder := map[any]sfid.ID{}
	for rows.Next() {
		var id string
		var v any
		if err := rows.Scan(&id, &v); err != nil {
			return errors.Join(dup, err)
		}
		if !mine[sfid.ID(id)] {
			holder[v] = sfid.ID(id)
		}
	}
	if err := rows.Err(); err != nil {
		return errors.Join(dup, err)
	}
	for _, r := range recs[start:end] {
		if r[f.Name] == nil {
			continue
		}
		if id, ok := holder[key(r[f.Name])]; ok {
			dup.Value, dup.ExistingID = r[f.Name], id
			return dup
		}
	}
	return dup
}
