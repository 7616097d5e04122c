-- What the Forcefield nodes on this database share beyond storage (cluster.go).

-- Periodic work that runs once across the nodes (cluster.Timers.Due): a node runs job
-- name when it moves next_run (Unix milliseconds) forward from a value not after its now.
CREATE TABLE cluster_timers (
    name     TEXT PRIMARY KEY,
    next_run BIGINT NOT NULL
);

-- Shared quotas (cluster.Quotas): one row per counter, locked FOR UPDATE by a reservation
-- so that reservations of one counter are serialised and never grant past the limit.
CREATE TABLE cluster_quota_keys (
    key TEXT PRIMARY KEY
);

-- The counter's hourly buckets: units reserved in hour (hours since the Unix epoch).
CREATE TABLE cluster_quotas (
    key  TEXT   NOT NULL,
    hour BIGINT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (key, hour)
);
