package sqlite

// Snapshots of one org (store.Snapshots; issue 14 §3). A snapshot is a set of plain copy
// tables in the same database file, snap_<snapshot id>_<n>, made with CREATE TABLE … AS
// SELECT * (so every column is copied, whatever migrations added), and a catalog
// (snapshots, snapshot_tables: migration 0020) saying what each copy came from.
//
// What is copied (store.Snapshots names the choice):
//   - the org's rows of the Setup tables (snapshotSetupTables), selected by org;
//   - every table whose name starts with r_<org>_: the record tables (with their
//     indexes' CREATE statements), and the SOSL index. The FTS5 virtual tables are kept as
//     their CREATE statement only; their shadow tables (…__search_data, _idx, _docsize,
//     _config) are copied as they are, so a restore puts the index back without
//     tokenising a single record again.
//
// Restore (snapshots_restore.go) runs in one write transaction: readers (WAL) see the
// org before or after it, and writers wait for it on the single writer.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ store.Snapshots = (*DB)(nil)

// snapTable is one Setup table a snapshot copies: the rows where holds (its only
// parameter is arg's value: the org ID, or the org's record-table name pattern).
type snapTable struct {
	name  string
	where string
	arg   string // "org" or "prefix"
}

// snapshotSetupTables are the org-scoped Setup and bookkeeping tables a snapshot holds, in
// an order where each table's references come before it (a restore inserts in this order
// and deletes in the reverse). orgs is first and is updated in place, never deleted.
// Every other table of the schema is listed in snapshotSkipped with the reason.
var snapshotSetupTables = []snapTable{
	{"orgs", "id = ?", "org"},
	{"profiles", "org_id = ?", "org"},
	{"permission_sets", "org_id = ?", "org"},
	{"users", "org_id = ?", "org"},
	{"permission_set_assignments", "user_id IN (SELECT id FROM users WHERE org_id = ?)", "org"},
	{"connected_apps", "org_id = ?", "org"},
	{"credentials", "app_id IN (SELECT id FROM connected_apps WHERE org_id = ?)", "org"},
	{"login_lockouts", "user_id IN (SELECT id FROM users WHERE org_id = ?)", "org"},
	{"custom_objects", "org_id = ?", "org"},
	{"seeded_records", "org_id = ?", "org"},
	{"deleted_records", "org_id = ?", "org"},
	{"recent_records", "org_id = ?", "org"},
	{"listview_use", "org_id = ?", "org"},
	{"search_indexes", `tbl LIKE ? ESCAPE '\'`, "prefix"},
}

// snapshotSkipped are the tables a snapshot deliberately leaves out, and why. A table in
// neither list makes TestSnapshotTablesClassified fail: a new table must be classified.
var snapshotSkipped = map[string]string{
	"id_sequences":        "server-wide: an ID is never handed out twice, restore or not",
	"settings":            "server-wide",
	"schema_migrations":   "server-wide",
	"signing_keys":        "server-wide",
	"sessions":            "live state: kept or ended by the Setup service's rule",
	"refresh_tokens":      "live state: kept or ended with the sessions",
	"oauth_approvals":     "live state: kept or ended with the sessions",
	"oauth_codes":         "live state: one-time, minutes long",
	"oauth_auth_requests": "live state: minutes long",
	"login_history":       "history",
	"setup_audit_trail":   "history (a restore adds a row)",
	"bulk_jobs":           "history: jobs and their results stay",
	"bulk_batches":        "history",
	"bulk_parts":          "history",
	"bulk_claims":         "live state",
	"query_cursors":       "live state: a restore removes the org's cursors",
	"query_cursor_ids":    "live state",
	"snapshots":           "the snapshots themselves",
	"snapshot_tables":     "the snapshots themselves",
	"sqlite_sequence":     "SQLite's",
}

// orgTablePattern is the LIKE pattern (ESCAPE '\') of the org's record-table names.
func orgTablePattern(orgID sfid.ID) string {
	return `r\_` + strings.ToLower(orgID.String()) + `\_%`
}

// snapCopy is the name of copy n of snapshot id.
func snapCopy(id int64, n int) string { return fmt.Sprintf("snap_%d_%d", id, n) }

// snapEntry is one row of snapshot_tables.
type snapEntry struct {
	n    int
	tbl  string
	kind string // setup, record, shadow, vtable
	ddl  string
	idx  []string
	rows int
}

// schemaObject is one table of the org in sqlite_master.
type schemaObject struct {
	name, ddl string
	idx       []string
}

// fts5Shadows are the suffixes of an FTS5 table's shadow tables.
var fts5Shadows = []string{"_data", "_idx", "_content", "_docsize", "_config"}

