-- IDs are allocated per key prefix inside the transaction that uses them (as in SQLite's
-- id_sequences): a rollback returns the numbers, a deleted row's ID is never reused.
CREATE TABLE id_sequences (
    prefix TEXT PRIMARY KEY,
    last   BIGINT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
