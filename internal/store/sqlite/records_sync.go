package sqlite

// Sync: the record tables of an org and the Setup views follow its catalog
// (records.Store.Sync; conventions in records_tables.go).
//
// Indexes. Every data table gets an index on its name field, OwnerId, every reference
// field and every external ID field, and one on (SystemModstamp, Id, IsDeleted, OwnerId)
// that covers getUpdated, so that SOQL filters and joins on them and Find
// (upsert by external ID, parent checks) never scan; a partial index of the soft-deleted
// rows lets Count count live rows without reading them. A unique field gets a UNIQUE index
// on its column; text columns are COLLATE NOCASE, so "ACME-1" and "acme-1" collide, as
// Salesforce's unique text fields do unless declared case-sensitive.
//
// Unique values of deleted records. Salesforce does not let a record in the Recycle Bin
// block a new record with the same unique value: the conflict surfaces later, when the
// deleted record is undeleted (DUPLICATE_VALUE on undelete). The unique indexes are
// therefore partial, WHERE IsDeleted = 0: a soft-deleted row frees its values, and an
// Update that sets IsDeleted back to false fails with DuplicateError if the value was
// taken meanwhile.
//
// Type changes. A column keeps the type it was created with (SQLite cannot alter one). A
// field whose type now needs another storage class (TEXT, INTEGER, REAL) is an error;
// TEXT stays TEXT whatever the collation, which is harmless: 18-character IDs are
// case-safe, so NOCASE never makes two different IDs equal.
//
// Dropped fields and objects keep their columns and tables (their data stays, unread).

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/sosl"
)

// recordsSynced remembers, per org, the signature of the catalog last synced, so that a
// Sync with an unchanged catalog runs no SQL.
type recordsSynced struct {
	mu   sync.Mutex
	orgs map[sfid.ID]syncMark
}

type syncMark struct {
	cat *schema.Catalog // catalogs are immutable: the same pointer needs no signature
	sig [sha256.Size]byte
}

