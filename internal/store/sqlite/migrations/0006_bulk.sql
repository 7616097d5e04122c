-- 0006: Bulk API jobs (internal/bulk). A job and a batch are kept as their JSON (the
-- bulk.Job / bulk.Batch structs) beside the columns lists and lookups select on; a
-- batch's data — the uploaded request, the outcome of each record, a query's result
-- rows — lives in parts of at most a few MB, so nothing has to be read whole.
CREATE TABLE bulk_jobs (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    type       TEXT NOT NULL,
    state      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    info       TEXT NOT NULL
);
CREATE INDEX bulk_jobs_org ON bulk_jobs (org_id, id);
CREATE INDEX bulk_jobs_state ON bulk_jobs (state);

CREATE TABLE bulk_batches (
    id     TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    state  TEXT NOT NULL,
    info   TEXT NOT NULL,
    UNIQUE (job_id, seq)
);
CREATE INDEX bulk_batches_state ON bulk_batches (state);

-- batch_id is not a foreign key: request parts are written before their batch row
-- (which commits the upload); parts whose batch never came are removed at start.
CREATE TABLE bulk_parts (
    batch_id  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    first_row INTEGER NOT NULL,
    rows      INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (batch_id, kind, seq)
);
