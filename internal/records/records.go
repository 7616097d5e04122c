// Package records is the storage contract for sObject records (Account, Contact, custom
// objects, …) and the read-only view of Setup objects (User, Profile, PermissionSet,
// Organization, LoginHistory) through the same query path. Backends live in subpackages
// (sqlite) and run everything in the database: a query Plan becomes SQL over indexed
// tables, never a scan of every record in Go.
//
// Values in a Record and in query rows are in storage form:
//
//	id, reference, string, textarea, email, phone, url, picklist, combobox: string
//	multipicklist: string, values joined with ";"
//	boolean: bool        int: int64        double, currency, percent: float64
//	date: string "2006-01-02"              datetime: time.Time, UTC, millisecond precision
//	null: nil (the key present with a nil value)
//	address, location (compound, query rows only): map[string]any of the parts by
//	  CompoundKey (street, city, latitude, …), nil when every part is null; never stored
//	  or written, Get does not return them (package dml builds them from the parts)
//
// Records are soft-deleted: Delete sets IsDeleted and keeps the row, Get still returns it
// (callers answer ENTITY_IS_DELETED), queries skip it unless Plan.IncludeDeleted.
package records

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/sosl"
)

// Record is one record's field values keyed by canonical field name.
type Record map[string]any

// Row is one query result row: Values aligned with Plan.Columns, Children aligned with
// Plan.Subqueries (nil or empty when the parent has no children).
type Row struct {
	Values   []any
	Children [][]Row
}

// Result is one page of a query.
type Result struct {
	Total int // rows of the whole query (after its LIMIT/OFFSET), not of this page
	Rows  []Row
}

// Store holds the records of every org.
type Store interface {
	// Sync makes the storage of org match cat: tables for new objects, columns for new
	// fields, indexes for name, external ID, unique and reference fields. It is idempotent
	// and cheap when nothing changed.
	Sync(ctx context.Context, orgID sfid.ID, cat *schema.Catalog) error
	// Write runs fn in one write transaction of org: all of it is kept, or none.
	Write(ctx context.Context, orgID sfid.ID, fn func(Tx) error) error
	// Get reads records by ID (live or soft-deleted), only the fields named (all when
	// fields is nil); IDs not found are absent from the result.
	Get(ctx context.Context, orgID sfid.ID, obj *schema.Object, ids []sfid.ID, fields []string) ([]Record, error)
	// Query runs plan and returns rows offset … offset+limit-1 of its result, with the
	// total. limit ≤ 0 means no page limit.
	Query(ctx context.Context, orgID sfid.ID, plan *query.Plan, offset, limit int) (*Result, error)
	// Scan runs plan and calls fn with every row of its result in order, reading them as
	// it goes (a Bulk API query of a million rows is never held in memory). Plans with
	// child subqueries are refused; fn's error ends the scan and is returned.
	Scan(ctx context.Context, orgID sfid.ID, plan *query.Plan, fn func(Row) error) error
	// Count returns the number of live (not soft-deleted) records of org for each object
	// of objs, in order, without reading the records (an index count per object); an
	// object without storage yet counts 0. It sees no sharing: GET /limits/recordCount
	// and the org's data storage count every record.
	Count(ctx context.Context, orgID sfid.ID, objs []*schema.Object) ([]int64, error)
	// Search runs plan over the live records of plan.Object whose text matches m (SOSL,
	// package sosl), through a text index kept in step with every write — never a scan
	// of the table per term. Rows follow plan's ORDER BY, else the record order (Id);
	// plan's LIMIT and OFFSET apply.
	Search(ctx context.Context, orgID sfid.ID, plan *query.Plan, m Match) ([]Row, error)
	// Explain tells how Query would run plan (Explanation): the access path the
	// database chooses, the other usable ones, and row counts. It reads no result rows.
	Explain(ctx context.Context, orgID sfid.ID, plan *query.Plan) (*Explanation, error)
	// Cursors keeps the open results behind query locators (cursors.go).
	Cursors

	Replication // getUpdated, getDeleted (replication.go)
	Recent      // FOR VIEW, FOR REFERENCE, /recent (replication.go)
}

// Match is the text condition of a search: Expr (nil matches nothing) looked for in
// Fields, canonical names of searchable fields of the plan's object (sosl.Searchable;
// others are ignored, none matches nothing).
type Match struct {
	Expr   sosl.Expr
	Fields []string
}

// Tx is a write transaction.
type Tx interface {
	// Insert stores new records and returns their IDs (allocated with obj.KeyPrefix). The
	// caller has set every field it wants, system fields included, except Id.
	Insert(ctx context.Context, obj *schema.Object, recs []Record) ([]sfid.ID, error)
	// Update sets the fields of changes on record id.
	Update(ctx context.Context, obj *schema.Object, id sfid.ID, changes Record) error
	// Delete soft-deletes records at time at, each live one leaving an entry in the delete
	// log (Replication).
	Delete(ctx context.Context, obj *schema.Object, ids []sfid.ID, at time.Time) error
	// Purge removes records for good, deleted or not (the Bulk API's hardDelete); a
	// record with no delete log entry yet gets one at time at.
	Purge(ctx context.Context, obj *schema.Object, ids []sfid.ID, at time.Time) error
	// Get is Store.Get inside the transaction.
	Get(ctx context.Context, obj *schema.Object, ids []sfid.ID, fields []string) ([]Record, error)
	// Find returns the IDs of live records whose field equals value (external ID lookups
	// for upsert, parent checks).
	Find(ctx context.Context, obj *schema.Object, field string, value any) ([]sfid.ID, error)
}

// ErrUnknownObject is returned for an object the org's storage does not have.
var ErrUnknownObject = errors.New("records: unknown object")

// DuplicateError is a write that breaks a unique field (DUPLICATE_VALUE).
type DuplicateError struct {
	Object, Field string
	Value         any
	ExistingID    sfid.ID // the record already holding the value, when known
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("records: duplicate value %v for %s.%s (record %s)", e.Value, e.Object, e.Field, e.ExistingID)
}