// Sync makes org's record tables and the Setup views match cat. It is cheap when cat
// (or an equal catalog) was synced before, and safe to call concurrently: the DDL runs
// in a write transaction, so concurrent calls run one after the other, the later ones
// finding nothing left to do.
func (db *DB) Sync(ctx context.Context, orgID sfid.ID, cat *schema.Catalog) error {
	if len(orgID) != 18 || cat == nil {
		return fmt.Errorf("sqlite: sync org %q: want an 18-character org ID and a catalog", orgID)
	}
	db.synced.mu.Lock()
	mark, ok := db.synced.orgs[orgID]
	db.synced.mu.Unlock()
	if ok && mark.cat == cat {
		return nil
	}
	sig := catalogSignature(orgID, cat)
	if ok && mark.sig == sig {
		db.remember(orgID, cat, sig)
		return nil
	}
	err := db.write(ctx, func(w *wtx) error {
		db.snapTrack.forget(orgID) // DDL, index rebuilds: the next restore compares everything
		for _, obj := range cat.Objects() {
			var err error
			if obj.Setup {
				err = syncSetupView(ctx, w.tx, obj)
			} else {
				err = syncTable(ctx, w.tx, orgID, obj)
				if err == nil {
					err = syncSearch(ctx, w.tx, orgID, obj) // search_index.go
				}
			}
			if err != nil {
				return fmt.Errorf("sqlite: sync %s of org %s: %w", obj.Name, orgID, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	db.remember(orgID, cat, sig)
	return nil
}

func (db *DB) remember(orgID sfid.ID, cat *schema.Catalog, sig [sha256.Size]byte) {
	db.synced.mu.Lock()
	defer db.synced.mu.Unlock()
	if db.synced.orgs == nil {
		db.synced.orgs = map[sfid.ID]syncMark{}
	}
	db.synced.orgs[orgID] = syncMark{cat: cat, sig: sig}
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
		fmt.Fprintf(h, "search %t %s\n", sosl.SearchableObject(obj), searchSignature(obj))
	}
	var sig [sha256.Size]byte
	h.Sum(sig[:0])
	return sig
}

// indexKind is the index Sync keeps on f's column: "unique", "index" or "".
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

// syncTable creates obj's table or adds the columns it lacks, then its indexes.
func syncTable(ctx context.Context, tx *sql.Tx, orgID sfid.ID, obj *schema.Object) error {
	table := recordTable(orgID, obj)
	have, err := tableColumns(ctx, tx, table)
	if err != nil {
		return err
	}
	if len(have) == 0 {
		if _, err := tx.ExecContext(ctx, createTableSQL(table, obj)); err != nil {
			return fmt.Errorf("create table: %w", err)
		}
	} else {
		if _, ok := have["isdeleted"]; !ok {
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+quoteIdent(table)+
				" ADD COLUMN IsDeleted INTEGER NOT NULL DEFAULT 0"); err != nil {
				return fmt.Errorf("add column IsDeleted: %w", err)
			}
		}
		for i := range obj.Fields {
			f := &obj.Fields[i]
			if strings.EqualFold(f.Name, "IsDeleted") || strings.EqualFold(f.Name, "Id") || f.Compound() {
				continue
			}
			want := storageClass(columnType(f))
			got, ok := have[strings.ToLower(f.Name)]
			if ok {
				if got != want {
					return fmt.Errorf("field %s is now %s (an %s column) but its column is %s: "+
						"changing a field's storage type is not supported", f.Name, f.Type, want, got)
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, "ALTER TABLE "+quoteIdent(table)+" ADD COLUMN "+
				quoteIdent(f.Name)+" "+columnType(f)); err != nil {
				return fmt.Errorf("add column %s: %w", f.Name, err)
			}
		}
	}
	for i := range obj.Fields {
		f := &obj.Fields[i]
		kind := indexKind(obj, f)
		if kind == "" {
			continue
		}
		name := table + "__" + strings.ToLower(f.Name)
		q := "CREATE INDEX IF NOT EXISTS " + quoteIdent(name) + " ON " + quoteIdent(table) + " (" + quoteIdent(f.Name) + ")"
		if kind == "modstamp" {
			// Covering getUpdated (replication.go): its range, its order (SystemModstamp,
			// Id) and every column it reads, so a day of changes reads only the index.
			cols := `"SystemModstamp", "Id", "IsDeleted"`
			if _, ok := obj.Field("OwnerId"); ok {
				cols += `, "OwnerId"`
			}
			q = "CREATE INDEX IF NOT EXISTS " + quoteIdent(name) + " ON " + quoteIdent(table) + " (" + cols + ")"
		}
		if kind == "unique" {
			q = "CREATE UNIQUE INDEX IF NOT EXISTS " + quoteIdent(name+"__u") + " ON " + quoteIdent(table) +
				" (" + quoteIdent(f.Name) + ") WHERE IsDeleted = 0"
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index %s: %w", f.Name, mapErr(err))
		}
	}
	// The deleted-row index, partial so that it holds only soft-deleted rows and no query
	// for live rows (IsDeleted = 0) can pick it: Count reads it (records_count.go).
	if _, err := tx.ExecContext(ctx, "CREATE INDEX IF NOT EXISTS "+quoteIdent(table+"__deleted")+
		" ON "+quoteIdent(table)+" (IsDeleted) WHERE IsDeleted <> 0"); err != nil {
		return fmt.Errorf("index IsDeleted: %w", mapErr(err))
	}
	return nil
}

// createTableSQL is the CREATE TABLE statement of obj's table.
func createTableSQL(table string, obj *schema.Object) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS " + quoteIdent(table) + " (Id TEXT PRIMARY KEY")
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if strings.EqualFold(f.Name, "Id") || strings.EqualFold(f.Name, "IsDeleted") || f.Compound() {
			continue // a compound field has no column: its parts are stored
		}
		b.WriteString(", " + quoteIdent(f.Name) + " " + columnType(f))
	}
	b.WriteString(", IsDeleted INTEGER NOT NULL DEFAULT 0)")
	return b.String()
}

// tableColumns returns the columns of table (lower-case name → storage class), empty
// when there is no such table.
func tableColumns(ctx context.Context, q querier, table string) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT name, type FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	cols := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		cols[strings.ToLower(name)] = storageClass(typ)
	}
	return cols, rows.Err()
}

// storageClass is the type name of a column declaration, without its collation.
func storageClass(decl string) string {
	typ, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(decl)), " ")
	return typ
}

// syncSetupView (re)creates obj's view when its definition changed. Views are shared by
// every org; the definition comes from the catalog's Setup objects, which are the same
// for every org.
func syncSetupView(ctx context.Context, tx *sql.Tx, obj *schema.Object) error {
	want, ok := setupViewSQL(obj)
	if !ok {
		return nil // no Setup table behind it: the object has no rows
	}
	name := recordTable("", obj)
	var have string
	err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE type = 'view' AND name = ?", name).Scan(&have)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("view %s: %w", name, err)
	}
	if have == want {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "DROP VIEW IF EXISTS "+quoteIdent(name)); err != nil {
		return fmt.Errorf("drop view %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, want); err != nil {
		return fmt.Errorf("create view %s: %w", name, err)
	}
	return nil
}
