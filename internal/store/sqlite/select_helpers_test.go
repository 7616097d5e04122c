package sqlite

import (
	"context"
	"strings"
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

// The record tables are written by records_*.go (another change); these helpers create
// them with plain SQL following records_tables.go exactly.

var (
	testOrg  = sfid.New(sfid.PrefixOrganization, pod, 1)
	otherOrg = sfid.New(sfid.PrefixOrganization, pod, 2)
	testNow  = time.Date(2024, 5, 15, 13, 30, 0, 0, time.UTC)
)

func rid(prefix string, n uint64) string { return string(sfid.New(prefix, pod, n)) }

// createTables creates the data tables of cat for orgID, and the Setup views User and
// LoginHistory as views over plain tables holding every org's rows.
func createTables(t testing.TB, db *DB, orgID sfid.ID, cat *schema.Catalog) {
	t.Helper()
	for _, obj := range cat.Objects() {
		var cols []string
		for i := range obj.Fields {
			f := &obj.Fields[i]
			switch f.Name {
			case "Id":
				cols = append(cols, `"Id" TEXT PRIMARY KEY`)
			case "IsDeleted":
				cols = append(cols, `"IsDeleted" INTEGER NOT NULL DEFAULT 0`)
			default:
				cols = append(cols, quoteIdent(f.Name)+" "+columnType(f))
			}
		}
		table := recordTable(orgID, obj)
		if obj.Setup {
			cols = append(cols, "_org TEXT NOT NULL")
			table = "fake_" + table
		}
		mustExec(t, db, "CREATE TABLE IF NOT EXISTS "+quoteIdent(table)+" ("+strings.Join(cols, ", ")+")")
		if obj.Setup {
			mustExec(t, db, "CREATE VIEW IF NOT EXISTS "+quoteIdent(recordTable(orgID, obj))+" AS SELECT * FROM "+quoteIdent(table))
		}
	}
}

func mustExec(t testing.TB, db *DB, q string, args ...any) {
	t.Helper()
	if _, err := db.w.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// insert adds a row of obj; Setup rows go to the fake table under orgID.
func selInsert(t testing.TB, db *DB, orgID sfid.ID, cat *schema.Catalog, object string, rec map[string]any) {
	t.Helper()
	obj, _ := cat.Object(object)
	table := recordTable(orgID, obj)
	if obj.Setup {
		table = "fake_" + table
		rec["_org"] = string(orgID)
	}
	var cols, marks []string
	var args []any
	for k, v := range rec {
		cols = append(cols, quoteIdent(k))
		marks = append(marks, "?")
		args = append(args, toSQL(v))
	}
	mustExec(t, db, "INSERT INTO "+quoteIdent(table)+" ("+strings.Join(cols, ", ")+") VALUES ("+strings.Join(marks, ", ")+")", args...)
}

// IDs of the fixture rows.
var (
	u1, u2, u3     = rid("005", 1), rid("005", 2), rid("005", 3)
	a1, a2, a3, a4 = rid("001", 1), rid("001", 2), rid("001", 3), rid("001", 4)
	c1, c2, c3     = rid("003", 1), rid("003", 2), rid("003", 3)
	c4, c5         = rid("003", 4), rid("003", 5)
	i1, i2, i3     = rid("a00", 1), rid("a00", 2), rid("a00", 3)
)

// fixture opens a database with the test catalog's tables and a few rows of each.
func fixture(t testing.TB) (*DB, *schema.Catalog) {
	t.Helper()
	db, _ := openTemp(t)
	t.Cleanup(func() { db.Close() })
	cat := querytest.Catalog()
	createTables(t, db, testOrg, cat)
	yesterday := testNow.AddDate(0, 0, -1)
	me := string(querytest.UserID)
	if me != u1 {
		t.Fatalf("querytest.UserID %s != u1 %s", me, u1)
	}
	for _, r := range []struct {
		obj string
		org sfid.ID
		rec map[string]any
	}{
		{"User", testOrg, map[string]any{"Id": u1, "Name": "Ann", "Username": "ann@x", "IsActive": true, "ManagerId": u2}},
		{"User", testOrg, map[string]any{"Id": u2, "Name": "Bob", "Username": "bob@x", "IsActive": true}},
		{"User", otherOrg, map[string]any{"Id": u3, "Name": "Eve", "Username": "eve@x", "IsActive": true}},
		{"LoginHistory", testOrg, map[string]any{"Id": rid("0Ya", 1), "UserId": u1, "LoginTime": yesterday}},
		{"LoginHistory", testOrg, map[string]any{"Id": rid("0Ya", 2), "UserId": u2, "LoginTime": testNow}},
		{"Account", testOrg, map[string]any{"Id": a1, "Name": "Acme", "AnnualRevenue": 100.0, "NumberOfEmployees": int64(10), "Industry": "Tech", "OwnerId": u1, "CreatedDate": testNow}},
		{"Account", testOrg, map[string]any{"Id": a2, "Name": "Beta", "NumberOfEmployees": int64(5), "OwnerId": u2, "ParentId": a1, "CreatedDate": yesterday}},
		{"Account", testOrg, map[string]any{"Id": a3, "Name": "gamma", "AnnualRevenue": 300.0, "Industry": "Retail", "OwnerId": u3, "CreatedDate": yesterday}},
		{"Account", testOrg, map[string]any{"Id": a4, "Name": "Deleted", "IsDeleted": true, "OwnerId": u1}},
		{"Contact", testOrg, map[string]any{"Id": c1, "LastName": "Smith", "AccountId": a1, "OwnerId": u1}},
		{"Contact", testOrg, map[string]any{"Id": c2, "LastName": "Jones", "AccountId": a1, "OwnerId": u2}},
		{"Contact", testOrg, map[string]any{"Id": c3, "LastName": "Brown", "AccountId": a2, "OwnerId": u1}},
		{"Contact", testOrg, map[string]any{"Id": c4, "LastName": "Orphan", "OwnerId": u1}},
		{"Contact", testOrg, map[string]any{"Id": c5, "LastName": "Gone", "AccountId": a3, "OwnerId": u1, "IsDeleted": true}},
		{"Invoice__c", testOrg, map[string]any{"Id": i1, "Name": "I1", "Amount__c": 10.0, "Tags__c": "a;b", "Account__c": a1, "Paid__c": true, "Due__c": "2024-01-10"}},
		{"Invoice__c", testOrg, map[string]any{"Id": i2, "Name": "I2", "Amount__c": 20.0, "Tags__c": "b;c", "Account__c": a1, "Paid__c": false, "Due__c": "2024-02-01"}},
		{"Invoice__c", testOrg, map[string]any{"Id": i3, "Name": "I3", "Account__c": a2, "Paid__c": false}},
	} {
		selInsert(t, db, r.org, cat, r.obj, r.rec)
	}
	return db, cat
}

// run resolves q as an administrator and runs it.
func run(t testing.TB, db *DB, cat *schema.Catalog, q *soql.Query, opts query.Options, offset, limit int) (*query.Plan, *records.Result) {
	t.Helper()
	return runAs(t, db, cat, querytest.Admin(), q, opts, offset, limit)
}

// runAs resolves q as the user of acc and runs it.
func runAs(t testing.TB, db *DB, cat *schema.Catalog, acc *access.Checker, q *soql.Query, opts query.Options, offset, limit int) (*query.Plan, *records.Result) {
	t.Helper()
	opts.Now = testNow
	p, err := query.Resolve(q, cat, acc, opts)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	res, err := db.Query(context.Background(), testOrg, p, offset, limit)
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	return p, res
}

// firstValues is the first value of every row.
func firstValues(res *records.Result) []any {
	out := []any{}
	for _, r := range res.Rows {
		out = append(out, r.Values[0])
	}
	return out
}
