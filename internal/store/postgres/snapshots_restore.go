package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
//     updated in place, every column;
//  3. every table of the org is emptied with one TRUNCATE and the snapshot's tables
//     refilled with INSERT … SELECT. Tables are never dropped (as Sync never drops one):
//     a table made after the snapshot stays, empty, and a column added since gets its
//     default. A table of the snapshot that no longer exists is made again from its copy,
//     with its primary key (and, for a search table, its GIN index); Sync adds the rest.
func (db *DB) RestoreOrg(ctx context.Context, orgID sfid.ID, name string) (store.SnapshotInfo, error) {
	var info store.SnapshotInfo
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
		if err := lockTables(ctx, tx, tables, "ACCESS EXCLUSIVE"); err != nil {
			return fmt.Errorf("postgres: restore: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM query_cursors WHERE org_id = $1", orgID); err != nil {
			return fmt.Errorf("postgres: restore: cursors: %w", err)
		}
		if err := restoreSetup(ctx, tx, orgID, id, entries); err != nil {
			return fmt.Errorf("postgres: restore %q of org %s: %w", name, orgID, mapErr(err))
		}
		if err := restoreRecords(ctx, tx, id, entries, tables); err != nil {
			return fmt.Errorf("postgres: restore %q of org %s: %w", name, orgID, mapErr(err))
		}
		return nil
	})
	// The next Sync of the org runs its DDL again (idempotent): a table made again here
	// needs its indexes.
	db.synced.mu.Lock()
	delete(db.synced.orgs, orgID)
	db.synced.mu.Unlock()
	return info, err
}

// restoreSetup replaces the org's Setup rows with the snapshot's.
func restoreSetup(ctx context.Context, tx *sql.Tx, orgID sfid.ID, id int64, entries []snapEntry) error {
	copies := map[string]int{}
	for _, e := range entries {
		if e.kind == "setup" {
			copies[e.tbl] = e.n
		}
	}
	for i := len(snapshotSetupTables) - 1; i >= 1; i-- {
		t := snapshotSetupTables[i]
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.name+" WHERE "+t.where, setupArg(t, orgID)); err != nil {
			return fmt.Errorf("clear %s: %w", t.name, err)
		}
	}
	for i, t := range snapshotSetupTables {
		n, ok := copies[t.name]
		if !ok {
			continue // a table newer than the snapshot
		}
		cols, err := copyColumns(ctx, tx, snapCopy(id, n), t.name)
		if err != nil {
			return err
		}
		if i == 0 { // orgs: in place, every column but the key
			var set []string
			for _, c := range cols {
				if c != "id" {
					set = append(set, quoteIdent(c))
				}
			}
			q := "UPDATE orgs SET (" + strings.Join(set, ", ") + ") = (SELECT " + strings.Join(set, ", ") +
				" FROM " + snapCopy(id, n) + ") WHERE id = $1"
			if _, err := tx.ExecContext(ctx, q, orgID); err != nil {
				return fmt.Errorf("restore org row: %w", err)
			}
			continue
		}
		if err := insertFrom(ctx, tx, snapCopy(id, n), t.name, cols); err != nil {
			return err
		}
	}
	return nil
}

// restoreRecords empties every table of the org and refills the snapshot's (step 3).
func restoreRecords(ctx context.Context, tx *sql.Tx, id int64, entries []snapEntry, tables []string) error {
	if len(tables) > 0 {
		q := make([]string, len(tables))
		for i, t := range tables {
			q[i] = quoteIdent(t)
		}
		if _, err := tx.ExecContext(ctx, "TRUNCATE "+strings.Join(q, ", ")); err != nil {
			return fmt.Errorf("truncate: %w", err)
		}
	}
	have := map[string]bool{}
	for _, t := range tables {
		have[t] = true
	}
	for _, e := range entries {
		if e.kind == "setup" {
			continue
		}
		if !have[e.tbl] {
			if err := recreateTable(ctx, tx, snapCopy(id, e.n), e); err != nil {
				return err
			}
		}
		if e.rows == 0 {
			continue
		}
		cols, err := copyColumns(ctx, tx, snapCopy(id, e.n), e.tbl)
		if err != nil {
			return err
		}
		if err := insertFrom(ctx, tx, snapCopy(id, e.n), e.tbl, cols); err != nil {
			return err
		}
	}
	return nil
}

// recreateTable makes a table of the snapshot that no longer exists, from its copy: its
// columns and types, its primary key, and a search table's GIN index.
func recreateTable(ctx context.Context, tx *sql.Tx, copy string, e snapEntry) error {
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

// insertFrom inserts every row of copy into table, columns cols.
func insertFrom(ctx context.Context, tx *sql.Tx, copy, table string, cols []string) error {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quoteIdent(c)
	}
	list := strings.Join(q, ", ")
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+quoteIdent(table)+" ("+list+") SELECT "+list+" FROM "+copy); err != nil {
		return fmt.Errorf("refill %s: %w", table, err)
	}
	return nil
}

// copyColumns are the columns of copy that table has too, in the copy's order.
func copyColumns(ctx context.Context, tx *sql.Tx, copy, table string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.attname FROM pg_attribute a
		JOIN pg_attribute b ON b.attrelid = $2::regclass AND b.attname = a.attname AND b.attnum > 0 AND NOT b.attisdropped
		WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, copy, quoteIdent(table))
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}
