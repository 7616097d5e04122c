package sqlite

// Faults on demand (store.Faults, package faults), table faults (0019_faults.sql). A
// count fault is claimed with one UPDATE … WHERE remaining > 0 RETURNING: SQLite's single
// writer runs racing claims one after the other, each seeing the last one's count.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

var _ store.Faults = (*DB)(nil)

const faultCols = `id, org_id, app_id, user_id, family, answer, count, remaining, fraction,
	until_ms, delay_ms, hits, source, created_at`

func scanFault(s scanner) (faults.Fault, error) {
	var f faults.Fault
	var org, app, user, family, answer string
	var until, delay, created int64
	err := s.Scan(&f.ID, &org, &app, &user, &family, &answer, &f.Count, &f.Remaining, &f.Fraction,
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
		f.CreatedAt = now()
	}
	f.CreatedAt = truncMillis(f.CreatedAt)
	f.Until = truncMillis(f.Until)
	f.Delay = f.Delay.Truncate(time.Millisecond)
	var until int64
	if !f.Until.IsZero() {
		until = f.Until.UnixMilli()
	}
	err := db.write(ctx, func(w *wtx) error {
		return w.tx.QueryRowContext(ctx, `INSERT INTO faults (org_id, app_id, user_id, family, answer, count,
			remaining, fraction, until_ms, delay_ms, hits, source, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			string(f.OrgID), string(f.AppID), string(f.UserID), string(f.Family), string(f.Answer), f.Count,
			f.Remaining, f.Fraction, until, f.Delay.Milliseconds(), f.Hits, f.Source, f.CreatedAt.UnixMilli()).Scan(&f.ID)
	})
	if err != nil {
		return fmt.Errorf("sqlite: put fault: %w", mapErr(err))
	}
	return nil
}

// Faults lists an org's faults (every org's for a zero orgID), oldest first.
func (db *DB) Faults(ctx context.Context, orgID sfid.ID) ([]faults.Fault, error) {
	q, args := "SELECT "+faultCols+" FROM faults ORDER BY id", []any(nil)
	if orgID != "" {
		q, args = "SELECT "+faultCols+" FROM faults WHERE org_id = ? ORDER BY id", []any{string(orgID)}
	}
	out, err := queryAll(ctx, db.r, scanFault, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list faults: %w", err)
	}
	return out, nil
}

// ClaimFault takes one of a count fault's remaining requests and counts the hit.
func (db *DB) ClaimFault(ctx context.Context, id int64) (int, bool, error) {
	var left int
	err := db.write(ctx, func(w *wtx) error {
		return w.tx.QueryRowContext(ctx, `UPDATE faults SET remaining = remaining - 1, hits = hits + 1
			WHERE id = ? AND remaining > 0 RETURNING remaining`, id).Scan(&left)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: claim fault %d: %w", id, err)
	}
	return left, true, nil
}

// HitFault counts one hit of a fault.
func (db *DB) HitFault(ctx context.Context, id int64) error {
	err := db.write(ctx, func(w *wtx) error {
		_, err := w.tx.ExecContext(ctx, "UPDATE faults SET hits = hits + 1 WHERE id = ?", id)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: count a hit of fault %d: %w", id, err)
	}
	return nil
}

// DeleteFault removes one fault and returns it.
func (db *DB) DeleteFault(ctx context.Context, id int64) (faults.Fault, error) {
	var f faults.Fault
	err := db.write(ctx, func(w *wtx) error {
		var err error
		f, err = scanFault(w.tx.QueryRowContext(ctx, "DELETE FROM faults WHERE id = ? RETURNING "+faultCols, id))
		return err
	})
	if err != nil {
		return f, fmt.Errorf("sqlite: delete fault %d: %w", id, mapErr(err))
	}
	return f, nil
}

// DeleteFaults removes the faults f selects.
func (db *DB) DeleteFaults(ctx context.Context, f faults.Filter) (int, error) {
	q, args := "DELETE FROM faults WHERE (? = '' OR org_id = ?)", []any{string(f.OrgID), string(f.OrgID)}
	if f.OrgFile {
		q, args = q+" AND source = ?", append(args, faults.SourceOrgFile)
	}
	var n int64
	err := db.write(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(ctx, q, args...)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete faults: %w", err)
	}
	return int(n), nil
}
