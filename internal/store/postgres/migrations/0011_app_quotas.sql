-- 0011: per-app quotas (issue 14 §4; org.AppQuotas): the tokens the token endpoint may
-- grant a connected app per hour and per day, and its share of the org's DailyApiRequests.
-- 0 means no quota, so the apps stored before have none.
ALTER TABLE connected_apps ADD COLUMN token_requests_per_hour BIGINT NOT NULL DEFAULT 0;
ALTER TABLE connected_apps ADD COLUMN token_requests_per_day BIGINT NOT NULL DEFAULT 0;
ALTER TABLE connected_apps ADD COLUMN api_requests_per_day BIGINT NOT NULL DEFAULT 0;
