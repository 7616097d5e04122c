-- 0013: pending /services/oauth2/authorize requests (the webflow reference §1.1, §1.7),
-- waiting for the browser to log in and approve. The key is the SHA-256 of the opaque
-- `source` id the approval page carries; the request itself is a JSON document that
-- only the authorize endpoint reads.
CREATE TABLE oauth_auth_requests (
    id_hash    BLOB PRIMARY KEY,
    org_id     TEXT NOT NULL,
    request    TEXT NOT NULL,    -- JSON
    expires_at INTEGER NOT NULL  -- Unix milliseconds
) WITHOUT ROWID;
CREATE INDEX oauth_auth_requests_expiry ON oauth_auth_requests (expires_at);
