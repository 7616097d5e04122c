package postgres

// THROWAWAY (brief decision 4): the record tables, Sync and writes are helper pgrecords'
// (records_*.go, cursors*.go, replication*.go, recent*.go). Until its branch is merged,
// these stand-ins let *DB implement records.Store: the methods return
// errors.ErrUnsupported, and the table conventions the compiler uses are copies of
// pgrecords' records_tables.go. The merger deletes this file.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

var errPendingRecords = fmt.Errorf("postgres: records: %w (pending pgrecords)", errors.ErrUnsupported)

func recordTable(orgID sfid.ID, obj *schema.Object) string {
	if obj.Setup {
		return "s_" + strings.ToLower(obj.Name)
	}
	return "r_" + strings.ToLower(orgID.String()) + "_" + strings.ToLower(obj.Name)
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func caseless(f *schema.Field) bool {
	switch f.Type {
	case schema.TypeID, schema.TypeReference, schema.TypeBoolean, schema.TypeInt, schema.TypeDateTime,
		schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		return false
	}
	return true
}

func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

func fromSQL(f *schema.Field, v any) any {
	if v == nil {
		return nil
	}
	if f.Type == schema.TypeDateTime {
		if x, ok := v.(int64); ok {
			return time.UnixMilli(x).UTC()
		}
	}
	return v
}

func (db *DB) Sync(context.Context, sfid.ID, *schema.Catalog) error { return errPendingRecords }
func (db *DB) Write(context.Context, sfid.ID, func(records.Tx) error) error {
	return errPendingRecords
}
func (db *DB) Get(context.Context, sfid.ID, *schema.Object, []sfid.ID, []string) ([]records.Record, error) {
	return nil, errPendingRecords
}
func (db *DB) Count(context.Context, sfid.ID, []*schema.Object) ([]int64, error) {
	return nil, errPendingRecords
}
func (db *DB) OpenCursor(context.Context, *records.Cursor, *query.Plan, int) error {
	return errPendingRecords
}
func (db *DB) Cursor(context.Context, sfid.ID, sfid.ID, string, time.Time, time.Duration) (*records.Cursor, error) {
	return nil, errPendingRecords
}
func (db *DB) CursorRows(context.Context, sfid.ID, string, *query.Plan, int, int) ([]records.Row, error) {
	return nil, errPendingRecords
}
func (db *DB) CloseCursor(context.Context, string) error { return errPendingRecords }
func (db *DB) DeleteCursorsBefore(context.Context, time.Time) (int, error) {
	return 0, errPendingRecords
}
func (db *DB) Updated(context.Context, sfid.ID, *schema.Object, records.ChangeWindow) ([]sfid.ID, error) {
	return nil, errPendingRecords
}
func (db *DB) Deleted(context.Context, sfid.ID, *schema.Object, records.ChangeWindow) ([]records.DeletedRecord, error) {
	return nil, errPendingRecords
}
func (db *DB) MarkRecent(context.Context, sfid.ID, sfid.ID, *schema.Object, []sfid.ID, time.Time, bool) error {
	return errPendingRecords
}
func (db *DB) Recent(context.Context, sfid.ID, sfid.ID, *schema.Object, int) ([]records.RecentView, error) {
	return nil, errPendingRecords
}

// Search and Explain are pgquery's own, still to come (search*.go, explain*.go).
func (db *DB) Search(context.Context, sfid.ID, *query.Plan, records.Match) ([]records.Row, error) {
	return nil, errPendingRecords
}
func (db *DB) Explain(context.Context, sfid.ID, *query.Plan) (*records.Explanation, error) {
	return nil, errPendingRecords
}

var _ records.Store = (*DB)(nil)
