package postgres

// Snapshots of one org (store.Snapshots; issue 14 §3), as SQLite's snapshots.go: plain
// copy tables snap_<snapshot id>_<n> made with CREATE TABLE … AS SELECT * (every column,
// whatever migrations added) and a catalog (snapshots, snapshot_tables: migration 0010).
//
// What is copied: the org's rows of the Setup tables (snapshotSetupTables), and every
// table whose name starts with r_<org>_ — the record tables and the SOSL tables (their
// tsvectors as they are, so a restore tokenises nothing) — with the org's rows of
// search_indexes and search_vocab.
//
// Locks. A snapshot and a restore take the Setup transactions' advisory lock and Sync's
// (so no Setup change and no DDL of the org's tables interleaves), then lock the org's
// tables: SHARE for a snapshot (writers wait while it copies; every copy then reads one
// state), EXCLUSIVE for a restore (taken up front in name order, so that racing record
// writes end before it or start after it; readers go on seeing the old rows until the
// commit).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ store.Snapshots = (*DB)(nil)

// snapTable is one Setup table a snapshot copies: the rows where holds ($1 is the org ID,
// or the org's table-name LIKE pattern when arg is "prefix").
type snapTable struct {
	name  string
	where string
	arg   string
	key   []string // set: no foreign keys; a restore writes only the difference (diffRows)
}

// snapshotSetupTables: see SQLite's list; parents before children, orgs first (updated in
// place on restore). search_vocab is PostgreSQL's own (SQLite reads FTS5's vocabulary).
var snapshotSetupTables = []snapTable{
	{"orgs", "id = $1", "org", nil},
	{"profiles", "org_id = $1", "org", nil},
	{"permission_sets", "org_id = $1", "org", nil},
	{"users", "org_id = $1", "org", nil},
	{"permission_set_assignments", "user_id IN (SELECT id FROM users WHERE org_id = $1)", "org", nil},
	{"connected_apps", "org_id = $1", "org", nil},
	{"credentials", "app_id IN (SELECT id FROM connected_apps WHERE org_id = $1)", "org", nil},
	{"login_lockouts", "user_id IN (SELECT id FROM users WHERE org_id = $1)", "org", nil},
	{"custom_objects", "org_id = $1", "org", nil},
	{"seeded_records", "org_id = $1", "org", nil},
	{"deleted_records", "org_id = $1", "org", []string{"org_id", "record_id"}},
	{"recent_records", "org_id = $1", "org", []string{"org_id", "user_id", "record_id"}},
	{"listview_use", "org_id = $1", "org", []string{"user_id", "view_id"}},
	{"search_indexes", `tbl LIKE $1`, "prefix", []string{"tbl"}},
	{"search_vocab", `tbl LIKE $1`, "prefix", []string{"tbl", "term"}},
}

// snapshotSkipped: the tables a snapshot leaves out, and why (TestSnapshotTablesClassified).
var snapshotSkipped = map[string]string{
	"id_sequences":        "server-wide: an ID is never handed out twice, restore or not",
	"settings":            "server-wide",
	"schema_migrations":   "server-wide",
	"signing_keys":        "server-wide",
	"cluster_timers":      "server-wide",
	"cluster_quota_keys":  "server-wide",
	"cluster_quotas":      "server-wide",
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
	"snapshot_state":      "the snapshots themselves",
}

