package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Lockout returns a user's invalid-login state (the zero Lockout when none is recorded).
func (db *DB) Lockout(ctx context.Context, userID sfid.ID) (org.Lockout, error) {
	var l org.Lockout
	var until sql.NullInt64
	err := db.r.QueryRowContext(ctx, "SELECT failures, locked_until FROM login_lockouts WHERE user_id = ?",
		string(userID)).Scan(&l.Failures, &until)
	if err == sql.ErrNoRows {
		return org.Lockout{}, nil
	}
	if err != nil {
		return org.Lockout{}, fmt.Errorf("sqlite: lockout of %s: %w", userID, err)
	}
	l.LockedUntil = fromMillis(until)
	return l, nil
}

// RecordLoginFailure counts one invalid login at now. The failure that reaches
// maxAttempts locks the user until now+lockFor and restarts the count; a lockout that
// has ended restarts it too. It returns the state after the failure.
func (db *DB) RecordLoginFailure(ctx context.Context, userID sfid.ID, now time.Time, maxAttempts int, lockFor time.Duration) (org.Lockout, error) {
	var l org.Lockout
	err := db.write(ctx, func(w *wtx) error {
		var until sql.NullInt64
		err := w.tx.QueryRowContext(ctx, "SELECT failures, locked_until FROM login_lockouts WHERE user_id = ?",
			string(userID)).Scan(&l.Failures, &until)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		l.LockedUntil = fromMillis(until)
		if !l.LockedUntil.IsZero() && !now.Before(l.LockedUntil) {
			l = org.Lockout{} // the lockout ended: start counting again
		}
		l.Failures++
		if l.Failures >= maxAttempts {
			l = org.Lockout{LockedUntil: truncMillis(now.Add(lockFor))}
		}
		_, err = w.tx.ExecContext(ctx, `INSERT INTO login_lockouts (user_id, failures, locked_until) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`,
			string(userID), l.Failures, millis(l.LockedUntil))
		return err
	})
	if err != nil {
		return org.Lockout{}, fmt.Errorf("sqlite: record login failure of %s: %w", userID, mapErr(err))
	}
	return l, nil
}

// ResetLoginFailures forgets a user's invalid logins and any lockout (a successful login,
// or an admin unlocking the user).
func (db *DB) ResetLoginFailures(ctx context.Context, userID sfid.ID) error {
	err := db.write(ctx, func(w *wtx) error {
		_, err := w.tx.ExecContext(ctx, "DELETE FROM login_lockouts WHERE user_id = ?", string(userID))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: reset login failures of %s: %w", userID, mapErr(err))
	}
	return nil
}
