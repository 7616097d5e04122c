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

// Real clients on getUpdated/getDeleted, /recent, /tabs and /theme: jsforce 3
// (clients/jsforce/replication.js) and simple-salesforce (clients/simple-salesforce/
// replication.py).

// replicationFixture moves the server's clock to about now (the org is dated by the real
// clock, and the suite's window is computed from it), creates two records of object
// (bodies kept and gone) and deletes the second at r, then moves the clock 3 minutes on
// so that r's minute is covered. It returns r, the IDs and a token issued at r.
func replicationFixture(t *testing.T, s *testServer, object, keptBody, goneBody string) (r time.Time, kept, gone, token string) {
	t.Helper()
	r = time.Now().UTC().Truncate(time.Minute).Add(10 * time.Second)
	s.Clock.Advance(r.Sub(s.Clock.Now()))
	d := &dataServer{testServer: s, int: s.token(t, dataKey, dataSecret)}
	kept = d.create(t, d.int, object, keptBody)
	gone = d.create(t, d.int, object, goneBody)
	if res := d.call(t, d.int, "DELETE", "/sobjects/"+object+"/"+gone, ""); res.Status != 204 {
		t.Fatalf("delete: %d %s", res.Status, res.Body)
	}
	s.Clock.Advance(3 * time.Minute)
	return r, kept, gone, d.int
}

func TestJSForceReplication(t *testing.T) {
	node := needJSForce(t)
	day := time.Now().UTC().Truncate(24 * time.Hour)
	s := startDataOrg(t, false)
	r, kept, gone, _ := replicationFixture(t, s.testServer, "Account", `{"Name":"Rep kept"}`, `{"Name":"Rep gone"}`)
	d := &dataServer{testServer: s.testServer, int: s.token(t, dataKey, dataSecret)}
	user := d.query(t, d.int, "SELECT Id FROM User").Records[0]["Id"].(string)
	d.create(t, d.int, "Account", `{"Name":"Rep also"}`) // at r+3m: outside both windows

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "replication.js")
	cmd.Dir = jsforceDir
	iso := func(t time.Time) string { return t.Format(time.RFC3339) }
	cmd.Env = clientEnv("FF_URL="+s.URL, "FF_KEY="+dataKey, "FF_SECRET="+dataSecret,
		"FF_START="+iso(r.Add(-time.Minute)), "FF_END="+iso(r.Add(2*time.Minute)), "FF_NOW="+iso(s.Clock.Now()))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var got map[string]any
	if jerr := json.Unmarshal(out, &got); jerr != nil || err != nil {
		t.Fatalf("node replication.js: %v; output %s; stderr %s", err, out, stderr.String())
	}
	minute := r.Truncate(time.Minute)
	tabs := []any{"standard-Account", "standard-Contact", "standard-Lead", "standard-Opportunity", "standard-Case", "Invoice__c"}
	want := map[string]any{
		"updated": map[string]any{"ids": []any{kept}, "latestDateCovered": repDate(minute.Add(2 * time.Minute))},
		"deleted": map[string]any{
			"deletedRecords":        []any{map[string]any{"id": gone, "deletedDate": repDate(r)}},
			"earliestDateAvailable": repDate(day),
			"latestDateCovered":     repDate(minute.Add(2 * time.Minute)),
		},
		"userUpdated":  []any{user},
		"suite":        map[string]any{"updatedIsArray": true, "deletedIsArray": true},
		"recentBefore": 0.0,
		"viewed":       []any{"Rep also", "Rep kept"},
		// Viewed at the same time: the later ID first.
		"recent": []any{map[string]any{"type": "Account", "Id": true, "Name": "Rep also"},
			map[string]any{"type": "Account", "Id": true, "Name": "Rep kept"}},
		"recentAccount": []any{"Rep also", "Rep kept"},
		"tabs":          tabs,
		"tabsShape":     true,
		"themeNames":    []any{"Account", "Contact", "Lead", "Opportunity", "Case", "Invoice__c"},
		"themeShape":    true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jsforce replication summary (-want +got):\n%s", diff)
	}
}

func TestSimpleSalesforceReplication(t *testing.T) {
	needSimpleSalesforce(t) // skip (or fail under CI) before building the fixture
	day := time.Now().UTC().Truncate(24 * time.Hour)
	s := startDataOrg(t, true)
	r, kept, gone, token := replicationFixture(t, s.testServer, "Contact", `{"LastName":"Kept"}`, `{"LastName":"Gone"}`)

	iso := func(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }
	got := runSimpleSalesforceScript(t, s, "../../clients/simple-salesforce/replication.py", token,
		"FF_START="+iso(r.Add(-time.Minute)), "FF_END="+iso(r.Add(2*time.Minute)))
	covered := repDate(r.Truncate(time.Minute).Add(2 * time.Minute))
	updated := map[string]any{"ids": []any{kept}, "latestDateCovered": covered}
	deleted := map[string]any{
		"deletedRecords":        []any{map[string]any{"id": gone, "deletedDate": repDate(r)}},
		"earliestDateAvailable": repDate(day),
		"latestDateCovered":     covered,
	}
	want := map[string]any{"updatedPytz": updated, "updatedNaive": updated, "deletedTimezone": deleted, "deletedNaive": deleted}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("simple-salesforce replication summary (-want +got):\n%s", diff)
	}
}
