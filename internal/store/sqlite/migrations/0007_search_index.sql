-- 0007: the SOSL text index (issue 13, search_index.go).
--
-- Each searchable object's records have an FTS5 table beside their record table,
-- <record table>__search, with two columns per searchable field. search_indexes remembers,
-- per FTS table, the signature of the fields and tokenizer it was built for: when it
-- changes (a searchable field added or removed, a new tokenizer), Sync rebuilds the
-- table from the records. Existing record tables get their index at their first Sync.
CREATE TABLE search_indexes (
    tbl TEXT PRIMARY KEY,
    sig TEXT NOT NULL
);
