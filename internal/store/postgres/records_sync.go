package postgres

// Sync: the record tables of an org and the Setup views follow its catalog
// (records.Store.Sync; conventions in records_tables.go), as SQLite's records_sync.go.
//
// Indexes. Every data table gets an index on its name field, OwnerId, every reference
// field and every external ID field, and one on ("SystemModstamp", "Id", "IsDeleted",
// "OwnerId") that covers getUpdated, so that SOQL filters and joins on them and Find
// (upsert by external ID, parent checks) never scan; a partial index of the soft-deleted
// rows lets Count count live rows without reading them. Caseless (text) fields are
// indexed on lower(col), the expression every comparison of them uses. A unique field
// gets a UNIQUE index, partial WHERE NOT "IsDeleted": a record in the Recycle Bin frees
// its values (Salesforce reports the conflict when it is undeleted).
//
// Type changes. A column keeps the type it was created with: a field whose type now
// needs another column type is an error (as in SQLite, where a storage class cannot
// change); text stays text.
//
// Concurrency. Several nodes may sync the same org at once. DDL of two transactions on
// the same new table races in PostgreSQL (CREATE TABLE IF NOT EXISTS can fail with a
// unique violation on pg_type), so each Sync transaction first takes a transaction
// advisory lock of the schema (pg_advisory_xact_lock, PostgreSQL docs §9.27.10): Syncs
// run one after the other, the later finding nothing left to do. Syncs are rare (a node
// syncs a catalog once; an unchanged catalog runs no SQL), so one lock costs nothing.
//
// Dropped fields and objects keep their columns and tables (their data stays, unread).

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// syncLock is the first key of the advisory lock Sync transactions take (the second is
// the schema's hash, as for migrations).
const syncLock = 0x4647

// recordsSynced remembers, per org, the catalog last synced, so that a Sync with an
// unchanged catalog runs no SQL.
type recordsSynced struct {
	mu   sync.Mutex
	orgs map[sfid.ID]syncMark
}

type syncMark struct {
	cat *schema.Catalog // catalogs are immutable: the same pointer needs no signature
	sig [sha256.Size]byte
}

