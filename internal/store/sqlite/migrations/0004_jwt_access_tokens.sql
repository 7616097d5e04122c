-- 0004: JWT-based access tokens (the reference §6.3). An app opts in with
-- jwt_access_tokens; the server's RSA signing keys live in signing_keys. private_der is the
-- PKCS #8 DER of the key, stored unencrypted: whoever can read the database can already
-- read every session and setting (see docs/operations.md).
ALTER TABLE connected_apps ADD COLUMN jwt_access_tokens INTEGER NOT NULL DEFAULT 0;

CREATE TABLE signing_keys (
    kid          TEXT PRIMARY KEY,  -- short numeric string
    private_der  BLOB NOT NULL,
    created_at   INTEGER NOT NULL,  -- Unix milliseconds: published from here
    activate_at  INTEGER NOT NULL,  -- signs from here
    retire_at    INTEGER            -- NULL: not scheduled; unpublished from here
);
