package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/soql"
)

// RunQuery is the conformance suite of records.Store.Query and Scan: the SOQL compiler
// of a backend, through its results (query_ops.go, query_more.go, query_compound.go;
// Setup objects in RunQuerySetup). open must return a new, empty store (closed by
// open's cleanup); RunQuery opens one and gives each test an org of its own. It pins
// down, beyond the comments of package query and records.Store, what SOQL answers
// (salesforce-rest.md §4):
//   - = and LIKE on text ignore case (ASCII), != and NOT IN keep null fields, NOT turns
//     a comparison with null into true, IN with null matches nulls;
//   - INCLUDES / EXCLUDES and = on multi-select picklists compare sets of values;
//   - a parent path reads null through a missing or deleted parent and never drops the
//     row; semi-joins and anti-joins ignore the subquery's nulls;
//   - ORDER BY places nulls as asked (SOQL's default: first for ASC, last for DESC),
//     ties broken by Id; text sorts without regard to case;
//   - child subqueries apply their WHERE, ORDER BY, LIMIT and OFFSET per parent and
//     skip deleted children unless queryAll;
//   - aggregates: COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX with GROUP BY and HAVING,
//     one row without GROUP BY even over no records; COUNT() is a total only;
//   - paging by offset and limit within the query's own LIMIT and OFFSET, Total the
//     rows of the whole result;
//   - compound address fields are one value built from their parts; DISTANCE() filters
//     and sorts by the haversine distance;
//   - an object without storage in the org is records.ErrUnknownObject.
func RunQuery(t *testing.T, open func(t *testing.T) records.Store) {
	// One store, one org per test: opening a store (its migrations) costs more than
	// the tests, and orgs never see each other's records.
	s := open(t)
	for i, tc := range []struct {
		name string
		fn   func(t *testing.T, s records.Store, org sfid.ID)
	}{
		{"Operators", testQueryOperators},
		{"JoinsAndValues", testQueryJoinsAndValues},
		{"ValueTypes", testQueryValueTypes},
		{"OrderNulls", testQueryOrderNulls},
		{"OrderText", testQueryOrderText},
		{"Subqueries", testQuerySubqueries},
		{"Aggregates", testQueryAggregates},
		{"CountOnly", testQueryCountOnly},
		{"Paging", testQueryPaging},
		{"Visibility", testQueryVisibility},
		{"IncludeDeleted", testQueryIncludeDeleted},
		{"UnsyncedObject", testQueryUnsyncedObject},
		{"ChildrenOfManyParents", testQueryChildrenOfManyParents},
		{"Scan", testQueryScan},
		{"CompoundColumns", testCompoundColumns},
		{"Distance", testDistance},
	} {
		org := sfid.New("00D", "5F", uint64(410+i))
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, s, org)
		})
	}
}

// QueryNow is the instant the query fixture's date literals resolve against.
var QueryNow = time.Date(2024, 5, 15, 13, 30, 0, 0, time.UTC)

// QueryOrg is an org for the query fixtures in backends' own tests; unsyncedOrg never
// has record storage.
var (
	QueryOrg    = sfid.New("00D", "5F", 401)
	unsyncedOrg = sfid.New("00D", "5F", 402)
)

// QueryIDs are the IDs of the query fixture's records, by their names in the fixture.
// U1 is querytest.UserID, the running user of querytest.Admin and Limited; U2 and U3
// are other owners (no User rows: data objects only).
type QueryIDs struct {
	U1, U2, U3     sfid.ID
	A1, A2, A3, A4 sfid.ID // Acme, Beta, gamma, Deleted (soft-deleted)
	C1, C2, C3     sfid.ID // Smith, Jones (Acme), Brown (Beta)
	C4, C5         sfid.ID // Orphan (no account), Gone (gamma, soft-deleted)
	I1, I2, I3     sfid.ID // Invoice__c I1, I2 (Acme), I3 (Beta)
}

