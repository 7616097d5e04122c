package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
)

// What SQLite's planner does beyond the conformance suite (storetest.RunExplain): an OR
// of two indexed fields is one MULTI-INDEX OR path, a LIMIT read in Id order needs no
// sort, an ORDER BY on an unindexed field does, and an index SQLite can only range-search
// is still listed.
func TestExplainSQLitePlanner(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	cat, err := schema.NewCatalog(schema.Standard())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Sync(ctx, testOrg, cat); err != nil {
		t.Fatal(err)
	}
	acct, _ := cat.Object("Account")
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	err = db.Write(ctx, testOrg, func(tx records.Tx) error {
		var recs []records.Record
		for i := range 40 {
			recs = append(recs, records.Record{"Name": fmt.Sprintf("A%02d", i), "OwnerId": string(UserID), "Site": fmt.Sprintf("S%d", i%4),
				"CreatedDate": now, "LastModifiedDate": now, "SystemModstamp": now, "CreatedById": string(UserID), "LastModifiedById": string(UserID)})
		}
		_, err := tx.Insert(ctx, acct, recs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	explain := func(text string) *records.Explanation {
		t.Helper()
		ast, err := soql.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		p, err := query.Resolve(ast, cat, Admin(), query.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ex, err := db.Explain(ctx, testOrg, p)
		if err != nil {
			t.Fatal(err)
		}
		return ex
	}
	for _, tc := range []struct {
		soql string
		want records.Explanation
	}{
		{"SELECT Id FROM Account WHERE Name = 'A01' OR Id = '001000000000000AAA'", records.Explanation{ObjectRows: 40, Matches: 1,
			Paths: []records.AccessPath{{Index: "Name", Union: []string{"Id"}, Rows: 1}, {Rows: 1}}, Unindexed: []string{"IsDeleted"}}},
		{"SELECT Id FROM Account LIMIT 10", records.Explanation{ObjectRows: 40, Matches: 40,
			Paths: []records.AccessPath{{Rows: 40, Ordered: true}}, Unindexed: []string{"IsDeleted"}}},
		{"SELECT Id FROM Account ORDER BY Site LIMIT 10", records.Explanation{ObjectRows: 40, Matches: 40,
			Paths: []records.AccessPath{{Rows: 40}}, Unindexed: []string{"IsDeleted"}}},
		{"SELECT Id FROM Account WHERE (Name = 'A01' OR Site = 'S1') AND OwnerId != null", records.Explanation{ObjectRows: 40, Matches: 10,
			// The OR has an unindexed side: a scan (in Id order, no sort), and OwnerId's
			// index as the alternative for OwnerId != null (every row).
			Paths: []records.AccessPath{{Rows: 10, Ordered: true}, {Index: "OwnerId", Rows: 40}}, Unindexed: []string{"IsDeleted", "Site"}}},
	} {
		if diff := cmp.Diff(&tc.want, explain(tc.soql)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.soql, diff)
		}
	}
}

// Setup objects are views over the Setup tables: their indexes map to fields through the
// view's columns (users.id → Id, users.username → Username).
func TestExplainSetupObject(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	o, u, _ := seed(t, db)
	cat, err := schema.NewCatalog(schema.Standard())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Sync(ctx, o.ID, cat); err != nil {
		t.Fatal(err)
	}
	explain := func(text string) *records.Explanation {
		t.Helper()
		ast, err := soql.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		p, err := query.Resolve(ast, cat, Admin(), query.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ex, err := db.Explain(ctx, o.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		return ex
	}
	got := explain("SELECT Id FROM User WHERE Id = '" + string(u.ID) + "'")
	if len(got.Paths) == 0 || got.Paths[0].Index != "Id" || got.Paths[0].Rows != 1 || got.ObjectRows != 1 || got.Matches != 1 {
		t.Errorf("User by Id: %+v", got)
	}
	// Username has an index (not unindexed), but SQLite searches the org's users
	// (users_org, no field of User): a scan of the org's rows, as the plan says.
	got = explain("SELECT Id FROM User WHERE Username = '" + u.Username + "'")
	if diff := cmp.Diff(&records.Explanation{ObjectRows: 1, Matches: 1, Paths: []records.AccessPath{{Rows: 1}}}, got); diff != "" {
		t.Errorf("User by Username (-want +got):\n%s", diff)
	}
	got = explain("SELECT Id FROM User WHERE Email = 'x@example.com'")
	if diff := cmp.Diff(&records.Explanation{ObjectRows: 1, Paths: []records.AccessPath{{}}, Unindexed: []string{"Email"}}, got); diff != "" {
		t.Errorf("User by Email (-want +got):\n%s", diff)
	}
}
