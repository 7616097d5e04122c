package sqlite

// The SOSL text index (records.Store.Search): SQLite's FTS5, which modernc.org/sqlite
// compiles in (SQLITE_ENABLE_FTS5).
//
// Layout. Every searchable object (sosl.SearchableObject) of an org has, beside its
// record table r_<org>_<object>, an FTS5 table r_<org>_<object>__search with two columns
// per searchable field (sosl.SearchFields): f_<field>, the field's folded tokens, and
// s_<field>, their camelCase and letter↔digit sub-tokens (sosl.IndexText). A search looks
// in exactly the columns of the fields of its IN group that the running user may read,
// through FTS5's column filter, so a field hidden by field-level security never makes a
// record match. The tokens are computed in Go (package sosl decides what a token is) and
// handed to FTS5's ascii tokenizer, which keeps them whole: FTS5 only stores and looks
// up, it never re-tokenises.
//
// The FTS table is contentless (content='', contentless_delete=1): it keeps only the
// index, not a second copy of the text. Its rowid is the record's sequence number — the
// number its Id was allocated from (seqOf): stable for the record's life, unlike the
// record table's implicit rowid, which VACUUM may renumber. ff_sfid(prefix, n) turns it
// back into the Id to join the record table on its primary key.
//
// Writes. Every record write (Insert, Update, Delete, Purge of records.Tx — the REST
// API, composite, collections and the Bulk APIs all go through them) updates the index in
// the same transaction: a committed record is searchable at once, a rolled-back one never
// was, a soft-deleted or purged one is gone. An update re-indexes the record only when
// it touches a searchable field or IsDeleted.
//
// Sync creates the index of a new object and (re)builds it from the records whenever its
// signature — the searchable fields and the tokenizer version — differs from the one in
// search_indexes (migration 0007): so existing databases get their index at their first
// Sync, and adding or removing a searchable field rebuilds that object's index (FTS5
// cannot add columns).
//
// A vocabulary table r_<org>_<object>__search_vocab (fts5vocab, type row) lists the
// indexed terms in order: a word with a ? or an inner * is expanded into the terms it
// matches from there, then looked up as an OR (a trailing * is FTS5's own prefix query).

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	msqlite "modernc.org/sqlite"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/sosl"
)

// searchIndexVersion changes when what is indexed for a text changes (sosl.IndexText):
// every index is then rebuilt at its next Sync.
const searchIndexVersion = "v2"

func init() {
	// ff_sfid(prefix, n) is the Id this backend allocated with prefix and sequence n.
	err := msqlite.RegisterDeterministicScalarFunction("ff_sfid", 2, func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		prefix, _ := args[0].(string)
		n, ok := args[1].(int64)
		if !ok || n < 0 || len(prefix) != 3 {
			return nil, nil
		}
		return string(newID(prefix, uint64(n))), nil
	})
	if err != nil {
		panic(fmt.Sprintf("sqlite: register ff_sfid: %v", err))
	}
}

// searchTable is the FTS table of obj's records; searchVocab its vocabulary.
func searchTable(orgID sfid.ID, obj *schema.Object) string {
	return recordTable(orgID, obj) + "__search"
}

func searchVocab(orgID sfid.ID, obj *schema.Object) string {
	return searchTable(orgID, obj) + "_vocab"
}

// searchColumns are the FTS column names of field f.
func searchColumns(f *schema.Field) (full, sub string) {
	n := strings.ToLower(f.Name)
	return "f_" + n, "s_" + n
}

// searchSignature identifies what obj's index holds.
func searchSignature(obj *schema.Object) string {
	var b strings.Builder
	b.WriteString(searchIndexVersion)
	for _, f := range sosl.SearchFields(obj) {
		b.WriteString("," + strings.ToLower(f.Name))
	}
	return b.String()
}

