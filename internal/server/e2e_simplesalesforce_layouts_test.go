package server

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSimpleSalesforceLayouts runs clients/simple-salesforce/layouts.py:
// sf.Account.describe_layout('012000000000000AAA') over TLS, as simple-salesforce 1.12.10
// sends it (salesforce-rest-more.md §3.2), and an unknown record type.
func TestSimpleSalesforceLayouts(t *testing.T) {
	python, env := needSimpleSalesforce(t)
	s := startDataOrg(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "../../clients/simple-salesforce/layouts.py")
	cmd.Env = clientEnv(append(env, "FF_HTTPS="+s.HTTPS, "FF_TOKEN="+s.token(t, dataKey, dataSecret),
		"REQUESTS_CA_BUNDLE="+s.CertFile, "CURL_CA_BUNDLE="+s.CertFile)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var got map[string]any
	if jerr := json.Unmarshal(out, &got); jerr != nil {
		t.Fatalf("python layouts.py: %v; output %q; stderr %s", err, out, stderr.String())
	}
	if err != nil {
		t.Fatalf("python layouts.py failed: %v: %v\n%s", err, got, stderr.String())
	}
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
