-- 0008: what getUpdated/getDeleted and recently viewed records need (issue 13 §1).
--
-- The delete log (records.Replication): one row per record soft-deleted or purged, kept
-- after a hard delete removed the record's row, so getDeleted can report both. owner_id
-- is the record's OwnerId when it was deleted (record visibility under a Private
-- default); deleted_at is Unix milliseconds UTC. Undeleting a record removes its row.
CREATE TABLE deleted_records (
    org_id     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    object     TEXT NOT NULL COLLATE NOCASE,
    owner_id   TEXT,
    deleted_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, record_id)
) WITHOUT ROWID;
CREATE INDEX deleted_records_window ON deleted_records (org_id, object, deleted_at);

-- Recently viewed and referenced records, per user (records.Recent): SOQL FOR VIEW sets
-- viewed_at and referenced_at, FOR REFERENCE referenced_at (Unix milliseconds UTC, NULL
-- when never). last_at is the later of the two, the order of /recent.
CREATE TABLE recent_records (
    org_id        TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    object        TEXT NOT NULL COLLATE NOCASE,
    viewed_at     INTEGER,
    referenced_at INTEGER NOT NULL,
    last_at       INTEGER NOT NULL,
    PRIMARY KEY (org_id, user_id, record_id)
) WITHOUT ROWID;
CREATE INDEX recent_records_user ON recent_records (org_id, user_id, last_at);
CREATE INDEX recent_records_user_object ON recent_records (org_id, user_id, object, last_at);
