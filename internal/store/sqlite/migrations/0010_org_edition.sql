-- 0010: an org's Salesforce edition (Developer, Enterprise, Unlimited, Performance). The
-- empty string is Enterprise, the default, so orgs created before this migration keep
-- their behaviour apart from the edition's allocations.
ALTER TABLE orgs ADD COLUMN edition TEXT NOT NULL DEFAULT '';
