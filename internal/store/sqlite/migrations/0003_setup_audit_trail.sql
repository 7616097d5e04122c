-- 0003: the setup audit trail (Salesforce's SetupAuditTrail object): one row per admin
-- change, written in the transaction of the change. Rows never hold a secret. No foreign
-- keys: the trail outlives the objects it names. Numbered 0003 so that it can merge with a
-- 0002 written on another branch; migrate.go applies every version it has not recorded.
CREATE TABLE setup_audit_trail (
    id            TEXT PRIMARY KEY,
    org_id        TEXT,             -- NULL: a server-wide change
    created_date  INTEGER NOT NULL, -- Unix milliseconds
    created_by    TEXT NOT NULL,    -- the actor, e.g. "admin token"
    action        TEXT NOT NULL,
    section       TEXT NOT NULL DEFAULT '',
    object_id     TEXT,
    display       TEXT NOT NULL DEFAULT '',
    delegate_user TEXT NOT NULL DEFAULT ''
);
CREATE INDEX setup_audit_trail_date ON setup_audit_trail (created_date, id);
CREATE INDEX setup_audit_trail_org ON setup_audit_trail (org_id, created_date, id);

-- Expired credentials are swept by expiry time.
CREATE INDEX credentials_expires ON credentials (expires_at) WHERE expires_at IS NOT NULL;
