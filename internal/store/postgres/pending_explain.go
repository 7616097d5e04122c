package postgres

// THROWAWAY (brief decision 4): Explain is pgquery's own and still to come (explain*.go);
// until then it returns errors.ErrUnsupported so that *DB implements records.Store.

import (
	"context"
	"errors"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

func (db *DB) Explain(context.Context, sfid.ID, *query.Plan) (*records.Explanation, error) {
	return nil, errors.ErrUnsupported
}

var _ records.Store = (*DB)(nil)
