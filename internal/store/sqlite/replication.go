package sqlite

// getUpdated, getDeleted and recently viewed records (records.Replication, records.Recent;
// tables in migrations/0008_replication.sql).
//
// Updated is a range scan of the index on (SystemModstamp, Id, IsDeleted, OwnerId) that
// Sync keeps on every data table (records_sync.go): the rows come in index order and the
// index holds every column read, so it neither sorts nor reads the table. Deleted is a range scan of
// deleted_records_window. Both read through the read pool.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// modstampField is the field getUpdated filters on: SystemModstamp, else LastModifiedDate
// (Salesforce, getUpdated(): "SystemModstamp … or LastModifiedDate").
func modstampField(obj *schema.Object) (*schema.Field, bool) {
	for _, name := range []string{"SystemModstamp", "LastModifiedDate"} {
		if f, ok := obj.Field(name); ok && f.Type == schema.TypeDateTime {
			return f, true
		}
	}
	return nil, false
}

// Updated implements records.Replication. Setup objects are read through their views
// (records_setup.go), whose SystemModstamp is the Setup row's updated_at: a scan of the
// org's rows, which are few.
func (db *DB) Updated(ctx context.Context, orgID sfid.ID, obj *schema.Object, w records.ChangeWindow) ([]sfid.ID, error) {
	f, ok := modstampField(obj)
	if !ok {
		return nil, fmt.Errorf("sqlite: updated %s: %w", obj.Name, records.ErrUnknownObject)
	}
	col := quoteIdent(f.Name)
	q := "SELECT Id FROM " + quoteIdent(recordTable(orgID, obj)) + " WHERE " + col + " >= ? AND " + col + " < ?"
	args := []any{w.Start.UnixMilli(), w.End.UnixMilli()}
	if obj.Setup {
		if _, ok := setupViewSQL(obj); !ok {
			return nil, fmt.Errorf("sqlite: updated %s: %w", obj.Name, records.ErrUnknownObject)
		}
		q += " AND _org = ?"
		args = append(args, string(orgID))
	} else {
		q += " AND IsDeleted = 0"
		if w.OwnerID != "" {
			if _, has := obj.Field("OwnerId"); has {
				q += " AND OwnerId = ?"
				args = append(args, string(w.OwnerID))
			}
		}
	}
	q += " ORDER BY " + col + ", Id LIMIT ?"
	args = append(args, max(w.Limit, 0))
	ids, err := queryIDs(ctx, db.rc, q, args...)
	if err != nil {
		return nil, wrapTableErr(obj, "updated", err)
	}
	return ids, nil
}

