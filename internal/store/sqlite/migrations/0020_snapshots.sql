-- 0020: snapshots of one org (issue 14 §3, snapshots.go). A snapshot's rows live in
-- plain copy tables snap_<snapshot id>_<n>, one per table it copied; snapshot_tables says
-- which table each copy came from, its kind ('setup': a Setup table's rows of the org;
-- 'record': one of the org's record tables; 'shadow': an FTS5 index's shadow table;
-- 'vtable': a virtual table, DDL only), the table's CREATE statement and index
-- statements (from sqlite_master) so that a restore can rebuild a table whose shape has
-- changed since, and how many rows were copied. AUTOINCREMENT: a deleted snapshot's id
-- (and so its copy tables' names) is never handed out again.
CREATE TABLE snapshots (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL, -- Unix milliseconds
    records    INTEGER NOT NULL DEFAULT 0,
    bytes      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (org_id, name)
);

CREATE TABLE snapshot_tables (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    n           INTEGER NOT NULL,
    tbl         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    ddl         TEXT NOT NULL DEFAULT '',
    idx         TEXT NOT NULL DEFAULT '[]', -- JSON array of CREATE INDEX statements
    rows        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (snapshot_id, n)
) WITHOUT ROWID;
