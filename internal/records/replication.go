package records

import (
	"context"
	"time"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Replication is what getUpdated and getDeleted read (REST API Developer Guide,
// "Get a List of Updated Records" / "Get a List of Deleted Records"; SOAP API Developer
// Guide, getUpdated() and getDeleted()). Every soft delete and every purge leaves an entry
// in the org's delete log (Tx.Delete, Tx.Purge) holding the record's ID, its owner at the
// time and when it was deleted; undeleting a record (Update with IsDeleted false) removes
// its entry, as the record is no longer deleted. Setup objects (User, …) are answered
// from their SystemModstamp (Updated; an object without one is ErrUnknownObject) and
// have no deletes: Setup rows are never deleted.
type Replication interface {
	// Updated returns the IDs of the live records of obj whose SystemModstamp is in
	// [w.Start, w.End) — creates count, as Salesforce counts them — oldest change first,
	// ties by ID; at most w.Limit of them.
	Updated(ctx context.Context, orgID sfid.ID, obj *schema.Object, w ChangeWindow) ([]sfid.ID, error)
	// Deleted returns the delete log entries of obj whose deletion time is in
	// [w.Start, w.End), oldest first, ties by ID; at most w.Limit of them.
	Deleted(ctx context.Context, orgID sfid.ID, obj *schema.Object, w ChangeWindow) ([]DeletedRecord, error)
}

// ChangeWindow selects the changes of one object.
type ChangeWindow struct {
	Start, End time.Time // Start ≤ t < End
	// OwnerID, when set, limits the answer to records owned by that user (for a deleted
	// record: owned when it was deleted) — the record visibility of a Private default
	// (access.ReadVisibility, query.Plan.OwnerID).
	OwnerID sfid.ID
	Limit   int // > 0
}

// DeletedRecord is one entry of the delete log.
type DeletedRecord struct {
	ID          sfid.ID
	DeletedDate time.Time // UTC, millisecond precision
}

// Recent is the per-user record of what SOQL FOR VIEW and FOR REFERENCE returned
// (Salesforce's RecentlyViewed: LastViewedDate and LastReferencedDate are per user).
// Creating or updating a record does not make it recent.
type Recent interface {
	// MarkRecent records that user viewed (view true: LastViewedDate and
	// LastReferencedDate become at) or referenced (LastReferencedDate only) records ids of
	// obj. Marking again moves the times forward, never back.
	MarkRecent(ctx context.Context, orgID, userID sfid.ID, obj *schema.Object, ids []sfid.ID, at time.Time, view bool) error
	// Recent returns what user viewed or referenced, of obj (every object when nil),
	// most recent first by the later of the two times, ties by ID descending; at most
	// limit entries. Entries of records since deleted are still returned: the caller
	// reads the records, which it must do anyway for their names and visibility.
	Recent(ctx context.Context, orgID, userID sfid.ID, obj *schema.Object, limit int) ([]RecentView, error)
}

// RecentTx is Recent.MarkRecent inside a write transaction (a /composite request holds
// one for all its subrequests, and the store's own MarkRecent would wait for it). Every
// Tx of a backend implementing Recent implements it; the marks commit or roll back with
// the transaction.
type RecentTx interface {
	MarkRecent(ctx context.Context, userID sfid.ID, obj *schema.Object, ids []sfid.ID, at time.Time, view bool) error
}

// RecentView is one record a user viewed or referenced.
type RecentView struct {
	Object     string // the object's name
	ID         sfid.ID
	Viewed     time.Time // LastViewedDate; zero when only referenced
	Referenced time.Time // LastReferencedDate
}
