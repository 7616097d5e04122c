package postgres

// The SOSL text index (records.Store.Search) on PostgreSQL: a tsvector per record in a
// GIN index (PostgreSQL docs §12.9 "Preferred Index Types for Text Search").
//
// Layout. Every searchable object (sosl.SearchableObject) of an org has, beside its
// record table, a table <record table>__search ("Id", doc): one row per record with any
// text to find. (No foreign key to the record: PostgreSQL checks one per inserted row,
// which cost more than the index itself — 0.2 ms a record; Purge removes the entries
// instead.) doc holds the lexemes of every searchable field
// (sosl.SearchFields), each lexeme tagged with its field and kind — f/<field>/<token> for
// the folded tokens, s/<field>/<token> for the camelCase and letter↔digit sub-tokens
// (sosl.IndexText) — with their positions, so a phrase is matched within one field (<->,
// adjacent positions) and a search looks only in the fields of its IN group that the
// caller names: the tsquery names their tags. The tokens are computed in Go (package sosl
// decides what a token is, as for SQLite's FTS5) and handed to PostgreSQL as a tsvector
// value: no text search configuration ever re-tokenises or stems them (why not
// to_tsvector('simple', …): its parser splits differently from sosl, e.g. on camelCase
// and e-mail addresses, and the two backends must find the same records).
//
// Entries follow the records, live or deleted: queries join the record table, whose
// IsDeleted decides, so a delete or an undelete needs no index write. Insert indexes its
// records; an Update that touches a searchable field re-indexes its record; both in the
// write's transaction, so a rolled-back write leaves no trace (records_write.go calls
// indexInserted, reindexUpdated and unindexPurged).
//
// Sync creates an object's search table and (re)builds it from the records whenever its
// signature — the searchable fields and the tokenizer version — differs from the one in
// search_indexes (migration 0005), and drops it when the object stops being searchable.
//
// Bounds: PostgreSQL keeps lexeme positions up to 16,383 (a later token counts as
// there, so a phrase deep in a long text may match loosely) and refuses lexemes over
// 2,047 bytes (such a token is not indexed) (§8.11.1 "tsvector").

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/sosl"
)

// searchIndexVersion changes when what is indexed for a text changes: every index is
// then rebuilt at its next Sync.
const searchIndexVersion = "pg1"

// Lexeme limits of tsvector.
const (
	maxPosition  = 16383
	maxLexemeLen = 2000
)

// searchTable is the search table of obj's records.
func searchTable(orgID sfid.ID, obj *schema.Object) string {
	return shortIdent(recordTable(orgID, obj) + "__search")
}

// lexeme is the tagged lexeme of token tok of field f: kind "f" (token) or "s"
// (sub-token).
func lexeme(kind string, f *schema.Field, tok string) string {
	return kind + "/" + strings.ToLower(f.Name) + "/" + tok
}

// quoteLexeme quotes a lexeme for tsvector and tsquery input.
func quoteLexeme(s string) string {
	if strings.ContainsAny(s, `'\`) {
		s = lexemeEscaper.Replace(s)
	}
	return "'" + s + "'"
}

var lexemeEscaper = strings.NewReplacer(`\`, `\\`, `'`, `''`)

// searchSignature identifies what obj's index holds.
func searchSignature(obj *schema.Object) string {
	var b strings.Builder
	b.WriteString(searchIndexVersion)
	for _, f := range sosl.SearchFields(obj) {
		b.WriteString("," + strings.ToLower(f.Name))
	}
	return b.String()
}

// searchDoc is the tsvector text of rec's searchable fields and the words it holds; ""
// when it has nothing to find it by.
func searchDoc(fields []*schema.Field, rec records.Record) (string, []string) {
	pos := map[string][]int{}
	var order []string
	var words []string
	add := func(lex, word string, p int) {
		if len(lex) > maxLexemeLen {
			return
		}
		p = min(p, maxPosition)
		ps, ok := pos[lex]
		if !ok {
			order = append(order, lex)
			words = append(words, word)
		}
		if len(ps) == 0 || ps[len(ps)-1] != p {
			pos[lex] = append(ps, p)
		}
	}
	for _, f := range fields {
		s, _ := rec[f.Name].(string)
		full, sub := sosl.IndexText(s)
		if f.Type == schema.TypePhone {
			sub = sosl.PhoneSub(s, sub)
		}
		for i, tok := range strings.Fields(full) {
			add(lexeme("f", f, tok), tok, i+1)
		}
		for i, tok := range strings.Fields(sub) {
			if tok != sosl.SubSeparator { // a separator only takes a position
				add(lexeme("s", f, tok), tok, i+1)
			}
		}
	}
	if len(order) == 0 {
		return "", nil
	}
	var b strings.Builder
	for i, lex := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(lex))
		for j, p := range pos[lex] {
			if j == 0 {
				b.WriteByte(':')
			} else {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p))
		}
	}
	return b.String(), words
}

// syncSearch brings obj's search table in line with its searchable fields (see above).
func syncSearch(ctx context.Context, tx *sql.Tx, orgID sfid.ID, obj *schema.Object) error {
	table := searchTable(orgID, obj)
	var have string
	err := tx.QueryRowContext(ctx, "SELECT sig FROM search_indexes WHERE tbl = $1", table).Scan(&have)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("search index: %w", err)
	}
	if !sosl.SearchableObject(obj) {
		if have == "" {
			return nil
		}
		return dropSearch(ctx, tx, table)
	}
	want := searchSignature(obj)
	if have == want {
		return nil
	}
	if err := dropSearch(ctx, tx, table); err != nil {
		return err
	}
	for _, q := range []string{
		"CREATE TABLE " + quoteIdent(table) + ` ("Id" TEXT COLLATE "C" PRIMARY KEY, doc tsvector NOT NULL)`,
		"CREATE INDEX " + quoteIdent(shortIdent(table+"__doc")) + " ON " + quoteIdent(table) + " USING gin (doc) WITH (fastupdate = off)",
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("search index: create: %w", err)
		}
	}
	if err := buildSearch(ctx, tx, orgID, obj); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO search_indexes (tbl, sig) VALUES ($1, $2) ON CONFLICT (tbl) DO UPDATE SET sig = excluded.sig", table, want); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// dropSearch removes a search table, its words and its record in search_indexes.
