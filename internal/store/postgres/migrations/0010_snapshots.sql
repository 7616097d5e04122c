-- 0010: snapshots of one org (issue 14 §3, snapshots.go), as SQLite's 0020. A snapshot's
-- rows live in plain copy tables snap_<snapshot id>_<n>; snapshot_tables says which table
-- each copy came from and its kind ('setup': a Setup table's rows of the org; 'record':
-- one of the org's record tables; 'search': one of its SOSL tables), and how many rows
-- were copied. The identity is never handed out twice, so neither are copy names.
CREATE TABLE snapshots (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id     TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL, -- Unix milliseconds
    records    BIGINT NOT NULL DEFAULT 0,
    bytes      BIGINT NOT NULL DEFAULT 0,
    UNIQUE (org_id, name)
);

CREATE TABLE snapshot_tables (
    snapshot_id BIGINT NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    n           INTEGER NOT NULL,
    tbl         TEXT COLLATE "C" NOT NULL,
    kind        TEXT NOT NULL,
    rows        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (snapshot_id, n)
);

-- What the org's tables equal, per org: the snapshot last taken or restored, and the
-- oldest transaction still running then (txid_snapshot_xmin). A row whose xmin is older
-- is unchanged since, so the next restore of that snapshot compares only the newer rows
-- (snapshots_restore.go).
CREATE TABLE snapshot_state (
    org_id      TEXT COLLATE "C" PRIMARY KEY,
    snapshot_id BIGINT NOT NULL,
    horizon     BIGINT NOT NULL
);
