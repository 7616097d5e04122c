-- Records bookkeeping (records.Store; record tables themselves are per org and made by
-- Sync, records_sync.go). Same tables and columns as SQLite's migrations 0008 and 0011.
-- Text that SQLite compares NOCASE is compared here on lower(); every TEXT column that is
-- sorted or compared is COLLATE "C" so that order is byte order, as in SQLite, never the
-- database's locale.

-- The delete log (records.Replication, getDeleted): one entry per soft-deleted or purged
-- record, with its owner when deleted; undeleting removes the entry.
CREATE TABLE deleted_records (
    org_id     TEXT COLLATE "C" NOT NULL,
    record_id  TEXT COLLATE "C" NOT NULL,
    object     TEXT COLLATE "C" NOT NULL, -- the object's canonical name (compared on lower())
    owner_id   TEXT COLLATE "C",
    deleted_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, record_id)
);
CREATE INDEX deleted_records_window ON deleted_records (org_id, lower(object), deleted_at, record_id);

-- Recently viewed and referenced records, per user (records.Recent): FOR VIEW sets
-- viewed_at and referenced_at, FOR REFERENCE referenced_at (Unix milliseconds UTC, NULL
-- when never). last_at is the later of the two, the order of /recent.
CREATE TABLE recent_records (
    org_id        TEXT COLLATE "C" NOT NULL,
    user_id       TEXT COLLATE "C" NOT NULL,
    record_id     TEXT COLLATE "C" NOT NULL,
    object        TEXT COLLATE "C" NOT NULL,
    viewed_at     BIGINT,
    referenced_at BIGINT NOT NULL,
    last_at       BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id, record_id)
);
CREATE INDEX recent_records_user ON recent_records (org_id, user_id, last_at, record_id);
CREATE INDEX recent_records_user_object ON recent_records (org_id, user_id, lower(object), last_at, record_id);

-- Query cursors (records.Cursors): the query locators behind nextRecordsUrl, kept in the
-- database so that any node serves the next page. A snapshot's IDs are stored in chunks
-- of comma-separated IDs (query_cursor_ids), never one row per record.
CREATE TABLE query_cursors (
    key      TEXT COLLATE "C" PRIMARY KEY,
    org_id   TEXT COLLATE "C" NOT NULL,
    user_id  TEXT COLLATE "C" NOT NULL,
    soql     TEXT NOT NULL,
    all_rows BOOLEAN NOT NULL,
    batch    BIGINT NOT NULL,
    now_ms   BIGINT NOT NULL,
    snapshot BOOLEAN NOT NULL,
    total    BIGINT NOT NULL,
    used_ms  BIGINT NOT NULL
);
CREATE INDEX query_cursors_user ON query_cursors (org_id, user_id, used_ms);
CREATE INDEX query_cursors_used ON query_cursors (used_ms);

CREATE TABLE query_cursor_ids (
    key   TEXT COLLATE "C" NOT NULL REFERENCES query_cursors (key) ON DELETE CASCADE,
    chunk BIGINT NOT NULL,
    n     BIGINT NOT NULL,
    ids   TEXT NOT NULL,
    PRIMARY KEY (key, chunk)
);

-- ff_id(prefix, seq) is the 18-character ID Go's newID(prefix, seq) builds (sfid.New with
-- the pod 5F): prefix, pod, '0', seq in 9 base-62 digits, then the checksum suffix of
-- three 5-character chunks (salesforce-oauth.md §5). The view s_loginhistory rebuilds
-- LoginHistory IDs with it, as SQLite's registered Go function does. NULL for a NULL or
-- negative seq or a prefix that is not 3 bytes, never an error (views must not fail on
-- odd rows). Upper case is tested on byte values, never on the locale.
CREATE FUNCTION ff_id(prefix TEXT, seq BIGINT) RETURNS TEXT
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    digits CONSTANT TEXT := '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    flagsyms CONSTANT TEXT := 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
    n BIGINT := seq;
    num TEXT := '';
    id15 TEXT;
    suffix TEXT := '';
    flags INT;
    c INT;
BEGIN
    IF octet_length(prefix) <> 3 OR seq < 0 THEN
        RETURN NULL;
    END IF;
    FOR i IN 1..9 LOOP
        num := substr(digits, (n % 62)::INT + 1, 1) || num;
        n := n / 62;
    END LOOP;
    id15 := prefix || '5F0' || num;
    FOR i IN 0..2 LOOP
        flags := 0;
        FOR j IN 0..4 LOOP
            c := get_byte(convert_to(substr(id15, 5 * i + j + 1, 1), 'UTF8'), 0);
            IF c BETWEEN 65 AND 90 THEN
                flags := flags | (1 << j);
            END IF;
        END LOOP;
        suffix := suffix || substr(flagsyms, flags + 1, 1);
    END LOOP;
    RETURN id15 || suffix;
END
$$;
