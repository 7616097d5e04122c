-- List views a user opened through the API (describe or results), for
-- /sobjects/{T}/listviews/recent: the newest use of each view per user. The views
-- themselves are derived, not stored (internal/dataapi/listviews_defs.go).
CREATE TABLE listview_use (
    user_id TEXT NOT NULL,
    view_id TEXT NOT NULL,
    org_id  TEXT NOT NULL,
    object  TEXT NOT NULL COLLATE NOCASE,
    used_at INTEGER NOT NULL, -- Unix milliseconds
    PRIMARY KEY (user_id, view_id)
) WITHOUT ROWID;

CREATE INDEX listview_use_recent ON listview_use (user_id, object, used_at DESC);
