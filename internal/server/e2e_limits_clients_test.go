package server

import (
	"context"
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Real clients on /limits and /limits/recordCount (salesforce-rest-more.md §0), against
// the Developer Edition org of e2e_limits_test.go.

// TestLimitsSF: `sf org list limits` maps every top-level value to name/max/remaining;
// `sf org list sobject record-counts` sends ?sObjects=A,B with -s and a bare ?sObjects
// without.
func TestLimitsSF(t *testing.T) {
	sf := needSF(t)
	s := startOrg(t, devOrgFile, false)
	tok := s.token(t, "DevKey0001", "DevSecret0001")
	if login, err := sf.json(t, []string{"SF_ACCESS_TOKEN=" + tok}, "org", "login", "access-token",
		"--instance-url", s.URL, "--no-prompt", "--alias", "dev"); err != nil {
		t.Fatalf("sf org login access-token: %v: %v", err, login)
	}

	res, err := sf.json(t, nil, "org", "list", "limits", "-o", "dev")
	if err != nil {
		t.Fatalf("sf org list limits: %v: %v", err, res)
	}
	rows, _ := res["result"].([]any)
	got := map[string][2]float64{}
	for _, r := range rows {
		m := r.(map[string]any)
		max, _ := m["max"].(float64)
		rem, _ := m["remaining"].(float64)
		got[m["name"].(string)] = [2]float64{max, rem}
	}
	if len(got) != 51 {
		t.Errorf("sf org list limits: %d rows, want 51: %v", len(got), got)
	}
	for name, want := range map[string][2]float64{
		"DataStorageMB": {5, 4}, "FileStorageMB": {20, 20}, "MassEmail": {10, 10}, "PermissionSets": {1500, 1498},
	} {
		if got[name] != want {
			t.Errorf("sf org list limits %s = %v, want %v", name, got[name], want)
		}
	}
	if d := got["DailyApiRequests"]; d[0] != 15000 || d[1] >= 15000 || d[1] < 14900 {
		t.Errorf("sf org list limits DailyApiRequests = %v, want max 15000 and some used", d)
	}

	counts := func(args ...string) []any {
		t.Helper()
		res, err := sf.json(t, nil, append([]string{"org", "list", "sobject", "record-counts", "-o", "dev"}, args...)...)
		if err != nil {
			t.Fatalf("sf org list sobject record-counts %v: %v: %v", args, err, res)
		}
		out, _ := res["result"].([]any)
		return out
	}
	acc := map[string]any{"name": "Account", "count": 3.0}
	con := map[string]any{"name": "Contact", "count": 2.0}
	if diff := cmp.Diff([]any{acc, con}, counts()); diff != "" {
		t.Errorf("record-counts without -s (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{acc}, counts("-s", "Account")); diff != "" {
		t.Errorf("record-counts -s Account (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{acc, con}, counts("-s", "Contact", "-s", "Account")); diff != "" {
		t.Errorf("record-counts -s Contact -s Account (-want +got):\n%s", diff)
	}
}

// TestLimitsSimpleSalesforce: sf.limits() and sf.restful('limits/recordCount', …).
func TestLimitsSimpleSalesforce(t *testing.T) {
	s := startOrg(t, devOrgFile, true)
	got := runSimpleSalesforceScript(t, s, "../../clients/simple-salesforce/limits.py", s.token(t, "DevKey0001", "DevSecret0001"))
	want := map[string]any{
		"allMaxRemaining":      true,
		"keys":                 51.0,
		"DataStorageMB":        map[string]any{"Max": 5.0, "Remaining": 4.0},
		"FileStorageMB":        map[string]any{"Max": 20.0, "Remaining": 20.0},
		"DailyApiRequestsMax":  15000.0,
		"DailyApiRequestsApps": []any{"Dev App", "NoSetup App", "Salesforce CLI", "aardvark"}, // with the built-in app
		"recordCount":          map[string]any{"sObjects": []any{map[string]any{"count": 3.0, "name": "Account"}}},
		"recordCountTwo": map[string]any{"sObjects": []any{map[string]any{"count": 3.0, "name": "Account"},
			map[string]any{"count": 2.0, "name": "Contact"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("simple-salesforce summary (-want +got):\n%s", diff)
	}
}

// TestLimitsJSForce: conn.limits() meets jsforce's own test's conditions.
func TestLimitsJSForce(t *testing.T) {
	node := needJSForce(t)
	s := startOrg(t, devOrgFile, false)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "limits.js")
	cmd.Dir = jsforceDir
	cmd.Env = clientEnv("FF_URL="+s.URL, "FF_KEY=DevKey0001", "FF_SECRET=DevSecret0001")
	out, err := cmd.Output()
	var got map[string]any
	if jerr := json.Unmarshal(out, &got); jerr != nil || err != nil {
		t.Fatalf("node limits.js: %v / %v; output %q", err, jerr, out)
	}
	want := map[string]any{
		"dataStorage": true, "fileStorage": true, "dailyApiRequests": true, "apiUsed": true, "apiLimit": 15000.0,
		"DataStorageMB": map[string]any{"Max": 5.0, "Remaining": 4.0},
		"FileStorageMB": map[string]any{"Max": 20.0, "Remaining": 20.0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jsforce summary (-want +got):\n%s", diff)
	}
}
