package postgres

// THROWAWAY (brief decision 4): the query half of records.Store is helper pgquery's
// (select*.go, query*.go, search*.go, explain*.go). Until its branch is merged, these
// methods return errors.ErrUnsupported so that *DB implements records.Store. The merger
// deletes this file.

import (
	"context"
	"errors"
	"fmt"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

var errPendingQuery = fmt.Errorf("postgres: SOQL queries: %w (pending the query compiler)", errors.ErrUnsupported)

func (db *DB) Query(ctx context.Context, orgID sfid.ID, plan *query.Plan, offset, limit int) (*records.Result, error) {
	return nil, errPendingQuery
}

func (db *DB) Scan(ctx context.Context, orgID sfid.ID, plan *query.Plan, fn func(records.Row) error) error {
	return errPendingQuery
}

func (db *DB) Search(ctx context.Context, orgID sfid.ID, plan *query.Plan, m records.Match) ([]records.Row, error) {
	return nil, errPendingQuery
}

func (db *DB) Explain(ctx context.Context, orgID sfid.ID, plan *query.Plan) (*records.Explanation, error) {
	return nil, errPendingQuery
}

// snapshotSQL is the statement of a snapshot cursor's root IDs (cursors.go).
func snapshotSQL(orgID sfid.ID, plan *query.Plan) (string, []any, error) {
	return "", nil, errPendingQuery
}

// cursorPage reads the rows of ids through plan, in the order of ids (cursors.go).
func (db *DB) cursorPage(ctx context.Context, orgID sfid.ID, plan *query.Plan, ids []string) ([]records.Row, error) {
	return nil, errPendingQuery
}

var _ records.Store = (*DB)(nil)
