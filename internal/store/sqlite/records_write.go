package sqlite

// Record writes (records.Store.Write and records.Tx): they run in the single writer's
// transaction (db.write), so they share its lock and its ID allocator with every other
// write of the database.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/sosl"
	"github.com/forcefield/forcefield/internal/store"
)

// maxParams bounds the parameters of one statement (SQLite allows 32,766).
const maxParams = 32000

// maxInsertRows bounds the rows of one multi-row INSERT.
const maxInsertRows = 500

// Write runs fn in one write transaction of org: everything fn did is committed when it
// returns nil, nothing when it returns an error (or panics).
func (db *DB) Write(ctx context.Context, orgID sfid.ID, fn func(records.Tx) error) error {
	return db.write(ctx, func(w *wtx) error {
		return fn(&recordsTx{w: w, org: orgID})
	})
}

// recordsTx is records.Tx on a write transaction.
type recordsTx struct {
	w   *wtx
	org sfid.ID
}

// writable rejects Setup objects, which the data API only reads.
func writable(obj *schema.Object) error {
	if obj.Setup {
		return fmt.Errorf("sqlite: %s is a Setup object: its rows are read-only here", obj.Name)
	}
	return nil
}

// recordFields resolves the keys of recs to obj's fields, in field order: the columns an
// INSERT of recs sets. Id (allocated here) and IsDeleted (always set) are left out.
func recordFields(obj *schema.Object, recs []records.Record) ([]*schema.Field, error) {
	seen := map[string]bool{}
	for _, r := range recs {
		for k := range r {
			if seen[k] {
				continue
			}
			f, ok := obj.Field(k)
			if !ok {
				return nil, fmt.Errorf("sqlite: %s has no field %s", obj.Name, k)
			}
			if f.Name != k {
				return nil, fmt.Errorf("sqlite: %s field %s: want the canonical name %s", obj.Name, k, f.Name)
			}
			if strings.EqualFold(k, "Id") {
				return nil, fmt.Errorf("sqlite: %s: a record's Id is the store's, not a field to set", obj.Name)
			}
			seen[k] = true
		}
	}
	var out []*schema.Field
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if seen[f.Name] && !strings.EqualFold(f.Name, "IsDeleted") {
			out = append(out, f)
		}
	}
	return out, nil
}

