-- 0017: claims on bulk jobs (bulk.Claims). The node processing a job holds its claim
-- until a time it keeps moving forward; another node may take an expired claim over.
-- A file serves one process, so Open drops every claim (claims.go); the table exists so
-- that both backends run the same engine and the same conformance suite.
CREATE TABLE bulk_claims (
    job_id      TEXT PRIMARY KEY REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    node        TEXT NOT NULL,
    claim_until INTEGER NOT NULL
);