// syncSearch brings obj's index in line with its searchable fields (see above).
func syncSearch(ctx context.Context, tx *sql.Tx, orgID sfid.ID, obj *schema.Object) error {
	table := searchTable(orgID, obj)
	var have string
	err := tx.QueryRowContext(ctx, "SELECT sig FROM search_indexes WHERE tbl = ?", table).Scan(&have)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("search index: %w", err)
	}
	if !sosl.SearchableObject(obj) {
		if have == "" {
			return nil
		}
		return dropSearch(ctx, tx, orgID, obj)
	}
	want := searchSignature(obj)
	if have == want {
		return nil
	}
	if err := dropSearch(ctx, tx, orgID, obj); err != nil {
		return err
	}
	var cols []string
	for _, f := range sosl.SearchFields(obj) {
		full, sub := searchColumns(f)
		cols = append(cols, quoteIdent(full), quoteIdent(sub))
	}
	create := "CREATE VIRTUAL TABLE " + quoteIdent(table) + " USING fts5(" + strings.Join(cols, ", ") +
		", content='', contentless_delete=1, tokenize=\"ascii tokenchars '" + sosl.SubSeparator + "'\")"
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("search index: create: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "CREATE VIRTUAL TABLE "+quoteIdent(searchVocab(orgID, obj))+
		" USING fts5vocab("+quoteIdent(table)+", 'row')"); err != nil {
		return fmt.Errorf("search index: create vocabulary: %w", err)
	}
	if err := buildSearch(ctx, tx, orgID, obj); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO search_indexes (tbl, sig) VALUES (?, ?) ON CONFLICT (tbl) DO UPDATE SET sig = excluded.sig", table, want); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// dropSearch removes obj's index and its record in search_indexes.
