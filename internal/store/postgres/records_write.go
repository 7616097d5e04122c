package postgres

// Record writes (records.Store.Write and records.Tx), in one PostgreSQL transaction
// (db.write: retried from the start on a deadlock or serialization failure).
//
// Savepoints. A statement that fails aborts a PostgreSQL transaction: every later
// statement fails until it rolls back (PostgreSQL docs, SAVEPOINT). SQLite lets a
// transaction go on after a failed statement, and callers rely on it (a duplicate in
// one record of a /composite request, then the next record). So every records.Tx
// operation that can fail in the database runs inside a savepoint (guard): a failure
// undoes the operation alone and leaves the transaction usable, as in SQLite. IDs are
// allocated before the savepoint, so that a rolled-back operation never rewinds the
// allocator (the numbers are skipped, as SQLite skips them).
//
// Inserts. Insert writes its records with one INSERT … SELECT FROM unnest($1, $2, …): one
// array parameter per column, whatever the number of rows, so the statement's text
// depends only on the columns set and pgx prepares it once per connection and column set
// (its statement cache); a Bulk API chunk of 10,000 records is a few statements, not
// 10,000, and never meets PostgreSQL's 65,535-parameter limit.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// maxInsertRows bounds the rows of one INSERT (its arrays): large enough that a chunk
// costs one round trip, small enough to bound the memory of one statement.
const maxInsertRows = 5000

// Write runs fn in one write transaction of org: everything fn did is committed when it
// returns nil, nothing when it returns an error (or panics). A transaction PostgreSQL
// aborts for a deadlock is run again, so fn may run more than once.
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

// guard runs fn in a savepoint. When fn fails, the savepoint is rolled back (the
// transaction is usable again) and onErr, if not nil, maps fn's error, free to read
// through the transaction.
func (t *recordsTx) guard(ctx context.Context, fn func() error, onErr func(error) error) error {
	if _, err := t.w.tx.ExecContext(ctx, "SAVEPOINT records_op"); err != nil {
		return fmt.Errorf("postgres: savepoint: %w", err)
	}
	err := fn()
	if err == nil {
		if _, err := t.w.tx.ExecContext(ctx, "RELEASE SAVEPOINT records_op"); err != nil {
			return fmt.Errorf("postgres: release savepoint: %w", err)
		}
		return nil
	}
	if _, rerr := t.w.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT records_op"); rerr != nil {
		return errors.Join(err, rerr)
	}
	if _, rerr := t.w.tx.ExecContext(ctx, "RELEASE SAVEPOINT records_op"); rerr != nil {
		return errors.Join(err, rerr)
	}
	if onErr != nil {
		return onErr(err)
	}
	return err
}

