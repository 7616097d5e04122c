package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Invalid-login counters (store.Lockouts), table login_lockouts.

// Lockout returns a user's invalid-login state (the zero Lockout when none is recorded).
func (db *DB) Lockout(ctx context.Context, userID sfid.ID) (org.Lockout, error) {
	var l org.Lockout
	var until sql.NullInt64
	err := db.pool.QueryRow(ctx, "SELECT failures, locked_until FROM login_lockouts WHERE user_id = $1",
		string(userID)).Scan(&l.Failures, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return org.Lockout{}, nil
	}
	if err != nil {
		return org.Lockout{}, fmt.Errorf("postgres: lockout of %s: %w", userID, err)
	}
	l.LockedUntil = fromMS(until)
	return l, nil
}

// recordFailureSQL counts one failure in a single upsert, so that failures racing on any
// number of nodes each count exactly once: INSERT … ON CONFLICT DO UPDATE locks the
// conflicting row and evaluates SET against its latest committed version (PostgreSQL
// docs, INSERT "ON CONFLICT Clause": "atomic INSERT or UPDATE outcome"). A
// read-then-write, as SQLite does under its single writer, would lose counts here.
//
// $1 user, $2 now (ms), $3 maxAttempts, $4 the lock's end if this failure locks (ms).
// The rules (SQLite's lockouts.go): a lockout that has ended (now >= locked_until) starts
// a new count at 1; otherwise the count goes up by one (locked_until is kept); the
// failure whose count reaches maxAttempts locks until $4 and restarts the count at 0.
const (
	lockEnded        = "(l.locked_until IS NOT NULL AND $2 >= l.locked_until)"
	failuresAfter    = "(CASE WHEN " + lockEnded + " THEN 1 ELSE l.failures + 1 END)"
	recordFailureSQL = `INSERT INTO login_lockouts AS l (user_id, failures, locked_until)
VALUES ($1, CASE WHEN 1 >= $3 THEN 0 ELSE 1 END, CASE WHEN 1 >= $3 THEN $4::bigint END)
ON CONFLICT (user_id) DO UPDATE SET
	failures = CASE WHEN ` + failuresAfter + ` >= $3 THEN 0 ELSE ` + failuresAfter + ` END,
	locked_until = CASE WHEN ` + failuresAfter + ` >= $3 THEN $4::bigint WHEN ` + lockEnded + ` THEN NULL ELSE l.locked_until END
RETURNING failures, locked_until`
)

// RecordLoginFailure counts one invalid login at now. The failure that reaches
// maxAttempts locks the user until now+lockFor and restarts the count; a lockout that
// has ended restarts it too. It returns the state after the failure.
func (db *DB) RecordLoginFailure(ctx context.Context, userID sfid.ID, now time.Time, maxAttempts int, lockFor time.Duration) (org.Lockout, error) {
	var l org.Lockout
	var until sql.NullInt64
	err := db.pool.QueryRow(ctx, recordFailureSQL, string(userID), now.UnixMilli(), maxAttempts,
		now.Add(lockFor).UnixMilli()).Scan(&l.Failures, &until)
	if err != nil {
		return org.Lockout{}, fmt.Errorf("postgres: record login failure of %s: %w", userID, mapErr(err))
	}
	l.LockedUntil = fromMS(until)
	return l, nil
}

// ResetLoginFailures forgets a user's invalid logins and any lockout (a successful login,
// or an admin unlocking the user).
func (db *DB) ResetLoginFailures(ctx context.Context, userID sfid.ID) error {
	if _, err := db.pool.Exec(ctx, "DELETE FROM login_lockouts WHERE user_id = $1", string(userID)); err != nil {
		return fmt.Errorf("postgres: reset login failures of %s: %w", userID, mapErr(err))
	}
	return nil
}
