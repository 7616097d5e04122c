package postgres

// Faults on demand (store.Faults, package faults), table faults (0009_faults.sql). A
// count fault is claimed with one UPDATE … WHERE remaining > 0 RETURNING: when claims
// race, PostgreSQL makes each wait for the row's lock and re-evaluates the WHERE clause
// against the newest version (PostgreSQL 15 documentation, 13.2.1 Read Committed), so of
// any number of claims on any number of nodes exactly Remaining succeed.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ store.Faults = (*DB)(nil)

const faultCols = `id, org_id, app_id, user_id, family, answer, count, remaining, fraction,
	until_ms, delay_ms, hits, source, created_at`

func scanFault(row pgx.Row) (faults.Fault, error) {
	var f faults.Fault
	var org, app, user, family, answer string
	var until, delay, created int64
	err := row.Scan(&f.ID, &org, &app, &user, &family, &answer, &f.Count, &f.Remaining, &f.Fraction,
		&until, &delay, &f.Hits, &f.Source, &created)
	if err != nil {
		return f, err
	}
	f.OrgID, f.AppID, f.UserID = sfid.ID(org), sfid.ID(app), sfid.ID(user)
	f.Family, f.Answer = faults.Family(family), faults.Answer(answer)
	if until != 0 {
		f.Until = time.UnixMilli(until).UTC()
	}
	f.Delay = time.Duration(delay) * time.Millisecond
	f.CreatedAt = time.UnixMilli(created).UTC()
	return f, nil
}

// PutFault inserts f, assigning ID (and CreatedAt when zero).
func (db *DB) PutFault(ctx context.Context, f *faults.Fault) error {
	if f.CreatedAt.IsZero() {
		f.CreatedAt = time.Now()
	}
	f.CreatedAt = time.UnixMilli(f.CreatedAt.UnixMilli()).UTC()
	var until int64
	if !f.Until.IsZero() {
		until = f.Until.UnixMilli()
		f.Until = time.UnixMilli(until).UTC()
	}
	f.Delay = f.Delay.Truncate(time.Millisecond)
	err := db.pool.QueryRow(ctx, `INSERT INTO faults (org_id, app_id, user_id, family, answer, count,
		remaining, fraction, until_ms, delay_ms, hits, source, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		string(f.OrgID), string(f.AppID), string(f.UserID), string(f.Family), string(f.Answer), f.Count,
		f.Remaining, f.Fraction, until, f.Delay.Milliseconds(), f.Hits, f.Source, f.CreatedAt.UnixMilli()).Scan(&f.ID)
	if err != nil {
		return fmt.Errorf("postgres: put fault: %w", mapErr(err))
	}
	return nil
}

// Faults lists an org's faults (every org's for a zero orgID), oldest first.
func (db *DB) Faults(ctx context.Context, orgID sfid.ID) ([]faults.Fault, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+faultCols+" FROM faults WHERE ($1 = '' OR org_id = $1) ORDER BY id", string(orgID))
	if err != nil {
		return nil, fmt.Errorf("postgres: list faults: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (faults.Fault, error) { return scanFault(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list faults: %w", err)
	}
	return out, nil
}

// ClaimFault takes one of a count fault's remaining requests and counts the hit.
func (db *DB) ClaimFault(ctx context.Context, id int64) (int, bool, error) {
	var left int
	err := db.pool.QueryRow(ctx, `UPDATE faults SET remaining = remaining - 1, hits = hits + 1
		WHERE id = $1 AND remaining > 0 RETURNING remaining`, id).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("postgres: claim fault %d: %w", id, err)
	}
	return left, true, nil
}

// HitFault counts one hit of a fault.
func (db *DB) HitFault(ctx context.Context, id int64) error {
	if _, err := db.pool.Exec(ctx, "UPDATE faults SET hits = hits + 1 WHERE id = $1", id); err != nil {
		return fmt.Errorf("postgres: count a hit of fault %d: %w", id, err)
	}
	return nil
}

// DeleteFault removes one fault and returns it.
func (db *DB) DeleteFault(ctx context.Context, id int64) (faults.Fault, error) {
	f, err := scanFault(db.pool.QueryRow(ctx, "DELETE FROM faults WHERE id = $1 RETURNING "+faultCols, id))
	if err != nil {
		return f, fmt.Errorf("postgres: delete fault %d: %w", id, mapErr(err))
	}
	return f, nil
}

// DeleteFaults removes the faults f selects.
func (db *DB) DeleteFaults(ctx context.Context, f faults.Filter) (int, error) {
	q := "DELETE FROM faults WHERE ($1 = '' OR org_id = $1)"
	if f.OrgFile {
		q += " AND source = '" + faults.SourceOrgFile + "'"
	}
	tag, err := db.pool.Exec(ctx, q, string(f.OrgID))
	if err != nil {
		return 0, fmt.Errorf("postgres: delete faults: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
