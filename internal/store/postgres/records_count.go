package postgres

// Record counts (records.Store.Count): GET /limits/recordCount and the DataStorageMB
// usage of GET /limits, as SQLite's records_count.go: a data table's live rows are all
// its rows less the soft-deleted ones, the latter counted on the partial index that
// holds only them (records_sync.go); PostgreSQL counts all rows with the smallest index
// or a sequential scan, as its planner prefers. All objects are counted in one statement
// (one snapshot) unless some object has no table yet.

import (
	"context"
	"fmt"
	"strings"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// countSQL is the scalar subquery counting obj's live rows of org; a Setup view's rows
// are filtered on _org, the parameter $n.
func countSQL(orgID sfid.ID, obj *schema.Object, n int) (string, []any) {
	if obj.Setup {
		return fmt.Sprintf("(SELECT count(*) FROM %s WHERE _org = $%d)", quoteIdent(recordTable(orgID, obj)), n), []any{string(orgID)}
	}
	t := quoteIdent(recordTable(orgID, obj))
	return "((SELECT count(*) FROM " + t + `) - (SELECT count(*) FROM ` + t + ` WHERE "IsDeleted"))`, nil
}

// maxCountColumns bounds the counts of one statement (PostgreSQL allows 1,664 columns).
const maxCountColumns = 500

// Count returns the number of live (not soft-deleted) records of org for each object of
// objs, in order. An object whose table does not exist (not synced yet) counts 0.
func (db *DB) Count(ctx context.Context, orgID sfid.ID, objs []*schema.Object) ([]int64, error) {
	out := make([]int64, len(objs))
	for lo := 0; lo < len(objs); lo += maxCountColumns {
		hi := min(lo+maxCountColumns, len(objs))
		if err := db.count(ctx, orgID, objs[lo:hi], out[lo:hi]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// count fills out with the counts of objs in one statement, or one by one when some
// object has no table yet.
func (db *DB) count(ctx context.Context, orgID sfid.ID, objs []*schema.Object, out []int64) error {
	var sel []string
	var args []any
	for _, obj := range objs {
		q, a := countSQL(orgID, obj, len(args)+1)
		sel = append(sel, q)
		args = append(args, a...)
	}
	dest := make([]any, len(out))
	for i := range out {
		dest[i] = &out[i]
	}
	err := db.sql.QueryRowContext(ctx, "SELECT "+strings.Join(sel, ", "), args...).Scan(dest...)
	if err == nil {
		return nil
	}
	if pgCode(err) != "42P01" {
		return fmt.Errorf("postgres: count records: %w", err)
	}
	for i, obj := range objs {
		q, a := countSQL(orgID, obj, 1)
		if err := db.sql.QueryRowContext(ctx, "SELECT "+q, a...).Scan(&out[i]); err != nil {
			if pgCode(err) != "42P01" {
				return fmt.Errorf("postgres: count %s: %w", obj.Name, err)
			}
			out[i] = 0
		}
	}
	return nil
}
