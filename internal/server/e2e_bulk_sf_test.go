package server

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The Salesforce CLI's Bulk API 2.0 commands (sf 2.146.3, plugin-data 4.0.115, on Node 22;
// salesforce-bulk.md §7.6): data import / export / upsert / delete bulk and data bulk
// results, after `org login access-token`, over plain http. sf polls ingest jobs every
// 5 s (bulkIngest.js job.poll(5000, …)), so each ingest command takes 5 s or more. The
// commands run one after the other: run concurrently they took 45 s instead of about 20
// (node start-up on two cores, and sf's locks on its config files).

// sfAwkward are Names that need CSV quoting; rows 0-3 of the import carry them.
var sfAwkward = []string{`SF "quoted"`, "SF comma, inside", "SF line\nbreak", "SF ünïcødé ✓ 日本"}

// sfCSV writes rows as a CSV file (LF line ends) in dir.
func sfCSV(t *testing.T, dir, name string, rows [][]string) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readCSV reads a CSV file sf wrote.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// sfResult is the result object of sf's --json output.
func sfResult(out map[string]any) map[string]any {
	r, _ := out["result"].(map[string]any)
	return r
}

func TestBulkSF(t *testing.T) {
	sf := needSF(t)
	s := startBulkOrg(t, false)
	tok := s.token(t, dataKey, dataSecret)
	dir := t.TempDir()
	timed := func(name string, f func()) {
		t.Helper()
		began := time.Now()
		f()
		t.Logf("%s: %s", name, time.Since(began).Round(time.Millisecond))
	}

	login, err := sf.json(t, []string{"SF_ACCESS_TOKEN=" + tok}, "org", "login", "access-token",
		"--instance-url", s.URL, "--no-prompt", "--alias", "ff")
	if err != nil {
		t.Fatalf("sf org login access-token: %v: %v", err, login)
	}

	// An Account with ExtKey__c SF-2 exists before the upsert, which then updates it.
	req := newRequest(t, http.MethodPost, s.URL+"/services/data/v59.0/sobjects/Account", strings.NewReader(`{"Name":"SFU two","ExtKey__c":"SF-2"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	if r := do(t, req); r.Status != http.StatusCreated {
		t.Fatalf("create SF-2: %d %s", r.Status, r.Body)
	}

	// data import bulk: 2,000 rows, row 1500 with an invalid NumberOfEmployees. A job with
	// failed records makes sf exit 1 with FailedRecordDetailsError and the job id.
	const n = 2000
	rows := [][]string{{"Name", "NumberOfEmployees", "Description"}}
	for i := range n {
		name := fmt.Sprintf("SF %04d", i)
		if i < len(sfAwkward) {
			name = sfAwkward[i]
		}
		emp := fmt.Sprint(i)
		if i == 1500 {
			emp = "fifteen hundred"
		}
		rows = append(rows, []string{name, emp, "desc, \"" + name + "\""})
	}
	sfCSV(t, dir, "accounts.csv", rows)
	var imp map[string]any
	timed("sf data import bulk", func() {
		imp, err = sf.jsonIn(t, dir, nil, "data", "import", "bulk", "--file", "accounts.csv", "--sobject", "Account", "--wait", "5", "-o", "ff")
	})
	data, _ := imp["data"].(map[string]any)
	jobID, _ := data["jobId"].(string)
	if err == nil || imp["name"] != "FailedRecordDetailsError" || imp["message"] != "Job finished being processed but failed to process 1 records." ||
		imp["exitCode"] != 1.0 || data["state"] != "JobComplete" || !strings.HasPrefix(jobID, "750") || len(jobID) != 18 {
		t.Fatalf("sf data import bulk: err %v; want exit 1, FailedRecordDetailsError, JobComplete and a job id; got %v", err, imp)
	}
	if got := s.restCount(t, tok, "WHERE Name LIKE 'SF %'"); got != n-1 {
		t.Errorf("REST count after the import: %d, want %d", got, n-1)
	}

	// Then: the job's results files; CSV and JSON exports; an upsert by the
	// external ID (its Names, "SFU …", are outside the exports' LIKE 'SF %').
	var results, exportCSV, exportJSON, upsert map[string]any
	var resultsErr, csvErr, jsonErr, upsertErr error
	resDir := filepath.Join(dir, "results")
	if err := os.Mkdir(resDir, 0o700); err != nil {
		t.Fatal(err)
	}
	sfCSV(t, dir, "upsert.csv", [][]string{{"ExtKey__c", "Name"}, {"SF-1", "SFU one"}, {"SF-2", "SFU two bis"}, {"SF-3", "SFU three"}})
	run := func(name string, out *map[string]any, e *error, cwd string, args ...string) {
		timed(name, func() { *out, *e = sf.jsonIn(t, cwd, nil, args...) })
	}
	const soql = "SELECT Id, Name, NumberOfEmployees FROM Account WHERE Name LIKE 'SF %' ORDER BY Name"
	run("sf data bulk results", &results, &resultsErr, resDir, "data", "bulk", "results", "--job-id", jobID, "-o", "ff")
	run("sf data export bulk (csv)", &exportCSV, &csvErr, dir, "data", "export", "bulk", "--query", soql, "--output-file", "out.csv", "--wait", "5", "-o", "ff")
	run("sf data export bulk (json)", &exportJSON, &jsonErr, dir, "data", "export", "bulk", "--query", soql, "--output-file", "out.json", "--result-format", "json", "--wait", "5", "-o", "ff")
	run("sf data upsert bulk", &upsert, &upsertErr, dir, "data", "upsert", "bulk", "--file", "upsert.csv", "--sobject", "Account", "--external-id", "ExtKey__c", "--wait", "5", "-o", "ff")

	// data bulk results writes the successful and failed rows, as the server sent them.
	if resultsErr != nil {
		t.Errorf("sf data bulk results: %v: %v", resultsErr, results)
	} else {
		r := sfResult(results)
		want := map[string]any{
			"processedRecords": float64(n), "successfulRecords": float64(n - 1), "failedRecords": 1.0, "status": "JobComplete",
			"operation": "insert", "object": "Account",
			"successFilePath": jobID + "-success-records.csv", "failedFilePath": jobID + "-failed-records.csv",
		}
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("sf data bulk results (-want +got):\n%s", diff)
		}
		failed := readCSV(t, filepath.Join(resDir, jobID+"-failed-records.csv"))
		wantFailed := [][]string{{"sf__Id", "sf__Error", "Name", "NumberOfEmployees", "Description"},
			{"", invalidIntError("fifteen hundred", 2), "SF 1500", "fifteen hundred", `desc, "SF 1500"`}}
		if diff := cmp.Diff(wantFailed, failed); diff != "" {
			t.Errorf("failed records file (-want +got):\n%s", diff)
		}
		success := readCSV(t, filepath.Join(resDir, jobID+"-success-records.csv"))
		if len(success) != n || !cmp.Equal(success[0], []string{"sf__Id", "sf__Created", "Name", "NumberOfEmployees", "Description"}) {
			t.Errorf("success records file: %d rows (want %d), header %v", len(success), n, success[0])
		} else {
			echoed := map[string][]string{}
			for _, row := range success[1:] {
				if !strings.HasPrefix(row[0], "001") || row[1] != "true" {
					t.Fatalf("success row %q", row)
				}
				echoed[row[2]] = row[3:]
			}
			for i, name := range sfAwkward {
				if want := []string{fmt.Sprint(i), `desc, "` + name + `"`}; !cmp.Equal(echoed[name], want) {
					t.Errorf("success file row for %q: %q, want %q", name, echoed[name], want)
				}
			}
		}
	}

	// The CSV export: header once, every row, awkward values intact; the JSON export: the
	// same records.
	wantNames := []string{}
	for i := range n {
		if i == 1500 {
			continue
		}
		name := fmt.Sprintf("SF %04d", i)
		if i < len(sfAwkward) {
			name = sfAwkward[i]
		}
		wantNames = append(wantNames, name)
	}
	sort.Strings(wantNames)
	byName := map[string]string{}
	if csvErr != nil || sfResult(exportCSV)["totalSize"] != float64(n-1) || sfResult(exportCSV)["filePath"] != "out.csv" {
		t.Errorf("sf data export bulk (csv): %v: %v", csvErr, exportCSV)
	} else {
		out := readCSV(t, filepath.Join(dir, "out.csv"))
		var names []string
		for _, row := range out[1:] {
			names = append(names, row[1])
			byName[row[1]] = row[0]
			if want := strings.TrimPrefix(row[1], "SF "); strings.HasPrefix(row[1], "SF 0") && strings.TrimLeft(want, "0") != strings.TrimLeft(row[2], "0") {
				t.Errorf("exported row %q: NumberOfEmployees does not match the Name", row)
			}
		}
		if !cmp.Equal(out[0], []string{"Id", "Name", "NumberOfEmployees"}) {
			t.Errorf("out.csv header %q", out[0])
		}
		if diff := cmp.Diff(wantNames, names); diff != "" {
			t.Errorf("out.csv Names in order (-want +got):\n%s", diff)
		}
	}
	var ids []string
	if jsonErr != nil || sfResult(exportJSON)["totalSize"] != float64(n-1) || sfResult(exportJSON)["filePath"] != "out.json" {
		t.Errorf("sf data export bulk (json): %v: %v", jsonErr, exportJSON)
	} else {
		b, err := os.ReadFile(filepath.Join(dir, "out.json"))
		if err != nil {
			t.Fatal(err)
		}
		var recs []map[string]any
		if err := json.Unmarshal(b, &recs); err != nil {
			t.Fatalf("out.json is not a JSON array: %v\n%.300s", err, b)
		}
		var names []string
		for _, r := range recs {
			name, _ := r["Name"].(string)
			id, _ := r["Id"].(string)
			names = append(names, name)
			ids = append(ids, id)
			if byName[name] != id {
				t.Errorf("out.json %v: Id differs from out.csv's %q", r, byName[name])
			}
		}
		if diff := cmp.Diff(wantNames, names); diff != "" {
			t.Errorf("out.json Names in order (-want +got):\n%s", diff)
		}
	}

	// The upsert: SF-1 and SF-3 created, SF-2 updated; sf prints the job and its results.
	if upsertErr != nil {
		t.Errorf("sf data upsert bulk: %v: %v", upsertErr, upsert)
	} else {
		r := sfResult(upsert)
		info, _ := r["jobInfo"].(map[string]any)
		recs, _ := r["records"].(map[string]any)
		var created []string
		ok, _ := recs["successfulResults"].([]any)
		for _, x := range ok {
			m := x.(map[string]any)
			created = append(created, fmt.Sprint(m["ExtKey__c"], "=", m["sf__Created"]))
		}
		sort.Strings(created)
		gotInfo := map[string]any{"state": info["state"], "operation": info["operation"], "object": info["object"],
			"externalIdFieldName": info["externalIdFieldName"], "numberRecordsProcessed": info["numberRecordsProcessed"],
			"numberRecordsFailed": info["numberRecordsFailed"], "created": created,
			"failedResults": recs["failedResults"], "unprocessedRecords": recs["unprocessedRecords"]}
		want := map[string]any{"state": "JobComplete", "operation": "upsert", "object": "Account", "externalIdFieldName": "ExtKey__c",
			"numberRecordsProcessed": 3.0, "numberRecordsFailed": 0.0, "created": []string{"SF-1=true", "SF-2=false", "SF-3=true"},
			"failedResults": []any{}, "unprocessedRecords": []any{}}
		if diff := cmp.Diff(want, gotInfo); diff != "" {
			t.Errorf("sf data upsert bulk (-want +got):\n%s", diff)
		}
	}
	var upserted []string
	for _, r := range s.restQuery(t, tok, "SELECT ExtKey__c, Name FROM Account WHERE ExtKey__c != null ORDER BY ExtKey__c") {
		upserted = append(upserted, fmt.Sprint(r["ExtKey__c"], " ", r["Name"]))
	}
	if diff := cmp.Diff([]string{"SF-1 SFU one", "SF-2 SFU two bis", "SF-3 SFU three"}, upserted); diff != "" {
		t.Errorf("Accounts after the upsert (-want +got):\n%s", diff)
	}

	// data delete bulk with the exported Ids.
	if len(ids) == 0 {
		t.Fatal("no Ids exported to delete")
	}
	idRows := [][]string{{"Id"}}
	for _, id := range ids {
		idRows = append(idRows, []string{id})
	}
	sfCSV(t, dir, "ids.csv", idRows)
	var del map[string]any
	timed("sf data delete bulk", func() {
		del, err = sf.jsonIn(t, dir, nil, "data", "delete", "bulk", "--file", "ids.csv", "--sobject", "Account", "--wait", "5", "-o", "ff")
	})
	if err != nil {
		t.Fatalf("sf data delete bulk: %v: %v", err, del)
	}
	info, _ := sfResult(del)["jobInfo"].(map[string]any)
	recs, _ := sfResult(del)["records"].(map[string]any)
	okRows, _ := recs["successfulResults"].([]any)
	if info["state"] != "JobComplete" || info["operation"] != "delete" || info["numberRecordsProcessed"] != float64(n-1) ||
		info["numberRecordsFailed"] != 0.0 || len(okRows) != n-1 {
		t.Errorf("sf data delete bulk: jobInfo %v, %d successful results", info, len(okRows))
	}
	if got := s.restCount(t, tok, "WHERE Name LIKE 'SF %'"); got != 0 {
		t.Errorf("REST count after the delete: %d, want 0", got)
	}
}

// sfJobInfo is a Bulk API 1.0 job info as sf prints it (jsforce parses the XML: every value
// a string, the namespace under "$"), without its id, creator and dates.
func sfJobInfo(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("job info %v", v)
	}
	id, _ := m["id"].(string)
	if !strings.HasPrefix(id, "750") || len(id) != 18 {
		t.Errorf("job id %q", id)
	}
	out := map[string]any{}
	for k, x := range m {
		switch k {
		case "id", "createdById", "createdDate", "systemModstamp", "totalProcessingTime", "apiActiveProcessingTime", "apexProcessingTime":
		default:
			out[k] = x
		}
	}
	return out
}

// TestBulkSFLegacy runs the CLI's Bulk API 1.0 commands (jsforce's conn.bulk underneath;
// salesforce-bulk.md §7.6 "Legacy"): force data bulk upsert, status and delete.
func TestBulkSFLegacy(t *testing.T) {
	sf := needSF(t)
	s := startBulkOrg(t, false)
	tok := s.token(t, dataKey, dataSecret)
	dir := t.TempDir()
	login, err := sf.json(t, []string{"SF_ACCESS_TOKEN=" + tok}, "org", "login", "access-token",
		"--instance-url", s.URL, "--no-prompt", "--alias", "ff")
	if err != nil {
		t.Fatalf("sf org login access-token: %v: %v", err, login)
	}
	run := func(args ...string) map[string]any {
		t.Helper()
		began := time.Now()
		out, err := sf.jsonIn(t, dir, nil, args...)
		t.Logf("sf %s: %s", strings.Join(args[:4], " "), time.Since(began).Round(time.Millisecond))
		if err != nil {
			t.Fatalf("sf %s: %v: %v", strings.Join(args, " "), err, out)
		}
		return out
	}
	job := func(op string, processed, failed string) map[string]any {
		m := map[string]any{
			"$": map[string]any{"xmlns": "http://www.force.com/2009/06/asyncapi/dataload"}, "operation": op, "object": "Account",
			"state": "Closed", "concurrencyMode": "Parallel", "contentType": "CSV",
			"numberBatchesQueued": "0", "numberBatchesInProgress": "0", "numberBatchesCompleted": "1", "numberBatchesFailed": "0",
			"numberBatchesTotal": "1", "numberRecordsProcessed": processed, "numberRecordsFailed": failed, "numberRetries": "0",
			"apiVersion": "67.0",
		}
		if op == "upsert" {
			m["externalIdFieldName"] = "ExtKey__c"
		}
		return m
	}

	// Upsert three rows by the external ID, one with an invalid number: the batch
	// completes with one failed record (sf exits 0 and prints the job).
	sfCSV(t, dir, "legacy.csv", [][]string{{"ExtKey__c", "Name", "NumberOfEmployees"},
		{"L-1", "Legacy one", "1"}, {"L-2", "Legacy, \"two\"", "2"}, {"L-3", "Legacy bad", "many"}})
	up := run("force", "data", "bulk", "upsert", "--file", "legacy.csv", "--sobject", "Account", "--external-id", "ExtKey__c", "--wait", "2", "-o", "ff")
	res, _ := up["result"].([]any)
	if len(res) != 1 {
		t.Fatalf("force data bulk upsert: %v", up)
	}
	if diff := cmp.Diff(job("upsert", "3", "1"), sfJobInfo(t, res[0])); diff != "" {
		t.Errorf("force data bulk upsert job (-want +got):\n%s", diff)
	}
	jobID, _ := res[0].(map[string]any)["id"].(string)
	var got []string
	var ids [][]string
	for _, r := range s.restQuery(t, tok, "SELECT Id, ExtKey__c, Name, NumberOfEmployees FROM Account ORDER BY ExtKey__c") {
		got = append(got, fmt.Sprint(r["ExtKey__c"], " ", r["Name"], " ", r["NumberOfEmployees"]))
		ids = append(ids, []string{r["Id"].(string)})
	}
	if diff := cmp.Diff([]string{"L-1 Legacy one 1", `L-2 Legacy, "two" 2`}, got); diff != "" {
		t.Errorf("Accounts after the upsert (-want +got):\n%s", diff)
	}

	// status of that job.
	st := run("force", "data", "bulk", "status", "--job-id", jobID, "-o", "ff")
	if diff := cmp.Diff(job("upsert", "3", "1"), sfJobInfo(t, st["result"])); diff != "" {
		t.Errorf("force data bulk status (-want +got):\n%s", diff)
	}

	// delete them by Id.
	sfCSV(t, dir, "ids.csv", append([][]string{{"Id"}}, ids...))
	del := run("force", "data", "bulk", "delete", "--file", "ids.csv", "--sobject", "Account", "--wait", "2", "-o", "ff")
	res, _ = del["result"].([]any)
	if len(res) != 1 {
		t.Fatalf("force data bulk delete: %v", del)
	}
	if diff := cmp.Diff(job("delete", "2", "0"), sfJobInfo(t, res[0])); diff != "" {
		t.Errorf("force data bulk delete job (-want +got):\n%s", diff)
	}
	if n := s.restCount(t, tok, ""); n != 0 {
		t.Errorf("Accounts after the delete: %d, want 0", n)
	}
}
