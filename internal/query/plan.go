// Package query resolves a parsed SOQL statement (package soql) against an org's objects
// (package schema) and the caller's access (package access) into a Plan: every name bound
// to a field, every literal converted to the field's storage form, date literals turned
// into ranges, and the record-visibility rule of the running user attached. A store
// (records/sqlite) turns a Plan into SQL; nothing here touches a database.
//
// Resolution errors are Salesforce's (salesforce-rest.md §4 "SOQL error shapes"):
// INVALID_TYPE for an unknown or unreadable object, INVALID_FIELD for an unknown or
// unreadable field (the same text for both, so a hidden field's existence does not leak),
// MALFORMED_QUERY for the rest, each with the caret pointing at the offending token.
package query

import (
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Plan is a resolved query.
type Plan struct {
	Object *schema.Object

	// Columns are the values each result row carries, in SELECT order, then the hidden
	// columns the shaper needs (the root Id, and the Id of every parent reached, so that
	// nested objects get their attributes.url and a missing parent renders as null).
	Columns []Column

	// Aggregate is true when the SELECT list has aggregate functions or GROUP BY is used;
	// the rows are then AggregateResult rows.
	Aggregate bool
	// CountOnly is SELECT COUNT(): the result is only a total, records is [].
	CountOnly bool

	Where   Cond // nil: every row
	GroupBy []*Path
	Having  Cond // conditions on aggregate Columns (Compare.Agg set)
	OrderBy []OrderItem
	Limit   int // -1: none
	Offset  int // 0: none

	// IncludeDeleted is queryAll: soft-deleted rows are returned (IsDeleted true).
	IncludeDeleted bool
	// ForView and ForReference are SOQL's FOR VIEW and FOR REFERENCE: the records a
	// page returns become recently viewed (or referenced) by the running user, which the
	// query resource records (records.Recent).
	ForView, ForReference bool
	// ViewerID is the running user: LastViewedDate and LastReferencedDate read as that
	// user's own dates (Salesforce keeps them per user; records.Recent), not as columns.
	ViewerID sfid.ID
	// OwnerID, when set, limits rows to those the user owns: the object's org-wide
	// default is Private and the user has neither View All nor View All Data.
	OwnerID sfid.ID

	// Subqueries are the child relationship subqueries, in SELECT order. Each child Plan
	// is filtered by its relationship field against the parent rows' Ids.
	Subqueries []*Subquery

	// Unbounded is true when the SELECT list (here or in a subquery) has FIELDS(ALL) or
	// FIELDS(CUSTOM), which Bulk API 2.0 refuses (salesforce-rest-more.md §8.1).
	Unbounded bool
	// usesFields: this SELECT list has FIELDS(); names selected twice are then refused.
	usesFields bool
}

// Compound reports whether a column selects a compound address or location field.
func (c *Column) Compound() bool { return c.Path != nil && c.Agg == "" && c.Path.Field.Compound() }

// Path is a field reached from the plan's object through zero or more parent
// relationships, e.g. Account.Owner.Name from Contact: Rels = [Contact.AccountId,
// Account.OwnerId], Objects = [Account, User], Field = User.Name.
type Path struct {
	Rels    []*schema.Field  // reference fields followed, in order
	Objects []*schema.Object // the object each hop reaches; len(Objects) == len(Rels)
	Field   *schema.Field
	// Name is the canonical dotted name, e.g. "Account.Owner.Name" (relationship names
	// and field name in their schema case): the key path in result JSON.
	Name string

	// Parts, for a compound address or location Field, are its parts on the same object
	// (schema.Object.CompoundParts): a store reads them and builds the compound value, a
	// map keyed by each part's CompoundKey, nil when every part is null
	// (salesforce-rest-more.md §7.3).
	Parts []*schema.Field

	// Filters, when not nil, has one entry per hop (len(Filters) == len(Rels)): the
	// record-visibility rule the parent reached by that hop must pass to be seen. A
	// parent the running user may not read (Private org-wide default, not the owner, no
	// View All) renders as null, as does everything reached through it; the child's
	// reference field keeps its value (Salesforce, "Relationship Queries" and
	// "Record-Level Access": an inaccessible parent is returned as null). A store joins
	// the hop only when the parent's Field equals UserID. Nil when no hop is restricted.
	Filters []HopFilter
}

// HopFilter is the row rule of one parent hop of a Path: Field = UserID ("OwnerId" under
// a Private default), or no rule when Field is "".
type HopFilter struct {
	Field  string
	UserID sfid.ID
}

// HopFilter returns the rule of hop i of p (zero when the hop is not restricted).
func (p *Path) HopFilter(i int) HopFilter {
	if p == nil || i < 0 || i >= len(p.Filters) {
		return HopFilter{}
	}
	return p.Filters[i]
}

// Column is one value of a result row.
type Column struct {
	Path *Path // a field; nil for aggregates

	Agg    string // COUNT, COUNT_DISTINCT, MIN, MAX, SUM, AVG; "" for a field
	AggArg *Path  // the aggregated field; nil for COUNT()
	Alias  string // the result key of an aggregate (its alias or exprN), or of an aliased grouped field

	// Hidden columns are fetched for shaping, not rendered as fields.
	Hidden bool
}

// Subquery is a child relationship subquery: (SELECT … FROM Contacts).
type Subquery struct {
	Relationship schema.ChildRelationship // canonical names
	Plan         *Plan                    // over the child object; Limit/Offset/OrderBy apply per parent
}

// OrderItem is one ORDER BY term.
type OrderItem struct {
	Path       *Path         // a field, or
	Column     *Column       // an aggregate (aggregate queries), or
	Distance   *DistanceExpr // ORDER BY DISTANCE(…)
	Desc       bool
	NullsFirst bool // resolved: SOQL's default is NULLS FIRST for ASC, NULLS LAST for DESC
}

// Cond is a resolved condition: *And, *Or, *Not, *Compare or *In.
type Cond interface{ cond() }

// And is L AND R.
type And struct{ L, R Cond }

// Or is L OR R.
type Or struct{ L, R Cond }

// Not is NOT X.
type Not struct{ X Cond }

// Compare is a comparison of a field (or, in HAVING, an aggregate column) with values in
// storage form (see package records: string, bool, int64, float64, date "2006-01-02",
// datetime time.Time UTC).
//
// Ops: "=", "!=", "<", "<=", ">", ">=" with one value (nil for = null / != null);
// "LIKE" with one string pattern (SOQL % and _ wildcards, case-insensitive);
// "IN", "NOT IN" with Values; "INCLUDES", "EXCLUDES" on multi-select picklists, where each
// value is a list of picklist values that must all be present ("a;b").
// Date literals never reach here: the resolver rewrites field = TODAY into
// field >= start AND field < end, and so on.
type Compare struct {
	Path   *Path
	Agg    *Column // HAVING: the aggregate compared
	Op     string
	Values []any
}

// In is Path [NOT] IN (SELECT Field FROM …): a semi-join (or anti-join).
type In struct {
	Path *Path
	Not  bool
	Sub  *Plan // a plan with exactly one visible Column: the field compared
}

// DistanceExpr is DISTANCE(field, GEOLOCATION(FromLat, FromLon), 'mi'|'km') (SOQL and
// SOSL Reference, "DISTANCE"): the great-circle distance, by the haversine formula, from
// the point of a compound address or location field (its latitude and longitude parts)
// to a fixed point. Null when either part is null.
type DistanceExpr struct {
	Lat, Lon         *Path // the compound field's latitude and longitude parts
	FromLat, FromLon float64
	Km               bool // 'km'; else 'mi'
}

// DistanceCompare is DISTANCE(…) < Value or DISTANCE(…) > Value, the only filters
// Salesforce allows on a compound field; a row whose point is null never matches.
type DistanceCompare struct {
	Dist  *DistanceExpr
	Op    string // "<" or ">"
	Value float64
}

func (*DistanceCompare) cond() {}
func (*And) cond()             {}
func (*Or) cond()              {}
func (*Not) cond()             {}
func (*Compare) cond()         {}
func (*In) cond()              {}
