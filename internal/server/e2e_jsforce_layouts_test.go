package server

import (
	"context"
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestJSForceLayouts runs clients/jsforce/layouts.js: jsforce 3.10.16's layouts(),
// layouts('UserAlt'), compactLayouts() and approvalLayouts(), with their cached variants,
// under the assertions of jsforce's own test/sobject.test.ts (salesforce-rest-more.md §0).
func TestJSForceLayouts(t *testing.T) {
	node := needJSForce(t)
	s := startDataOrg(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "layouts.js")
	cmd.Dir = jsforceDir
	cmd.Env = clientEnv("FF_URL="+s.URL, "FF_KEY="+dataKey, "FF_SECRET="+dataSecret)
	out, err := cmd.Output()
	var got map[string]any
	if jerr := json.Unmarshal(out, &got); jerr != nil {
		t.Fatalf("node layouts.js: %v; output %q", err, out)
	}
	if err != nil {
		t.Fatalf("node layouts.js failed: %v: %v", err, got)
	}
	want := map[string]any{
		"account": map[string]any{
			"layouts": 1.0, "idPrefix": "00h",
			"sections":     []any{"Account Information", "Address Information", "System Information"},
			"editSections": []any{"Account Information", "Address Information"},
			// Row by row: Name | Ownership, OwnerId | … (two columns filled top to bottom).
			"firstFields": []any{"Name", "Ownership", "OwnerId"},
			"buttons":     []any{"Edit", "Delete", "Clone"},
			// The data org's integration user has Modify All Data: every child is readable.
			"relatedLists": []any{"ChildAccounts", "Cases", "Contacts", "Opportunities", "Tasks", "Users"},
			"recordTypes":  []any{"012000000000000AAA"},
			"selector":     []any{false},
		},
		"userAlt":      map[string]any{"layouts": 1.0, "firstSection": "User Information"},
		"unknownNamed": map[string]any{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"},
		"compact":      map[string]any{"name": "SYSTEM", "fields": []any{"Name", "Phone", "OwnerId"}, "defaultCompactLayoutId": nil},
		"approval":     map[string]any{"approvalLayouts": []any{}},
		"byRecordType": map[string]any{"sameLayout": true, "sections": 3.0},
		"failed":       []any{},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jsforce layouts summary (-want +got):\n%s", diff)
	}
}
