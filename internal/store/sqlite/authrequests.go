package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/forcefield/forcefield/internal/org"
)

// The store.AuthRequests of the authorize endpoint (migration 0013): pending requests as
// JSON documents under the hash of their id.

// PutAuthRequest stores a pending request and drops the expired ones in the same write.
func (db *DB) PutAuthRequest(ctx context.Context, r org.AuthRequest) error {
	doc, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("sqlite: put authorize request: %w", err)
	}
	err = db.write(ctx, func(w *wtx) error {
		if _, err := w.tx.ExecContext(ctx, "DELETE FROM oauth_auth_requests WHERE expires_at <= ?", r.CreatedAt.UnixMilli()); err != nil {
			return err
		}
		_, err := w.tx.ExecContext(ctx, "INSERT INTO oauth_auth_requests (id_hash, org_id, request, expires_at) VALUES (?, ?, ?, ?)",
			r.IDHash, string(r.OrgID), string(doc), r.ExpiresAt.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: put authorize request: %w", mapErr(err))
	}
	return nil
}

func decodeAuthRequest(doc string) (org.AuthRequest, error) {
	var r org.AuthRequest
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		return r, err
	}
	r.CreatedAt, r.ExpiresAt = r.CreatedAt.UTC(), r.ExpiresAt.UTC()
	return r, nil
}

// AuthRequest reads a pending request.
func (db *DB) AuthRequest(ctx context.Context, hash []byte) (org.AuthRequest, error) {
	var doc string
	if err := db.r.QueryRowContext(ctx, "SELECT request FROM oauth_auth_requests WHERE id_hash = ?", hash).Scan(&doc); err != nil {
		return org.AuthRequest{}, fmt.Errorf("sqlite: authorize request: %w", mapErr(err))
	}
	r, err := decodeAuthRequest(doc)
	if err != nil {
		return org.AuthRequest{}, fmt.Errorf("sqlite: authorize request: %w", err)
	}
	return r, nil
}

// TakeAuthRequest deletes and returns a pending request; the single writer connection
// serialises racing takes, so only the first DELETE … RETURNING gets the row.
func (db *DB) TakeAuthRequest(ctx context.Context, hash []byte) (org.AuthRequest, error) {
	var doc string
	err := db.write(ctx, func(w *wtx) error {
		return w.tx.QueryRowContext(ctx, "DELETE FROM oauth_auth_requests WHERE id_hash = ? RETURNING request", hash).Scan(&doc)
	})
	if err != nil {
		return org.AuthRequest{}, fmt.Errorf("sqlite: take authorize request: %w", mapErr(err))
	}
	r, err := decodeAuthRequest(doc)
	if err != nil {
		return org.AuthRequest{}, fmt.Errorf("sqlite: take authorize request: %w", err)
	}
	return r, nil
}