// markEqual records that the org's tables equal snapshot id as of this transaction.
func markEqual(ctx context.Context, tx txLike, orgID sfid.ID, id int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO snapshot_state (org_id, snapshot_id, horizon)
		VALUES ($1, $2, txid_snapshot_xmin(txid_current_snapshot()))
		ON CONFLICT (org_id) DO UPDATE SET snapshot_id = excluded.snapshot_id, horizon = excluded.horizon`, orgID, id)
	if err != nil {
		return fmt.Errorf("snapshot state: %w", err)
	}
	return nil
}

// orgTablePattern is the LIKE pattern of the org's table names (record and search
// tables; shortIdent keeps the prefix of long names).
func orgTablePattern(orgID sfid.ID) string {
	return `r\_` + strings.ToLower(orgID.String()) + `\_%`
}

func snapCopy(id int64, n int) string { return fmt.Sprintf("snap_%d_%d", id, n) }

func setupArg(t snapTable, orgID sfid.ID) any {
	if t.arg == "prefix" {
		return orgTablePattern(orgID)
	}
	return string(orgID)
}

// snapEntry is one row of snapshot_tables.
type snapEntry struct {
	n    int
	tbl  string
	kind string // setup, record, search
	rows int64
}

// lockSnapshots takes the Setup and Sync advisory locks, in that order (as UpdateSetup
// and Sync take theirs, never the other way round).
func lockSnapshots(ctx context.Context, tx txLike) error {
	for _, key := range []int{setupLock, syncLock} {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))", key); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	return nil
}

// orgTables lists the org's tables by name, and which of them are search tables.
func orgTables(ctx context.Context, tx txLike, orgID sfid.ID) (tables []string, search map[string]bool, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1 ORDER BY tablename COLLATE "C"`, orgTablePattern(orgID))
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, nil, err
		}
		tables = append(tables, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	search = map[string]bool{}
	srows, err := tx.QueryContext(ctx, "SELECT tbl FROM search_indexes WHERE tbl LIKE $1", orgTablePattern(orgID))
	if err != nil {
		return nil, nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var n string
		if err := srows.Scan(&n); err != nil {
			return nil, nil, err
		}
		search[n] = true
	}
	return tables, search, srows.Err()
}

// lockTables locks tables in mode, in name order.
func lockTables(ctx context.Context, tx txLike, tables []string, mode string) error {
	if len(tables) == 0 {
		return nil
	}
	sorted := append([]string(nil), tables...)
	sort.Strings(sorted)
	q := make([]string, len(sorted))
	for i, t := range sorted {
		q[i] = quoteIdent(t)
	}
	if _, err := tx.ExecContext(ctx, "LOCK TABLE "+strings.Join(q, ", ")+" IN "+mode+" MODE"); err != nil {
		return fmt.Errorf("lock tables: %w", err)
	}
	return nil
}

