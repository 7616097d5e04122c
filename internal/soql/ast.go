// Package soql parses the Salesforce Object Query Language subset of the reference
// salesforce-rest.md §4 into a syntax tree. It is pure (no schema, no storage): names are
// kept as written, and resolving them against an org's objects is package query's work.
// Errors carry the byte offset of the offending token so that callers can render
// Salesforce's caret form (Error.Message).
package soql

import "time"

// Pos is a byte offset into the query text.
type Pos int

// Name is a dotted name as written, e.g. Account.Owner.Name → ["Account","Owner","Name"].
type Name struct {
	Parts []string
	Pos   Pos // offset of the first part
}

// String joins the parts with dots.
func (n Name) String() string {
	s := ""
	for i, p := range n.Parts {
		if i > 0 {
			s += "."
		}
		s += p
	}
	return s
}

// Query is one SELECT statement (the top level or a child subquery).
type Query struct {
	Select  []SelectItem
	From    Name   // object (top level) or child relationship name (subquery)
	Alias   string // FROM Account a: optional alias, "" when none
	Where   Expr   // nil when absent
	With    string // "SECURITY_ENFORCED" etc., upper case; "" when absent
	GroupBy []Name
	Having  Expr // nil when absent
	OrderBy []Order
	Limit   int // -1 when absent
	Offset  int // -1 when absent
	// ForUpdate and AllRows are parsed and reported; they change nothing in Forcefield.
	// ForView and ForReference (top level only) make the returned records recently
	// viewed / referenced by the running user (LastViewedDate, LastReferencedDate).
	ForUpdate    bool
	ForView      bool
	ForReference bool
	AllRows      bool
}

// SelectItem is one entry of a SELECT list: *FieldItem, *AggregateItem or *SubqueryItem.
type SelectItem interface{ selectItem() }

// FieldItem selects a field or a parent path.
type FieldItem struct {
	Name Name
	// Alias names a grouped field in an aggregate query (SELECT LeadSource src,
	// COUNT(Id) FROM Lead GROUP BY LeadSource); "" when none. The parser accepts it only
	// in queries with GROUP BY.
	Alias string
}

// AggregateItem selects an aggregate function: COUNT() (Arg nil), COUNT(f),
// COUNT_DISTINCT(f), MIN, MAX, SUM, AVG.
type AggregateItem struct {
	Func  string // upper case
	Arg   *Name  // nil for COUNT()
	Alias string // "" when none
	Pos   Pos
}

// SubqueryItem selects a child relationship: (SELECT … FROM Contacts).
type SubqueryItem struct {
	Query *Query
	Pos   Pos
}

// FieldsItem is FIELDS(ALL), FIELDS(STANDARD) or FIELDS(CUSTOM) (API 51.0 and later;
// salesforce-rest-more.md §8.1): the object's fields, expanded by package query where it
// stands in the SELECT list.
type FieldsItem struct {
	Kind     string // ALL, STANDARD or CUSTOM, upper case
	Pos      Pos    // offset of FIELDS
	ParenPos Pos    // offset of the "(" after FIELDS
}

func (*FieldItem) selectItem()     {}
func (*FieldsItem) selectItem()    {}
func (*AggregateItem) selectItem() {}
func (*SubqueryItem) selectItem()  {}

// Expr is a WHERE or HAVING condition: *And, *Or, *Not or *Comparison.
type Expr interface{ expr() }

// And is Left AND Right.
type And struct{ Left, Right Expr }

// Or is Left OR Right.
type Or struct{ Left, Right Expr }

// Not is NOT X.
type Not struct {
	X   Expr
	Pos Pos
}

// Distance is DISTANCE(Field, GEOLOCATION(Lat, Lon), 'mi'|'km') (SOQL and SOSL Reference,
// "DISTANCE", "GEOLOCATION"): the distance from a compound address or location field to
// a point, in WHERE (compared with < or >) and ORDER BY.
type Distance struct {
	Field    Name
	Lat, Lon Value  // Number literals
	Unit     string // as written, unquoted: mi or km (checked by package query)
	UnitPos  Pos
	Pos      Pos // offset of DISTANCE
}

// Comparison is Field Op Value, Field Op (Values…), or Field [NOT] IN (SELECT …).
type Comparison struct {
	Field Name
	// Distance is set instead of Field for DISTANCE(…) < n and DISTANCE(…) > n.
	Distance *Distance
	// Aggregate is set instead of Field in HAVING conditions such as COUNT(Id) > 1.
	Aggregate *AggregateItem
	Op        string  // "=", "!=", "<", "<=", ">", ">=", "LIKE", "IN", "NOT IN", "INCLUDES", "EXCLUDES"
	Value     *Value  // single-value operators
	Values    []Value // IN, NOT IN, INCLUDES, EXCLUDES with a list
	Subquery  *Query  // IN / NOT IN (SELECT …): a semi-join
	Pos       Pos     // offset of the operator
}

func (*And) expr()        {}
func (*Or) expr()         {}
func (*Not) expr()        {}
func (*Comparison) expr() {}

// Kind is the kind of a literal.
type Kind int

// Literal kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Date        // 2024-01-15
	DateTime    // 2024-01-15T10:00:00Z and the offset forms
	DateLiteral // TODAY, LAST_N_DAYS:7, …
)

// Value is a literal.
type Value struct {
	Kind Kind
	Pos  Pos
	Text string // the literal as written (for error messages)

	Bool    bool
	Num     float64 // Number; NumText keeps the digits as written
	NumText string
	Str     string    // String, unescaped
	Time    time.Time // Date (midnight UTC) and DateTime (the instant, in UTC)

	// DateLiteral: the upper-case name (TODAY, LAST_N_DAYS, THIS_MONTH, …) and, for the
	// _N_ forms, N.
	Literal string
	N       int
}

// Nulls is the NULLS FIRST / NULLS LAST choice of an ORDER BY item.
type Nulls int

// NULLS orderings. The default is FIRST for ASC and LAST for DESC (SOQL's rule).
const (
	NullsDefault Nulls = iota
	NullsFirst
	NullsLast
)

// Order is one ORDER BY item.
type Order struct {
	Field     Name
	Distance  *Distance      // ORDER BY DISTANCE(…)
	Aggregate *AggregateItem // ORDER BY COUNT(Id) DESC in aggregate queries
	Desc      bool
	Nulls     Nulls
}
