-- SOSL text search (search_index.go). Each searchable object of an org has a table
-- <record table>__search ("Id", doc tsvector) with a GIN index, made by Sync; these two
-- tables are its bookkeeping.

-- What each search table holds (the searchable fields and the tokenizer version): Sync
-- rebuilds a table whose signature differs.
CREATE TABLE search_indexes (
    tbl TEXT COLLATE "C" PRIMARY KEY,
    sig TEXT NOT NULL
);

-- The words indexed in each search table, for SOSL words with a ? or an inner * (expanded
-- into the indexed words they match, as SQLite reads FTS5's vocabulary). Words are added
-- as records are indexed and removed when the table is rebuilt or dropped; a word whose
-- records are all gone stays until then (it expands to a word nothing matches).
CREATE TABLE search_vocab (
    tbl  TEXT COLLATE "C" NOT NULL,
    term TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (tbl, term)
);