// Deleted implements records.Replication.
func (db *DB) Deleted(ctx context.Context, orgID sfid.ID, obj *schema.Object, w records.ChangeWindow) ([]records.DeletedRecord, error) {
	if obj.Setup {
		return nil, nil // Setup rows (users, profiles, permission sets, orgs) are never deleted
	}
	q := "SELECT record_id, deleted_at FROM deleted_records WHERE org_id = ? AND object = ? AND deleted_at >= ? AND deleted_at < ?"
	args := []any{string(orgID), obj.Name, w.Start.UnixMilli(), w.End.UnixMilli()}
	if w.OwnerID != "" {
		if _, has := obj.Field("OwnerId"); has {
			q += " AND owner_id = ?"
			args = append(args, string(w.OwnerID))
		}
	}
	q += " ORDER BY deleted_at, record_id LIMIT ?"
	args = append(args, max(w.Limit, 0))
	out, err := queryAll(ctx, db.rc, func(s scanner) (records.DeletedRecord, error) {
		var d records.DeletedRecord
		var ms int64
		err := s.Scan(&d.ID, &ms)
		d.DeletedDate = time.UnixMilli(ms).UTC()
		return d, err
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: deleted %s: %w", obj.Name, err)
	}
	return out, nil
}

// logDeletes writes the delete log entries of ids of obj at time at: of the live rows
// only, replacing any entry (a soft delete), or of every row that has none yet (a purge,
// whose record may have been soft-deleted, and logged, before).
func (t *recordsTx) logDeletes(ctx context.Context, obj *schema.Object, ids []sfid.ID, at time.Time, purge bool) error {
	owner := "NULL"
	if _, has := obj.Field("OwnerId"); has {
		owner = "OwnerId"
	}
	verb, cond := "INSERT OR REPLACE", " AND IsDeleted = 0"
	if purge {
		verb, cond = "INSERT OR IGNORE", ""
	}
	table := quoteIdent(recordTable(t.org, obj))
	for start := 0; start < len(ids); start += maxInsertRows {
		chunk := ids[start:min(start+maxInsertRows, len(ids))]
		q := verb + " INTO deleted_records (org_id, record_id, object, owner_id, deleted_at) SELECT ?, Id, ?, " +
			owner + ", ? FROM " + table + " WHERE Id IN (" + placeholders(len(chunk)) + ")" + cond
		args := append([]any{string(t.org), obj.Name, at.UnixMilli()}, idArgs(chunk)...)
		if _, err := t.w.tx.ExecContext(ctx, q, args...); err != nil {
			return wrapTableErr(obj, "log delete", err)
		}
	}
	return nil
}

// unlogDelete removes record id's delete log entry (it was undeleted).
func (t *recordsTx) unlogDelete(ctx context.Context, id sfid.ID) error {
	_, err := t.w.tx.ExecContext(ctx, "DELETE FROM deleted_records WHERE org_id = ? AND record_id = ?", string(t.org), string(id))
	if err != nil {
		return fmt.Errorf("sqlite: unlog delete %s: %w", id, err)
	}
	return nil
}

// MarkRecent implements records.Recent.
func (db *DB) MarkRecent(ctx context.Context, orgID, userID sfid.ID, obj *schema.Object, ids []sfid.ID, at time.Time, view bool) error {
	if len(ids) == 0 {
		return nil
	}
	return db.write(ctx, func(w *wtx) error { return markRecent(ctx, w.tx, orgID, userID, obj, ids, at, view) })
}

// MarkRecent implements records.RecentTx.
func (t *recordsTx) MarkRecent(ctx context.Context, userID sfid.ID, obj *schema.Object, ids []sfid.ID, at time.Time, view bool) error {
	return markRecent(ctx, t.w.tx, t.org, userID, obj, ids, at, view)
}

var _ records.RecentTx = (*recordsTx)(nil)

// markRecent upserts the recent_records rows of ids: times only move forward.
func markRecent(ctx context.Context, tx *sql.Tx, orgID, userID sfid.ID, obj *schema.Object, ids []sfid.ID, at time.Time, view bool) error {
	ids = uniqueIDs(ids)
	ms := at.UnixMilli()
	var viewed any
	if view {
		viewed = ms
	}
	// Per row: org, user, record, object, viewed_at, referenced_at, last_at.
	const cols = 7
	for start := 0; start < len(ids); start += maxParams / cols {
		chunk := ids[start:min(start+maxParams/cols, len(ids))]
		args := make([]any, 0, len(chunk)*cols)
		for _, id := range chunk {
			args = append(args, string(orgID), string(userID), string(id), obj.Name, viewed, ms, ms)
		}
		q := "INSERT INTO recent_records (org_id, user_id, record_id, object, viewed_at, referenced_at, last_at) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(chunk)), ", ") +
			` ON CONFLICT (org_id, user_id, record_id) DO UPDATE SET
				viewed_at = CASE WHEN excluded.viewed_at IS NULL THEN viewed_at ELSE max(coalesce(viewed_at, 0), excluded.viewed_at) END,
				referenced_at = max(referenced_at, excluded.referenced_at),
				last_at = max(last_at, excluded.last_at)`
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("sqlite: mark recent: %w", err)
		}
	}
	return nil
}

// Recent implements records.Recent.
func (db *DB) Recent(ctx context.Context, orgID, userID sfid.ID, obj *schema.Object, limit int) ([]records.RecentView, error) {
	q := "SELECT object, record_id, viewed_at, referenced_at FROM recent_records WHERE org_id = ? AND user_id = ?"
	args := []any{string(orgID), string(userID)}
	if obj != nil {
		q += " AND object = ?"
		args = append(args, obj.Name)
	}
	q += " ORDER BY last_at DESC, record_id DESC LIMIT ?"
	args = append(args, max(limit, 0))
	out, err := queryAll(ctx, db.rc, func(s scanner) (records.RecentView, error) {
		var v records.RecentView
		var viewed *int64
		var ref int64
		err := s.Scan(&v.Object, &v.ID, &viewed, &ref)
		if viewed != nil {
			v.Viewed = time.UnixMilli(*viewed).UTC()
		}
		v.Referenced = time.UnixMilli(ref).UTC()
		return v, err
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recent: %w", err)
	}
	return out, nil
}
