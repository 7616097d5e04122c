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

// simple-salesforce 1.12.10's Bulk API 2.0 (sf.bulk2) and Bulk API 1.0 (sf.bulk) over the
// HTTPS listener (clients/simple-salesforce/bulk.py; salesforce-bulk.md §7.3, §7.4).

const simpleSalesforceBulkScript = "../../clients/simple-salesforce/bulk.py"

// TestBulkSimpleSalesforce runs bulk.py once; the subtests compare its Bulk 2.0 and Bulk
// 1.0 parts.
func TestBulkSimpleSalesforce(t *testing.T) {
	s := startBulkOrg(t, true)
	python, env := needSimpleSalesforce(t)
	tok := s.token(t, dataKey, dataSecret)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, simpleSalesforceBulkScript)
	cmd.Env = clientEnv(append(env, "FF_HTTPS="+s.HTTPS, "FF_TOKEN="+tok,
		"REQUESTS_CA_BUNDLE="+s.CertFile, "CURL_CA_BUNDLE="+s.CertFile)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	began := time.Now()
	out, err := cmd.Output()
	t.Logf("python bulk.py: %s (%s)", time.Since(began).Round(time.Millisecond), strings.TrimSpace(stderr.String()))
	var got map[string]any
	if jerr := json.Unmarshal(out, &got); jerr != nil {
		t.Fatalf("python bulk.py: %v; output %q; stderr %s", err, out, stderr.String())
	}
	if err != nil {
		t.Fatalf("python bulk.py failed: %v: %v\n%s", err, got, stderr.String())
	}
	bulk1 := got["bulk1"]
	delete(got, "bulk1")

	// simple-salesforce orders the upload's columns as Python iterates a set; the failed
	// results repeat them after sf__Id and sf__Error.
	insert, _ := got["insert"].(map[string]any)
	failedColumns, _ := insert["failedColumns"].([]any)
	delete(insert, "failedColumns")
	col := 0
	for i, c := range failedColumns {
		if c == "NumberOfEmployees" {
			col = i - 1
		}
	}

	t.Run("bulk2", func(t *testing.T) {
		if len(failedColumns) != 4 || failedColumns[0] != "sf__Id" || failedColumns[1] != "sf__Error" || col < 1 {
			t.Errorf("failedResults header %v, want sf__Id, sf__Error, then Name and NumberOfEmployees in upload order", failedColumns)
		}
		job := map[string]any{"numberRecordsFailed": 1.0, "numberRecordsProcessed": 1000.0, "numberRecordsTotal": 1000.0}
		failure := func(name string) []any {
			return []any{"", invalidIntError("n/a", col), name, "n/a"}
		}
		all := []any{true, true, true, true, true}
		ssxNames := []any{"SSX five\nline", `SSX four "q"`, "SSX one; semi", "SSX three | pipe", "SSX two, comma"}
		want := map[string]any{
			// Three jobs of 1,000 rows, one invalid number in each; numberRecordsProcessed
			// counts failed records too.
			"insert": map[string]any{
				"jobs": []any{job, job, job}, "successful": 2997.0, "created": 2997.0, "idPrefixes": []any{"001:18"},
				"awkward": all, "failed": []any{failure("SSB 0500"), failure("SSB 1500"), failure("SSB 2500")}, "unprocessed": 0.0,
			},
			// maxRecords=1000: three pages, each with its header row.
			"query": map[string]any{"pages": 3.0, "records": 2997.0, "columns": []any{"Id", "Name", "NumberOfEmployees"},
				"awkward": all, "employees": []any{"7", "2999"}},
			"upsert": map[string]any{"first": []any{"SS-1=true", "SS-2=true"}, "second": []any{"SS-2=false", "SS-3=true"},
				"records": []any{"SS-1 SSB up one", "SS-2 SSB up two bis", "SS-3 SSB up three"}},
			// SEMICOLON/CRLF upload, PIPE/CRLF query, download() in pages of two.
			"formats": map[string]any{
				"insert":           []any{map[string]any{"numberRecordsFailed": 0.0, "numberRecordsProcessed": 5.0, "numberRecordsTotal": 5.0}},
				"successfulHeader": `"sf__Id";"sf__Created";"Name"`,
				"pages":            1.0, "queryHeader": `"Name"`, "queryNames": ssxNames,
				"download": []any{map[string]any{"records": 2.0, "last": false}, map[string]any{"records": 2.0, "last": false},
					map[string]any{"records": 1.0, "last": true}},
				"downloadedNames": ssxNames,
			},
			// The three upserted Accounts were not in the query, so they remain.
			"delete": map[string]any{"jobs": []any{map[string]any{"numberRecordsFailed": 0.0, "numberRecordsProcessed": 2997.0, "numberRecordsTotal": 2997.0}},
				"remaining": 3.0},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("simple-salesforce bulk2 summary (-want +got):\n%s", diff)
		}
	})

	t.Run("bulk1", func(t *testing.T) {
		want := map[string]any{
			// 200 records in two batches of 100, the last with an invalid number: a JSON job,
			// so the JSON deserializer's error, as REST's (statusCode: message fields).
			"insert": map[string]any{"results": 200.0, "success": 199.0, "created": 199.0, "idPrefix": []any{"001"},
				"errors": []any{[]any{"JSON_PARSER_ERROR: Cannot deserialize instance of int from VALUE_STRING value many or request may be missing a required field at [line:1, column:1] []"}}},
			"query": map[string]any{"records": 199.0, "first": `SSB1 "quoted", ünï`, "last": "SSB1 198", "fields": []any{"Id", "Name"}},
		}
		if diff := cmp.Diff(want, bulk1); diff != "" {
			t.Errorf("simple-salesforce bulk (1.0) summary (-want +got):\n%s", diff)
		}
	})
}
