package store

import (
	"context"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// RefreshUse is what happened to one refresh token since uses were last written: Count
// uses, the last at LastUsedAt.
type RefreshUse struct {
	ID         sfid.ID
	LastUsedAt time.Time
	Count      int
}

// RefreshUseRecorder is implemented by stores that write many refresh token uses in one
// transaction. The refresh token grant records uses in memory and writes them in batches
// (session.Manager), as it does sessions' activity: a write per refresh would halve the
// grant's throughput on a single-writer database. LastUsedAt never moves backwards; uses
// of tokens that no longer exist are dropped; rotated tokens count their earlier uses.
type RefreshUseRecorder interface {
	RecordRefreshUses(ctx context.Context, uses []RefreshUse) error
}
