-- 0015: an app's API Name (Salesforce's DeveloperName, "API Name" on New Connected App),
-- editable in the console and the org file's apiName. '' means "derived from the name"
-- (org.ConnectedApp.APIName), so the apps stored before keep the API Name they showed.
-- Uniqueness within an org is the Setup service's rule (it compares derived names too).
ALTER TABLE connected_apps ADD COLUMN developer_name TEXT NOT NULL DEFAULT '';
