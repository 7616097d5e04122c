package postgres

// Claims on bulk jobs (bulk.Claims). Taking a claim is one INSERT … ON CONFLICT DO
// UPDATE … WHERE statement: PostgreSQL guarantees such a statement either inserts or
// updates the row even when transactions race, and the conflicting row is locked and its
// newest version re-checked against the WHERE clause, so of any number of nodes claiming
// one job at once exactly one sees its row count be 1 (PostgreSQL 15 documentation, INSERT,
// "ON CONFLICT Clause"; 13.2.1, Read Committed: "the second updater … re-evaluates its
// search condition"). One statement is its own transaction: no round trips beyond it.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ bulk.Claims = (*DB)(nil)

// claimSQL takes a claim that is free, expired or node's own.
const claimSQL = `INSERT INTO bulk_claims (job_id, node, claim_until)
	SELECT id, $1, $2 FROM bulk_jobs WHERE id = $3 AND org_id = $4
	ON CONFLICT (job_id) DO UPDATE SET node = EXCLUDED.node, claim_until = EXCLUDED.claim_until
	WHERE bulk_claims.claim_until <= $5 OR bulk_claims.node = EXCLUDED.node`

// renewSQL moves node's own claim forward, or takes a free one.
const renewSQL = `INSERT INTO bulk_claims (job_id, node, claim_until)
	SELECT id, $1, $2 FROM bulk_jobs WHERE id = $3 AND org_id = $4
	ON CONFLICT (job_id) DO UPDATE SET claim_until = EXCLUDED.claim_until
	WHERE bulk_claims.node = EXCLUDED.node`

// ClaimJob takes the claim on a job for node until until, unless another node holds an
// unexpired one.
func (db *DB) ClaimJob(ctx context.Context, orgID, id sfid.ID, node string, now, until time.Time) (bool, error) {
	return db.upsertClaim(ctx, "claim", orgID, id, claimSQL, node, until, now.UnixMilli())
}

// RenewClaim moves node's claim on a job forward to until.
func (db *DB) RenewClaim(ctx context.Context, orgID, id sfid.ID, node string, until time.Time) (bool, error) {
	return db.upsertClaim(ctx, "renew claim on", orgID, id, renewSQL, node, until)
}

func (db *DB) upsertClaim(ctx context.Context, verb string, orgID, id sfid.ID, query, node string, until time.Time, extra ...any) (bool, error) {
	cid, err := sfid.Parse(string(id))
	if err != nil {
		return false, fmt.Errorf("postgres: %s bulk job %q: %w", verb, id, store.ErrNotFound)
	}
	args := append([]any{node, until.UnixMilli(), string(cid), string(orgID)}, extra...)
	tag, err := db.pool.Exec(ctx, query, args...)
	if err != nil {
		return false, fmt.Errorf("postgres: %s bulk job %s: %w", verb, id, mapErr(err))
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	var one int
	err = db.pool.QueryRow(ctx, "SELECT 1 FROM bulk_jobs WHERE id = $1 AND org_id = $2", string(cid), string(orgID)).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("postgres: %s bulk job %s: %w", verb, id, store.ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("postgres: %s bulk job %s: %w", verb, id, err)
	}
	return false, nil
}

// ReleaseClaim drops node's claim on a job.
func (db *DB) ReleaseClaim(ctx context.Context, orgID, id sfid.ID, node string) error {
	cid, err := sfid.Parse(string(id))
	if err != nil {
		return nil
	}
	_, err = db.pool.Exec(ctx, `DELETE FROM bulk_claims WHERE job_id = $1 AND node = $2
		AND job_id IN (SELECT id FROM bulk_jobs WHERE org_id = $3)`, string(cid), node, string(orgID))
	if err != nil {
		return fmt.Errorf("postgres: release claim on bulk job %s: %w", id, err)
	}
	return nil
}