// orgTables lists the org's record tables (and virtual tables and their shadows) with
// their CREATE statements and their indexes' (sorted), by name.
func orgTables(ctx context.Context, q querier, orgID sfid.ID) (tables []schemaObject, vtables map[string]bool, shadows map[string]bool, err error) {
	rows, err := q.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\' ORDER BY name`, orgTablePattern(orgID))
	if err != nil {
		return nil, nil, nil, err
	}
	byName := map[string]int{}
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.name, &o.ddl); err != nil {
			rows.Close()
			return nil, nil, nil, err
		}
		byName[o.name] = len(tables)
		tables = append(tables, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, nil, err
	}
	vtables, shadows = map[string]bool{}, map[string]bool{}
	for _, t := range tables {
		if strings.HasPrefix(strings.ToUpper(t.ddl), "CREATE VIRTUAL TABLE") {
			vtables[t.name] = true
			for _, s := range fts5Shadows {
				if _, ok := byName[t.name+s]; ok {
					shadows[t.name+s] = true
				}
			}
		}
	}
	irows, err := q.QueryContext(ctx, `SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name LIKE ? ESCAPE '\' ORDER BY tbl_name, name`, orgTablePattern(orgID))
	if err != nil {
		return nil, nil, nil, err
	}
	defer irows.Close()
	for irows.Next() {
		var tbl, ddl string
		if err := irows.Scan(&tbl, &ddl); err != nil {
			return nil, nil, nil, err
		}
		if i, ok := byName[tbl]; ok {
			tables[i].idx = append(tables[i].idx, ddl)
		}
	}
	return tables, vtables, shadows, irows.Err()
}

// SnapshotOrg copies the org into a new snapshot (see store.Snapshots).
func (db *DB) SnapshotOrg(ctx context.Context, orgID sfid.ID, name string, createdAt time.Time, replace bool) (store.SnapshotInfo, error) {
	info := store.SnapshotInfo{OrgID: orgID, Name: name, CreatedAt: time.UnixMilli(createdAt.UnixMilli()).UTC()}
	err := db.write(ctx, func(w *wtx) error {
		tx := w.tx
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM orgs WHERE id = ?", orgID).Scan(&one); err != nil {
			return fmt.Errorf("sqlite: snapshot of org %s: %w", orgID, mapErr(err))
		}
		old, err := snapshotID(ctx, tx, orgID, name)
		switch {
		case err == nil && !replace:
			return fmt.Errorf("sqlite: snapshot %q of org %s: %w", name, orgID, store.ErrSnapshotExists)
		case err == nil:
			if err := dropSnapshot(ctx, tx, old); err != nil {
				return err
			}
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO snapshots (org_id, name, created_at) VALUES (?, ?, ?)", orgID, name, info.CreatedAt.UnixMilli())
		if err != nil {
			return fmt.Errorf("sqlite: snapshot %q: %w", name, mapErr(err))
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		var entries []snapEntry
		for _, t := range snapshotSetupTables {
			entries = append(entries, snapEntry{tbl: t.name, kind: "setup"})
		}
		tables, vtables, shadows, err := orgTables(ctx, tx, orgID)
		if err != nil {
			return fmt.Errorf("sqlite: snapshot %q: list tables: %w", name, err)
		}
		for _, t := range tables {
			e := snapEntry{tbl: t.name, kind: "record", ddl: t.ddl, idx: t.idx}
			switch {
			case vtables[t.name]:
				e.kind = "vtable"
			case shadows[t.name]:
				e.kind = "shadow"
			}
			entries = append(entries, e)
		}
		for i := range entries {
			e := &entries[i]
			e.n = i
			if e.kind == "vtable" {
				continue
			}
			q := "CREATE TABLE " + snapCopy(id, i) + " AS SELECT * FROM " + quoteIdent(e.tbl)
			var args []any
			if e.kind == "setup" {
				t := snapshotSetupTables[i]
				q += " WHERE " + t.where
				args = append(args, setupArg(t, orgID))
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("sqlite: snapshot %q: copy %s: %w", name, e.tbl, err)
			}
			if e.rows, err = copiedRows(ctx, tx, snapCopy(id, i)); err != nil {
				return err
			}
			if e.kind == "record" { // restores look rows up by Id (syncRows)
				if _, err := tx.ExecContext(ctx, "CREATE UNIQUE INDEX "+snapCopy(id, i)+"_id ON "+snapCopy(id, i)+` ("Id")`); err != nil {
					return fmt.Errorf("sqlite: snapshot %q: index copy of %s: %w", name, e.tbl, err)
				}
			}
			if e.kind == "record" {
				info.Records += e.rows
			}
		}
		for _, e := range entries {
			idx, _ := json.Marshal(e.idx)
			if e.idx == nil {
				idx = []byte("[]")
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO snapshot_tables (snapshot_id, n, tbl, kind, ddl, idx, rows) VALUES (?, ?, ?, ?, ?, ?, ?)",
				id, e.n, e.tbl, e.kind, e.ddl, string(idx), e.rows); err != nil {
				return fmt.Errorf("sqlite: snapshot %q: %w", name, err)
			}
		}
		info.Bytes = snapshotBytes(ctx, tx, id)
		if _, err = tx.ExecContext(ctx, "UPDATE snapshots SET records = ?, bytes = ? WHERE id = ?", info.Records, info.Bytes, id); err != nil {
			return err
		}
		db.snapTrack.equal(orgID, id) // nothing else writes before the commit (wmu)
		return nil
	})
	if err != nil {
		db.forgetTrack(orgID)
	}
	return info, err
}

// forgetTrack is snapTracker.forget outside a write.
func (db *DB) forgetTrack(orgID sfid.ID) {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	db.snapTrack.forget(orgID)
}

// setupArg is the parameter of t's where clause for orgID.
func setupArg(t snapTable, orgID sfid.ID) any {
	if t.arg == "prefix" {
		return orgTablePattern(orgID)
	}
	return string(orgID)
}

// copiedRows is how many rows CREATE TABLE … AS SELECT copied: the driver reports none
// for DDL, so it is counted (cheap next to the copy).
func copiedRows(ctx context.Context, tx *sql.Tx, table string) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count %s: %w", table, err)
	}
	return n, nil
}

