package sqlite

// Record reads by ID and by field value (records.Store.Get, records.Tx Get and Find).
// Store.Get reads through the read pool, so it runs beside the writer and sees the last
// commit; the Tx methods read inside their transaction and see its own writes.

import (
	"context"
	"fmt"
	"strings"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// maxReadIDs bounds the IDs of one SELECT … WHERE Id IN (…).
const maxReadIDs = 500

// Get reads records of org by ID, live or soft-deleted, with only fields (every field of
// obj when nil). The result follows the order of ids; IDs not found are absent.
func (db *DB) Get(ctx context.Context, orgID sfid.ID, obj *schema.Object, ids []sfid.ID, fields []string) ([]records.Record, error) {
	return getRecords(ctx, db.rc, orgID, obj, ids, fields)
}

// Get is DB.Get inside the transaction.
func (t *recordsTx) Get(ctx context.Context, obj *schema.Object, ids []sfid.ID, fields []string) ([]records.Record, error) {
	return getRecords(ctx, t.w.tx, t.org, obj, ids, fields)
}

// Find returns the IDs of org's live records whose field equals value (text ignoring
// case, as SOQL's =), in ID order. A nil value matches nothing.
func (t *recordsTx) Find(ctx context.Context, obj *schema.Object, field string, value any) ([]sfid.ID, error) {
	f, ok := obj.Field(field)
	if !ok {
		return nil, fmt.Errorf("sqlite: find %s: no field %s", obj.Name, field)
	}
	if value == nil {
		return nil, nil
	}
	var ids []sfid.ID
	var err error
	if obj.Setup {
		ids, err = findSetupIDs(ctx, t, obj, f, toSQL(value))
	} else {
		ids, err = findIDs(ctx, t.w.tx, recordTable(t.org, obj), f, toSQL(value))
	}
	if err != nil {
		return nil, wrapTableErr(obj, "find", err)
	}
	return ids, nil
}

// findIDs returns the IDs of table's live rows where f = v.
func findIDs(ctx context.Context, q querier, table string, f *schema.Field, v any) ([]sfid.ID, error) {
	query := "SELECT Id FROM " + quoteIdent(table) + " WHERE " + quoteIdent(f.Name) + " = ? AND IsDeleted = 0"
	return queryIDs(ctx, q, query+" ORDER BY Id", v)
}

func findSetupIDs(ctx context.Context, t *recordsTx, obj *schema.Object, f *schema.Field, v any) ([]sfid.ID, error) {
	query := "SELECT Id FROM " + quoteIdent(recordTable(t.org, obj)) + " WHERE " + quoteIdent(f.Name) + " = ? AND _org = ?"
	return queryIDs(ctx, t.w.tx, query+" ORDER BY Id", v, string(t.org))
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

// existing returns which of ids (at most a few thousand) table holds, deleted or not.
func existing(ctx context.Context, q querier, table string, ids []sfid.ID) (map[sfid.ID]bool, error) {
	found := make(map[sfid.ID]bool, len(ids))
	for start := 0; start < len(ids); start += maxReadIDs {
		chunk := ids[start:min(start+maxReadIDs, len(ids))]
		got, err := queryIDs(ctx, q, "SELECT Id FROM "+quoteIdent(table)+" WHERE Id IN ("+placeholders(len(chunk))+")", idArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		for _, id := range got {
			found[id] = true
		}
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
				return nil, fmt.Errorf("sqlite: get %s: no field %s", obj.Name, n)
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
	b.WriteString("SELECT Id")
	for _, f := range fields {
		b.WriteString(", " + quoteIdent(f.Name))
	}
	b.WriteString(" FROM " + quoteIdent(recordTable(orgID, obj)) + " WHERE ")
	if obj.Setup {
		b.WriteString("_org = ? AND ")
	}
	// Rows keyed by a sequence number are looked up by it; an ID that is not one of
	// this backend's cannot be found.
	prefix, bySeq := setupSeqPrefix(obj)
	if bySeq {
		b.WriteString("_seq IN (")
	} else {
		b.WriteString("Id IN (")
	}
	head := b.String()

	byID := make(map[sfid.ID]records.Record, len(ids))
	vals := make([]any, len(fields)+1)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for start := 0; start < len(ids); start += maxReadIDs {
		chunk := ids[start:min(start+maxReadIDs, len(ids))]
		args := idArgs(chunk)
		if bySeq {
			args = args[:0]
			for _, id := range chunk {
				if n, ok := seqOf(id, prefix); ok {
					args = append(args, n)
				}
			}
			if len(args) == 0 {
				continue
			}
		}
		n := len(args)
		if obj.Setup {
			args = append([]any{string(orgID)}, args...)
		}
		rows, err := q.QueryContext(ctx, head+placeholders(n)+")", args...)
		if err != nil {
			return nil, wrapTableErr(obj, "get", err)
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: get %s: %w", obj.Name, err)
			}
			id, _ := vals[0].(string)
			rec := make(records.Record, len(fields))
			for i, f := range fields {
				rec[f.Name] = fromSQL(f, vals[i+1])
			}
			byID[sfid.ID(id)] = rec
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("sqlite: get %s: %w", obj.Name, err)
		}
	}
	out := make([]records.Record, 0, len(byID))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// uniqueIDs returns ids without repeats (and without empty IDs), in order.
func uniqueIDs(ids []sfid.ID) []sfid.ID {
	seen := make(map[sfid.ID]bool, len(ids))
	out := make([]sfid.ID, 0, len(ids))
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// placeholders is "?, ?, …, ?" with n marks.
func placeholders(n int) string {
	return strings.Repeat("?, ", n-1) + "?"
}

// idArgs converts IDs to statement arguments.
func idArgs(ids []sfid.ID) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = string(id)
	}
	return args
}
