-- 0001: Forcefield's initial schema.
--
-- Times are INTEGER Unix milliseconds UTC (NULL for the zero time). IDs are 18-character
-- Salesforce IDs in TEXT, except in the two high-volume tables (sessions, login_history)
-- whose INTEGER PRIMARY KEY "seq" is the ID's sequence number: the ID is rebuilt from it
-- with sfid.New, which keeps rows and indexes small and makes "newest first" the rowid
-- order every index already carries.

-- id_sequences holds the last sequence number handed out per key prefix. It is updated in
-- the same transaction as the rows that use the numbers, so a rollback gives them back and
-- a deleted row's ID is never handed out again.
CREATE TABLE id_sequences (
    prefix TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE orgs (
    id                      TEXT PRIMARY KEY,
    name                    TEXT NOT NULL UNIQUE,
    my_domain               TEXT NOT NULL DEFAULT '',
    session_timeout_minutes INTEGER NOT NULL DEFAULT 0,
    daily_api_requests      INTEGER NOT NULL DEFAULT 0,
    created_at              INTEGER,
    updated_at              INTEGER
);

CREATE TABLE profiles (
    id                      TEXT PRIMARY KEY,
    org_id                  TEXT NOT NULL REFERENCES orgs (id),
    name                    TEXT NOT NULL,
    permissions             TEXT NOT NULL DEFAULT '[]', -- JSON array of names
    session_timeout_minutes INTEGER NOT NULL DEFAULT 0,
    created_at              INTEGER,
    updated_at              INTEGER,
    UNIQUE (org_id, name)
);

CREATE TABLE permission_sets (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    name        TEXT NOT NULL,
    permissions TEXT NOT NULL DEFAULT '[]', -- JSON array of names
    created_at  INTEGER,
    updated_at  INTEGER,
    UNIQUE (org_id, name)
);

CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs (id),
    username   TEXT NOT NULL UNIQUE, -- unique across every org
    first_name TEXT NOT NULL DEFAULT '',
    last_name  TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    profile_id TEXT REFERENCES profiles (id), -- NULL: none
    active     INTEGER NOT NULL DEFAULT 0,
    time_zone  TEXT NOT NULL DEFAULT '',
    locale     TEXT NOT NULL DEFAULT '',
    language   TEXT NOT NULL DEFAULT '',
    created_at INTEGER,
    updated_at INTEGER
);
CREATE INDEX users_org ON users (org_id);
CREATE INDEX users_profile ON users (profile_id);

-- Assignments keep their own 0Pa IDs across PutUser calls; position keeps the order of
-- User.PermissionSetIDs.
CREATE TABLE permission_set_assignments (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    permission_set_id TEXT NOT NULL REFERENCES permission_sets (id),
    position          INTEGER NOT NULL,
    UNIQUE (user_id, permission_set_id)
);
CREATE INDEX permission_set_assignments_permset ON permission_set_assignments (permission_set_id);

CREATE TABLE connected_apps (
    id                         TEXT PRIMARY KEY,
    org_id                     TEXT NOT NULL REFERENCES orgs (id),
    name                       TEXT NOT NULL,
    contact_email              TEXT NOT NULL DEFAULT '',
    callback_urls              TEXT NOT NULL DEFAULT '[]', -- JSON array
    scopes                     TEXT NOT NULL DEFAULT '[]', -- JSON array
    client_credentials_enabled INTEGER NOT NULL DEFAULT 0,
    run_as_user_id             TEXT REFERENCES users (id), -- NULL: unset
    permitted_users            TEXT NOT NULL DEFAULT '',
    profile_ids                TEXT NOT NULL DEFAULT '[]', -- JSON array of IDs
    permission_set_ids         TEXT NOT NULL DEFAULT '[]', -- JSON array of IDs
    session_timeout_minutes    INTEGER NOT NULL DEFAULT 0,
    introspect_all_tokens      INTEGER NOT NULL DEFAULT 0,
    created_at                 INTEGER,
    updated_at                 INTEGER,
    UNIQUE (org_id, name)
);
CREATE INDEX connected_apps_run_as ON connected_apps (run_as_user_id);

-- consumer_key is not unique: one app holds several pairs with the same key while its
-- secret rotates. That no two apps share a key is checked by the writer, inside the write
-- transaction.
CREATE TABLE credentials (
    id           TEXT PRIMARY KEY,
    app_id       TEXT NOT NULL REFERENCES connected_apps (id),
    consumer_key TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT '',
    created_at   INTEGER,
    expires_at   INTEGER -- NULL: does not expire
);
CREATE INDEX credentials_key ON credentials (consumer_key);
CREATE INDEX credentials_app ON credentials (app_id, created_at);

-- sessions: millions of rows. No foreign keys: rows are written on the token hot path by
-- the OAuth server that has just read the org, user and app.
CREATE TABLE sessions (
    seq           INTEGER PRIMARY KEY, -- the 0Ak ID's sequence number
    token_hash    BLOB NOT NULL UNIQUE,
    org_id        TEXT,
    user_id       TEXT,
    app_id        TEXT,
    scopes        TEXT NOT NULL DEFAULT '[]', -- JSON array
    source_ip     TEXT NOT NULL DEFAULT '',
    login_type    TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    last_activity INTEGER NOT NULL,
    timeout_ms    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL -- last_activity + timeout_ms, kept by TouchSessions
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_history (
    seq            INTEGER PRIMARY KEY, -- the 0Ya ID's sequence number
    org_id         TEXT,
    user_id        TEXT,
    app_id         TEXT,
    time           INTEGER NOT NULL,
    source_ip      TEXT NOT NULL DEFAULT '',
    login_type     TEXT NOT NULL DEFAULT '',
    login_sub_type TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT '',
    application    TEXT NOT NULL DEFAULT '',
    login_url      TEXT NOT NULL DEFAULT '',
    api_type       TEXT NOT NULL DEFAULT '',
    api_version    TEXT NOT NULL DEFAULT '',
    browser        TEXT NOT NULL DEFAULT '',
    platform       TEXT NOT NULL DEFAULT ''
);
-- One index only: every token request writes a row here inside the group commit, and each
-- index costs a page write per commit (measured: dropping two more indexes made a 16-row
-- commit about 20% cheaper). Filters by org, user or app walk this index newest first and
-- stop at the LIMIT, which is cheap while the filtered rows are not rare.
CREATE INDEX login_history_time ON login_history (time);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