// snapshotBytes estimates the space of a snapshot's copies: their pages, from the dbstat
// table when SQLite has it, else 0.
func snapshotBytes(ctx context.Context, tx *sql.Tx, id int64) int64 {
	var n sql.NullInt64
	pattern := fmt.Sprintf(`snap\_%d\_%%`, id)
	if err := tx.QueryRowContext(ctx, `SELECT SUM(pgsize) FROM dbstat WHERE name LIKE ? ESCAPE '\'`, pattern).Scan(&n); err != nil {
		return 0
	}
	return n.Int64
}

// snapshotID finds a snapshot's id (ErrNotFound when there is none).
func snapshotID(ctx context.Context, q querier, orgID sfid.ID, name string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM snapshots WHERE org_id = ? AND name = ?", orgID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("sqlite: snapshot %q of org %s: %w", name, orgID, store.ErrSnapshotNotFound)
	}
	return id, err
}

// dropSnapshot removes snapshot id's copies and catalog rows.
func dropSnapshot(ctx context.Context, tx *sql.Tx, id int64) error {
	entries, err := snapshotEntries(ctx, tx, id)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.kind == "vtable" {
			continue
		}
		if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+snapCopy(id, e.n)); err != nil {
			return fmt.Errorf("sqlite: drop snapshot copy: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM snapshots WHERE id = ?", id); err != nil {
		return fmt.Errorf("sqlite: delete snapshot: %w", err)
	}
	return nil
}

// snapshotEntries reads snapshot id's catalog rows in order.
func snapshotEntries(ctx context.Context, q querier, id int64) ([]snapEntry, error) {
	rows, err := q.QueryContext(ctx, "SELECT n, tbl, kind, ddl, idx, rows FROM snapshot_tables WHERE snapshot_id = ? ORDER BY n", id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: snapshot tables: %w", err)
	}
	defer rows.Close()
	var out []snapEntry
	for rows.Next() {
		var e snapEntry
		var idx string
		if err := rows.Scan(&e.n, &e.tbl, &e.kind, &e.ddl, &idx, &e.rows); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(idx), &e.idx); err != nil {
			return nil, fmt.Errorf("sqlite: snapshot tables: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OrgSnapshots lists the org's snapshots by name.
func (db *DB) OrgSnapshots(ctx context.Context, orgID sfid.ID) ([]store.SnapshotInfo, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT name, created_at, records, bytes FROM snapshots WHERE org_id = ? ORDER BY name", orgID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: snapshots: %w", err)
	}
	defer rows.Close()
	out := []store.SnapshotInfo{}
	for rows.Next() {
		s := store.SnapshotInfo{OrgID: orgID}
		var ms int64
		if err := rows.Scan(&s.Name, &ms, &s.Records, &s.Bytes); err != nil {
			return nil, err
		}
		s.CreatedAt = time.UnixMilli(ms).UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteOrgSnapshot removes a snapshot.
func (db *DB) DeleteOrgSnapshot(ctx context.Context, orgID sfid.ID, name string) error {
	return db.write(ctx, func(w *wtx) error {
		id, err := snapshotID(ctx, w.tx, orgID, name)
		if err != nil {
			return err
		}
		return dropSnapshot(ctx, w.tx, id)
	})
}
