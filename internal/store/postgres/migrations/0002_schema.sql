-- 0002: the Setup side of the store (store.Store): orgs, profiles, permission sets, users,
-- connected apps and their credentials, sessions, login history, the setup audit trail,
-- login lockouts, signing keys, custom object specs, seeded records, and the browser-side
-- OAuth state (authorization codes, refresh tokens, approvals, pending authorize
-- requests). settings and id_sequences are in 0001.
--
-- This is SQLite's migrations 0001–0015 (internal/store/sqlite/migrations) folded into
-- one, with the same table and column names so that the Go code ports line by line
-- (docs: issue 12, decision 1). Types: times are BIGINT Unix milliseconds UTC (NULL for
-- the zero time); flags are BOOLEAN; IDs and JSON documents are TEXT (JSON stays TEXT,
-- not JSONB: the store reads and writes whole documents and never queries inside them,
-- and TEXT keeps them byte-identical to what SQLite returns); hashes and keys are BYTEA
-- where SQLite had BLOB. No Setup column is compared case-insensitively in SQL (the Setup
-- service normalises usernames), so no lower() indexes are needed here. Where the Go code
-- orders by a TEXT ID it says COLLATE "C" (byte order, like SQLite), never the database
-- locale.

CREATE TABLE orgs (
    id                        TEXT PRIMARY KEY,
    name                      TEXT NOT NULL UNIQUE,
    my_domain                 TEXT NOT NULL DEFAULT '',
    session_timeout_minutes   BIGINT NOT NULL DEFAULT 0,
    daily_api_requests        BIGINT NOT NULL DEFAULT 0,
    created_at                BIGINT,
    updated_at                BIGINT,
    disable_username_password BOOLEAN NOT NULL DEFAULT false,
    lockout_attempts          BIGINT NOT NULL DEFAULT 0,
    lockout_minutes           BIGINT NOT NULL DEFAULT 0,
    edition                   TEXT NOT NULL DEFAULT '' -- '' is Enterprise
);

CREATE TABLE profiles (
    id                      TEXT PRIMARY KEY,
    org_id                  TEXT NOT NULL REFERENCES orgs (id),
    name                    TEXT NOT NULL,
    permissions             TEXT NOT NULL DEFAULT '[]', -- JSON array of names
    session_timeout_minutes BIGINT NOT NULL DEFAULT 0,
    created_at              BIGINT,
    updated_at              BIGINT,
    login_ip_ranges         TEXT NOT NULL DEFAULT '[]', -- JSON [{start,end}]
    object_permissions      TEXT NOT NULL DEFAULT '[]', -- JSON [{"object":…,"read":…}]
    field_permissions       TEXT NOT NULL DEFAULT '[]', -- JSON [{"field":…,"read":…}]
    UNIQUE (org_id, name)
);

CREATE TABLE permission_sets (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES orgs (id),
    name               TEXT NOT NULL,
    permissions        TEXT NOT NULL DEFAULT '[]', -- JSON array of names
    created_at         BIGINT,
    updated_at         BIGINT,
    object_permissions TEXT NOT NULL DEFAULT '[]',
    field_permissions  TEXT NOT NULL DEFAULT '[]',
    UNIQUE (org_id, name)
);