// QueryFixture syncs querytest.Catalog into orgID of s and writes a few records of
// each data object (what RunQuery's tests expect; backends' own tests and fuzzers may use
// it too).
func QueryFixture(tb testing.TB, s records.Store, orgID sfid.ID) (*schema.Catalog, QueryIDs) {
	tb.Helper()
	ctx := context.Background()
	cat := querytest.Catalog()
	if err := s.Sync(ctx, orgID, cat); err != nil {
		tb.Fatalf("Sync: %v", err)
	}
	yesterday := QueryNow.AddDate(0, 0, -1)
	ids := QueryIDs{U1: querytest.UserID, U2: sfid.New("005", "5F", 2), U3: sfid.New("005", "5F", 3)}
	u1, u2, u3 := string(ids.U1), string(ids.U2), string(ids.U3)
	insert := func(tx records.Tx, object string, recs ...records.Record) []sfid.ID {
		obj, _ := cat.Object(object)
		got, err := tx.Insert(ctx, obj, recs)
		if err != nil {
			tb.Fatalf("Insert %s: %v", object, err)
		}
		return got
	}
	err := s.Write(ctx, orgID, func(tx records.Tx) error {
		a := insert(tx, "Account",
			records.Record{"Name": "Acme", "AnnualRevenue": 100.0, "NumberOfEmployees": int64(10), "Industry": "Tech", "OwnerId": u1, "CreatedDate": QueryNow, "IsDeleted": false},
			records.Record{"Name": "Beta", "NumberOfEmployees": int64(5), "OwnerId": u2, "CreatedDate": yesterday, "IsDeleted": false},
			records.Record{"Name": "gamma", "AnnualRevenue": 300.0, "Industry": "Retail", "OwnerId": u3, "CreatedDate": yesterday, "IsDeleted": false},
			records.Record{"Name": "Deleted", "IsDeleted": true, "OwnerId": u1})
		ids.A1, ids.A2, ids.A3, ids.A4 = a[0], a[1], a[2], a[3]
		if err := tx.Update(ctx, mustObj(tb, cat, "Account"), ids.A2, records.Record{"ParentId": string(ids.A1)}); err != nil {
			tb.Fatalf("Update: %v", err)
		}
		c := insert(tx, "Contact",
			records.Record{"LastName": "Smith", "AccountId": string(ids.A1), "OwnerId": u1, "IsDeleted": false},
			records.Record{"LastName": "Jones", "AccountId": string(ids.A1), "OwnerId": u2, "IsDeleted": false},
			records.Record{"LastName": "Brown", "AccountId": string(ids.A2), "OwnerId": u1, "IsDeleted": false},
			records.Record{"LastName": "Orphan", "OwnerId": u1, "IsDeleted": false},
			records.Record{"LastName": "Gone", "AccountId": string(ids.A3), "OwnerId": u1, "IsDeleted": true})
		ids.C1, ids.C2, ids.C3, ids.C4, ids.C5 = c[0], c[1], c[2], c[3], c[4]
		i := insert(tx, "Invoice__c",
			records.Record{"Name": "I1", "Amount__c": 10.0, "Tags__c": "a;b", "Account__c": string(ids.A1), "Paid__c": true, "Due__c": "2024-01-10", "IsDeleted": false},
			records.Record{"Name": "I2", "Amount__c": 20.0, "Tags__c": "b;c", "Account__c": string(ids.A1), "Paid__c": false, "Due__c": "2024-02-01", "IsDeleted": false},
			records.Record{"Name": "I3", "Account__c": string(ids.A2), "Paid__c": false, "IsDeleted": false})
		ids.I1, ids.I2, ids.I3 = i[0], i[1], i[2]
		return nil
	})
	if err != nil {
		tb.Fatalf("Write: %v", err)
	}
	return cat, ids
}

func mustObj(tb testing.TB, cat *schema.Catalog, name string) *schema.Object {
	tb.Helper()
	o, ok := cat.Object(name)
	if !ok {
		tb.Fatalf("no object %s", name)
	}
	return o
}

// runQuery resolves q as an administrator at QueryNow and runs it in orgID.
func runQuery(t testing.TB, s records.Store, orgID sfid.ID, cat *schema.Catalog, q *soql.Query, opts query.Options, offset, limit int) (*query.Plan, *records.Result) {
	t.Helper()
	return runQueryAs(t, s, orgID, cat, querytest.Admin(), q, opts, offset, limit)
}

// runQueryAs resolves q as the user of acc and runs it in orgID.
func runQueryAs(t testing.TB, s records.Store, orgID sfid.ID, cat *schema.Catalog, acc *access.Checker, q *soql.Query, opts query.Options, offset, limit int) (*query.Plan, *records.Result) {
	t.Helper()
	opts.Now = QueryNow
	p, err := query.Resolve(q, cat, acc, opts)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	res, err := s.Query(context.Background(), orgID, p, offset, limit)
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	return p, res
}

// runText parses, resolves (as an administrator) and runs a SOQL statement, first 2000 rows.
func runText(t testing.TB, s records.Store, orgID sfid.ID, cat *schema.Catalog, text string) *records.Result {
	t.Helper()
	ast, err := soql.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	p, err := query.Resolve(ast, cat, querytest.Admin(), query.Options{Now: QueryNow})
	if err != nil {
		t.Fatalf("Resolve(%q): %v", text, err)
	}
	res, err := s.Query(context.Background(), orgID, p, 0, 2000)
	if err != nil {
		t.Fatalf("Query(%q): %v", text, err)
	}
	return res
}

// firstValues is the first value of every row.
func firstValues(res *records.Result) []any {
	out := []any{}
	for _, r := range res.Rows {
		out = append(out, r.Values[0])
	}
	return out
}

// rowValues is every row's values, the first n of each (all when n ≤ 0).
func rowValues(res *records.Result, n int) [][]any {
	var out [][]any
	for _, r := range res.Rows {
		v := r.Values
		if n > 0 {
			v = v[:n]
		}
		out = append(out, v)
	}
	return out
}

func ptr[T any](v T) *T { return &v }
