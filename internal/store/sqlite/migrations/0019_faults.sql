-- 0019: faults on demand (issue 14 §1, package faults). One row per injected fault; a
-- count fault is claimed with UPDATE … SET remaining = remaining - 1 WHERE remaining > 0,
-- so "the next N requests" is exactly N. app_id and user_id are '' for "any".
CREATE TABLE faults (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     TEXT NOT NULL,
    app_id     TEXT NOT NULL DEFAULT '',
    user_id    TEXT NOT NULL DEFAULT '',
    family     TEXT NOT NULL,
    answer     TEXT NOT NULL,
    count      INTEGER NOT NULL DEFAULT 0,
    remaining  INTEGER NOT NULL DEFAULT 0,
    fraction   REAL NOT NULL DEFAULT 0,
    until_ms   INTEGER NOT NULL DEFAULT 0, -- Unix milliseconds; 0: none
    delay_ms   INTEGER NOT NULL DEFAULT 0,
    hits       INTEGER NOT NULL DEFAULT 0,
    source     TEXT NOT NULL DEFAULT '',   -- 'orgfile' for the faults an org file declared
    created_at INTEGER NOT NULL            -- Unix milliseconds
);
CREATE INDEX faults_org ON faults (org_id, id);