// SnapshotOrg copies the org into a new snapshot (see store.Snapshots).
func (db *DB) SnapshotOrg(ctx context.Context, orgID sfid.ID, name string, createdAt time.Time, replace bool) (store.SnapshotInfo, error) {
	var info store.SnapshotInfo
	err := db.write(ctx, func(w *wtx) error {
		info = store.SnapshotInfo{OrgID: orgID, Name: name, CreatedAt: time.UnixMilli(createdAt.UnixMilli()).UTC()}
		tx := w.tx
		if err := lockSnapshots(ctx, tx); err != nil {
			return fmt.Errorf("postgres: snapshot: %w", err)
		}
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM orgs WHERE id = $1", orgID).Scan(&one); err != nil {
			return fmt.Errorf("postgres: snapshot of org %s: %w", orgID, mapErr(err))
		}
		old, err := snapshotID(ctx, tx, orgID, name)
		switch {
		case err == nil && !replace:
			return fmt.Errorf("postgres: snapshot %q of org %s: %w", name, orgID, store.ErrSnapshotExists)
		case err == nil:
			if err := dropSnapshot(ctx, tx, old); err != nil {
				return err
			}
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		tables, search, err := orgTables(ctx, tx, orgID)
		if err != nil {
			return fmt.Errorf("postgres: snapshot: list tables: %w", err)
		}
		if err := lockTables(ctx, tx, tables, "SHARE"); err != nil {
			return fmt.Errorf("postgres: snapshot: %w", err)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO snapshots (org_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
			orgID, name, info.CreatedAt.UnixMilli()).Scan(&id); err != nil {
			return fmt.Errorf("postgres: snapshot %q: %w", name, mapErr(err))
		}
		var entries []snapEntry
		for _, t := range snapshotSetupTables {
			entries = append(entries, snapEntry{tbl: t.name, kind: "setup"})
		}
		for _, t := range tables {
			kind := "record"
			if search[t] {
				kind = "search"
			}
			entries = append(entries, snapEntry{tbl: t, kind: kind})
		}
		for i := range entries {
			e := &entries[i]
			e.n = i
			q := "CREATE TABLE " + snapCopy(id, i) + " AS SELECT * FROM " + quoteIdent(e.tbl)
			var args []any
			if e.kind == "setup" {
				t := snapshotSetupTables[i]
				q += " WHERE " + t.where
				args = append(args, setupArg(t, orgID))
			}
			res, err := tx.ExecContext(ctx, q, args...)
			if err != nil {
				return fmt.Errorf("postgres: snapshot %q: copy %s: %w", name, e.tbl, err)
			}
			if e.rows, err = res.RowsAffected(); err != nil {
				return err
			}
			if e.kind != "setup" { // restores look rows up by Id (diffRows)
				if _, err := tx.ExecContext(ctx, "CREATE UNIQUE INDEX ON "+snapCopy(id, i)+` ("Id")`); err != nil {
					return fmt.Errorf("postgres: snapshot %q: index copy of %s: %w", name, e.tbl, err)
				}
			}
			if e.rows > 0 { // a restore's diff is planned on the copy's statistics
				if _, err := tx.ExecContext(ctx, "ANALYZE "+snapCopy(id, i)); err != nil {
					return fmt.Errorf("postgres: snapshot %q: analyze copy of %s: %w", name, e.tbl, err)
				}
			}
			if e.kind == "record" {
				info.Records += int(e.rows)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO snapshot_tables (snapshot_id, n, tbl, kind, rows) VALUES ($1, $2, $3, $4, $5)",
				id, e.n, e.tbl, e.kind, e.rows); err != nil {
				return fmt.Errorf("postgres: snapshot %q: %w", name, err)
			}
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
			JOIN pg_namespace s ON s.oid = c.relnamespace AND s.nspname = current_schema()
			WHERE c.relkind = 'r' AND c.relname LIKE $1`, fmt.Sprintf(`snap\_%d\_%%`, id)).Scan(&info.Bytes); err != nil {
			return fmt.Errorf("postgres: snapshot %q: size: %w", name, err)
		}
		if _, err = tx.ExecContext(ctx, "UPDATE snapshots SET records = $1, bytes = $2 WHERE id = $3", info.Records, info.Bytes, id); err != nil {
			return err
		}
		return markEqual(ctx, tx, orgID, id)
	})
	return info, err
}

// snapshotID finds a snapshot's id (ErrSnapshotNotFound when there is none).
func snapshotID(ctx context.Context, tx *sql.Tx, orgID sfid.ID, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM snapshots WHERE org_id = $1 AND name = $2", orgID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("postgres: snapshot %q of org %s: %w", name, orgID, store.ErrSnapshotNotFound)
	}
	return id, err
}

// dropSnapshot removes snapshot id's copies and catalog rows.
func dropSnapshot(ctx context.Context, tx *sql.Tx, id int64) error {
	entries, err := snapshotEntries(ctx, tx, id)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		names := make([]string, len(entries))
		for i, e := range entries {
			names[i] = snapCopy(id, e.n)
		}
		if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+strings.Join(names, ", ")); err != nil {
			return fmt.Errorf("postgres: drop snapshot copies: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM snapshots WHERE id = $1", id); err != nil {
		return fmt.Errorf("postgres: delete snapshot: %w", err)
	}
	return nil
}

// snapshotEntries reads snapshot id's catalog rows in order.
func snapshotEntries(ctx context.Context, tx txLike, id int64) ([]snapEntry, error) {
	rows, err := tx.QueryContext(ctx, "SELECT n, tbl, kind, rows FROM snapshot_tables WHERE snapshot_id = $1 ORDER BY n", id)
	if err != nil {
		return nil, fmt.Errorf("postgres: snapshot tables: %w", err)
	}
	defer rows.Close()
	var out []snapEntry
	for rows.Next() {
		var e snapEntry
		if err := rows.Scan(&e.n, &e.tbl, &e.kind, &e.rows); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OrgSnapshots lists the org's snapshots by name.
func (db *DB) OrgSnapshots(ctx context.Context, orgID sfid.ID) ([]store.SnapshotInfo, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT name, created_at, records, bytes FROM snapshots WHERE org_id = $1 ORDER BY name COLLATE "C"`, orgID)
	if err != nil {
		return nil, fmt.Errorf("postgres: snapshots: %w", err)
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
		if err := lockSnapshots(ctx, w.tx); err != nil {
			return fmt.Errorf("postgres: delete snapshot: %w", err)
		}
		id, err := snapshotID(ctx, w.tx, orgID, name)
		if err != nil {
			return err
		}
		return dropSnapshot(ctx, w.tx, id)
	})
}

// txLike is what the snapshot helpers need of a transaction.
type txLike interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
