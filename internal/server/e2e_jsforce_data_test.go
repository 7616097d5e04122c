package server

import (
	"context"
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// jsforce 3.10.16 data calls (clients/jsforce/data.js; salesforce-rest.md §8.1, §10).

// runJSForceData runs data.js against s with a client-credentials app and returns the
// summary it prints.
func runJSForceData(t *testing.T, s *testServer, scenario, key, secret, username string) map[string]any {
	t.Helper()
	node := needJSForce(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "data.js")
	cmd.Dir = jsforceDir
	cmd.Env = clientEnv("FF_URL="+s.URL, "FF_KEY="+key, "FF_SECRET="+secret, "FF_USERNAME="+username,
		"FF_ADMIN_TOKEN="+s.AdminToken, "FF_SCENARIO="+scenario)
	out, err := cmd.Output()
	var res map[string]any
	if jerr := json.Unmarshal(out, &res); jerr != nil {
		t.Fatalf("node data.js: %v; output %q", err, out)
	}
	if err != nil {
		t.Fatalf("node data.js failed: %v: %v", err, res)
	}
	return res
}

// afterRevoke is what a token-only jsforce connection raises once the session is revoked.
var afterRevoke = map[string]any{"errorCode": "INVALID_SESSION_ID", "message": "Session expired or invalid"}

// TestJSForceSession runs today: login, limits, and the revoked-session error.
func TestJSForceSession(t *testing.T) {
	s := start(t)
	got := runJSForceData(t, s, "session", "AcmeKey0001", "AcmeSecret0001", "integration@acme.example")
	want := map[string]any{
		"instanceUrl": s.URL,
		"limits":      map[string]any{"hasDailyApiRequests": true},
		"afterRevoke": afterRevoke,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jsforce session summary (-want +got):\n%s", diff)
	}
}

func TestJSForceData(t *testing.T) {
	s := startDataOrg(t, false)
	got := runJSForceData(t, s.testServer, "data", dataKey, dataSecret, dataUser)
	ok := map[string]any{"success": true, "errors": 0.0}
	oks := []any{ok, ok, ok}
	want := map[string]any{
		"instanceUrl": s.URL,
		"limits":      map[string]any{"hasDailyApiRequests": true},
		"describe":    map[string]any{"name": "Account", "hasName": true, "createable": true},
		"single": map[string]any{
			"create": ok, "idPrefix": "001", "retrieved": "JSF single", "type": "Account",
			"update": ok, "renamed": "JSF renamed", "destroy": ok,
		},
		"retrieveDeleted": map[string]any{"errorCode": "ENTITY_IS_DELETED", "message": "entity is deleted"},
		"arrays": map[string]any{
			"create": oks, "retrieved": []any{"JSF arr 1", "JSF arr 2", "JSF arr 3"}, "update": oks,
			"renamed": []any{"JSF arr 1b", "JSF arr 2b", "JSF arr 3b"}, "destroy": oks,
		},
		"upsert": map[string]any{
			"first":   map[string]any{"success": true, "created": true},
			"second":  map[string]any{"success": true, "created": false},
			"records": []any{map[string]any{"ExtId__c": "INV-1", "Amount__c": 20.0}},
		},
		// 2500 records at batchSize=500: five fetches, one autoFetch result.
		"query": map[string]any{
			"created": 2500.0, "fetched": 2500.0, "totalSize": 2500.0, "done": true, "pages": 5.0,
			"first": "JSF bulk 0000", "last": "JSF bulk 2499",
		},
		"count":         2500.0,
		"selectStar":    map[string]any{"records": 1.0, "name": "JSF bulk 0007", "hasId": true, "fields": true},
		"composite":     []any{map[string]any{"referenceId": "acct", "httpStatusCode": 201.0}, map[string]any{"referenceId": "read", "httpStatusCode": 200.0}},
		"compositeName": "JSF composite",
		"afterRevoke":   afterRevoke,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jsforce data summary (-want +got):\n%s", diff)
	}
}
