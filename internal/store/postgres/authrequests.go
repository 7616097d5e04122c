package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/forcefield/forcefield/internal/org"
)

// The store.AuthRequests of the authorize endpoint (table oauth_auth_requests): pending
// requests as JSON documents under the hash of their id, in the database so that any node
// serves the browser's next request.

// PutAuthRequest stores a pending request and drops the expired ones in the same
// transaction.
func (db *DB) PutAuthRequest(ctx context.Context, r org.AuthRequest) error {
	doc, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("postgres: put authorize request: %w", err)
	}
	err = db.write(ctx, func(w *wtx) error {
		if _, err := w.tx.ExecContext(ctx, "DELETE FROM oauth_auth_requests WHERE expires_at <= $1", r.CreatedAt.UnixMilli()); err != nil {
			return err
		}
		_, err := w.tx.ExecContext(ctx, "INSERT INTO oauth_auth_requests (id_hash, org_id, request, expires_at) VALUES ($1, $2, $3, $4)",
			r.IDHash, string(r.OrgID), string(doc), r.ExpiresAt.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: put authorize request: %w", mapErr(err))
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
	if err := db.pool.QueryRow(ctx, "SELECT request FROM oauth_auth_requests WHERE id_hash = $1", hash).Scan(&doc); err != nil {
		return org.AuthRequest{}, fmt.Errorf("postgres: authorize request: %w", mapErr(err))
	}
	r, err := decodeAuthRequest(doc)
	if err != nil {
		return org.AuthRequest{}, fmt.Errorf("postgres: authorize request: %w", err)
	}
	return r, nil
}

// TakeAuthRequest deletes and returns a pending request in one statement: of racing
// takes only the first DELETE … RETURNING gets the row (the others wait for its row lock,
// then find it gone).
func (db *DB) TakeAuthRequest(ctx context.Context, hash []byte) (org.AuthRequest, error) {
	var doc string
	err := db.pool.QueryRow(ctx, "DELETE FROM oauth_auth_requests WHERE id_hash = $1 RETURNING request", hash).Scan(&doc)
	if err != nil {
		return org.AuthRequest{}, fmt.Errorf("postgres: take authorize request: %w", mapErr(err))
	}
	r, err := decodeAuthRequest(doc)
	if err != nil {
		return org.AuthRequest{}, fmt.Errorf("postgres: take authorize request: %w", err)
	}
	return r, nil
}