func dropSearch(ctx context.Context, tx *sql.Tx, orgID sfid.ID, obj *schema.Object) error {
	table := searchTable(orgID, obj)
	for _, q := range []string{
		"DROP TABLE IF EXISTS " + quoteIdent(searchVocab(orgID, obj)),
		"DROP TABLE IF EXISTS " + quoteIdent(table),
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("search index: drop: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM search_indexes WHERE tbl = ?", table); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// buildBatch is how many records a (re)build reads at a time.
const buildBatch = 2000

// buildSearch indexes every live record of obj, in Id order, a batch at a time.
func buildSearch(ctx context.Context, tx *sql.Tx, orgID sfid.ID, obj *schema.Object) error {
	fields := sosl.SearchFields(obj)
	sel := make([]string, len(fields))
	for i, f := range fields {
		sel[i] = quoteIdent(f.Name)
	}
	q := "SELECT Id, " + strings.Join(sel, ", ") + " FROM " + quoteIdent(recordTable(orgID, obj)) +
		" WHERE Id > ? AND IsDeleted = 0 ORDER BY Id LIMIT ?"
	after := ""
	for {
		rows, err := tx.QueryContext(ctx, q, after, buildBatch)
		if err != nil {
			return fmt.Errorf("search index: build: %w", err)
		}
		var docs []records.Record
		var ids []sfid.ID
		for rows.Next() {
			vals := make([]any, len(fields)+1)
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return fmt.Errorf("search index: build: %w", err)
			}
			rec := records.Record{}
			for i, f := range fields {
				rec[f.Name] = fromSQL(f, vals[i+1])
			}
			id, _ := fromSQL(&schema.Field{Type: schema.TypeID}, vals[0]).(string)
			ids = append(ids, sfid.ID(id))
			docs = append(docs, rec)
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("search index: build: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		if err := indexRecords(ctx, tx, orgID, obj, ids, docs); err != nil {
			return err
		}
		after = string(ids[len(ids)-1])
	}
}

// indexRecords adds the index entries of records ids (live, not indexed yet), whose
// searchable field values recs hold (fields absent from a record are empty).
func indexRecords(ctx context.Context, q querier, orgID sfid.ID, obj *schema.Object, ids []sfid.ID, recs []records.Record) error {
	fields := sosl.SearchFields(obj)
	cols := 1 + 2*len(fields)
	var head strings.Builder
	head.WriteString("INSERT INTO " + quoteIdent(searchTable(orgID, obj)) + " (rowid")
	for _, f := range fields {
		full, sub := searchColumns(f)
		head.WriteString(", " + quoteIdent(full) + ", " + quoteIdent(sub))
	}
	head.WriteString(") VALUES ")
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	// One row per statement, prepared once for all of recs when the querier can prepare
	// (a write transaction): FTS5 takes rows one at a time anyway, and a multi-row VALUES
	// list of a few hundred rows × 2 columns per field cost more to parse than to index
	// (BenchmarkSearchInsert).
	insert := head.String() + row
	exec := func(args []any) error {
		_, err := q.ExecContext(ctx, insert, args...)
		return err
	}
	if p, ok := q.(preparer); ok && len(recs) > 1 {
		st, err := p.PrepareContext(ctx, insert)
		if err != nil {
			return fmt.Errorf("search index %s: %w", obj.Name, err)
		}
		defer st.Close()
		exec = func(args []any) error {
			_, err := st.ExecContext(ctx, args...)
			return err
		}
	}
	args := make([]any, 0, cols)
	for i, rec := range recs {
		seq, ok := seqOf(ids[i], obj.KeyPrefix)
		if !ok {
			return fmt.Errorf("search index %s: %s is not an ID of this store", obj.Name, ids[i])
		}
		args = append(args[:0], seq)
		any := false
		for _, f := range fields {
			s, _ := rec[f.Name].(string)
			full, sub := sosl.IndexText(s)
			if f.Type == schema.TypePhone {
				sub = sosl.PhoneSub(s, sub)
			}
			args = append(args, nullIfEmpty(full), nullIfEmpty(sub)) // NULL: nothing to tokenise
			any = any || full != ""
		}
		if !any {
			continue // nothing to find it by
		}
		if err := exec(args); err != nil {
			return fmt.Errorf("search index %s: %w", obj.Name, err)
		}
	}
	return nil
}

// preparer is a querier that prepares statements (*sql.Tx).
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// unindexRecords removes the index entries of ids (absent ones are no error).
func unindexRecords(ctx context.Context, q querier, orgID sfid.ID, obj *schema.Object, ids []sfid.ID) error {
	var seqs []any
	for _, id := range ids {
		if seq, ok := seqOf(id, obj.KeyPrefix); ok {
			seqs = append(seqs, seq)
		}
	}
	table := quoteIdent(searchTable(orgID, obj))
	for start := 0; start < len(seqs); start += maxInsertRows {
		chunk := seqs[start:min(start+maxInsertRows, len(seqs))]
		if _, err := q.ExecContext(ctx, "DELETE FROM "+table+" WHERE rowid IN ("+placeholders(len(chunk))+")", chunk...); err != nil {
			return fmt.Errorf("search index %s: %w", obj.Name, err)
		}
	}
	return nil
}

// reindexRecord re-reads record id and replaces its index entry (none when it is
// deleted or gone).
func reindexRecord(ctx context.Context, q querier, orgID sfid.ID, obj *schema.Object, id sfid.ID) error {
	if err := unindexRecords(ctx, q, orgID, obj, []sfid.ID{id}); err != nil {
		return err
	}
	names := []string{"IsDeleted"}
	for _, f := range sosl.SearchFields(obj) {
		names = append(names, f.Name)
	}
	got, err := getRecords(ctx, q, orgID, obj, []sfid.ID{id}, names)
	if err != nil || len(got) == 0 {
		return err
	}
	if del, _ := got[0]["IsDeleted"].(bool); del {
		return nil
	}
	return indexRecords(ctx, q, orgID, obj, []sfid.ID{id}, got[:1])
}

// touchesSearch reports whether changes can change obj's index entry.
func touchesSearch(obj *schema.Object, changes records.Record) bool {
	if !sosl.SearchableObject(obj) {
		return false
	}
	if _, ok := changes["IsDeleted"]; ok {
		return true
	}
	for _, f := range sosl.SearchFields(obj) {
		if _, ok := changes[f.Name]; ok {
			return true
		}
	}
	return false
}

// indexInserted indexes the live records of an Insert.
func (t *recordsTx) indexInserted(ctx context.Context, obj *schema.Object, ids []sfid.ID, recs []records.Record) error {
	if !sosl.SearchableObject(obj) {
		return nil
	}
	live, liveIDs := recs[:0:0], ids[:0:0]
	for i, r := range recs {
		if del, _ := r["IsDeleted"].(bool); del {
			continue
		}
		live, liveIDs = append(live, r), append(liveIDs, ids[i])
	}
	return indexRecords(ctx, t.w.tx, t.org, obj, liveIDs, live)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
