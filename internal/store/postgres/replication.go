package postgres

// getUpdated and getDeleted (records.Replication; the delete log is deleted_records,
// migrations/0004_records.sql), as SQLite's replication.go.
//
// Updated is a range scan of the index on ("SystemModstamp", "Id", "IsDeleted",
// "OwnerId") that Sync keeps on every data table (records_sync.go): rows come in index
// order and the index holds every column read, so PostgreSQL neither sorts nor, once the
// table is vacuumed, reads the heap (an index-only scan). Deleted is a range scan of
// deleted_records_window.

import (
	"context"
	"fmt"
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
		return nil, fmt.Errorf("postgres: updated %s: %w", obj.Name, records.ErrUnknownObject)
	}
	col := quoteIdent(f.Name)
	q := "SELECT \"Id\" FROM " + quoteIdent(recordTable(orgID, obj)) + " WHERE " + col + " >= $1 AND " + col + " < $2"
	args := []any{w.Start.UnixMilli(), w.End.UnixMilli()}
	if obj.Setup {
		if _, ok := setupViewSQL(obj); !ok {
			return nil, fmt.Errorf("postgres: updated %s: %w", obj.Name, records.ErrUnknownObject)
		}
		q += " AND _org = $3"
		args = append(args, string(orgID))
	} else {
		q += ` AND NOT "IsDeleted"`
		if w.OwnerID != "" {
			if _, has := obj.Field("OwnerId"); has {
				q += ` AND "OwnerId" = $3`
				args = append(args, string(w.OwnerID))
			}
		}
	}
	args = append(args, max(w.Limit, 0))
	q += " ORDER BY " + col + `, "Id" LIMIT $` + fmt.Sprint(len(args))
	ids, err := queryIDs(ctx, db.sql, q, args...)
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
	q := `SELECT record_id, deleted_at FROM deleted_records WHERE org_id = $1 AND lower(object) = lower($2)
		AND deleted_at >= $3 AND deleted_at < $4`
	args := []any{string(orgID), obj.Name, w.Start.UnixMilli(), w.End.UnixMilli()}
	if w.OwnerID != "" {
		if _, has := obj.Field("OwnerId"); has {
			q += " AND owner_id = $5"
			args = append(args, string(w.OwnerID))
		}
	}
	args = append(args, max(w.Limit, 0))
	q += " ORDER BY deleted_at, record_id LIMIT $" + fmt.Sprint(len(args))
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: deleted %s: %w", obj.Name, err)
	}
	defer rows.Close()
	var out []records.DeletedRecord
	for rows.Next() {
		var d records.DeletedRecord
		var ms int64
		if err := rows.Scan(&d.ID, &ms); err != nil {
			return nil, fmt.Errorf("postgres: deleted %s: %w", obj.Name, err)
		}
		d.DeletedDate = time.UnixMilli(ms).UTC()
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: deleted %s: %w", obj.Name, err)
	}
	return out, nil
}

// logDeletes writes the delete log entries of ids of obj at time at: of the live rows
// only, replacing any entry (a soft delete), or of every row that has none yet (a purge,
// whose record may have been soft-deleted, and logged, before).
func (t *recordsTx) logDeletes(ctx context.Context, obj *schema.Object, ids []sfid.ID, at time.Time, purge bool) error {
	owner := "NULL"
	if _, has := obj.Field("OwnerId"); has {
		owner = `"OwnerId"`
	}
	cond := ` AND NOT "IsDeleted"`
	conflict := " ON CONFLICT (org_id, record_id) DO UPDATE SET object = excluded.object, owner_id = excluded.owner_id, deleted_at = excluded.deleted_at"
	if purge {
		cond, conflict = "", " ON CONFLICT (org_id, record_id) DO NOTHING"
	}
	q := `INSERT INTO deleted_records (org_id, record_id, object, owner_id, deleted_at) SELECT $1, "Id", $2, ` +
		owner + ", $3 FROM " + quoteIdent(recordTable(t.org, obj)) + ` WHERE "Id" = ANY($4)` + cond + conflict
	if _, err := t.w.tx.ExecContext(ctx, q, string(t.org), obj.Name, at.UnixMilli(), idArray(ids)); err != nil {
		return err
	}
	return nil
}

// unlogDelete removes record id's delete log entry (it was undeleted).
func (t *recordsTx) unlogDelete(ctx context.Context, id sfid.ID) error {
	_, err := t.w.tx.ExecContext(ctx, "DELETE FROM deleted_records WHERE org_id = $1 AND record_id = $2", string(t.org), string(id))
	if err != nil {
		return fmt.Errorf("postgres: unlog delete %s: %w", id, err)
	}
	return nil
}
