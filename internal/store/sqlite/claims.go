package sqlite

// Claims on bulk jobs (bulk.Claims). Each statement is one upsert whose WHERE decides who
// holds the claim, so taking one is atomic; SQLite's single writer serialises the rest.
// A file serves one process (backend.go), so the claims of a previous run are dropped
// at Open: the jobs they held resume at once, as they did before claims existed.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ bulk.Claims = (*DB)(nil)

// claimSQL takes a claim that is free, expired or node's own.
const claimSQL = `INSERT INTO bulk_claims (job_id, node, claim_until)
	SELECT id, ?, ? FROM bulk_jobs WHERE id = ? AND org_id = ?
	ON CONFLICT (job_id) DO UPDATE SET node = excluded.node, claim_until = excluded.claim_until
	WHERE bulk_claims.claim_until <= ? OR bulk_claims.node = excluded.node`

// renewSQL moves node's own claim forward, or takes a free one.
const renewSQL = `INSERT INTO bulk_claims (job_id, node, claim_until)
	SELECT id, ?, ? FROM bulk_jobs WHERE id = ? AND org_id = ?
	ON CONFLICT (job_id) DO UPDATE SET claim_until = excluded.claim_until
	WHERE bulk_claims.node = excluded.node`

// ClaimJob takes the claim on a job for node until until, unless another node holds an
// unexpired one.
func (db *DB) ClaimJob(ctx context.Context, orgID, id sfid.ID, node string, now, until time.Time) (bool, error) {
	return db.upsertClaim(ctx, "claim", orgID, id, claimSQL, node, millis(until), now.UnixMilli())
}

// RenewClaim moves node's claim on a job forward to until.
func (db *DB) RenewClaim(ctx context.Context, orgID, id sfid.ID, node string, until time.Time) (bool, error) {
	return db.upsertClaim(ctx, "renew claim on", orgID, id, renewSQL, node, millis(until))
}

func (db *DB) upsertClaim(ctx context.Context, verb string, orgID, id sfid.ID, query, node string, until any, extra ...any) (bool, error) {
	cid, ok := canonicalJobID(id)
	if !ok {
		return false, fmt.Errorf("sqlite: %s bulk job %q: %w", verb, id, store.ErrNotFound)
	}
	var won bool
	err := db.write(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(ctx, query, append([]any{node, until, cid, orgID}, extra...)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			won = true
			return nil
		}
		return jobExists(ctx, w.tx, orgID, cid)
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: %s bulk job %s: %w", verb, id, mapErr(err))
	}
	return won, nil
}

// jobExists returns nil for a job of org, sql.ErrNoRows otherwise.
func jobExists(ctx context.Context, q querier, orgID, id sfid.ID) error {
	var one int
	return q.QueryRowContext(ctx, "SELECT 1 FROM bulk_jobs WHERE id = ? AND org_id = ?", id, orgID).Scan(&one)
}

// ReleaseClaim drops node's claim on a job.
func (db *DB) ReleaseClaim(ctx context.Context, orgID, id sfid.ID, node string) error {
	cid, ok := canonicalJobID(id)
	if !ok {
		return nil
	}
	err := db.write(ctx, func(w *wtx) error {
		_, err := w.tx.ExecContext(ctx, `DELETE FROM bulk_claims WHERE job_id = ? AND node = ?
			AND job_id IN (SELECT id FROM bulk_jobs WHERE org_id = ?)`, cid, node, orgID)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: release claim on bulk job %s: %w", id, err)
	}
	return nil
}

// dropClaims deletes every claim: called at Open, when no other process can hold one.
func dropClaims(ctx context.Context, w *sql.DB) error {
	_, err := w.ExecContext(ctx, "DELETE FROM bulk_claims")
	if err != nil && !strings.Contains(err.Error(), "no such table") {
		return fmt.Errorf("sqlite: dropping the claims of the previous run: %w", err)
	}
	return nil
}
