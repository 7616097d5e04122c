package dataapi

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
)

func TestExplainPlans(t *testing.T) {
	cat, err := schema.NewCatalog(schema.Standard())
	if err != nil {
		t.Fatal(err)
	}
	acct, _ := cat.Object("Account")
	ext := &schema.Object{Name: "Invoice__c", KeyPrefix: "a00", Fields: []schema.Field{
		{Name: "Id", Type: schema.TypeID}, {Name: "Number__c", Type: schema.TypeString, Custom: true, ExternalID: true},
	}}
	if _, err := schema.NewCatalog([]*schema.Object{ext}); err != nil {
		t.Fatal(err)
	}
	isDeleted := []explainNote{{Description: "Not considering filter for optimization because unindexed", Fields: []string{"IsDeleted"}, TableEnumOrID: "Account"}}
	plan := func(obj *schema.Object, limit int) *query.Plan { return &query.Plan{Object: obj, Limit: limit} }
	for _, tc := range []struct {
		name string
		plan *query.Plan
		ex   records.Explanation
		want []explainPlan
	}{
		{
			// The reference's capture: SELECT Id FROM Account LIMIT 10 over 1001 rows.
			name: "ordered scan with a limit",
			plan: plan(acct, 10),
			ex:   records.Explanation{ObjectRows: 1001, Matches: 1001, Paths: []records.AccessPath{{Rows: 1001, Ordered: true}}, Unindexed: []string{"IsDeleted"}},
			want: []explainPlan{
				{Cardinality: 10, Fields: []string{}, LeadingOperationType: "Other", Notes: isDeleted, RelativeCost: 10 / 300.3, SobjectCardinality: 1001, SobjectType: "Account"},
				{Cardinality: 1001, Fields: []string{}, LeadingOperationType: "TableScan", Notes: isDeleted, RelativeCost: 1001 / 300.3, SobjectCardinality: 1001, SobjectType: "Account"},
			},
		},
		{
			name: "sorted scan",
			plan: plan(acct, 10),
			ex:   records.Explanation{ObjectRows: 100, Matches: 40, Paths: []records.AccessPath{{Rows: 40}}, Unindexed: []string{"IsDeleted"}},
			want: []explainPlan{
				{Cardinality: 40, Fields: []string{}, LeadingOperationType: "TableScan", Notes: isDeleted, RelativeCost: 100 / 30.0, SobjectCardinality: 100, SobjectType: "Account"},
			},
		},
		{
			name: "chosen index first, then by cost",
			plan: plan(acct, -1),
			ex: records.Explanation{ObjectRows: 2_000_000, Matches: 3, Paths: []records.AccessPath{
				{Index: "OwnerId", Rows: 900_000}, {Index: "Name", Rows: 3}, {Rows: 3},
			}},
			want: []explainPlan{
				// 2M rows: 30% of the first million + 15% of the next = 450,000.
				{Cardinality: 900_000, Fields: []string{"OwnerId"}, LeadingOperationType: "Index", Notes: []explainNote{}, RelativeCost: 2, SobjectCardinality: 2_000_000, SobjectType: "Account"},
				{Cardinality: 3, Fields: []string{"Name"}, LeadingOperationType: "Index", Notes: []explainNote{}, RelativeCost: 3 / 450_000.0, SobjectCardinality: 2_000_000, SobjectType: "Account"},
				{Cardinality: 3, Fields: []string{}, LeadingOperationType: "TableScan", Notes: []explainNote{}, RelativeCost: 2_000_000 / 450_000.0, SobjectCardinality: 2_000_000, SobjectType: "Account"},
			},
		},
		{
			name: "sharing and a custom index",
			plan: plan(ext, -1),
			ex: records.Explanation{ObjectRows: 10, Matches: 1, Paths: []records.AccessPath{
				{Index: "Id", Rows: 4, Sharing: true}, {Index: "Number__c", Rows: 1}, {Rows: 1},
			}, Unindexed: []string{"IsDeleted", "Amount__c"}},
			want: func() []explainPlan {
				notes := []explainNote{
					{Description: "Not considering filter for optimization because unindexed", Fields: []string{"IsDeleted"}, TableEnumOrID: "Invoice__c"},
					{Description: "Not considering filter for optimization because unindexed", Fields: []string{"Amount__c"}, TableEnumOrID: "Invoice__c"},
				}
				return []explainPlan{
					{Cardinality: 4, Fields: []string{}, LeadingOperationType: "Sharing", Notes: notes, RelativeCost: 4 / 3.0, SobjectCardinality: 10, SobjectType: "Invoice__c"},
					// A custom index's threshold is 10%.
					{Cardinality: 1, Fields: []string{"Number__c"}, LeadingOperationType: "Index", Notes: notes, RelativeCost: 1, SobjectCardinality: 10, SobjectType: "Invoice__c"},
					{Cardinality: 1, Fields: []string{}, LeadingOperationType: "TableScan", Notes: notes, RelativeCost: 10 / 3.0, SobjectCardinality: 10, SobjectType: "Invoice__c"},
				}
			}(),
		},
		{
			name: "empty object",
			plan: plan(acct, -1),
			ex:   records.Explanation{Paths: []records.AccessPath{{}}},
			want: []explainPlan{{Fields: []string{}, LeadingOperationType: "TableScan", Notes: []explainNote{}, SobjectType: "Account"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			approx := cmp.Comparer(func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 })
			if diff := cmp.Diff(tc.want, explainPlans(tc.plan, &tc.ex), approx); diff != "" {
				t.Errorf("explainPlans (-want +got):\n%s", diff)
			}
		})
	}
}

func TestThresholds(t *testing.T) {
	for _, tc := range []struct {
		n              int
		standard, cust float64
	}{
		{0, 0, 0},
		{1000, 300, 100},
		{1_000_000, 300_000, 100_000},
		{3_000_000, 600_000, 200_000},
		{10_000_000, 1_000_000, 333_333}, // the caps
	} {
		if got := standardThreshold(tc.n); got != tc.standard {
			t.Errorf("standardThreshold(%d) = %v, want %v", tc.n, got, tc.standard)
		}
		if got := customThreshold(tc.n); got != tc.cust {
			t.Errorf("customThreshold(%d) = %v, want %v", tc.n, got, tc.cust)
		}
	}
}
