package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// RestoreOrg puts the org back as snapshot name holds it, in one write transaction:
//
//  1. the org's query cursors go (their next page would mix two states);
//  2. the org's rows of the Setup tables are deleted (children first) and the snapshot's
//     inserted (parents first); the org row itself is updated in place, every column;
//  3. every record table whose CREATE statement and indexes are those of the snapshot is
//     emptied (DELETE without WHERE: SQLite's truncate) and refilled with
//     INSERT … SELECT; a table whose shape changed since, or that did not exist then, is
//     dropped (Sync makes again what the restored catalog needs) and the snapshot's is
//     created from its saved statements;
//  4. every FTS5 index of the org is dropped and created again from its saved statement,
//     and its shadow tables refilled from the copies: the SOSL index comes back as it
//     was, with no record tokenised again. (Dropping it also drops FTS5's in-memory
//     structure of the old index, which would otherwise be stale.)
//
// Columns are those of the copy (PRAGMA table_info), so a column added to a table after
// the snapshot gets its default.
func (db *DB) RestoreOrg(ctx context.Context, orgID sfid.ID, name string) (store.SnapshotInfo, error) {
	info := store.SnapshotInfo{OrgID: orgID, Name: name}
	err := db.write(ctx, func(w *wtx) error {
		tx := w.tx
		var id, created int64
		err := tx.QueryRowContext(ctx, "SELECT id, created_at, records, bytes FROM snapshots WHERE org_id = ? AND name = ?", orgID, name).
			Scan(&id, &created, &info.Records, &info.Bytes)
		if err == sql.ErrNoRows {
			return fmt.Errorf("sqlite: restore %q of org %s: %w", name, orgID, store.ErrSnapshotNotFound)
		}
		if err != nil {
			return fmt.Errorf("sqlite: restore %q: %w", name, err)
		}
		info.CreatedAt = time.UnixMilli(created).UTC()
		entries, err := snapshotEntries(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM query_cursors WHERE org_id = ?", orgID); err != nil {
			return fmt.Errorf("sqlite: restore: cursors: %w", err)
		}
		if err := restoreSetup(ctx, tx, orgID, id, entries); err != nil {
			return fmt.Errorf("sqlite: restore %q of org %s: %w", name, orgID, mapErr(err))
		}
		if err := restoreRecords(ctx, tx, orgID, id, entries); err != nil {
			return fmt.Errorf("sqlite: restore %q of org %s: %w", name, orgID, mapErr(err))
		}
		return nil
	})
	// Whatever happened, the next Sync of the org runs its DDL again (CREATE … IF NOT
	// EXISTS): the tables are the snapshot's now, not those of the catalog last synced.
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
			continue // a table newer than the snapshot: the org had no rows in it then
		}
		cols, err := copyColumns(ctx, tx, snapCopy(id, n), t.name)
		if err != nil {
			return err
		}
		list := joinIdents(cols)
		if i == 0 { // orgs: in place, every column but the key
			var set []string
			for _, c := range cols {
				if !strings.EqualFold(c, "id") {
					set = append(set, quoteIdent(c))
				}
			}
			q := "UPDATE orgs SET (" + strings.Join(set, ", ") + ") = (SELECT " + strings.Join(set, ", ") +
				" FROM " + snapCopy(id, n) + ") WHERE id = ?"
			if _, err := tx.ExecContext(ctx, q, orgID); err != nil {
				return fmt.Errorf("restore org row: %w", err)
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+t.name+" ("+list+") SELECT "+list+" FROM "+snapCopy(id, n)); err != nil {
			return fmt.Errorf("restore %s: %w", t.name, err)
		}
	}
	return nil
}

// restoreRecords puts back the org's record tables and SOSL indexes (steps 3 and 4).
func restoreRecords(ctx context.Context, tx *sql.Tx, orgID sfid.ID, id int64, entries []snapEntry) error {
	tables, vtables, shadows, err := orgTables(ctx, tx, orgID)
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	want := map[string]snapEntry{}
	for _, e := range entries {
		if e.kind == "record" {
			want[e.tbl] = e
		}
	}
	// Virtual tables first, newest name first (a vocabulary before its index).
	for i := len(tables) - 1; i >= 0; i-- {
		if t := tables[i]; vtables[t.name] {
			if _, err := tx.ExecContext(ctx, "DROP TABLE "+quoteIdent(t.name)); err != nil {
				return fmt.Errorf("drop %s: %w", t.name, err)
			}
		}
	}
	keep := map[string]bool{}
	for _, t := range tables {
		if vtables[t.name] || shadows[t.name] {
			continue
		}
		e, ok := want[t.name]
		if ok && e.ddl == t.ddl && slices.Equal(e.idx, t.idx) {
			keep[t.name] = true
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(t.name)); err != nil {
				return fmt.Errorf("empty %s: %w", t.name, err)
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, "DROP TABLE "+quoteIdent(t.name)); err != nil {
			return fmt.Errorf("drop %s: %w", t.name, err)
		}
	}
	for _, e := range entries {
		switch e.kind {
		case "record":
			if !keep[e.tbl] {
				for _, q := range append([]string{e.ddl}, e.idx...) {
					if _, err := tx.ExecContext(ctx, q); err != nil {
						return fmt.Errorf("create %s: %w", e.tbl, err)
					}
				}
			}
			if e.rows > 0 {
				if err := copyBack(ctx, tx, snapCopy(id, e.n), e.tbl); err != nil {
					return err
				}
			}
		case "vtable":
			if _, err := tx.ExecContext(ctx, e.ddl); err != nil {
				return fmt.Errorf("create %s: %w", e.tbl, err)
			}
		case "shadow":
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(e.tbl)); err != nil {
				return fmt.Errorf("empty %s: %w", e.tbl, err)
			}
			if err := copyBack(ctx, tx, snapCopy(id, e.n), e.tbl); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyBack inserts every row of copy into table, column by column.
func copyBack(ctx context.Context, tx *sql.Tx, copy, table string) error {
	cols, err := copyColumns(ctx, tx, copy, table)
	if err != nil {
		return err
	}
	list := joinIdents(cols)
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+quoteIdent(table)+" ("+list+") SELECT "+list+" FROM "+copy); err != nil {
		return fmt.Errorf("refill %s: %w", table, err)
	}
	return nil
}

// copyColumns are the columns of copy that table has too (a column dropped since is
// left out; SQLite never drops one here, but a copy must not break a restore).
func copyColumns(ctx context.Context, tx *sql.Tx, copy, table string) ([]string, error) {
	have, err := columnNames(ctx, tx, table)
	if err != nil {
		return nil, err
	}
	cols, err := columnNames(ctx, tx, copy)
	if err != nil {
		return nil, err
	}
	out := cols[:0]
	for _, c := range cols {
		if slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, c) }) {
			out = append(out, c)
		}
	}
	return out, nil
}

// columnNames lists a table's columns in order.
func columnNames(ctx context.Context, tx *sql.Tx, table string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
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

func joinIdents(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quoteIdent(c)
	}
	return strings.Join(q, ", ")
}
