package server

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSimpleSalesforceLayouts runs clients/simple-salesforce/layouts.py:
// sf.Account.describe_layout('012000000000000AAA') over TLS, as simple-salesforce 1.12.10
// sends it (salesforce-rest-more.md §3.2), and an unknown record type.
func TestSimpleSalesforceLayouts(t *testing.T) {
	s := startDataOrg(t, true)
	got := runSimpleSalesforceScript(t, s, "../../clients/simple-salesforce/layouts.py", s.token(t, dataKey, dataSecret))
	want := map[string]any{
		"master": map[string]any{
			"idPrefix":  "00h",
			"sections":  []any{"Account Information", "Address Information", "System Information"},
			"firstItem": "Account Name",
			"buttons":   []any{"Edit", "Delete", "Clone"},
		},
		"shortId": true,
		"unknown": "SalesforceResourceNotFound: NOT_FOUND The requested resource does not exist",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("simple-salesforce layouts summary (-want +got):\n%s", diff)
	}
}
