package server

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	salesforce "github.com/k-capehart/go-salesforce/v3"
)

// go-salesforce v3.1.0's Bulk API 2.0 calls against Forcefield (salesforce-bulk.md §7.5):
// InsertBulk, GetJobResults, QueryBulkExport, QueryBulkIterator, UpsertBulk and
// DeleteBulk, all with waitForResults, over loopback.

// gsBulkRow is a query result row as go-salesforce's iterator decodes it (csvutil, `csv` tags).
type gsBulkRow struct {
	Id   string `csv:"Id"`
	Name string `csv:"Name"`
}

// gsAwkward are Names that need CSV quoting; each round-trips through upload and results.
var gsAwkward = []string{`GoBulk "quoted"`, "GoBulk comma, inside", "GoBulk line\nbreak", "GoBulk ünïcødé ✓ 日本"}

// gsWaitJobs polls GetJobResults until every job is JobComplete: with several jobs,
// waitForResults returns once the first one is done (bulk.go doBulkJob reads one error).
func gsWaitJobs(t *testing.T, sf *salesforce.Salesforce, ids []string) []salesforce.BulkJobResults {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	var out []salesforce.BulkJobResults
	for _, id := range ids {
		for {
			res, err := sf.GetJobResults(id)
			if err != nil {
				t.Fatalf("GetJobResults %s: %v", id, err)
			}
			if res.State == "JobComplete" {
				out = append(out, res)
				break
			}
			if res.State == "Failed" || res.State == "Aborted" || time.Now().After(deadline) {
				t.Fatalf("job %s: state %s, errorMessage %q", id, res.State, res.ErrorMessage)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return out
}

func TestBulkGoSalesforce(t *testing.T) {
	s := startBulkOrg(t, false)
	tok := s.token(t, dataKey, dataSecret)
	sf, err := salesforce.Init(salesforce.Creds{Domain: s.URL, ConsumerKey: dataKey, ConsumerSecret: dataSecret})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}

	// InsertBulk: 2,500 Accounts in jobs of 1,000 (three jobs). Row 1234 has an invalid
	// NumberOfEmployees and fails; the awkward Names are rows 0-3.
	const n = 2500
	var recs []map[string]any
	for i := range n {
		name := fmt.Sprintf("GoBulk %04d", i)
		if i < len(gsAwkward) {
			name = gsAwkward[i]
		}
		emp := fmt.Sprint(i)
		if i == 1234 {
			emp = "lots"
		}
		recs = append(recs, map[string]any{"Name": name, "NumberOfEmployees": emp})
	}
	ids, err := sf.InsertBulk("Account", recs, 1000, true)
	if err != nil || len(ids) != 3 {
		t.Fatalf("InsertBulk: %d jobs, %v", len(ids), err)
	}
	results := gsWaitJobs(t, sf, ids)
	var ok, failed int
	var failures []map[string]any
	names := map[string]bool{}
	for _, r := range results {
		ok += len(r.SuccessfulRecords)
		failed += len(r.FailedRecords)
		failures = append(failures, r.FailedRecords...)
		for _, rec := range r.SuccessfulRecords {
			id, _ := rec["sf__Id"].(string)
			if !strings.HasPrefix(id, "001") || len(id) != 18 || rec["sf__Created"] != "true" {
				t.Fatalf("successful result %v", rec)
			}
			names[rec["Name"].(string)] = true
		}
	}
	if ok != n-1 || failed != 1 {
		t.Fatalf("InsertBulk results: %d successful, %d failed; want %d and 1", ok, failed, n-1)
	}
	for _, name := range gsAwkward {
		if !names[name] {
			t.Errorf("successful results lack the Name %q", name)
		}
	}
	// failedResults: sf__Id empty for a failed insert, sf__Error, then the uploaded columns.
	// go-salesforce orders each job's upload columns as Go iterates a map; the failedResults
	// header of the second job (rows 1000-1999, read here directly) repeats them after
	// sf__Id and sf__Error.
	col := 0
	{
		r := s.get(t, "/services/data/v63.0/jobs/ingest/"+ids[1]+"/failedResults", tok)
		header, _, _ := strings.Cut(r.Body, "\n")
		switch header {
		case `"sf__Id","sf__Error","Name","NumberOfEmployees"`:
			col = 2
		case `"sf__Id","sf__Error","NumberOfEmployees","Name"`:
			col = 1
		default:
			t.Errorf("failedResults of the second job: %d, header %q", r.Status, header)
		}
	}
	wantFailure := []map[string]any{{"sf__Id": "", "Name": "GoBulk 1234", "NumberOfEmployees": "lots", "sf__Error": invalidIntError("lots", col)}}
	if diff := cmp.Diff(wantFailure, failures); diff != "" {
		t.Errorf("failed records (-want +got):\n%s", diff)
	}
	if got := s.restCount(t, tok, "WHERE Name LIKE 'GoBulk%'"); got != n-1 {
		t.Errorf("REST count after InsertBulk: %d, want %d", got, n-1)
	}

	// QueryBulkExport writes every page to one CSV file, header once.
	file := filepath.Join(t.TempDir(), "export.csv")
	if err := sf.QueryBulkExport("SELECT Id, Name FROM Account WHERE Name LIKE 'GoBulk%' ORDER BY Name", file); err != nil {
		t.Fatalf("QueryBulkExport: %v", err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatalf("export file: %v", err)
	}
	if len(rows) != n || !cmp.Equal(rows[0], []string{"Id", "Name"}) {
		t.Fatalf("export file: %d rows (want header + %d), header %v", len(rows), n-1, rows[0])
	}
	exported := map[string]string{}
	for _, row := range rows[1:] {
		exported[row[1]] = row[0]
	}
	for _, name := range append([]string{"GoBulk 0004", "GoBulk 2499"}, gsAwkward...) {
		if !strings.HasPrefix(exported[name], "001") {
			t.Errorf("export file lacks %q", name)
		}
	}

	// QueryBulkIterator: pages decoded with csvutil.
	it, err := sf.QueryBulkIterator("SELECT Id, Name FROM Account WHERE Name LIKE 'GoBulk%'")
	if err != nil {
		t.Fatalf("QueryBulkIterator: %v", err)
	}
	var iterated []gsBulkRow
	for it.Next() {
		var page []gsBulkRow
		if err := it.Decode(&page); err != nil {
			t.Fatalf("iterator Decode: %v", err)
		}
		iterated = append(iterated, page...)
	}
	if err := it.Error(); err != nil {
		t.Fatalf("iterator: %v", err)
	}
	if len(iterated) != n-1 {
		t.Errorf("iterator: %d rows, want %d", len(iterated), n-1)
	}
	for _, r := range iterated {
		if exported[r.Name] != r.Id {
			t.Errorf("iterator row %+v differs from the export (%s)", r, exported[r.Name])
			break
		}
	}

	// UpsertBulk by the Account external ID: two new, then one updated and one new.
	up := func(recs []map[string]any) salesforce.BulkJobResults {
		t.Helper()
		ids, err := sf.UpsertBulk("Account", "ExtKey__c", recs, 1000, true)
		if err != nil || len(ids) != 1 {
			t.Fatalf("UpsertBulk: %v, %v", ids, err)
		}
		return gsWaitJobs(t, sf, ids)[0]
	}
	created := func(r salesforce.BulkJobResults) []string {
		var out []string
		for _, rec := range r.SuccessfulRecords {
			out = append(out, fmt.Sprint(rec["ExtKey__c"], "=", rec["sf__Created"]))
		}
		sort.Strings(out)
		return out
	}
	first := up([]map[string]any{{"ExtKey__c": "GS-1", "Name": "GoUp one"}, {"ExtKey__c": "GS-2", "Name": "GoUp two"}})
	second := up([]map[string]any{{"ExtKey__c": "GS-2", "Name": "GoUp two bis"}, {"ExtKey__c": "GS-3", "Name": "GoUp three"}})
	if diff := cmp.Diff([]string{"GS-1=true", "GS-2=true"}, created(first)); diff != "" {
		t.Errorf("first upsert sf__Created (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"GS-2=false", "GS-3=true"}, created(second)); diff != "" {
		t.Errorf("second upsert sf__Created (-want +got):\n%s", diff)
	}
	var upserted []string
	for _, r := range s.restQuery(t, tok, "SELECT ExtKey__c, Name FROM Account WHERE ExtKey__c != null ORDER BY ExtKey__c") {
		upserted = append(upserted, fmt.Sprint(r["ExtKey__c"], " ", r["Name"]))
	}
	if diff := cmp.Diff([]string{"GS-1 GoUp one", "GS-2 GoUp two bis", "GS-3 GoUp three"}, upserted); diff != "" {
		t.Errorf("Accounts after the upserts (-want +got):\n%s", diff)
	}

	// DeleteBulk the 2,499 inserted Accounts by Id: a delete upload holds only the Id
	// column ("InvalidBatch : The 'delete' batch must contain only 'Id'" otherwise).
	var del []map[string]any
	for _, r := range iterated {
		del = append(del, map[string]any{"Id": r.Id})
	}
	ids, err = sf.DeleteBulk("Account", del, 10000, true)
	if err != nil || len(ids) != 1 {
		t.Fatalf("DeleteBulk: %v, %v", ids, err)
	}
	if r := gsWaitJobs(t, sf, ids)[0]; len(r.SuccessfulRecords) != n-1 || len(r.FailedRecords) != 0 {
		t.Errorf("DeleteBulk: %d successful, %d failed", len(r.SuccessfulRecords), len(r.FailedRecords))
	}
	if got := s.restCount(t, tok, "WHERE Name LIKE 'GoBulk%'"); got != 0 {
		t.Errorf("REST count after DeleteBulk: %d, want 0", got)
	}
}

// encodingRecorder records, per request, the request's Content-Encoding and the response's.
type encodingRecorder struct {
	mu   sync.Mutex
	seen []string // "METHOD /path req=<enc> resp=<enc>"
}

func (e *encodingRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		e.mu.Lock()
		e.seen = append(e.seen, fmt.Sprintf("%s %s req=%s resp=%s", req.Method, req.URL.Path,
			req.Header.Get("Content-Encoding"), resp.Header.Get("Content-Encoding")))
		e.mu.Unlock()
	}
	return resp, err
}

// TestBulkGoSalesforceGzip: with WithCompressionHeaders go-salesforce gzips every request
// body (Content-Encoding: gzip, salesforce-bulk.md §0 item 4) and asks for gzip responses.
func TestBulkGoSalesforceGzip(t *testing.T) {
	s := startBulkOrg(t, false)
	rec := &encodingRecorder{}
	sf, err := salesforce.Init(salesforce.Creds{Domain: s.URL, ConsumerKey: dataKey, ConsumerSecret: dataSecret},
		salesforce.WithCompressionHeaders(true), salesforce.WithRoundTripper(rec))
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	var recs []map[string]any
	for i := range 500 {
		recs = append(recs, map[string]any{"Name": fmt.Sprintf("GoGzip %03d", i)})
	}
	ids, err := sf.InsertBulk("Account", recs, 1000, true)
	if err != nil || len(ids) != 1 {
		t.Fatalf("InsertBulk: %v, %v", ids, err)
	}
	if r := gsWaitJobs(t, sf, ids)[0]; len(r.SuccessfulRecords) != 500 || len(r.FailedRecords) != 0 {
		t.Fatalf("InsertBulk results: %d successful, %d failed", len(r.SuccessfulRecords), len(r.FailedRecords))
	}
	file := filepath.Join(t.TempDir(), "export.csv")
	if err := sf.QueryBulkExport("SELECT Name FROM Account WHERE Name LIKE 'GoGzip%' ORDER BY Name", file); err != nil {
		t.Fatalf("QueryBulkExport: %v", err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 501 || lines[1] != "GoGzip 000" || lines[500] != "GoGzip 499" {
		t.Errorf("export: %d lines, %q … %q", len(lines), lines[min(1, len(lines)-1)], lines[len(lines)-1])
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var upload, results string
	for _, x := range rec.seen {
		switch {
		case strings.HasPrefix(x, "PUT ") && strings.Contains(x, "/batches"):
			upload = x
		case strings.HasPrefix(x, "GET ") && strings.Contains(x, "/jobs/query/") && strings.Contains(x, "/results"):
			results = x
		}
	}
	if !strings.HasSuffix(upload, "req=gzip resp=") && !strings.HasSuffix(upload, "req=gzip resp=gzip") {
		t.Errorf("upload request: %q, want a gzip body", upload)
	}
	if !strings.HasSuffix(results, "resp=gzip") {
		t.Errorf("query results: %q, want a gzip response to Accept-Encoding: gzip", results)
	}
}