// Sync makes org's record tables and the Setup views match cat. It is cheap when cat
// (or an equal catalog) was synced before by this DB, and safe to call concurrently, on
// any number of nodes.
func (db *DB) Sync(ctx context.Context, orgID sfid.ID, cat *schema.Catalog) error {
	if len(orgID) != 18 || cat == nil {
		return fmt.Errorf("postgres: sync org %q: want an 18-character org ID and a catalog", orgID)
	}
	synced := &db.synced
	synced.mu.Lock()
	mark, ok := synced.orgs[orgID]
	synced.mu.Unlock()
	if ok && mark.cat == cat {
		return nil
	}
	sig := catalogSignature(orgID, cat)
	if ok && mark.sig == sig {
		synced.remember(orgID, cat, sig)
		return nil
	}
	err := db.write(ctx, func(w *wtx) error {
		if _, err := w.tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))", syncLock); err != nil {
			return fmt.Errorf("postgres: sync org %s: lock: %w", orgID, err)
		}
		have, err := orgColumns(ctx, w.tx, orgID)
		if err != nil {
			return fmt.Errorf("postgres: sync org %s: %w", orgID, err)
		}
		for _, obj := range cat.Objects() {
			var err error
			if obj.Setup {
				err = syncSetupView(ctx, w.tx, obj)
			} else {
				err = syncTable(ctx, w.tx, orgID, obj, have)
			}
			if err != nil {
				return fmt.Errorf("postgres: sync %s of org %s: %w", obj.Name, orgID, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	synced.remember(orgID, cat, sig)
	return nil
}

func (s *recordsSynced) remember(orgID sfid.ID, cat *schema.Catalog, sig [sha256.Size]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.orgs == nil {
		s.orgs = map[sfid.ID]syncMark{}
	}
	s.orgs[orgID] = syncMark{cat: cat, sig: sig}
}

// catalogSignature digests everything of cat that Sync turns into SQL.
func catalogSignature(orgID sfid.ID, cat *schema.Catalog) [sha256.Size]byte {
	h := sha256.New()
	for _, obj := range cat.Objects() {
		if obj.Setup {
			if q, ok := setupViewSQL(obj); ok {
				fmt.Fprintf(h, "%s;\n", q)
			}
			continue
		}
		fmt.Fprintf(h, "table %s\n", recordTable(orgID, obj))
		for i := range obj.Fields {
			f := &obj.Fields[i]
			if f.Compound() {
				continue // no column: the parts are stored
			}
			fmt.Fprintf(h, "%s %s %s\n", f.Name, columnType(f), indexKind(obj, f))
		}
	}
	var sig [sha256.Size]byte
	h.Sum(sig[:0])
	return sig
}

// indexKind is the index Sync keeps on f's column: "unique", "modstamp", "index" or "".
func indexKind(obj *schema.Object, f *schema.Field) string {
	switch {
	case strings.EqualFold(f.Name, "Id") || strings.EqualFold(f.Name, "IsDeleted"):
		return "" // the primary key; a flag
	case f.Unique:
		return "unique"
	case strings.EqualFold(f.Name, "SystemModstamp"):
		return "modstamp" // getUpdated's range (replication.go); Salesforce indexes it too
	case f.NameField, f.ExternalID, f.Type == schema.TypeReference, strings.EqualFold(f.Name, "OwnerId"):
		return "index"
	case strings.EqualFold(f.Name, "Name"):
		if _, has := obj.NameField(); !has {
			return "index"
		}
	}
	return ""
}

// tableInfo is what the database has of one record table.
type tableInfo struct {
	cols    map[string]column // lower-case name → column
	indexes map[string]bool
}

type column struct {
	name, typ string // as stored; typ as format_type names it
}

// orgColumns returns the columns and indexes of every record table of org, by table
// name, in two catalog reads (one per org, not per object).
func orgColumns(ctx context.Context, tx *sql.Tx, orgID sfid.ID) (map[string]*tableInfo, error) {
	prefix := "r_" + strings.ToLower(orgID.String()) + "_"
	out := map[string]*tableInfo{}
	rows, err := tx.QueryContext(ctx, `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
		  AND starts_with(c.relname, $1) AND a.attnum > 0 AND NOT a.attisdropped`, prefix)
	if err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, name, typ string
		if err := rows.Scan(&table, &name, &typ); err != nil {
			return nil, fmt.Errorf("columns: %w", err)
		}
		ti := out[table]
		if ti == nil {
			ti = &tableInfo{cols: map[string]column{}, indexes: map[string]bool{}}
			out[table] = ti
		}
		ti.cols[strings.ToLower(name)] = column{name, typ}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	rows.Close()
	irows, err := tx.QueryContext(ctx, `SELECT tablename, indexname FROM pg_indexes
		WHERE schemaname = current_schema() AND starts_with(tablename, $1)`, prefix)
	if err != nil {
		return nil, fmt.Errorf("indexes: %w", err)
	}
	defer irows.Close()
	for irows.Next() {
		var table, index string
		if err := irows.Scan(&table, &index); err != nil {
			return nil, fmt.Errorf("indexes: %w", err)
		}
		if ti := out[table]; ti != nil {
			ti.indexes[index] = true
		}
	}
	return out, irows.Err()
}

// syncTable creates obj's table or adds the columns it lacks, then its indexes.
func syncTable(ctx context.Context, tx *sql.Tx, orgID sfid.ID, obj *schema.Object, tables map[string]*tableInfo) error {
	table := recordTable(orgID, obj)
	have := tables[table]
	if have == nil {
		if _, err := tx.ExecContext(ctx, createTableSQL(table, obj)); err != nil {
			return fmt.Errorf("create table: %w", err)
		}
		have = &tableInfo{indexes: map[string]bool{}}
	} else {
		if _, ok := have.cols["isdeleted"]; !ok {
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+quoteIdent(table)+
				` ADD COLUMN "IsDeleted" BOOLEAN NOT NULL DEFAULT false`); err != nil {
				return fmt.Errorf("add column IsDeleted: %w", err)
			}
		}
		for i := range obj.Fields {
			f := &obj.Fields[i]
			if strings.EqualFold(f.Name, "IsDeleted") || strings.EqualFold(f.Name, "Id") || f.Compound() {
				continue
			}
			want := baseType(columnType(f))
			got, ok := have.cols[strings.ToLower(f.Name)]
			if ok {
				if got.typ != want {
					return fmt.Errorf("field %s is now %s (a %s column) but its column is %s: "+
						"changing a field's storage type is not supported", f.Name, f.Type, want, got.typ)
				}
				if got.name != f.Name { // the catalog changed the name's case
					if _, err := tx.ExecContext(ctx, "ALTER TABLE "+quoteIdent(table)+" RENAME COLUMN "+
						quoteIdent(got.name)+" TO "+quoteIdent(f.Name)); err != nil {
						return fmt.Errorf("rename column %s: %w", f.Name, err)
					}
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+quoteIdent(table)+" ADD COLUMN "+
				quoteIdent(f.Name)+" "+columnType(f)); err != nil {
				return fmt.Errorf("add column %s: %w", f.Name, err)
			}
		}
	}
	for _, ix := range tableIndexes(table, obj) {
		if have.indexes[ix.name] {
			continue
		}
		if _, err := tx.ExecContext(ctx, ix.sql); err != nil {
			return fmt.Errorf("index %s: %w", ix.name, err)
		}
	}
	return nil
}

// index is one index Sync keeps.
type index struct{ name, sql string }

// tableIndexes are the indexes of obj's table.
func tableIndexes(table string, obj *schema.Object) []index {
	var out []index
	on := " ON " + quoteIdent(table)
	for i := range obj.Fields {
		f := &obj.Fields[i]
		switch indexKind(obj, f) {
		case "index":
			name := indexName(table, f.Name, "")
			out = append(out, index{name, "CREATE INDEX IF NOT EXISTS " + quoteIdent(name) + on + " (" + colKey(f) + ")"})
		case "modstamp":
			// Covering getUpdated (replication.go): its range, its order (SystemModstamp,
			// Id) and every column it reads, so a day of changes is an index-only scan.
			cols := quoteIdent(f.Name) + `, "Id", "IsDeleted"`
			if _, ok := obj.Field("OwnerId"); ok {
				cols += `, "OwnerId"`
			}
			name := indexName(table, f.Name, "")
			out = append(out, index{name, "CREATE INDEX IF NOT EXISTS " + quoteIdent(name) + on + " (" + cols + ")"})
		case "unique":
			name := indexName(table, f.Name, "__u")
			out = append(out, index{name, "CREATE UNIQUE INDEX IF NOT EXISTS " + quoteIdent(name) + on +
				" (" + colKey(f) + `) WHERE NOT "IsDeleted"`})
		}
	}
	// The deleted-row index, partial so that it holds only soft-deleted rows: Count reads
	// it (records_count.go).
	name := shortIdent(table + "__deleted")
	out = append(out, index{name, "CREATE INDEX IF NOT EXISTS " + quoteIdent(name) + on + ` ("IsDeleted") WHERE "IsDeleted"`})
	return out
}

// createTableSQL is the CREATE TABLE statement of obj's table.
func createTableSQL(table string, obj *schema.Object) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS " + quoteIdent(table) + ` ("Id" TEXT COLLATE "C" PRIMARY KEY`)
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if strings.EqualFold(f.Name, "Id") || strings.EqualFold(f.Name, "IsDeleted") || f.Compound() {
			continue // a compound field has no column: its parts are stored
		}
		b.WriteString(", " + quoteIdent(f.Name) + " " + columnType(f))
	}
	b.WriteString(`, "IsDeleted" BOOLEAN NOT NULL DEFAULT false)`)
	return b.String()
}