CREATE TABLE users (
    id                       TEXT PRIMARY KEY,
    org_id                   TEXT NOT NULL REFERENCES orgs (id),
    username                 TEXT NOT NULL UNIQUE, -- unique across every org
    first_name               TEXT NOT NULL DEFAULT '',
    last_name                TEXT NOT NULL DEFAULT '',
    email                    TEXT NOT NULL DEFAULT '',
    profile_id               TEXT REFERENCES profiles (id), -- NULL: none
    active                   BOOLEAN NOT NULL DEFAULT false,
    time_zone                TEXT NOT NULL DEFAULT '',
    locale                   TEXT NOT NULL DEFAULT '',
    language                 TEXT NOT NULL DEFAULT '',
    created_at               BIGINT,
    updated_at               BIGINT,
    password_hash            TEXT NOT NULL DEFAULT '',
    security_token_hash      TEXT NOT NULL DEFAULT '',
    file_password_hash       TEXT NOT NULL DEFAULT '',
    file_security_token_hash TEXT NOT NULL DEFAULT '',
    frozen                   BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX users_org ON users (org_id);
CREATE INDEX users_profile ON users (profile_id);

-- Assignments keep their own 0Pa IDs across PutUser calls; position keeps the order of
-- User.PermissionSetIDs.
CREATE TABLE permission_set_assignments (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    permission_set_id TEXT NOT NULL REFERENCES permission_sets (id),
    position          BIGINT NOT NULL,
    UNIQUE (user_id, permission_set_id)
);
CREATE INDEX permission_set_assignments_permset ON permission_set_assignments (permission_set_id);

-- An app's profile and permission set links are JSON arrays on its row (profile_ids,
-- permission_set_ids), as in SQLite.
CREATE TABLE connected_apps (
    id                         TEXT PRIMARY KEY,
    org_id                     TEXT NOT NULL REFERENCES orgs (id),
    name                       TEXT NOT NULL,
    contact_email              TEXT NOT NULL DEFAULT '',
    callback_urls              TEXT NOT NULL DEFAULT '[]', -- JSON array
    scopes                     TEXT NOT NULL DEFAULT '[]', -- JSON array
    client_credentials_enabled BOOLEAN NOT NULL DEFAULT false,
    run_as_user_id             TEXT REFERENCES users (id), -- NULL: unset
    permitted_users            TEXT NOT NULL DEFAULT '',
    profile_ids                TEXT NOT NULL DEFAULT '[]', -- JSON array of IDs
    permission_set_ids         TEXT NOT NULL DEFAULT '[]', -- JSON array of IDs
    session_timeout_minutes    BIGINT NOT NULL DEFAULT 0,
    introspect_all_tokens      BOOLEAN NOT NULL DEFAULT false,
    created_at                 BIGINT,
    updated_at                 BIGINT,
    certificates               TEXT NOT NULL DEFAULT '[]', -- JSON array of PEM
    approved_user_ids          TEXT NOT NULL DEFAULT '[]', -- JSON array of IDs
    ip_relaxation              TEXT NOT NULL DEFAULT '',
    jwt_access_tokens          BOOLEAN NOT NULL DEFAULT false,
    consumer_secret_optional   BOOLEAN NOT NULL DEFAULT false,
    refresh_secret_optional    BOOLEAN NOT NULL DEFAULT false,
    pkce_required              BOOLEAN NOT NULL DEFAULT false,
    refresh_token_policy       TEXT NOT NULL DEFAULT '',
    refresh_token_rotation     BOOLEAN NOT NULL DEFAULT false,
    id_token_validity_minutes  BIGINT NOT NULL DEFAULT 0,
    kind                       TEXT NOT NULL DEFAULT '',
    description                TEXT NOT NULL DEFAULT '',
    blocked                    BOOLEAN NOT NULL DEFAULT false,
    developer_name             TEXT NOT NULL DEFAULT '', -- '': derived from the name
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
    created_at   BIGINT,
    expires_at   BIGINT -- NULL: does not expire
);
CREATE INDEX credentials_key ON credentials (consumer_key);
CREATE INDEX credentials_app ON credentials (app_id, created_at);
CREATE INDEX credentials_expires ON credentials (expires_at) WHERE expires_at IS NOT NULL;

