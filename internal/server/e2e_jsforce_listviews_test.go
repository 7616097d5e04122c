package server

import (
	"context"
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// jsforce 3.10.16's list view and explain calls (clients/jsforce/listviews.js), with the
// checks of jsforce's own integration tests (salesforce-rest-more.md §0).
func TestJSForceListViews(t *testing.T) {
	node := needJSForce(t)
	s := startViews(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "listviews.js")
	cmd.Dir = jsforceDir
	cmd.Env = clientEnv("FF_URL="+s.URL, "FF_KEY=FayKey0001", "FF_SECRET=FaySecret0001")
	out, err := cmd.Output()
	var got map[string]any
	if jerr := json.Unmarshal(out, &got); jerr != nil {
		t.Fatalf("node listviews.js: %v; output %q", err, out)
	}
	if err != nil {
		t.Fatalf("node listviews.js failed: %v: %v", err, got)
	}
	names := []any{"JSF view 1", "JSF view 2", "JSF view 3"}
	want := map[string]any{
		"listviews": map[string]any{
			"ok":    true,
			"names": []any{"NewThisWeek", "NewLastWeek", "RecentlyViewedAccounts", "AllAccounts", "MyAccounts"},
			"size":  5.0, "done": true,
		},
		"describe": map[string]any{
			"ok": true, "idIs15": true, "sobjectType": "Account",
			"queryEnd": " FROM Account WHERE CreatedDate = THIS_WEEK ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST",
			"columns":  []any{"Name", "Site", "BillingState", "Phone", "Type", "Owner.Alias"},
		},
		"results": map[string]any{
			"ok": true, "label": "New This Week", "size": 3.0, "done": true,
			"names": names, "types": []any{"Prospect", nil, nil},
		},
		"viewExplain":  map[string]any{"ok": true, "ops": []any{"TableScan"}},
		"queryExplain": map[string]any{"ok": true, "ops": []any{"Index", "TableScan"}, "fields": []any{"Name"}, "cardinality": 1.0, "sobjectCardinality": 3.0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jsforce list views summary (-want +got):\n%s", diff)
	}
}