func dropSearch(ctx context.Context, tx *sql.Tx, table string) error {
	for _, q := range []string{
		"DROP TABLE IF EXISTS " + quoteIdent(table),
		"DELETE FROM search_vocab WHERE tbl = $1",
		"DELETE FROM search_indexes WHERE tbl = $1",
	} {
		var err error
		if strings.Contains(q, "$1") {
			_, err = tx.ExecContext(ctx, q, table)
		} else {
			_, err = tx.ExecContext(ctx, q)
		}
		if err != nil {
			return fmt.Errorf("search index: drop: %w", err)
		}
	}
	return nil
}

// buildBatch is how many records a (re)build reads at a time.
const buildBatch = 2000

// buildSearch indexes every record of obj, in Id order, a batch at a time.
func buildSearch(ctx context.Context, tx *sql.Tx, orgID sfid.ID, obj *schema.Object) error {
	fields := sosl.SearchFields(obj)
	sel := make([]string, len(fields))
	for i, f := range fields {
		sel[i] = quoteIdent(f.Name)
	}
	q := `SELECT "Id", ` + strings.Join(sel, ", ") + " FROM " + quoteIdent(recordTable(orgID, obj)) +
		` WHERE "Id" > $1 ORDER BY "Id" LIMIT $2`
	after := ""
	for {
		rows, err := tx.QueryContext(ctx, q, after, buildBatch)
		if err != nil {
			return fmt.Errorf("search index: build: %w", err)
		}
		var docs []records.Record
		var ids []sfid.ID
		for rows.Next() {
			vals := make([]sql.NullString, len(fields)+1)
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
				if vals[i+1].Valid {
					rec[f.Name] = vals[i+1].String
				}
			}
			ids = append(ids, sfid.ID(vals[0].String))
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

// indexRecords adds the search entries of records ids (not indexed yet), whose
// searchable field values recs hold (fields absent from a record are empty), and their
// words to the vocabulary: two statements whatever the number of records.
func indexRecords(ctx context.Context, tx *sql.Tx, orgID sfid.ID, obj *schema.Object, ids []sfid.ID, recs []records.Record) error {
	fields := sosl.SearchFields(obj)
	var keys, docs []string
	seen := map[string]bool{}
	var words []string
	for i, rec := range recs {
		doc, ws := searchDoc(fields, rec)
		if doc == "" {
			continue // nothing to find it by
		}
		keys = append(keys, string(ids[i]))
		docs = append(docs, doc)
		for _, w := range ws {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	table := searchTable(orgID, obj)
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+quoteIdent(table)+` ("Id", doc) SELECT k, d::tsvector FROM unnest($1::text[], $2::text[]) AS u(k, d)`,
		keys, docs); err != nil {
		return fmt.Errorf("search index %s: %w", obj.Name, err)
	}
	// Sorted, so that concurrent writers adding the same new words lock them in one
	// order and never deadlock.
	slices.Sort(words)
	if _, err := tx.ExecContext(ctx, "INSERT INTO search_vocab (tbl, term) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
		table, words); err != nil {
		return fmt.Errorf("search index %s: %w", obj.Name, err)
	}
	return nil
}

// touchesSearch reports whether changes can change obj's index entry.
func touchesSearch(obj *schema.Object, changes records.Record) bool {
	if !sosl.SearchableObject(obj) {
		return false
	}
	for _, f := range sosl.SearchFields(obj) {
		if _, ok := changes[f.Name]; ok {
			return true
		}
	}
	return false
}

// indexInserted indexes the records of an Insert (live or deleted: see above).
func (t *recordsTx) indexInserted(ctx context.Context, obj *schema.Object, ids []sfid.ID, recs []records.Record) error {
	if !sosl.SearchableObject(obj) {
		return nil
	}
	return indexRecords(ctx, t.w.tx, t.org, obj, ids, recs)
}

// reindexUpdated re-reads record id after an Update that touches a searchable field and
// replaces its search entry.
func (t *recordsTx) reindexUpdated(ctx context.Context, obj *schema.Object, id sfid.ID, changes records.Record) error {
	if !touchesSearch(obj, changes) {
		return nil
	}
	if _, err := t.w.tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(searchTable(t.org, obj))+` WHERE "Id" = $1`, string(id)); err != nil {
		return fmt.Errorf("search index %s: %w", obj.Name, err)
	}
	var names []string
	for _, f := range sosl.SearchFields(obj) {
		names = append(names, f.Name)
	}
	got, err := getRecords(ctx, sqlRows{t.w.tx}, t.org, obj, []sfid.ID{id}, names)
	if err != nil || len(got) == 0 {
		return err
	}
	return indexRecords(ctx, t.w.tx, t.org, obj, []sfid.ID{id}, got[:1])
}

// unindexPurged removes the search entries of purged records.
func (t *recordsTx) unindexPurged(ctx context.Context, obj *schema.Object, ids []sfid.ID) error {
	if !sosl.SearchableObject(obj) {
		return nil
	}
	if _, err := t.w.tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(searchTable(t.org, obj))+` WHERE "Id" = ANY($1)`, idArray(ids)); err != nil {
		return fmt.Errorf("search index %s: %w", obj.Name, err)
	}
	return nil
}
