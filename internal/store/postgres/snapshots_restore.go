package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RestoreOrg puts the org back as snapshot name holds it, in one transaction (see
// snapshots.go for the locks):
//
//  1. the org's query cursors go (their next page would mix two states);
//  2. the org's rows of the Setup tables are deleted (children first: the foreign keys
//     are not deferrable) and the snapshot's inserted (parents first); the org row is
//     updated in place, every column. The bookkeeping tables with a key and no foreign
//     keys (snapTable.key: the SOSL vocabulary, the delete log…) get only their
//     difference written;
//  3. every table of the snapshot gets the snapshot's rows back, writing only the rows
//     that differ (syncRows). Tables are never dropped (as Sync never drops one): a table
//     made after the snapshot stays, empty, and a column added since gets its default. A
//     table of the snapshot that no longer exists is made again from its copy, with its
//     primary key (and, for a search table, its GIN index); Sync adds the rest.
//
// Steps 2 and 3 are one batch of statements sent in one round trip (the simple query
// protocol): the org's ~100 tables would otherwise cost a round trip each.
func (db *DB) RestoreOrg(ctx context.Context, orgID sfid.ID, name string) (store.SnapshotInfo, error) {
	var info store.SnapshotInfo
	remade := false
	err := db.write(ctx, func(w *wtx) error {
		info = store.SnapshotInfo{OrgID: orgID, Name: name}
		tx := w.tx
		if err := lockSnapshots(ctx, tx); err != nil {
			return fmt.Errorf("postgres: restore: %w", err)
		}
		var id, created int64
		err := tx.QueryRowContext(ctx, "SELECT id, created_at, records, bytes FROM snapshots WHERE org_id = $1 AND name = $2", orgID, name).
			Scan(&id, &created, &info.Records, &info.Bytes)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("postgres: restore %q of org %s: %w", name, orgID, store.ErrSnapshotNotFound)
		}
		if err != nil {
			return fmt.Errorf("postgres: restore %q: %w", name, err)
		}
		info.CreatedAt = time.UnixMilli(created).UTC()
		entries, err := snapshotEntries(ctx, tx, id)
		if err != nil {
			return err
		}
		tables, _, err := orgTables(ctx, tx, orgID)
		if err != nil {
			return fmt.Errorf("postgres: restore: list tables: %w", err)
		}
		if err := lockTables(ctx, tx, tables, "EXCLUSIVE"); err != nil {
			return fmt.Errorf("postgres: restore: %w", err)
		}
		have := map[string]bool{}
		for _, t := range tables {
			have[t] = true
		}
		for _, e := range entries {
			if e.kind != "setup" && !have[e.tbl] {
				if err := recreateTable(ctx, tx, snapCopy(id, e.n), e); err != nil {
					return fmt.Errorf("postgres: restore %q of org %s: %w", name, orgID, err)
				}
				remade = true
			}
		}
		names := slices.Clone(tables)
		for _, t := range snapshotSetupTables {
			names = append(names, t.name)
		}
		for _, e := range entries {
			names = append(names, snapCopy(id, e.n))
		}
		cols, err := tableColumns(ctx, tx, names)
		if err != nil {
			return fmt.Errorf("postgres: restore: %w", err)
		}
		r := restorer{orgID: orgID, id: id, cols: cols}
		var state, horizon int64
		err = tx.QueryRowContext(ctx, "SELECT snapshot_id, horizon FROM snapshot_state WHERE org_id = $1", orgID).Scan(&state, &horizon)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("postgres: restore: %w", err)
		}
		if err == nil && state == id {
			// Rows older than the horizon are the snapshot's: compare only the newer ones.
			r.since = fmt.Sprintf("age(t.xmin) <= age('%d'::xid)", horizon%(1<<32))
		}
		stmts := []string{"DELETE FROM query_cursors WHERE org_id = " + literal(string(orgID))}
		stmts = append(stmts, r.setup(entries)...)
		stmts = append(stmts, r.records(entries, tables)...)
		if _, err := tx.ExecContext(ctx, strings.Join(stmts, ";\n")); err != nil {
			return fmt.Errorf("postgres: restore %q of org %s: %w", name, orgID, mapErr(err))
		}
		return markEqual(ctx, tx, orgID, id)
	})
	// A table made again here needs its indexes: the next Sync of the org runs its DDL
	// again (idempotent). Other nodes' marks stay; a table is made again only when
	// something else dropped it, which Sync never does.
	if remade || err != nil {
		db.synced.mu.Lock()
		delete(db.synced.orgs, orgID)
		db.synced.mu.Unlock()
	}
	return info, err
}

