-- 0011: query cursors and the org file's last applied secrets.
--
-- Query cursors (records.Cursors): what a REST query locator stands for, kept in
-- the database so that any node sharing it, or the same node after a restart, serves the
-- next page. A snapshot cursor's root-row IDs are stored in order, in chunks of up to
-- 2000 comma-separated IDs (chunk n holds positions n*2000 …), so a page reads one or two
-- rows of query_cursor_ids, never one row per record.
CREATE TABLE query_cursors (
    key      TEXT PRIMARY KEY,
    org_id   TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    soql     TEXT NOT NULL,
    all_rows INTEGER NOT NULL,
    batch    INTEGER NOT NULL,
    now_ms   INTEGER NOT NULL,
    snapshot INTEGER NOT NULL,
    total    INTEGER NOT NULL,
    used_ms  INTEGER NOT NULL
);
CREATE INDEX query_cursors_user ON query_cursors (org_id, user_id, used_ms);
CREATE INDEX query_cursors_used ON query_cursors (used_ms);

CREATE TABLE query_cursor_ids (
    key   TEXT NOT NULL REFERENCES query_cursors (key) ON DELETE CASCADE,
    chunk INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    ids   TEXT NOT NULL,
    PRIMARY KEY (key, chunk)
) WITHOUT ROWID;

-- The org file's last applied password and security token of each user, as the same
-- slow salted hash the login checks use (org.User.FilePasswordHash): a restart with an
-- unchanged file keeps a secret changed since through the admin API.
ALTER TABLE users ADD COLUMN file_password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN file_security_token_hash TEXT NOT NULL DEFAULT '';
