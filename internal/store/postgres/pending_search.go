package postgres

// THROWAWAY (brief decision 4): Search (SOSL) and Explain are pgquery's own and still to
// come (search*.go, explain*.go); until then they return errors.ErrUnsupported so that
// *DB implements records.Store. Deleted when they land.

import (
	"context"
	"errors"
	"fmt"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

var errPendingSearch = fmt.Errorf("postgres: SOSL search and explain: %w (pending)", errors.ErrUnsupported)

func (db *DB) Search(context.Context, sfid.ID, *query.Plan, records.Match) ([]records.Row, error) {
	return nil, errPendingSearch
}

func (db *DB) Explain(context.Context, sfid.ID, *query.Plan) (*records.Explanation, error) {
	return nil, errPendingSearch
}

var _ records.Store = (*DB)(nil)