// literal quotes s as an SQL string literal (standard_conforming_strings is on, the
// default since PostgreSQL 9.1).
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// tableColumns returns the columns of each named table of the schema, in order.
func tableColumns(ctx context.Context, tx txLike, names []string) (map[string][]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.relname, a.attname FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname = ANY($1)
		ORDER BY c.relname, a.attnum`, names)
	if err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, err
		}
		out[t] = append(out[t], c)
	}
	return out, rows.Err()
}

// restorer builds the statements of one restore.
type restorer struct {
	orgID sfid.ID
	id    int64
	cols  map[string][]string
	since string // "": compare every row; else the condition of the rows changed since
}

// common are the columns of copy that table has too, in the copy's order.
func (r restorer) common(copy, table string) []string {
	have := r.cols[table]
	var out []string
	for _, c := range r.cols[copy] {
		if slices.Contains(have, c) {
			out = append(out, c)
		}
	}
	return out
}

func (r restorer) where(t snapTable) string {
	arg := literal(string(r.orgID))
	if t.arg == "prefix" {
		arg = literal(orgTablePattern(r.orgID))
	}
	return strings.ReplaceAll(t.where, "$1", arg)
}

// setup is step 2.
func (r restorer) setup(entries []snapEntry) []string {
	copies := map[string]int{}
	for _, e := range entries {
		if e.kind == "setup" {
			copies[e.tbl] = e.n
		}
	}
	var stmts []string
	for i := len(snapshotSetupTables) - 1; i >= 1; i-- {
		if t := snapshotSetupTables[i]; t.key == nil {
			stmts = append(stmts, "DELETE FROM "+t.name+" WHERE "+r.where(t))
		}
	}
	for i, t := range snapshotSetupTables {
		n, ok := copies[t.name]
		if !ok {
			if t.key != nil {
				stmts = append(stmts, "DELETE FROM "+t.name+" WHERE "+r.where(t))
			}
			continue // a table newer than the snapshot
		}
		copy := snapCopy(r.id, n)
		cols := r.common(copy, t.name)
		switch {
		case i == 0: // orgs: in place, every column but the key
			var set []string
			for _, c := range cols {
				if c != "id" {
					set = append(set, quoteIdent(c))
				}
			}
			stmts = append(stmts, "UPDATE orgs SET ("+strings.Join(set, ", ")+") = (SELECT "+strings.Join(set, ", ")+
				" FROM "+copy+") WHERE id = "+literal(string(r.orgID)))
		case t.key != nil:
			stmts = append(stmts, r.diffRows(copy, t.name, r.where(t), t.key, cols)...)
		default:
			list := strings.Join(quoted(cols), ", ")
			stmts = append(stmts, "INSERT INTO "+t.name+" ("+list+") SELECT "+list+" FROM "+copy)
		}
	}
	return stmts
}

// records is step 3.
func (r restorer) records(entries []snapEntry, tables []string) []string {
	want := map[string]bool{}
	for _, e := range entries {
		if e.kind != "setup" {
			want[e.tbl] = true
		}
	}
	var stmts []string
	for _, t := range tables {
		if !want[t] {
			stmts = append(stmts, "DELETE FROM "+quoteIdent(t))
		}
	}
	for _, e := range entries {
		if e.kind == "setup" {
			continue
		}
		copy := snapCopy(r.id, e.n)
		if e.rows == 0 {
			stmts = append(stmts, "DELETE FROM "+quoteIdent(e.tbl))
			continue
		}
		stmts = append(stmts, r.diffRows(copy, quoteIdent(e.tbl), "true", []string{"Id"}, r.common(copy, e.tbl))...)
	}
	return stmts
}

// diffRows makes the rows of table that where selects those of copy by writing only the
// difference: rows not in the copy exactly (matched on key, then compared column by
// column with IS NOT DISTINCT FROM) go — only among the rows changed since the org last
// equalled the snapshot when that is known (r.since: older rows are the snapshot's) —
// and the copy's rows now missing come back, unless as many rows as the copy's remain
// (then none is missing: every remaining row is one of the copy's). A reset after a test
// that changed a few records writes a few rows, and readers keep seeing the old rows
// until the commit (no TRUNCATE, which is not MVCC-safe).
func (r restorer) diffRows(copy, table, where string, key, cols []string) []string {
	cq, tq := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		cq[i], tq[i] = "c."+quoteIdent(c), "t."+quoteIdent(c)
	}
	var match []string
	for _, k := range key {
		match = append(match, "c."+quoteIdent(k)+" = t."+quoteIdent(k))
	}
	on := strings.Join(match, " AND ")
	changed := where
	if r.since != "" {
		changed += " AND " + r.since
	}
	return []string{
		"DELETE FROM " + table + " AS t WHERE " + changed + " AND NOT EXISTS (SELECT 1 FROM " + copy + " AS c WHERE " + on +
			" AND ROW(" + strings.Join(cq, ", ") + ") IS NOT DISTINCT FROM ROW(" + strings.Join(tq, ", ") + "))",
		"INSERT INTO " + table + " (" + strings.Join(quoted(cols), ", ") + ") SELECT " + strings.Join(cq, ", ") + " FROM " + copy +
			" AS c WHERE (SELECT count(*) FROM " + table + " AS t WHERE " + where + ") <> (SELECT count(*) FROM " + copy + ")" +
			" AND NOT EXISTS (SELECT 1 FROM " + table + " AS t WHERE " + on + ")",
	}
}

func quoted(cols []string) []string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quoteIdent(c)
	}
	return q
}

// recreateTable makes a table of the snapshot that no longer exists, from its copy: its
// columns and types, its primary key, and a search table's GIN index.
func recreateTable(ctx context.Context, tx txLike, copy string, e snapEntry) error {
	qs := []string{
		"CREATE TABLE " + quoteIdent(e.tbl) + " (LIKE " + copy + ")",
		"ALTER TABLE " + quoteIdent(e.tbl) + ` ADD PRIMARY KEY ("Id")`,
	}
	if e.kind == "search" {
		qs = append(qs, "CREATE INDEX "+quoteIdent(shortIdent(e.tbl+"__doc"))+" ON "+quoteIdent(e.tbl)+" USING gin (doc) WITH (fastupdate = off)")
	}
	for _, q := range qs {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("make %s again: %w", e.tbl, err)
		}
	}
	return nil
}
