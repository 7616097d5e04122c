package records

// Explanation is how a store would run a query plan (Store.Explain), for the REST
// resource /query?explain= (salesforce-rest-more.md §6). It reports what the database
// itself chose, not a guess from the plan's shape.
type Explanation struct {
	// ObjectRows is the number of live rows of the plan's object, every owner's.
	ObjectRows int
	// Matches is the number of rows the plan's filter (and the record-visibility rule)
	// keeps, before its LIMIT and OFFSET.
	Matches int
	// Paths are the ways the store can read the plan's object: the one the database
	// chose first, then every other usable index, then a scan of the table (unless the
	// chosen path is one).
	Paths []AccessPath
	// Unindexed are the fields of the plan's object that the filter tests (the implicit
	// IsDeleted = false included) and that no index serves, in the order first tested.
	Unindexed []string
}

// AccessPath is one way to read the rows of a plan's object.
type AccessPath struct {
	// Index is the field whose index the path looks rows up in; "" for a scan of every
	// row (in table or in index order).
	Index string
	// Union are the other indexes of an OR searched together with Index, their rows
	// united (SQLite's MULTI-INDEX OR); Rows is then the filter's matches.
	Union []string
	// Rows is the number of rows the path yields: those matching the filter terms the
	// index serves, or for a scan those matching the whole filter.
	Rows int
	// Ordered is true when the rows come out in the query's ORDER BY order, so no sort
	// step is needed and a LIMIT ends the read early.
	Ordered bool
	// Sharing is true when the index serves only the record-visibility rule (the user
	// owns the rows: query.Plan.OwnerID), not a condition of the query.
	Sharing bool
}
