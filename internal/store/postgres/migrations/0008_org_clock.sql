-- 0008: an org's clock offset (org.Org.ClockOffset), Forcefield's time travel (issue 14
-- §2): how far the org's time is ahead of the server's, in nanoseconds (a Go
-- time.Duration). 0, the default, is real time. Same shape as SQLite's 0018_org_clock.sql.
ALTER TABLE orgs ADD COLUMN clock_offset_ns BIGINT NOT NULL DEFAULT 0;
