package server

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// jsforce 3.10.16's Bulk API 2.0 (conn.bulk2) and Bulk API 1.0 (conn.bulk) against
// Forcefield (clients/jsforce/bulk.js; salesforce-bulk.md §7.1, §7.2).

// crlfName is the uploaded Name with a CRLF inside its quotes (bulk.js's awkward[2]).
const crlfName = "JSB line\nbreak\r\nand CRLF"

// TestBulkJSForce runs bulk.js once; the subtests compare its parts.
func TestBulkJSForce(t *testing.T) {
	node := needJSForce(t)
	s := startBulkOrg(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "bulk.js")
	cmd.Dir = jsforceDir
	cmd.Env = clientEnv("FF_URL="+s.URL, "FF_KEY="+dataKey, "FF_SECRET="+dataSecret)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	began := time.Now()
	out, err := cmd.Output()
	t.Logf("node bulk.js: %s (%s)", time.Since(began).Round(time.Millisecond), strings.TrimSpace(stderr.String()))
	var got map[string]any
	if jerr := json.Unmarshal(out, &got); jerr != nil {
		t.Fatalf("node bulk.js: %v; output %q; stderr %s", err, out, stderr.String())
	}
	if err != nil {
		t.Fatalf("node bulk.js failed: %v: %v", err, got)
	}
	bulk1, _ := got["bulk1"].(map[string]any)
	delete(got, "bulk1")
	insert, _ := got["insert"].(map[string]any)
	crlfEcho := insert["crlfEcho"]
	delete(insert, "crlfEcho")

	t.Run("bulk2", func(t *testing.T) {
		var failures []any
		for i := 999; i < 10000; i += 1000 {
			v := fmt.Sprintf("%d people", i)
			failures = append(failures, map[string]any{
				"sf__Id": "", "Name": fmt.Sprintf("JSB %05d", i), "NumberOfEmployees": v,
				// Upload columns: Name, NumberOfEmployees, Description.
				"sf__Error": invalidIntError(v, 2),
			})
		}
		ids := []any{"001:18"}
		want := map[string]any{
			"instanceUrl": s.URL,
			// 10,000 rows, ten with an invalid number: 9,990 created, 10 failed, none unprocessed;
			// results echo the uploaded columns and values (null uploaded as #N/A: empty).
			"insert": map[string]any{
				"successful": 9990.0, "failed": 10.0, "unprocessed": 0.0, "created": 9990.0, "idPrefixes": ids,
				"awkward":  []any{true, true, true, true},
				"columns":  []any{"Description", "Name", "NumberOfEmployees", "sf__Created", "sf__Id"},
				"sample":   []any{map[string]any{"Name": "JSB 00006", "NumberOfEmployees": "6", "Description": "line one\nline \"two\", 6"}},
				"failures": failures,
			},
			// The query job's one page, parsed by jsforce's CSV record stream.
			"query": map[string]any{
				"records": 9990.0, "fields": []any{"Description", "Id", "Name", "NumberOfEmployees"},
				"awkward": []any{true, true, true, true, true}, "idPrefix": []any{"001"},
				"six":   map[string]any{"NumberOfEmployees": "6", "Description": "line one\nline \"two\", 6"},
				"seven": map[string]any{"NumberOfEmployees": "7", "Description": ""},
			},
			"upsert": map[string]any{
				"first": []any{"JS-1=true", "JS-2=true"}, "second": []any{"JS-2=false", "JS-3=true"}, "failed": 0.0,
				"records": []any{"JS-1 JSB up one", "JS-2 JSB up two bis", "JS-3 JSB up three"},
			},
			// Deleting the 9,990 queried Accounts leaves the three upserted ones; a scanAll
			// query still sees the deleted ones, with IsDeleted true.
			"delete": map[string]any{"successful": 9990.0, "failed": 0.0, "unprocessed": 0.0, "created": 0.0, "idPrefixes": ids, "remaining": 3.0,
				"queryAll": map[string]any{"records": 9993.0, "deleted": 9990.0}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("jsforce bulk2 summary (-want +got):\n%s", diff)
		}
	})

	t.Run("bulk2 CRLF echo", func(t *testing.T) {
		// successfulResults echoes the uploaded value byte for byte, CRLF inside the quoted
		// value included; the record itself keeps it too (the query part finds the Name).
		want := []any{crlfName}
		if diff := cmp.Diff(want, crlfEcho); diff != "" {
			t.Errorf("successfulResults Name of the CRLF row (-want +got):\n%s", diff)
		}
	})

	t.Run("bulk1", func(t *testing.T) {
		want := map[string]any{
			// 500 rows, the last with an invalid number (CSV job; columns Name, NumberOfEmployees).
			"insert": map[string]any{"results": 500.0, "success": 499.0, "idPrefix": []any{"001"},
				"errors": []any{[]any{invalidIntError("many", 2)}}},
			"query": map[string]any{"records": 499.0, "first": `JSB1 "quoted", ünï`, "last": "JSB1 00498", "fields": []any{"Id", "Name"}},
		}
		if diff := cmp.Diff(want, bulk1); diff != "" {
			t.Errorf("jsforce bulk (1.0) summary (-want +got):\n%s", diff)
		}
	})
}
