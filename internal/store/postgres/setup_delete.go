package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Deleting profiles and permission sets (the Setup console, issue 11). The foreign keys of
// users.profile_id and permission_set_assignments refuse the delete of one still held.

func (s *setupWriter) DeleteProfile(ctx context.Context, id sfid.ID) error {
	return s.deleteSetupRow(ctx, "profile", "DELETE FROM profiles WHERE id = $1", id)
}

func (s *setupWriter) DeletePermissionSet(ctx context.Context, id sfid.ID) error {
	return s.deleteSetupRow(ctx, "permission set", "DELETE FROM permission_sets WHERE id = $1", id)
}

func (s *setupWriter) deleteSetupRow(ctx context.Context, what, query string, id sfid.ID) error {
	res, err := s.w.tx.ExecContext(ctx, query, string(id))
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" { // foreign_key_violation: still referenced
		return fmt.Errorf("postgres: delete %s %s: it is assigned to users: %w", what, id, store.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("postgres: delete %s %s: %w", what, id, mapErr(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("postgres: delete %s %s: %w", what, id, err)
	} else if n == 0 {
		return fmt.Errorf("postgres: delete %s %s: %w", what, id, store.ErrNotFound)
	}
	return nil
}
