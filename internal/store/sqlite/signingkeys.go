package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/org"
)

// SigningKeys lists the JWT signing keys, oldest ActivateAt first.
func (db *DB) SigningKeys(ctx context.Context) ([]org.SigningKey, error) {
	rows, err := db.r.QueryContext(ctx,
		"SELECT kid, private_der, created_at, activate_at, retire_at FROM signing_keys ORDER BY activate_at, CAST(kid AS INTEGER), kid")
	if err != nil {
		return nil, fmt.Errorf("sqlite: signing keys: %w", mapErr(err))
	}
	defer rows.Close()
	var ks []org.SigningKey
	for rows.Next() {
		var k org.SigningKey
		var created, activate, retire sql.NullInt64
		if err := rows.Scan(&k.KID, &k.PrivateDER, &created, &activate, &retire); err != nil {
			return nil, fmt.Errorf("sqlite: signing keys: %w", err)
		}
		k.CreatedAt, k.ActivateAt, k.RetireAt = fromMillis(created), fromMillis(activate), fromMillis(retire)
		ks = append(ks, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: signing keys: %w", err)
	}
	return ks, nil
}

// PutSigningKey inserts a key or updates its times (the key material never changes).
func (db *DB) PutSigningKey(ctx context.Context, k org.SigningKey) error {
	err := db.write(ctx, func(w *wtx) error {
		_, err := w.tx.ExecContext(ctx, `INSERT INTO signing_keys (kid, private_der, created_at, activate_at, retire_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (kid) DO UPDATE SET created_at = excluded.created_at,
			activate_at = excluded.activate_at, retire_at = excluded.retire_at`,
			k.KID, k.PrivateDER, millis(k.CreatedAt), millis(k.ActivateAt), millis(k.RetireAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: put signing key %s: %w", k.KID, mapErr(err))
	}
	return nil
}

// DeleteRetiredSigningKeys removes the keys retired at or before now.
func (db *DB) DeleteRetiredSigningKeys(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := db.write(ctx, func(w *wtx) error {
		res, err := w.tx.ExecContext(ctx, "DELETE FROM signing_keys WHERE retire_at IS NOT NULL AND retire_at <= ?", millis(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete retired signing keys: %w", mapErr(err))
	}
	return int(n), nil
}
