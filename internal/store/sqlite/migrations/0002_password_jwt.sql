-- 0002: the JWT bearer and username-password flows.
--
-- Org password policy, profile login IP ranges, connected-app certificates, approvals and
-- IP relaxation, and user password / security token hashes are columns of the existing
-- Setup tables. Invalid-login counters live in their own table: they are written on the
-- token path, outside Setup transactions, and must not invalidate the Setup cache.

ALTER TABLE orgs ADD COLUMN disable_username_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orgs ADD COLUMN lockout_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orgs ADD COLUMN lockout_minutes INTEGER NOT NULL DEFAULT 0;

ALTER TABLE profiles ADD COLUMN login_ip_ranges TEXT NOT NULL DEFAULT '[]'; -- JSON [{start,end}]

ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN security_token_hash TEXT NOT NULL DEFAULT '';

ALTER TABLE connected_apps ADD COLUMN certificates TEXT NOT NULL DEFAULT '[]';      -- JSON array of PEM
ALTER TABLE connected_apps ADD COLUMN approved_user_ids TEXT NOT NULL DEFAULT '[]'; -- JSON array of IDs
ALTER TABLE connected_apps ADD COLUMN ip_relaxation TEXT NOT NULL DEFAULT '';

CREATE TABLE login_lockouts (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER -- NULL: not locked
) WITHOUT ROWID;
