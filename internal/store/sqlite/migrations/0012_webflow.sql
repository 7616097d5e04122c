-- 0012: the browser-side flows (../shared/reference/salesforce-webflow.md): the connected
-- app's web server and refresh token settings, authorization codes, refresh tokens
-- (Salesforce's OauthToken) and approvals. Codes and tokens are stored by SHA-256 only.
ALTER TABLE connected_apps ADD COLUMN consumer_secret_optional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connected_apps ADD COLUMN refresh_secret_optional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connected_apps ADD COLUMN pkce_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connected_apps ADD COLUMN refresh_token_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE connected_apps ADD COLUMN refresh_token_rotation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connected_apps ADD COLUMN id_token_validity_minutes INTEGER NOT NULL DEFAULT 0;

-- The refresh token a session was minted from (NULL: none). Deliberately not indexed: an
-- index cost every refresh ~10 µs of the session's group commit (its entries scatter over
-- one B-tree page per live refresh token), which put refresh-token issuance at 0.75 of
-- client credentials' (docs/performance.md, goal 0.8). Revocation, which is rare, finds
-- the sessions through their user (sessions_user, DeleteRefreshTokens).
ALTER TABLE sessions ADD COLUMN refresh_token_id TEXT;

CREATE TABLE oauth_codes (
    code_hash        BLOB PRIMARY KEY,
    org_id           TEXT NOT NULL,
    user_id          TEXT NOT NULL,
    app_id           TEXT NOT NULL,
    redirect_uri     TEXT NOT NULL,
    challenge        TEXT NOT NULL DEFAULT '',
    challenge_method TEXT NOT NULL DEFAULT '',
    scopes           TEXT NOT NULL DEFAULT '[]', -- JSON array
    nonce            TEXT NOT NULL DEFAULT '',
    auth_time        INTEGER,                    -- Unix milliseconds
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);

CREATE TABLE refresh_tokens (
    seq          INTEGER PRIMARY KEY,        -- the 0CQ ID's sequence number
    token_hash   BLOB NOT NULL UNIQUE,
    family_seq   INTEGER NOT NULL,           -- seq of the rotation chain's first token
    org_id       TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    app_id       TEXT NOT NULL,
    scopes       TEXT NOT NULL DEFAULT '[]', -- JSON array
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    use_count    INTEGER NOT NULL DEFAULT 0,
    rotated_at   INTEGER
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id, app_id);
CREATE INDEX refresh_tokens_app ON refresh_tokens (app_id);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_seq);

CREATE TABLE oauth_approvals (
    org_id     TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    app_id     TEXT NOT NULL,
    scopes     TEXT NOT NULL DEFAULT '[]', -- JSON array
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, app_id)
) WITHOUT ROWID;
CREATE INDEX oauth_approvals_app ON oauth_approvals (app_id);
