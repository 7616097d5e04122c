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
	reshaped := false
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
		if touched, ok := db.snapTrack.since(orgID, id); ok && restorable(touched, entries) {
			err = restoreTouched(ctx, tx, id, entries, touched)
		} else {
			reshaped, err = restoreRecords(ctx, tx, orgID, id, entries)
		}
		if err != nil {
			return fmt.Errorf("sqlite: restore %q of org %s: %w", name, orgID, mapErr(err))
		}
		db.snapTrack.equal(orgID, id)
		return nil
	})
	if err != nil {
		db.forgetTrack(orgID)
	}
	// When a table changed shape, the next Sync of the org runs its DDL again (CREATE …
	// IF NOT EXISTS): the tables are the snapshot's now, not those of the catalog last
	// synced. (Otherwise the mark stays: a Sync would also forget the fast path's
	// tracking, snapshots_track.go.)
	if reshaped || err != nil {
		db.synced.mu.Lock()
		delete(db.synced.orgs, orgID)
		db.synced.mu.Unlock()
	}
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
// It reports whether any table changed shape (was dropped, made, or made differently).
func restoreRecords(ctx context.Context, tx *sql.Tx, orgID sfid.ID, id int64, entries []snapEntry) (reshaped bool, err error) {
	tables, vtables, shadows, err := orgTables(ctx, tx, orgID)
	if err != nil {
		return false, fmt.Errorf("list tables: %w", err)
	}
	nowDDL := map[string]string{}
	for _, t := range tables {
		nowDDL[t.name] = t.ddl
	}
	inSnapshot := map[string]bool{}
	for _, e := range entries {
		if e.kind == "vtable" || e.kind == "record" {
			inSnapshot[e.tbl] = true
			if nowDDL[e.tbl] != e.ddl {
				reshaped = true
			}
		}
	}
	for _, t := range tables {
		if !shadows[t.name] && !inSnapshot[t.name] {
			reshaped = true
		}
	}
	want := map[string]snapEntry{}
	for _, e := range entries {
		if e.kind == "record" {
			want[e.tbl] = e
		}
	}
	// An FTS5 index whose shadow tables all hold the snapshot's rows is left alone; any
	// other virtual table is dropped (a vocabulary before its index) and made again.
	same, err := sameIndexes(ctx, tx, id, entries, vtables)
	if err != nil {
		return reshaped, err
	}
	for i := len(tables) - 1; i >= 0; i-- {
		if t := tables[i]; vtables[t.name] && !same[t.name] {
			if _, err := tx.ExecContext(ctx, "DROP TABLE "+quoteIdent(t.name)); err != nil {
				return reshaped, fmt.Errorf("drop %s: %w", t.name, err)
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
			if err := syncRows(ctx, tx, snapCopy(id, e.n), t.name); err != nil {
				return reshaped, err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, "DROP TABLE "+quoteIdent(t.name)); err != nil {
			return reshaped, fmt.Errorf("drop %s: %w", t.name, err)
		}
	}
	for _, e := range entries {
		switch e.kind {
		case "record":
			if !keep[e.tbl] {
				for _, q := range append([]string{e.ddl}, e.idx...) {
					if _, err := tx.ExecContext(ctx, q); err != nil {
						return reshaped, fmt.Errorf("create %s: %w", e.tbl, err)
					}
				}
			}
			if e.rows > 0 && !keep[e.tbl] {
				if err := copyBack(ctx, tx, snapCopy(id, e.n), e.tbl); err != nil {
					return reshaped, err
				}
			}
		case "vtable":
			if same[e.tbl] {
				continue
			}
			if _, err := tx.ExecContext(ctx, e.ddl); err != nil {
				return reshaped, fmt.Errorf("create %s: %w", e.tbl, err)
			}
		case "shadow":
			if same[shadowOf(e.tbl)] {
				continue
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(e.tbl)); err != nil {
				return reshaped, fmt.Errorf("empty %s: %w", e.tbl, err)
			}
			if err := copyBack(ctx, tx, snapCopy(id, e.n), e.tbl); err != nil {
				return reshaped, err
			}
		}
	}
	return reshaped, nil
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

// syncRows makes table's rows those of copy (same columns; "Id" the primary key) by
// writing only the difference: the rows that are not in the copy exactly (deleted, or
// changed: compared column by column, NULL-safe, text byte for byte) go, and the copy's
// rows now missing come back. A reset after a test that changed a few records writes a
// few rows, not the table.
func syncRows(ctx context.Context, tx *sql.Tx, copy, table string) error {
	cols, err := copyColumns(ctx, tx, copy, table)
	if err != nil {
		return err
	}
	same := make([]string, 0, len(cols))
	for _, c := range cols {
		same = append(same, "c."+quoteIdent(c)+" IS t."+quoteIdent(c)+" COLLATE BINARY")
	}
	t := quoteIdent(table)
	del := "DELETE FROM " + t + " AS t WHERE NOT EXISTS (SELECT 1 FROM " + copy + " AS c WHERE c.\"Id\" = t.\"Id\" AND " +
		strings.Join(same, " AND ") + ")"
	if _, err := tx.ExecContext(ctx, del); err != nil {
		return fmt.Errorf("restore %s: %w", table, err)
	}
	list := joinIdents(cols)
	ins := "INSERT INTO " + t + " (" + list + ") SELECT " + list + " FROM " + copy + " AS c WHERE NOT EXISTS (SELECT 1 FROM " +
		t + " AS t WHERE t.\"Id\" = c.\"Id\")"
	if _, err := tx.ExecContext(ctx, ins); err != nil {
		return fmt.Errorf("restore %s: %w", table, err)
	}
	return nil
}

// shadowOf is the FTS5 table a shadow table belongs to.
func shadowOf(name string) string {
	for _, s := range fts5Shadows {
		if base, ok := strings.CutSuffix(name, s); ok {
			return base
		}
	}
	return name
}

// sameIndexes reports, per FTS5 table of the snapshot that exists now with the same
// statement, whether each of its shadow tables holds exactly the snapshot's rows (then
// the index is the snapshot's and is left alone). A vocabulary table is the same when
// its index is.
func sameIndexes(ctx context.Context, tx *sql.Tx, id int64, entries []snapEntry, vtables map[string]bool) (map[string]bool, error) {
	ddl := map[string]string{}
	rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' AND name LIKE 'r\\_%' ESCAPE '\\'")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var n, q string
		if err := rows.Scan(&n, &q); err != nil {
			rows.Close()
			return nil, err
		}
		ddl[n] = q
	}
	rows.Close()
	same := map[string]bool{}
	for _, e := range entries {
		if e.kind == "vtable" && vtables[e.tbl] && ddl[e.tbl] == e.ddl {
			same[e.tbl] = true
		}
	}
	for _, e := range entries {
		base := shadowOf(e.tbl)
		if e.kind != "shadow" || !same[base] {
			continue
		}
		var differs bool
		q := "SELECT EXISTS (SELECT * FROM " + snapCopy(id, e.n) + " EXCEPT SELECT * FROM " + quoteIdent(e.tbl) +
			") OR EXISTS (SELECT * FROM " + quoteIdent(e.tbl) + " EXCEPT SELECT * FROM " + snapCopy(id, e.n) + ")"
		if err := tx.QueryRowContext(ctx, q).Scan(&differs); err != nil {
			return nil, fmt.Errorf("compare %s: %w", e.tbl, err)
		}
		if differs {
			same[base] = false
		}
	}
	for _, e := range entries { // a vocabulary (fts5vocab) follows its index
		if e.kind == "vtable" && strings.HasSuffix(e.tbl, "_vocab") {
			if base := strings.TrimSuffix(e.tbl, "_vocab"); vtables[base] {
				same[e.tbl] = same[e.tbl] && same[base]
			}
		}
	}
	return same, nil
}

// restorable reports whether every table written since is a record table of the snapshot
// (else the slow path runs).
func restorable(touched map[string]map[sfid.ID]bool, entries []snapEntry) bool {
	have := map[string]bool{}
	for _, e := range entries {
		if e.kind == "record" {
			have[e.tbl] = true
		}
	}
	for table := range touched {
		if !have[table] {
			return false
		}
	}
	return true
}

// restoreTouched is the fast path (snapshots_track.go): only the records written since
// the org last equalled the snapshot are deleted and copied back, and only the SOSL
// indexes of their tables are put back (from their shadow copies).
func restoreTouched(ctx context.Context, tx *sql.Tx, id int64, entries []snapEntry, touched map[string]map[sfid.ID]bool) error {
	byName := map[string]snapEntry{}
	for _, e := range entries {
		byName[e.tbl] = e
	}
	for table, set := range touched {
		if len(set) == 0 {
			continue
		}
		e := byName[table]
		copy := snapCopy(id, e.n)
		cols, err := copyColumns(ctx, tx, copy, table)
		if err != nil {
			return err
		}
		list := joinIdents(cols)
		ids := make([]any, 0, len(set))
		for id := range set {
			ids = append(ids, string(id))
		}
		for start := 0; start < len(ids); start += maxInsertRows {
			chunk := ids[start:min(start+maxInsertRows, len(ids))]
			in := " WHERE \"Id\" IN (" + placeholders(len(chunk)) + ")"
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(table)+in, chunk...); err != nil {
				return fmt.Errorf("restore %s: %w", table, err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+quoteIdent(table)+" ("+list+") SELECT "+list+" FROM "+copy+in, chunk...); err != nil {
				return fmt.Errorf("restore %s: %w", table, err)
			}
		}
		search := table + "__search"
		vt, ok := byName[search]
		if !ok || vt.kind != "vtable" {
			continue
		}
		vocab, hasVocab := byName[search+"_vocab"]
		for _, q := range []string{"DROP TABLE IF EXISTS " + quoteIdent(search+"_vocab"), "DROP TABLE IF EXISTS " + quoteIdent(search), vt.ddl} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("restore %s: %w", search, err)
			}
		}
		if hasVocab {
			if _, err := tx.ExecContext(ctx, vocab.ddl); err != nil {
				return fmt.Errorf("restore %s: %w", search, err)
			}
		}
		for _, e := range entries {
			if e.kind != "shadow" || shadowOf(e.tbl) != search {
				continue
			}
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
