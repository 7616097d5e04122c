package sqlite

// Record counts (records.Store.Count): GET /limits/recordCount and the DataStorageMB
// usage of GET /limits.
//
// A data table's live rows are all its rows less the soft-deleted ones, and neither count
// reads a row: SQLite counts a table's rows on its smallest index (the Id primary key's
// at least), and the soft-deleted ones on the partial index that holds only them
// (records_sync.go). A plain index on IsDeleted would do it in one count, but without
// ANALYZE statistics SQLite's planner then prefers it to the selective indexes of
// ordinary queries, all of which filter IsDeleted = 0. All objects are counted in one
// statement, so the counts are one consistent snapshot. The statement is not kept
// prepared (stmtcache.go): its text follows the objects a client names, so caching it
// would let /limits/recordCount fill the bounded cache that the record reads rely on.

import (
	"context"
	"fmt"
	"strings"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// countSQL is the scalar subquery counting obj's live rows of org. Setup views have no
// soft-deleted rows; they hold every org's rows, filtered on _org.
func countSQL(orgID sfid.ID, obj *schema.Object) (string, []any) {
	if obj.Setup {
		return "(SELECT count(*) FROM " + quoteIdent(recordTable(orgID, obj)) + " WHERE _org = ?)", []any{string(orgID)}
	}
	t := quoteIdent(recordTable(orgID, obj))
	return "((SELECT count(*) FROM " + t + ") - (SELECT count(*) FROM " + t + " WHERE IsDeleted <> 0))", nil
}

// maxCountColumns bounds the counts of one statement (SQLite allows 2,000 result columns).
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
		q, a := countSQL(orgID, obj)
		sel = append(sel, q)
		args = append(args, a...)
	}
	dest := make([]any, len(out))
	for i := range out {
		dest[i] = &out[i]
	}
	err := db.rc.DB.QueryRowContext(ctx, "SELECT "+strings.Join(sel, ", "), args...).Scan(dest...)
	if err == nil {
		return nil
	}
	if !strings.Contains(err.Error(), "no such table") {
		return fmt.Errorf("sqlite: count records: %w", err)
	}
	for i, obj := range objs {
		q, a := countSQL(orgID, obj)
		if err := db.rc.DB.QueryRowContext(ctx, "SELECT "+q, a...).Scan(&out[i]); err != nil {
			if !strings.Contains(err.Error(), "no such table") {
				return fmt.Errorf("sqlite: count %s: %w", obj.Name, err)
			}
			out[i] = 0
		}
	}
	return nil
}
