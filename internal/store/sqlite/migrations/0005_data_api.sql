-- 0005: what issue 3 (the REST data API) adds to Setup.
--
-- Object and field permissions live on their profile or permission set row as JSON arrays
-- (in the order given), so reading a profile or a list of them costs no extra query.
--   object_permissions: [{"object":"Account","read":true,"create":true,…}]
--   field_permissions:  [{"field":"Account.Industry","read":true,"edit":false}]
ALTER TABLE profiles ADD COLUMN object_permissions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE profiles ADD COLUMN field_permissions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE permission_sets ADD COLUMN object_permissions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE permission_sets ADD COLUMN field_permissions TEXT NOT NULL DEFAULT '[]';

-- An org's custom objects (and custom fields on standard objects), one row per
-- schema.ObjectSpec in definition order; spec is the ObjectSpec as JSON.
CREATE TABLE custom_objects (
    org_id   TEXT NOT NULL REFERENCES orgs (id),
    position INTEGER NOT NULL,
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