// writable rejects Setup objects, which the data API only reads.
func writable(obj *schema.Object) error {
	if obj.Setup {
		return fmt.Errorf("postgres: %s is a Setup object: its rows are read-only here", obj.Name)
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
				return nil, fmt.Errorf("postgres: %s has no field %s", obj.Name, k)
			}
			if f.Name != k {
				return nil, fmt.Errorf("postgres: %s field %s: want the canonical name %s", obj.Name, k, f.Name)
			}
			if strings.EqualFold(k, "Id") {
				return nil, fmt.Errorf("postgres: %s: a record's Id is the store's, not a field to set", obj.Name)
			}
			if f.Compound() {
				return nil, fmt.Errorf("postgres: %s field %s: a compound field is written through its parts", obj.Name, k)
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

// Insert stores recs with new IDs of obj.KeyPrefix (see the file comment). Fields absent
// from a record are NULL, IsDeleted false. A failed Insert leaves nothing behind, so the
// caller may go on with the transaction.
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
	isDeleted, _ := obj.Field("IsDeleted")
	if isDeleted == nil {
		isDeleted = &schema.Field{Name: "IsDeleted", Type: schema.TypeBoolean}
	}
	// Every value converted up front: a value of the wrong form fails before any SQL.
	cols := make([]arrayColumn, len(fields)+2)
	cols[0] = newArrayColumn(&schema.Field{Name: "Id", Type: schema.TypeID}, len(recs))
	for i, f := range fields {
		cols[i+1] = newArrayColumn(f, len(recs))
	}
	cols[len(cols)-1] = newArrayColumn(isDeleted, len(recs))
	for _, r := range recs {
		cols[0].add(nil) // the IDs, set below
		for i, f := range fields {
			if err := cols[i+1].add(r[f.Name]); err != nil {
				return nil, err
			}
		}
		del := r["IsDeleted"]
		if del == nil {
			del = false
		}
		if err := cols[len(cols)-1].add(del); err != nil {
			return nil, err
		}
	}
	first, err := t.w.ids.take(ctx, obj.KeyPrefix, len(recs))
	if err != nil {
		return nil, err
	}
	ids := make([]sfid.ID, len(recs))
	idCol := cols[0].vals.([]*string)
	for i := range ids {
		ids[i] = newID(obj.KeyPrefix, first+uint64(i))
		s := string(ids[i])
		idCol[i] = &s
	}

	table := recordTable(t.org, obj)
	var names, types []string
	for _, c := range cols {
		names = append(names, quoteIdent(c.field.Name))
		types = append(types, "$"+fmt.Sprint(len(types)+1)+"::"+c.sqlType+"[]")
	}
	q := "INSERT INTO " + quoteIdent(table) + " (" + strings.Join(names, ", ") + ") SELECT * FROM unnest(" +
		strings.Join(types, ", ") + ")"
	var start, end int
	err = t.guard(ctx, func() error {
		for start = 0; start < len(recs); start += maxInsertRows {
			end = min(start+maxInsertRows, len(recs))
			args := make([]any, len(cols))
			for i, c := range cols {
				args[i] = c.slice(start, end)
			}
			if _, err := t.w.tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	}, func(err error) error {
		return t.writeErr(ctx, obj, "insert", err, recs, start, end, ids)
	})
	if err != nil {
		return nil, err
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
	if len(fields) == 0 {
		var ids map[sfid.ID]bool
		err := t.guard(ctx, func() error {
			var err error
			ids, err = existing(ctx, t.w.tx, table, []sfid.ID{id})
			return err
		}, func(err error) error { return wrapTableErr(obj, "update", err) })
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return fmt.Errorf("postgres: update %s %s: %w", obj.Name, id, store.ErrNotFound)
		}
		return nil
	}
	sets := make([]string, len(fields))
	args := make([]any, 0, len(fields)+1)
	for i, f := range fields {
		sets[i] = quoteIdent(f.Name) + " = $" + fmt.Sprint(i+1)
		v := changes[f.Name]
		if f.Name == "IsDeleted" && v == nil {
			v = false
		}
		sv, err := toSQL(f, v)
		if err != nil {
			return err
		}
		args = append(args, sv)
	}
	args = append(args, string(id))
	q := "UPDATE " + quoteIdent(table) + " SET " + strings.Join(sets, ", ") + ` WHERE "Id" = $` + fmt.Sprint(len(args))
	var n int64
	err = t.guard(ctx, func() error {
		res, err := t.w.tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		if del, ok := changes["IsDeleted"]; ok && del != true {
			return t.unlogDelete(ctx, id) // undeleted: no longer in the delete log
		}
		return nil
	}, func(err error) error {
		// Undeleting (or changing another field) can break a unique field that changes
		// does not name: the value in question is the stored one.
		rec := changes
		if f, ok := uniqueField(obj, t.org, err); ok {
			if _, named := changes[f.Name]; !named {
				if stored, gerr := getRecords(ctx, t.w.tx, t.org, obj, []sfid.ID{id}, []string{f.Name}); gerr == nil && len(stored) == 1 {
					rec = stored[0]
				}
			}
		}
		return t.writeErr(ctx, obj, "update", err, []records.Record{rec}, 0, 1, []sfid.ID{id})
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("postgres: update %s %s: %w", obj.Name, id, store.ErrNotFound)
	}
	return nil
}

// Delete soft-deletes ids ("IsDeleted" = true; deleting a deleted record again is no
// error) and logs each live one as deleted at at (replication.go). If any id is unknown
// nothing is deleted and the error wraps store.ErrNotFound.
func (t *recordsTx) Delete(ctx context.Context, obj *schema.Object, ids []sfid.ID, at time.Time) error {
	if err := writable(obj); err != nil {
		return err
	}
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return nil
	}
	table := recordTable(t.org, obj)
	var missing sfid.ID
	err := t.guard(ctx, func() error {
		found, err := existing(ctx, t.w.tx, table, ids)
		if err != nil {
			return err
		}
		if len(found) != len(ids) {
			for _, id := range ids {
				if !found[id] {
					missing = id
					return nil
				}
			}
		}
		if err := t.logDeletes(ctx, obj, ids, at, false); err != nil {
			return err
		}
		_, err = t.w.tx.ExecContext(ctx, "UPDATE "+quoteIdent(table)+` SET "IsDeleted" = true WHERE "Id" = ANY($1)`, idArray(ids))
		return err
	}, func(err error) error { return wrapTableErr(obj, "delete", err) })
	if err != nil {
		return err
	}
	if missing != "" {
		return fmt.Errorf("postgres: delete %s %s: %w", obj.Name, missing, store.ErrNotFound)
	}
	return nil
}

// Purge removes records for good (records.Tx.Purge, the Bulk API's hardDelete), keeping
// their delete log entries (a record purged without a soft delete first gets one at at).
func (t *recordsTx) Purge(ctx context.Context, obj *schema.Object, ids []sfid.ID, at time.Time) error {
	if err := writable(obj); err != nil {
		return err
	}
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return nil
	}
	table := recordTable(t.org, obj)
	return t.guard(ctx, func() error {
		if err := t.logDeletes(ctx, obj, ids, at, true); err != nil {
			return err
		}
		_, err := t.w.tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(table)+` WHERE "Id" = ANY($1)`, idArray(ids))
		return err
	}, func(err error) error { return wrapTableErr(obj, "purge", err) })
}
