package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// RunExplain is the conformance suite of records.Store.Explain (/query?explain=,
// salesforce-rest-more.md §6). open must return a new, empty store for each call. It
// pins down what every backend answers, whatever its planner:
//   - ObjectRows counts the object's live rows, every owner's; Matches the rows the
//     filter and the visibility rule keep, before LIMIT;
//   - a filter on an indexed field (Id, the name field, OwnerId, a reference, an
//     external ID) is searched in that field's index, yielding the rows its terms match;
//     a filter on unindexed fields, or none, is a scan yielding the matches;
//   - every other index the filter could use is listed after the chosen path, and a
//     table scan always is;
//   - the visibility rule alone (Plan.OwnerID) searches OwnerId's index as Sharing;
//   - Unindexed lists IsDeleted, then the filter's unindexed fields in order;
//   - an object without storage is records.ErrUnknownObject.
func RunExplain(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := t.Context()
	cat, err := schema.NewCatalog(schema.Standard())
	if err != nil {
		t.Fatal(err)
	}
	acct, _ := cat.Object("Account")
	orgID := sfid.New("00D", "5F", 7)
	owner1, owner2 := sfid.New("005", "5F", 1), sfid.New("005", "5F", 2)
	s := open(t)
	if err := s.Sync(ctx, orgID, cat); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	var ids []sfid.ID
	err = s.Write(ctx, orgID, func(tx records.Tx) error {
		var recs []records.Record
		for i := range 50 {
			owner := owner1
			if i%2 == 1 {
				owner = owner2
			}
			recs = append(recs, records.Record{"Name": fmt.Sprintf("A%02d", i), "OwnerId": string(owner),
				"Site": fmt.Sprintf("S%d", i%5), "CreatedDate": now, "LastModifiedDate": now, "SystemModstamp": now,
				"CreatedById": string(owner1), "LastModifiedById": string(owner1), "IsDeleted": false})
		}
		var err error
		ids, err = tx.Insert(ctx, acct, recs)
		if err != nil {
			return err
		}
		return tx.Delete(ctx, acct, ids[49:], time.Now()) // A49, owner2: deleted
	})
	if err != nil {
		t.Fatal(err)
	}
	path := func(name string) *query.Path {
		f, ok := acct.Field(name)
		if !ok {
			t.Fatalf("no field %s", name)
		}
		return &query.Path{Field: f, Name: f.Name}
	}
	eq := func(field string, v any) query.Cond {
		return &query.Compare{Path: path(field), Op: "=", Values: []any{v}}
	}
	plan := func(where query.Cond, owner sfid.ID) *query.Plan {
		return &query.Plan{Object: acct, Columns: []query.Column{{Path: path("Id")}}, Where: where, Limit: -1, OwnerID: owner}
	}
	// Ordered depends on the backend's planner: compared as false.
	paths := func(ps ...records.AccessPath) []records.AccessPath { return ps }
	noOrder := cmp.Transformer("noOrder", func(p records.AccessPath) records.AccessPath { p.Ordered = false; return p })

	for _, tc := range []struct {
		name string
		plan *query.Plan
		want records.Explanation
	}{
		{"no filter", plan(nil, ""), records.Explanation{ObjectRows: 49, Matches: 49,
			Paths: paths(records.AccessPath{Rows: 49}), Unindexed: []string{"IsDeleted"}}},
		{"name", plan(eq("Name", "A07"), ""), records.Explanation{ObjectRows: 49, Matches: 1,
			Paths: paths(records.AccessPath{Index: "Name", Rows: 1}, records.AccessPath{Rows: 1}), Unindexed: []string{"IsDeleted"}}},
		{"id", plan(eq("Id", string(ids[3])), ""), records.Explanation{ObjectRows: 49, Matches: 1,
			Paths: paths(records.AccessPath{Index: "Id", Rows: 1}, records.AccessPath{Rows: 1}), Unindexed: []string{"IsDeleted"}}},
		{"deleted record by name", plan(eq("Name", "A49"), ""), records.Explanation{ObjectRows: 49, Matches: 0,
			Paths: paths(records.AccessPath{Index: "Name", Rows: 0}, records.AccessPath{Rows: 0}), Unindexed: []string{"IsDeleted"}}},
		{"unindexed", plan(eq("Site", "S1"), ""), records.Explanation{ObjectRows: 49, Matches: 10,
			Paths: paths(records.AccessPath{Rows: 10}), Unindexed: []string{"IsDeleted", "Site"}}},
		{"indexed and unindexed", plan(&query.And{L: eq("Site", "S1"), R: eq("Name", "A06")}, ""), records.Explanation{ObjectRows: 49, Matches: 1,
			Paths: paths(records.AccessPath{Index: "Name", Rows: 1}, records.AccessPath{Rows: 1}), Unindexed: []string{"IsDeleted", "Site"}}},
		{"sharing", plan(nil, owner1), records.Explanation{ObjectRows: 49, Matches: 25,
			Paths: paths(records.AccessPath{Index: "OwnerId", Rows: 25, Sharing: true}, records.AccessPath{Rows: 25}), Unindexed: []string{"IsDeleted"}}},
		{"owner filter", plan(eq("OwnerId", string(owner2)), ""), records.Explanation{ObjectRows: 49, Matches: 24,
			Paths: paths(records.AccessPath{Index: "OwnerId", Rows: 24}, records.AccessPath{Rows: 24}), Unindexed: []string{"IsDeleted"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Explain(ctx, orgID, tc.plan)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tc.want, got, noOrder); diff != "" {
				t.Errorf("Explain (-want +got):\n%s", diff)
			}
		})
	}

	// Two indexed fields: one is chosen, the other listed, each with the rows its
	// terms match; the scan yields the matches.
	t.Run("two indexes", func(t *testing.T) {
		got, err := s.Explain(ctx, orgID, plan(&query.And{L: eq("Name", "A08"), R: eq("OwnerId", string(owner1))}, ""))
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string]int{}
		for _, p := range got.Paths {
			rows[p.Index] = p.Rows
		}
		if diff := cmp.Diff(map[string]int{"Name": 1, "OwnerId": 25, "": 1}, rows); diff != "" || len(got.Paths) != 3 {
			t.Errorf("paths %+v (-want +got):\n%s", got.Paths, diff)
		}
		if got.Paths[0].Index == "" || got.Paths[2].Index != "" {
			t.Errorf("paths %+v: want an index first and the scan last", got.Paths)
		}
	})

	t.Run("unknown object", func(t *testing.T) {
		other := sfid.New("00D", "5F", 8) // never synced
		if _, err := s.Explain(ctx, other, plan(nil, "")); !errors.Is(err, records.ErrUnknownObject) {
			t.Errorf("Explain on an org without storage: %v, want ErrUnknownObject", err)
		}
	})
}
