package store

import (
	"context"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// Snapshots of one org (issue 14 §3): a named copy of the org's Setup and data, kept in
// the same database (so it survives restarts and serves every node on PostgreSQL), that
// RestoreOrg puts back in one transaction.
//
// What a snapshot holds: the org row (every column: settings, policies, clock offset…),
// profiles, permission sets and their assignments, users (password and security-token
// hashes as stored, never plaintext), invalid-login counters, connected apps (with
// certificates, policies, approvals list, quotas…) and their consumer credentials (secret
// hashes), custom object specs, seeded-record refs, and every record table of the org
// with its SOSL index, delete log, recently viewed records and list view use. Backends
// copy these tables column by column as the database describes them, so a column added
// by a later migration is captured without code changes.
//
// What it does not hold (history and live state): sessions, refresh tokens, OAuth
// approvals and codes, login history, the setup audit trail, API usage counts, faults,
// bulk jobs and ID sequences. RestoreOrg removes the org's query cursors (their next
// page would mix two states); sessions and grants are the caller's (setup.Service.Restore
// ends those the restored Setup no longer allows).

// Snapshot errors. ErrSnapshotExists wraps ErrConflict and ErrSnapshotNotFound wraps
// ErrNotFound, so errors.Is works with either.
var (
	ErrSnapshotExists   = fmt.Errorf("snapshot already exists: %w", ErrConflict)
	ErrSnapshotNotFound = fmt.Errorf("no such snapshot: %w", ErrNotFound)
)

// SnapshotInfo describes one stored snapshot.
type SnapshotInfo struct {
	OrgID     sfid.ID
	Name      string
	CreatedAt time.Time // millisecond precision, UTC
	Records   int       // rows of the org's record tables (soft-deleted records included)
	Bytes     int64     // the space the snapshot's copies take in the database (an estimate)
}

// Snapshots takes, restores, lists and deletes snapshots of one org. Names are exact
// strings (case-sensitive), unique per org.
type Snapshots interface {
	// SnapshotOrg copies the org's Setup and data into a snapshot named name, in one
	// consistent read of the org. A name already taken wraps ErrSnapshotExists unless
	// replace is true, in which case the old snapshot is replaced in the same
	// transaction. A missing org wraps ErrNotFound.
	SnapshotOrg(ctx context.Context, orgID sfid.ID, name string, createdAt time.Time, replace bool) (SnapshotInfo, error)
	// RestoreOrg puts the org's Setup and data back as the snapshot holds them, in one
	// transaction: concurrent writers see the org either before or after it. Rows of
	// other orgs are never touched. A missing snapshot wraps ErrSnapshotNotFound.
	RestoreOrg(ctx context.Context, orgID sfid.ID, name string) (SnapshotInfo, error)
	// OrgSnapshots lists the org's snapshots by name.
	OrgSnapshots(ctx context.Context, orgID sfid.ID) ([]SnapshotInfo, error)
	// DeleteOrgSnapshot removes a snapshot and its copies; a missing one wraps
	// ErrSnapshotNotFound.
	DeleteOrgSnapshot(ctx context.Context, orgID sfid.ID, name string) error
}
