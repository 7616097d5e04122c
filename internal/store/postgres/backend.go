package postgres

import (
	"context"

	"github.com/forcefield/forcefield/internal/store/backend"
)

// A --db value that is a postgres:// or postgresql:// URL opens this backend.
func init() {
	backend.Register("postgres", func(ctx context.Context, url string) (backend.Backend, error) { return Open(ctx, url) })
}

var _ backend.Backend = (*DB)(nil)
