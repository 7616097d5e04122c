package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/org"
)

// The JWT signing keys (store.SigningKeys), table signing_keys.

// SigningKeys lists the JWT signing keys, oldest ActivateAt first, ties by KID as a
// number (KIDs are short numeric strings; SQLite orders by CAST(kid AS INTEGER), which is
// 0 for a non-numeric KID, and so does the CASE here), then as bytes.
func (db *DB) SigningKeys(ctx context.Context) ([]org.SigningKey, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT kid, private_der, created_at, activate_at, retire_at FROM signing_keys
		ORDER BY activate_at, CASE WHEN kid ~ '^[0-9]{1,18}$' THEN kid::bigint ELSE 0 END, kid COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("postgres: signing keys: %w", mapErr(err))
	}
	defer rows.Close()
	var ks []org.SigningKey
	for rows.Next() {
		var k org.SigningKey
		var created, activate, retire sql.NullInt64
		if err := rows.Scan(&k.KID, &k.PrivateDER, &created, &activate, &retire); err != nil {
			return nil, fmt.Errorf("postgres: signing keys: %w", err)
		}
		k.CreatedAt, k.ActivateAt, k.RetireAt = fromMS(created), fromMS(activate), fromMS(retire)
		ks = append(ks, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: signing keys: %w", err)
	}
	return ks, nil
}

// PutSigningKey inserts a key or updates its times (the key material never changes).
func (db *DB) PutSigningKey(ctx context.Context, k org.SigningKey) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO signing_keys (kid, private_der, created_at, activate_at, retire_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kid) DO UPDATE SET created_at = excluded.created_at,
		activate_at = excluded.activate_at, retire_at = excluded.retire_at`,
		k.KID, k.PrivateDER, ms(k.CreatedAt), ms(k.ActivateAt), ms(k.RetireAt))
	if err != nil {
		return fmt.Errorf("postgres: put signing key %s: %w", k.KID, mapErr(err))
	}
	return nil
}

// DeleteRetiredSigningKeys removes the keys retired at or before now.
func (db *DB) DeleteRetiredSigningKeys(ctx context.Context, now time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, "DELETE FROM signing_keys WHERE retire_at IS NOT NULL AND retire_at <= $1", ms(now))
	if err != nil {
		return 0, fmt.Errorf("postgres: delete retired signing keys: %w", mapErr(err))
	}
	return int(tag.RowsAffected()), nil
}