// Insert stores recs with new IDs of obj.KeyPrefix, through multi-row INSERTs. Fields
// absent from a record are NULL, IsDeleted false. A failed Insert leaves nothing behind
// (it runs in a savepoint), so the caller may go on with the transaction.
func (t *recordsTx) Insert(ctx context.Context, obj *schema.Object, recs []records.Record) ([]sfid.ID, error) {
	if err := writable(obj); err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, nil
	}
	fields, err := recordFields(obj, recs)
	if err != nil {
		return nil, err
	}
	first, err := t.w.ids.take(ctx, obj.KeyPrefix, len(recs))
	if err != nil {
		return nil, err
	}
	ids := make([]sfid.ID, len(recs))
	for i := range ids {
		ids[i] = newID(obj.KeyPrefix, first+uint64(i))
	}

	table := recordTable(t.org, obj)
	t.w.touch(t.org, table, ids)
	cols := len(fields) + 2
	var head strings.Builder
	head.WriteString("INSERT INTO " + quoteIdent(table) + " (Id")
	for _, f := range fields {
		head.WriteString(", " + quoteIdent(f.Name))
	}
	head.WriteString(", IsDeleted) VALUES ")
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	per := min(maxInsertRows, maxParams/cols)

	multi := len(recs) > per || sosl.SearchableObject(obj) // the index entries too, or nothing
	if multi {
		if err := t.savepoint(ctx); err != nil {
			return nil, err
		}
	}
	args := make([]any, 0, min(len(recs), per)*cols)
	// Parsing and planning a statement of hundreds of rows costs about as much as running
	// it, so the full-size statement is prepared once for all the full chunks of recs (a
	// bulk ingest chunk holds thousands of records); a shorter last chunk runs unprepared.
	var full *sql.Stmt
	if len(recs) >= 2*per {
		st, err := t.w.tx.PrepareContext(ctx, head.String()+strings.Repeat(row+", ", per-1)+row)
		if err != nil {
			return nil, errors.Join(wrapTableErr(obj, "insert", err), t.rollbackTo(ctx))
		}
		defer st.Close()
		full = st
	}
	for start := 0; start < len(recs); start += per {
		end := min(start+per, len(recs))
		args = args[:0]
		for i, r := range recs[start:end] {
			args = append(args, string(ids[start+i]))
			for _, f := range fields {
				args = append(args, toSQL(r[f.Name]))
			}
			del := toSQL(r["IsDeleted"])
			if del == nil {
				del = int64(0)
			}
			args = append(args, del)
		}
		var err error
		if full != nil && end-start == per {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = t.w.tx.ExecContext(ctx, head.String()+strings.Repeat(row+", ", end-start-1)+row, args...)
		}
		if err != nil {
			err = t.writeErr(ctx, obj, "insert", err, recs, start, end, ids)
			if multi {
				err = errors.Join(err, t.rollbackTo(ctx))
			}
			return nil, err
		}
	}
	if err := t.indexInserted(ctx, obj, ids, recs); err != nil {
		return nil, errors.Join(err, t.rollbackTo(ctx))
	}
	if multi {
		if err := t.release(ctx); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// Update sets the fields of changes on record id (live or deleted: setting IsDeleted
// false undeletes). An unknown id is an error wrapping store.ErrNotFound.
func (t *recordsTx) Update(ctx context.Context, obj *schema.Object, id sfid.ID, changes records.Record) error {
	if err := writable(obj); err != nil {
		return err
	}
	fields, err := recordFields(obj, []records.Record{changes})
	if err != nil {
		return err
	}
	if _, del := changes["IsDeleted"]; del {
		f, _ := obj.Field("IsDeleted")
		fields = append(fields, f)
	}
	table := recordTable(t.org, obj)
	t.w.touch(t.org, table, []sfid.ID{id})
	if len(fields) == 0 {
		ids, err := existing(ctx, t.w.tx, table, []sfid.ID{id})
		if err != nil {
			return wrapTableErr(obj, "update", err)
		}
		if len(ids) == 0 {
			return fmt.Errorf("sqlite: update %s %s: %w", obj.Name, id, store.ErrNotFound)
		}
		return nil
	}
	sets := make([]string, len(fields))
	args := make([]any, 0, len(fields)+1)
	for i, f := range fields {
		sets[i] = quoteIdent(f.Name) + " = ?"
		v := toSQL(changes[f.Name])
		if f.Name == "IsDeleted" && v == nil {
			v = int64(0)
		}
		args = append(args, v)
	}
	args = append(args, string(id))
	res, err := t.w.tx.ExecContext(ctx, "UPDATE "+quoteIdent(table)+" SET "+strings.Join(sets, ", ")+" WHERE Id = ?", args...)
	if err != nil {
		// Undeleting (or changing another field) can break a unique field that changes
		// does not name: the value in question is the stored one.
		rec := changes
		if f, ok := uniqueField(obj, err); ok {
			if _, named := changes[f.Name]; !named {
				if stored, gerr := getRecords(ctx, t.w.tx, t.org, obj, []sfid.ID{id}, []string{f.Name}); gerr == nil && len(stored) == 1 {
					rec = stored[0]
				}
			}
		}
		return t.writeErr(ctx, obj, "update", err, []records.Record{rec}, 0, 1, []sfid.ID{id})
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: update %s %s: %w", obj.Name, id, err)
	} else if n == 0 {
		return fmt.Errorf("sqlite: update %s %s: %w", obj.Name, id, store.ErrNotFound)
	}
	if del, ok := changes["IsDeleted"]; ok && del != true {
		if err := t.unlogDelete(ctx, id); err != nil { // undeleted: no longer in the delete log
			return err
		}
	}
	if touchesSearch(obj, changes) {
		return reindexRecord(ctx, t.w.tx, t.org, obj, id)
	}
	return nil
}

// Delete soft-deletes ids (IsDeleted = 1; deleting a deleted record again is no error)
// and logs each live one as deleted at at (replication.go). If any id is unknown nothing
// is deleted and the error wraps store.ErrNotFound.
func (t *recordsTx) Delete(ctx context.Context, obj *schema.Object, ids []sfid.ID, at time.Time) error {
	if err := writable(obj); err != nil {
		return err
	}
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return nil
	}
	table := recordTable(t.org, obj)
	t.w.touch(t.org, table, ids)
	found, err := existing(ctx, t.w.tx, table, ids)
	if err != nil {
		return wrapTableErr(obj, "delete", err)
	}
	if len(found) != len(ids) {
		for _, id := range ids {
			if !found[id] {
				return fmt.Errorf("sqlite: delete %s %s: %w", obj.Name, id, store.ErrNotFound)
			}
		}
	}
	if err := t.logDeletes(ctx, obj, ids, at, false); err != nil {
		return err
	}
	for start := 0; start < len(ids); start += maxInsertRows {
		chunk := ids[start:min(start+maxInsertRows, len(ids))]
		q := "UPDATE " + quoteIdent(table) + " SET IsDeleted = 1 WHERE Id IN (" + placeholders(len(chunk)) + ")"
		if _, err := t.w.tx.ExecContext(ctx, q, idArgs(chunk)...); err != nil {
			return fmt.Errorf("sqlite: delete %s: %w", obj.Name, err)
		}
	}
	if sosl.SearchableObject(obj) {
		return unindexRecords(ctx, t.w.tx, t.org, obj, ids)
	}
	return nil
}

// savepoint, release and rollbackTo bracket a multi-statement write so that its failure
// undoes only itself.
func (t *recordsTx) savepoint(ctx context.Context) error {
	_, err := t.w.tx.ExecContext(ctx, "SAVEPOINT records_write")
	return err
}

func (t *recordsTx) release(ctx context.Context) error {
	_, err := t.w.tx.ExecContext(ctx, "RELEASE records_write")
	return err
}

func (t *recordsTx) rollbackTo(ctx context.Context) error {
	if _, err := t.w.tx.ExecContext(ctx, "ROLLBACK TO records_write"); err != nil {
		return err
	}
	return t.release(ctx)
}

// Purge removes records for good (records.Tx.Purge, the Bulk API's hardDelete), keeping
// their delete log entries (a record purged without a soft delete first gets one at at).
func (t *recordsTx) Purge(ctx context.Context, obj *schema.Object, ids []sfid.ID, at time.Time) error {
	if err := writable(obj); err != nil {
		return err
	}
	ids = uniqueIDs(ids)
	if err := t.logDeletes(ctx, obj, ids, at, true); err != nil {
		return err
	}
	table := recordTable(t.org, obj)
	t.w.touch(t.org, table, ids)
	for start := 0; start < len(ids); start += maxInsertRows {
		chunk := ids[start:min(start+maxInsertRows, len(ids))]
		q := "DELETE FROM " + quoteIdent(table) + " WHERE Id IN (" + placeholders(len(chunk)) + ")"
		if _, err := t.w.tx.ExecContext(ctx, q, idArgs(chunk)...); err != nil {
			return wrapTableErr(obj, "purge", err)
		}
	}
	if sosl.SearchableObject(obj) {
		return unindexRecords(ctx, t.w.tx, t.org, obj, ids)
	}
	return nil
}
