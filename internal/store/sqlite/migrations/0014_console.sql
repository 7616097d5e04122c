-- 0014: what the Setup console manages beyond the org file (issue 11): frozen users
-- (Salesforce's UserLogin.IsFrozen), blocked connected apps ("Connected Apps OAuth Usage" →
-- Block), an app's description, and whether an app is a classic Connected App or an
-- External Client App (the Spring '26 successor, which splits Settings from Policies).
ALTER TABLE users ADD COLUMN frozen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connected_apps ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE connected_apps ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE connected_apps ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
