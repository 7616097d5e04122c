-- Bulk API jobs, their batches and the batches' stored parts (bulk.Store), and list view
-- use (store.ListViewUse): the shape of SQLite's 0006_bulk.sql and 0009_listview_use.sql.
-- IDs are COLLATE "C" so that ORDER BY id and paging by id > $1 follow byte order as in
-- SQLite, whatever the database's locale (Salesforce IDs mix upper and lower case).

CREATE TABLE bulk_jobs (
    id         TEXT COLLATE "C" PRIMARY KEY,
    org_id     TEXT NOT NULL,
    type       TEXT NOT NULL,
    state      TEXT NOT NULL,
    created_at BIGINT NOT NULL, -- Unix milliseconds
    info       TEXT NOT NULL    -- the bulk.Job as JSON
);
CREATE INDEX bulk_jobs_org ON bulk_jobs (org_id, id);
CREATE INDEX bulk_jobs_state ON bulk_jobs (state);
CREATE INDEX bulk_jobs_created ON bulk_jobs (created_at);

CREATE TABLE bulk_batches (
    id     TEXT COLLATE "C" PRIMARY KEY,
    job_id TEXT COLLATE "C" NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    state  TEXT NOT NULL,
    info   TEXT NOT NULL, -- the bulk.Batch as JSON
    UNIQUE (job_id, seq)
);
CREATE INDEX bulk_batches_state ON bulk_batches (state);

-- batch_id is not a foreign key, as in SQLite; but here an upload's request parts and its
-- batch row commit in one transaction (bulkbatches.go), so no part outlives a failed
-- upload and nothing needs sweeping at start.
CREATE TABLE bulk_parts (
    batch_id  TEXT COLLATE "C" NOT NULL,
    kind      TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    first_row BIGINT NOT NULL,
    rows      INTEGER NOT NULL,
    data      BYTEA NOT NULL,
    PRIMARY KEY (batch_id, kind, seq)
);

-- One row per user and list view, keeping the newest use. object is compared
-- case-insensitively (SQLite's COLLATE NOCASE) through lower(object).
CREATE TABLE listview_use (
    user_id TEXT COLLATE "C" NOT NULL,
    view_id TEXT COLLATE "C" NOT NULL,
    org_id  TEXT NOT NULL,
    object  TEXT NOT NULL,
    used_at BIGINT NOT NULL, -- Unix milliseconds
    PRIMARY KEY (user_id, view_id)
);
CREATE INDEX listview_use_recent ON listview_use (user_id, lower(object), used_at DESC);
