package postgres

import (
	"context"
	"fmt"
)

// Server-wide settings (store.Settings), table settings of migration 0001.

// Setting returns a setting's value, or store.ErrNotFound.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.pool.QueryRow(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&v)
	if err != nil {
		return "", fmt.Errorf("postgres: setting %q: %w", key, mapErr(err))
	}
	return v, nil
}

// PutSetting creates or replaces a setting, in one statement (an upsert is atomic when
// nodes race: PostgreSQL docs, INSERT "ON CONFLICT Clause").
func (db *DB) PutSetting(ctx context.Context, key, value string) error {
	_, err := db.pool.Exec(ctx,
		"INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		key, value)
	if err != nil {
		return fmt.Errorf("postgres: put setting %q: %w", key, mapErr(err))
	}
	return nil
}
