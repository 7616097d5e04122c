-- 0007: claims on bulk jobs (bulk.Claims, claims.go): the node processing a job holds
-- its claim until a time it keeps moving forward; once that time has passed, another node
-- may take the job over. Same shape as SQLite's 0017_bulk_claims.sql.
CREATE TABLE bulk_claims (
    job_id      TEXT COLLATE "C" PRIMARY KEY REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    node        TEXT NOT NULL,
    claim_until BIGINT NOT NULL -- Unix milliseconds
);
