package postgres

// Record reads by ID and by field value (records.Store.Get, records.Tx Get and Find).
// Store.Get reads through the pool and sees the last commit; the Tx methods read inside
// their transaction and see its own writes. IDs go as one text[] parameter (= ANY($1)),
// so a statement's text depends only on the fields read and pgx keeps it prepared.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// querier is what reads run on: the pool (*sql.DB) or a transaction (*sql.Tx).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Get reads records of org by ID, live or soft-deleted, with only fields (every field of
// obj when nil). The result follows the order of ids; IDs not found are absent.
func (db *DB) Get(ctx context.Context, orgID sfid.ID, obj *schema.Object, ids []sfid.ID, fields []string) ([]records.Record, error) {
	return getRecords(ctx, db.sql, orgID, obj, ids, fields)
}

// Get is DB.Get inside the transaction.
func (t *recordsTx) Get(ctx context.Context, obj *schema.Object, ids []sfid.ID, fields []string) ([]records.Record, error) {
	var out []records.Record
	err := t.guard(ctx, func() error {
		var err error
		out, err = getRecords(ctx, t.w.tx, t.org, obj, ids, fields)
		return err
	}, nil)
	return out, err
}

// Find returns the IDs of org's live records whose field equals value (text ignoring
// case, as SOQL's =), in ID order. A nil value matches nothing.
func (t *recordsTx) Find(ctx context.Context, obj *schema.Object, field string, value any) ([]sfid.ID, error) {
	f, ok := obj.Field(field)
	if !ok {
		return nil, fmt.Errorf("postgres: find %s: no field %s", obj.Name, field)
	}
	if value == nil {
		return nil, nil
	}
	v, err := toSQL(f, value)
	if err != nil {
		return nil, err
	}
	var ids []sfid.ID
	err = t.guard(ctx, func() error {
		var err error
		if obj.Setup {
			ids, err = queryIDs(ctx, t.w.tx, "SELECT \"Id\" FROM "+quoteIdent(recordTable(t.org, obj))+
				" WHERE "+findCond(f, 1)+" AND _org = $2 ORDER BY \"Id\"", v, string(t.org))
		} else {
			ids, err = findIDs(ctx, t.w.tx, recordTable(t.org, obj), f, v)
		}
		return err
	}, func(err error) error { return wrapTableErr(obj, "find", err) })
	return ids, err
}

// findCond is the condition f = $n, on lower() for a caseless field (its index's key).
func findCond(f *schema.Field, n int) string {
	p := fmt.Sprintf("$%d", n)
	if caseless(f) {
		return colKey(f) + " = lower(" + p + "::text)"
	}
	return colKey(f) + " = " + p
}

// findIDs returns the IDs of table's live rows where f = v.
func findIDs(ctx context.Context, q querier, table string, f *schema.Field, v any) ([]sfid.ID, error) {
	return queryIDs(ctx, q, "SELECT \"Id\" FROM "+quoteIdent(table)+" WHERE "+findCond(f, 1)+
		` AND NOT "IsDeleted" ORDER BY "Id"`, v)
}

func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]sfid.ID, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []sfid.ID
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, sfid.ID(id))
	}
	return ids, rows.Err()
}

// existing returns which of ids table holds, deleted or not.
func existing(ctx context.Context, q querier, table string, ids []sfid.ID) (map[sfid.ID]bool, error) {
	got, err := queryIDs(ctx, q, "SELECT \"Id\" FROM "+quoteIdent(table)+` WHERE "Id" = ANY($1)`, idArray(ids))
	if err != nil {
		return nil, err
	}
	found := make(map[sfid.ID]bool, len(got))
	for _, id := range got {
		found[id] = true
	}
	return found, nil
}

// getRecords reads ids of obj through q.
func getRecords(ctx context.Context, q querier, orgID sfid.ID, obj *schema.Object, ids []sfid.ID, names []string) ([]records.Record, error) {
	var fields []*schema.Field
	if names == nil {
		for i := range obj.Fields {
			if !obj.Fields[i].Compound() {
				fields = append(fields, &obj.Fields[i])
			}
		}
	} else {
		for _, n := range names {
			f, ok := obj.Field(n)
			if !ok {
				return nil, fmt.Errorf("postgres: get %s: no field %s", obj.Name, n)
			}
			if f.Compound() {
				return nil, fmt.Errorf("postgres: get %s: %s is compound: read its parts", obj.Name, n)
			}
			fields = append(fields, f)
		}
	}
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	// Id first, to put the rows in the order of ids, then the fields asked for.
	var b strings.Builder
	b.WriteString(`SELECT "Id"`)
	for _, f := range fields {
		b.WriteString(", " + quoteIdent(f.Name))
	}
	b.WriteString(" FROM " + quoteIdent(recordTable(orgID, obj)) + " WHERE ")
	var args []any
	// Rows keyed by a sequence number are looked up by it (the table's primary key); an
	// ID that is not one of this backend's cannot be found.
	if prefix, bySeq := setupSeqPrefix(obj); bySeq {
		var seqs []int64
		for _, id := range ids {
			if n, ok := seqOf(id, prefix); ok {
				seqs = append(seqs, n)
			}
		}
		if len(seqs) == 0 {
			// Still ask the database, so that a view not synced yet is ErrUnknownObject.
			seqs = []int64{}
		}
		b.WriteString("_org = $1 AND _seq = ANY($2)")
		args = []any{string(orgID), seqs}
	} else if obj.Setup {
		b.WriteString(`_org = $1 AND "Id" = ANY($2)`)
		args = []any{string(orgID), idArray(ids)}
	} else {
		b.WriteString(`"Id" = ANY($1)`)
		args = []any{idArray(ids)}
	}
	rows, err := q.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, wrapTableErr(obj, "get", err)
	}
	defer rows.Close()
	byID := make(map[sfid.ID]records.Record, len(ids))
	vals := make([]any, len(fields)+1)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("postgres: get %s: %w", obj.Name, err)
		}
		id, _ := vals[0].(string)
		rec := make(records.Record, len(fields))
		for i, f := range fields {
			rec[f.Name] = fromSQL(f, vals[i+1])
		}
		byID[sfid.ID(id)] = rec
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: get %s: %w", obj.Name, err)
	}
	out := make([]records.Record, 0, len(byID))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}