-- sessions: millions of rows. No foreign keys: rows are written on the token hot path by
-- the OAuth server that has just read the org, user and app. seq is the 0Ak ID's sequence
-- number (the ID is rebuilt with sfid.New). refresh_token_id is deliberately not indexed
-- (see SQLite's 0012): revocation finds sessions through sessions_user.
CREATE TABLE sessions (
    seq              BIGINT PRIMARY KEY,
    token_hash       BYTEA NOT NULL UNIQUE,
    org_id           TEXT,
    user_id          TEXT,
    app_id           TEXT,
    scopes           TEXT NOT NULL DEFAULT '[]', -- JSON array
    source_ip        TEXT NOT NULL DEFAULT '',
    login_type       TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    last_activity    BIGINT NOT NULL,
    timeout_ms       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL, -- last_activity + timeout_ms, kept by TouchSessions
    refresh_token_id TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- One index only, as in SQLite: every token request writes a row here.
CREATE TABLE login_history (
    seq            BIGINT PRIMARY KEY, -- the 0Ya ID's sequence number
    org_id         TEXT,
    user_id        TEXT,
    app_id         TEXT,
    time           BIGINT NOT NULL,
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
CREATE INDEX login_history_time ON login_history (time);

-- Invalid-login counters: written on the token path, outside Setup transactions.
CREATE TABLE login_lockouts (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    failures     BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT -- NULL: not locked
);

-- The setup audit trail (Salesforce's SetupAuditTrail): one row per admin change, written
-- in the transaction of the change. No foreign keys: the trail outlives what it names.
CREATE TABLE setup_audit_trail (
    id            TEXT PRIMARY KEY,
    org_id        TEXT,            -- NULL: a server-wide change
    created_date  BIGINT NOT NULL, -- Unix milliseconds
    created_by    TEXT NOT NULL,
    action        TEXT NOT NULL,
    section       TEXT NOT NULL DEFAULT '',
    object_id     TEXT,
    display       TEXT NOT NULL DEFAULT '',
    delegate_user TEXT NOT NULL DEFAULT ''
);
CREATE INDEX setup_audit_trail_date ON setup_audit_trail (created_date, id);
CREATE INDEX setup_audit_trail_org ON setup_audit_trail (org_id, created_date, id);

-- The server's RSA signing keys (JWT access tokens, ID tokens); private_der is PKCS #8 DER.
CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    private_der BYTEA NOT NULL,
    created_at  BIGINT NOT NULL, -- published from here
    activate_at BIGINT NOT NULL, -- signs from here
    retire_at   BIGINT           -- NULL: not scheduled; unpublished from here
);

-- An org's custom objects (and custom fields on standard objects), one row per
-- schema.ObjectSpec in definition order; spec is the ObjectSpec as JSON.
CREATE TABLE custom_objects (
    org_id   TEXT NOT NULL REFERENCES orgs (id),
    position BIGINT NOT NULL,
    name     TEXT NOT NULL,
    spec     TEXT NOT NULL,
    PRIMARY KEY (org_id, position)
);

-- Seed records an org file inserted, by their ref, so that a re-apply inserts each once.
CREATE TABLE seeded_records (
    org_id    TEXT NOT NULL REFERENCES orgs (id),
    ref       TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (org_id, ref)
);

-- Authorization codes, stored by SHA-256 only.
CREATE TABLE oauth_codes (
    code_hash        BYTEA PRIMARY KEY,
    org_id           TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    app_id           TEXT NOT NULL,
    redirect_uri     TEXT NOT NULL,
    challenge        TEXT NOT NULL DEFAULT '',
    challenge_method TEXT NOT NULL DEFAULT '',
    scopes           TEXT NOT NULL DEFAULT '[]', -- JSON array
    nonce            TEXT NOT NULL DEFAULT '',
    auth_time        BIGINT,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL
);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);

-- Refresh tokens (Salesforce's OauthToken), by SHA-256 only.
CREATE TABLE refresh_tokens (
    seq          BIGINT PRIMARY KEY,         -- the 0CQ ID's sequence number
    token_hash   BYTEA NOT NULL UNIQUE,
    family_seq   BIGINT NOT NULL,            -- seq of the rotation chain's first token
    org_id       TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    app_id       TEXT NOT NULL,
    scopes       TEXT NOT NULL DEFAULT '[]', -- JSON array
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    use_count    BIGINT NOT NULL DEFAULT 0,
    rotated_at   BIGINT
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id, app_id);
CREATE INDEX refresh_tokens_app ON refresh_tokens (app_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_seq);

CREATE TABLE oauth_approvals (
    org_id     TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    app_id     TEXT NOT NULL,
    scopes     TEXT NOT NULL DEFAULT '[]', -- JSON array
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, app_id)
);
CREATE INDEX oauth_approvals_app ON oauth_approvals (app_id);

-- Pending /services/oauth2/authorize requests, keyed by the SHA-256 of their source id.
CREATE TABLE oauth_auth_requests (
    id_hash    BYTEA PRIMARY KEY,
    org_id     TEXT NOT NULL,
    request    TEXT NOT NULL,   -- JSON
    expires_at BIGINT NOT NULL  -- Unix milliseconds
);
CREATE INDEX oauth_auth_requests_expiry ON oauth_auth_requests (expires_at);
