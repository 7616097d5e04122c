package store

import (
	"context"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// ListViewUse records the list views users open through the REST API (describe or
// results), for /sobjects/{T}/listviews/recent. The views are derived, not stored; only
// their use is.
type ListViewUse interface {
	// TouchListView records that userID opened viewID, a view of object, at at; the
	// newest use of a view is kept.
	TouchListView(ctx context.Context, orgID, userID sfid.ID, object string, viewID sfid.ID, at time.Time) error
	// RecentListViews returns the views of object (case-insensitive) that userID opened
	// in orgID, most recently used first (ties: highest ID first), at most limit.
	RecentListViews(ctx context.Context, orgID, userID sfid.ID, object string, limit int) ([]sfid.ID, error)
}
