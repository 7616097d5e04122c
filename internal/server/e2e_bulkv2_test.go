package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// bulkCall sends a Bulk 2.0 request with a body of contentType ("" for none).
func (s *dataServer) bulkCall(t *testing.T, token, method, path, contentType, body string) response {
	t.Helper()
	req := newRequest(t, method, s.URL+"/services/data/v59.0/jobs/"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return do(t, req)
}

// ingestJob creates an ingest job from a JSON body and returns its id.
func (s *dataServer) ingestJob(t *testing.T, token, body string) string {
	t.Helper()
	r := s.bulkCall(t, token, http.MethodPost, "ingest", "application/json", body)
	if r.Status != http.StatusOK {
		t.Fatalf("create job %s: %d %s", body, r.Status, r.Body)
	}
	return r.JSON(t)["id"].(string)
}

// waitJob polls a job until it leaves UploadComplete/InProgress and returns its info.
func (s *dataServer) waitJob(t *testing.T, token, kind, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		info := s.bulkCall(t, token, http.MethodGet, kind+"/"+id, "", "").JSON(t)
		if st := info["state"]; st != "UploadComplete" && st != "InProgress" || time.Now().After(deadline) {
			return info
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runIngest creates, uploads and closes a job and waits for its end.
func (s *dataServer) runIngest(t *testing.T, token, job, csv string) (string, map[string]any) {
	t.Helper()
	id := s.ingestJob(t, token, job)
	if r := s.bulkCall(t, token, http.MethodPut, "ingest/"+id+"/batches", "text/csv", csv); r.Status != http.StatusCreated || r.Body != "" {
		t.Fatalf("upload: %d %q", r.Status, r.Body)
	}
	if r := s.bulkCall(t, token, http.MethodPatch, "ingest/"+id, "application/json", `{"state":"UploadComplete"}`); r.Status != http.StatusOK {
		t.Fatalf("UploadComplete: %d %s", r.Status, r.Body)
	}
	return id, s.waitJob(t, token, "ingest", id)
}

var (
	jobIDPattern = regexp.MustCompile(`750[0-9A-Za-z]{15}`)
	recIDPattern = regexp.MustCompile(`"00[13][0-9A-Za-z]{15}"|"a0[0-9][0-9A-Za-z]{15}"`)
	datePattern  = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(\+0000|Z)`)
)

// scrub replaces ids and timestamps so bodies can be compared whole.
func scrub(s string) string {
	s = jobIDPattern.ReplaceAllString(s, "JOB")
	s = recIDPattern.ReplaceAllString(s, `"ID"`)
	return datePattern.ReplaceAllString(s, "DATE")
}

// The ingest lifecycle of salesforce-bulk.md §2 through the wire: every body, the CSV
// bytes of the results for awkward values, and per-record failures that do not stop
// the others.
func TestBulkV2IngestLifecycle(t *testing.T) {
	s := startData(t)
	_, userID := s.ids(t, "int@acme.example")

	r := s.bulkCall(t, s.int, http.MethodPost, "ingest", "application/json; charset=utf-8",
		`{"object":"account","operation":"insert","lineEnding":"LF","columnDelimiter":"COMMA","externalIdFieldName":""}`)
	want := `{"id":"JOB","operation":"insert","object":"Account","createdById":"` + userID + `","createdDate":"DATE","systemModstamp":"DATE","state":"Open","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":59.0,"contentUrl":"services/data/v59.0/jobs/ingest/JOB/batches","lineEnding":"LF","columnDelimiter":"COMMA"}`
	if r.Status != http.StatusOK || scrub(r.Body) != want {
		t.Fatalf("create = %d %s\nwant %s", r.Status, scrub(r.Body), want)
	}
	id := r.JSON(t)["id"].(string)

	csv := "Name,Industry,NumberOfEmployees,Description,AnnualRevenue\n" +
		"\"Acme, \"\"Inc.\"\"\",Energy,12,\"two\nlines\",\n" +
		"Zoë ☃,#N/A,,,\n" +
		",Energy,3,,\n" +
		"Bad Number,Energy,twelve,,\n" +
		"Read Only,Energy,1,,100\n"
	if r := s.bulkCall(t, s.int, http.MethodPut, "ingest/"+id+"/batches", "text/csv", csv); r.Status != http.StatusCreated || r.Body != "" {
		t.Fatalf("upload = %d %q", r.Status, r.Body)
	}
	// A second upload to the same job is refused: one upload per job.
	if r := s.bulkCall(t, s.int, http.MethodPut, "ingest/"+id+"/batches", "text/csv", csv); r.Status != http.StatusConflict ||
		!strings.Contains(r.Body, `"errorCode":"INVALIDJOBSTATE"`) {
		t.Errorf("second upload = %d %s", r.Status, r.Body)
	}
	r = s.bulkCall(t, s.int, http.MethodPatch, "ingest/"+id, "application/json", `{"id":"`+id+`","state":"UploadComplete"}`)
	if r.Status != http.StatusOK || r.JSON(t)["state"] != "UploadComplete" {
		t.Fatalf("UploadComplete = %d %s", r.Status, r.Body)
	}
	info := s.waitJob(t, s.int, "ingest", id)
	for k, v := range map[string]any{"state": "JobComplete", "numberRecordsProcessed": 5.0, "numberRecordsFailed": 3.0, "jobType": "V2Ingest", "retries": 0.0} {
		if info[k] != v {
			t.Errorf("job info %s = %v, want %v", k, info[k], v)
		}
	}
	if _, ok := info["errorMessage"]; ok {
		t.Error("a JobComplete job carries errorMessage (go-salesforce fails on any)")
	}

	ok := s.bulkCall(t, s.int, http.MethodGet, "ingest/"+id+"/successfulResults/", "", "")
	wantOK := `"sf__Id","sf__Created","Name","Industry","NumberOfEmployees","Description","AnnualRevenue"
"ID","true","Acme, ""Inc.""","Energy","12","two
lines",""
"ID","true","Zoë ☃","#N/A","","",""
`
	if ok.Status != 200 || ok.Header.Get("Content-Type") != "text/csv; charset=UTF-8" || scrub(ok.Body) != wantOK {
		t.Errorf("successfulResults = %d %s\n%s\nwant\n%s", ok.Status, ok.Header.Get("Content-Type"), ok.Body, wantOK)
	}
	failed := s.bulkCall(t, s.int, http.MethodGet, "ingest/"+id+"/failedResults", "", "")
	wantFailed := `"sf__Id","sf__Error","Name","Industry","NumberOfEmployees","Description","AnnualRevenue"
"","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --","","Energy","3","",""
"","INVALID_FIELD:Failed to deserialize field at col 3. Due to, 'twelve' is not a valid value for the type xsd:int:NumberOfEmployees --","Bad Number","Energy","twelve","",""
"","INVALID_FIELD_FOR_INSERT_UPDATE:Unable to create/update fields: AnnualRevenue. Please check the security settings of this field and verify that it is read/write for your profile or permission set.:AnnualRevenue --","Read Only","Energy","1","","100"
`
	if diff := cmp.Diff(wantFailed, failed.Body); failed.Status != 200 || diff != "" {
		t.Errorf("failedResults = %d (-want +got):\n%s", failed.Status, diff)
	}
	// simple-salesforce asks for unprocessedRecords: same resource, any case.
	if un := s.bulkCall(t, s.int, http.MethodGet, "ingest/"+id+"/unprocessedRecords", "", ""); un.Status != 200 ||
		un.Body != `"Name","Industry","NumberOfEmployees","Description","AnnualRevenue"`+"\n" {
		t.Errorf("unprocessedRecords = %d %q", un.Status, un.Body)
	}
	// The records are there, written as the job's user, #N/A as null.
	q := s.query(t, s.int, "SELECT Name, Industry, Description, CreatedById FROM Account WHERE Name LIKE 'Zo%' OR Name LIKE 'Acme%'")
	if q.TotalSize != 2 || q.Records[0]["CreatedById"] != userID {
		t.Errorf("records = %+v", q.Records)
	}
	for _, rec := range q.Records {
		if rec["Name"] == "Zoë ☃" && rec["Industry"] != nil {
			t.Errorf("#N/A stored as %v", rec["Industry"])
		}
	}

	// Another user of the org does not see the job; deleting it is 204, then it is gone.
	notFound := `[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`
	if r := s.bulkCall(t, s.peer, http.MethodGet, "ingest/"+id, "", ""); r.Status != 404 || r.Body != notFound {
		t.Errorf("peer GET = %d %s", r.Status, r.Body)
	}
	if r := s.bulkCall(t, s.int, http.MethodDelete, "ingest/"+id, "", ""); r.Status != http.StatusNoContent || r.Body != "" {
		t.Errorf("DELETE = %d %q", r.Status, r.Body)
	}
	if r := s.bulkCall(t, s.int, http.MethodGet, "ingest/"+id[:15], "", ""); r.Status != 404 || r.Body != notFound {
		t.Errorf("GET after DELETE = %d %s", r.Status, r.Body)
	}
}

// Every refusal of an ingest request is a Salesforce-shaped 4xx (salesforce-bulk.md
// §1, §2.4), and malformed data fails the job with a message instead of a 500.
func TestBulkV2IngestErrors(t *testing.T) {
	s := startData(t)
	for _, c := range []struct{ name, body, want string }{
		{"unknown object", `{"object":"Nope__c","operation":"insert"}`, `[{"message":"Unable to find object: Nope__c","errorCode":"INVALIDENTITY"}]`},
		{"bad operation", `{"object":"Account","operation":"merge"}`, `[{"message":"Invalid operation: merge","errorCode":"INVALIDJOB"}]`},
		{"upsert without external id", `{"object":"Account","operation":"upsert"}`, `[{"message":"External ID field is required for upsert","errorCode":"INVALIDJOB"}]`},
		{"upsert on a plain field", `{"object":"Account","operation":"upsert","externalIdFieldName":"Name"}`, `[{"message":"Provided external ID field does not exist or is not accessible: Name","errorCode":"INVALIDJOB"}]`},
		{"hardDelete without the permission", `{"object":"Account","operation":"hardDelete"}`, `[{"message":"hardDelete operation requires the Bulk API Hard Delete permission (BulkApiHardDelete)","errorCode":"FEATURENOTENABLED"}]`},
		{"bad delimiter", `{"object":"Account","operation":"insert","columnDelimiter":"COLON"}`, `[{"message":"Invalid column delimiter: COLON","errorCode":"CLIENTINPUTERROR"}]`},
		{"not JSON", `object=Account`, `[{"message":"The request body is not a JSON object: invalid character 'o' looking for beginning of value","errorCode":"JSON_PARSER_ERROR"}]`},
	} {
		if r := s.bulkCall(t, s.int, http.MethodPost, "ingest", "application/json", c.body); r.Status != 400 || r.Body != c.want {
			t.Errorf("%s: %d %s\nwant 400 %s", c.name, r.Status, r.Body, c.want)
		}
	}
	// A reader may read Accounts but creates none: every record fails, the job completes.
	_, info := s.runIngest(t, s.reader, `{"object":"Account","operation":"insert"}`, "Name\nA\n")
	if info["numberRecordsFailed"] != 1.0 {
		t.Errorf("reader insert: %v", info)
	}

	id := s.ingestJob(t, s.int, `{"object":"Account","operation":"insert"}`)
	if r := s.bulkCall(t, s.int, http.MethodPut, "ingest/"+id+"/batches", "application/json", `[{"Name":"x"}]`); r.Status != 400 ||
		r.Body != `[{"message":"Content-Type must be text/csv, not application/json","errorCode":"INVALIDCONTENTTYPE"}]` {
		t.Errorf("JSON upload = %d %s", r.Status, r.Body)
	}
	for _, st := range []string{"JobComplete", "Open", "InProgress"} {
		if r := s.bulkCall(t, s.int, http.MethodPatch, "ingest/"+id, "application/json", `{"state":"`+st+`"}`); r.Status != 400 ||
			r.Body != `[{"message":"Invalid state transition: \"`+st+`\"","errorCode":"INVALIDJOBSTATE"}]` {
			t.Errorf("PATCH %s = %d %s", st, r.Status, r.Body)
		}
	}
	// Aborting an Open job: Aborted, and nothing more can happen to it.
	if r := s.bulkCall(t, s.int, http.MethodPatch, "ingest/"+id, "application/json", `{"state":"Aborted"}`); r.Status != 200 || r.JSON(t)["state"] != "Aborted" {
		t.Errorf("abort = %d %s", r.Status, r.Body)
	}
	if r := s.bulkCall(t, s.int, http.MethodPatch, "ingest/"+id, "application/json", `{"state":"UploadComplete"}`); r.Status != 409 ||
		r.Body != `[{"message":"Job state Aborted cannot change to UploadComplete","errorCode":"INVALIDJOBSTATE"}]` {
		t.Errorf("UploadComplete after abort = %d %s", r.Status, r.Body)
	}
	if r := s.bulkCall(t, s.int, http.MethodPut, "ingest/"+id+"/batches", "text/csv", "Name\nx\n"); r.Status != 409 ||
		r.Body != `[{"message":"Job `+id+` is not open for uploads: its state is Aborted","errorCode":"INVALIDJOBSTATE"}]` {
		t.Errorf("upload after abort = %d %s", r.Status, r.Body)
	}
	if r := s.bulkCall(t, s.int, http.MethodGet, "ingest/7505F0000009999QAA", "", ""); r.Status != 404 {
		t.Errorf("unknown job = %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/services/data/v40.0/jobs/ingest", "/services/data/v46.0/jobs/query", "/services/data/v59.0/jobs/nope"} {
		if r := s.call(t, s.int, http.MethodGet, path, ""); r.Status != 404 || !strings.Contains(r.Body, `"NOT_FOUND"`) {
			t.Errorf("GET %s = %d %s, want 404 NOT_FOUND (Bulk API 2.0 starts at 41.0, its query at 47.0)", path, r.Status, r.Body)
		}
	}
	if r := s.bulkCall(t, s.int, http.MethodGet, "ingest/not-an-id", "", ""); r.Status != 404 {
		t.Errorf("malformed job id = %d %s", r.Status, r.Body)
	}

	// Structural errors fail the whole job with errorMessage; unprocessedrecords has them.
	for _, c := range []struct{ name, job, csv, msg string }{
		{"unknown column", `{"object":"Account","operation":"insert"}`, "Name,Nope\nA,b\n", "InvalidBatch : Field name not found : Nope"},
		{"wrong line ending", `{"object":"Account","operation":"insert","lineEnding":"CRLF"}`, "Name\nA\n", "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is CRLF"},
		{"delete with more than Id", `{"object":"Account","operation":"delete"}`, "Id,Name\n001000000000001,x\n", "InvalidBatch : The 'delete' batch must contain only 'Id'"},
	} {
		jid, info := s.runIngest(t, s.int, c.job, c.csv)
		if info["state"] != "Failed" || info["errorMessage"] != c.msg {
			t.Errorf("%s: state %v, errorMessage %q\nwant Failed, %q", c.name, info["state"], info["errorMessage"], c.msg)
		}
		if un := s.bulkCall(t, s.int, http.MethodGet, "ingest/"+jid+"/unprocessedrecords", "", ""); un.Status != 200 {
			t.Errorf("%s: unprocessedrecords = %d %s", c.name, un.Status, un.Body)
		}
	}

	// An empty upload completes with 0 records (jsforce's real-org test).
	if _, info := s.runIngest(t, s.int, `{"object":"Account","operation":"insert"}`, ""); info["state"] != "JobComplete" || info["numberRecordsProcessed"] != 0.0 {
		t.Errorf("empty upload: %v", info)
	}
}

// update, upsert by external ID (with a parent named through a relationship column),
// delete and hardDelete, as the CSV of each operation looks.
func TestBulkV2Operations(t *testing.T) {
	s := startData(t)
	acc := s.create(t, s.int, "Account", `{"Name":"Parent"}`)

	_, info := s.runIngest(t, s.int, `{"object":"Invoice__c","operation":"upsert","externalIdFieldName":"Number__c"}`,
		"Number__c,Status__c,Account__r.Id,Due__c\nINV-1,Draft,"+acc+",2026-01-31\nINV-2,Sent,,\nINV-1,Paid,,\nINV-3,Bogus,,\n")
	if info["numberRecordsProcessed"] != 4.0 || info["numberRecordsFailed"] != 1.0 {
		t.Errorf("upsert: %v", info)
	}
	q := s.query(t, s.int, "SELECT Number__c, Status__c, Account__c, Due__c FROM Invoice__c ORDER BY Number__c")
	got := []string{}
	for _, r := range q.Records {
		got = append(got, r["Number__c"].(string)+" "+r["Status__c"].(string)+" "+strings.TrimSpace(str(r["Account__c"]))+" "+str(r["Due__c"]))
	}
	if diff := cmp.Diff([]string{"INV-1 Paid " + acc + " 2026-01-31", "INV-2 Sent  "}, got); diff != "" {
		t.Errorf("after upsert (-want +got):\n%s", diff)
	}

	ids := s.query(t, s.int, "SELECT Id FROM Invoice__c WHERE Number__c = 'INV-2'").Records[0]["Id"].(string)
	_, info = s.runIngest(t, s.int, `{"object":"Invoice__c","operation":"update"}`, "Id,Status__c\n"+ids+",Paid\n001000000000000AAA,Paid\n")
	if info["numberRecordsFailed"] != 1.0 {
		t.Errorf("update: %v", info)
	}
	jid, info := s.runIngest(t, s.int, `{"object":"Invoice__c","operation":"delete"}`, "Id\n"+ids+"\n")
	ok := s.bulkCall(t, s.int, http.MethodGet, "ingest/"+jid+"/successfulResults", "", "")
	if info["numberRecordsFailed"] != 0.0 || ok.Body != `"sf__Id","sf__Created","Id"`+"\n"+`"`+ids+`","false","`+ids+`"`+"\n" {
		t.Errorf("delete: %v\n%s", info, ok.Body)
	}
	if q := s.query(t, s.int, "SELECT Id FROM Invoice__c"); q.TotalSize != 1 {
		t.Errorf("after delete: %d invoices", q.TotalSize)
	}
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

// Query jobs (salesforce-bulk.md §3): create, the CSV of results in SELECT order with
// relationship columns, pages by locator with both headers on every page, gzip, and
// the errors of queries the Bulk API does not run.
func TestBulkV2Query(t *testing.T) {
	s := startData(t)
	acc := s.create(t, s.int, "Account", `{"Name":"Zeta \"Q\", Inc.","Industry":"Energy"}`)
	for _, n := range []string{"A-1", "A-2", "A-3", "A-4", "A-5"} {
		s.create(t, s.int, "Invoice__c", `{"Number__c":"`+n+`","Account__c":"`+acc+`","Due__c":"2026-11-22","Paid__c":true,"Amount__c":12.5}`)
	}
	s.create(t, s.int, "Invoice__c", `{"Number__c":"B-1\nline"}`)

	r := s.bulkCall(t, s.int, http.MethodPost, "query", "application/json",
		`{"operation":"query","query":"SELECT Number__c, Account__r.Name, Due__c, Paid__c, Amount__c FROM Invoice__c ORDER BY Number__c"}`)
	if r.Status != 200 || r.JSON(t)["state"] != "UploadComplete" || r.JSON(t)["object"] != "Invoice__c" {
		t.Fatalf("create = %d %s", r.Status, r.Body)
	}
	id := r.JSON(t)["id"].(string)
	info := s.waitJob(t, s.int, "query", id)
	if info["state"] != "JobComplete" || info["numberRecordsProcessed"] != 6.0 || info["jobType"] != "V2Query" {
		t.Fatalf("job = %v", info)
	}
	var pages []string
	loc := ""
	for i := 0; i < 10; i++ {
		path := "query/" + id + "/results/?maxRecords=4"
		if loc != "" {
			path += "&locator=" + loc
		}
		p := s.bulkCall(t, s.int, http.MethodGet, path, "", "")
		if p.Status != 200 || p.Header.Get("Sforce-NumberOfRecords") == "" || p.Header.Get("Sforce-Locator") == "" {
			t.Fatalf("page %d = %d %v %s", i, p.Status, p.Header, p.Body)
		}
		pages = append(pages, p.Header.Get("Sforce-NumberOfRecords")+"|"+p.Body)
		if loc = p.Header.Get("Sforce-Locator"); loc == "null" {
			break
		}
	}
	header := `"Number__c","Account__r.Name","Due__c","Paid__c","Amount__c"` + "\n"
	row := func(n string) string { return `"` + n + `","Zeta ""Q"", Inc.","2026-11-22","true","12.5"` + "\n" }
	wantPages := []string{
		"4|" + header + row("A-1") + row("A-2") + row("A-3") + row("A-4"),
		"2|" + header + row("A-5") + `"B-1` + "\n" + `line","","","false",""` + "\n",
	}
	if diff := cmp.Diff(wantPages, pages); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}

	// gzip when asked.
	req := newRequest(t, http.MethodGet, s.URL+"/services/data/v59.0/jobs/query/"+id+"/results", nil)
	req.Header.Set("Authorization", "Bearer "+s.int)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Sforce-Locator") != "null" {
		t.Fatalf("gzip page: %v %v", err, resp.Header)
	}
	unzipped, _ := io.ReadAll(zr)
	if !strings.HasPrefix(string(unzipped), header) || strings.Count(string(unzipped), "\n") != 8 {
		t.Errorf("gzip page body = %q", unzipped)
	}

	for _, c := range []struct{ soql, want string }{
		{"SELECT COUNT() FROM Account", `[{"message":"Implementation restriction: Aggregate queries are not supported by the Bulk API","errorCode":"API_ERROR"}]`},
		{"SELECT Name, (SELECT LastName FROM Contacts) FROM Account", `[{"message":"Implementation restriction: Aggregate Relationships not supported in Bulk Query","errorCode":"API_ERROR"}]`},
		{"SELECT Name FROM Account OFFSET 5", `[{"message":"Implementation restriction: OFFSET is not supported by the Bulk API","errorCode":"API_ERROR"}]`},
		{"", `[{"message":"SOQL statements cannot be empty or null","errorCode":"MALFORMED_QUERY"}]`},
	} {
		r := s.bulkCall(t, s.int, http.MethodPost, "query", "application/json", `{"operation":"query","query":"`+c.soql+`"}`)
		if r.Status != 400 || r.Body != c.want {
			t.Errorf("%q: %d %s\nwant %s", c.soql, r.Status, r.Body, c.want)
		}
	}
	r = s.bulkCall(t, s.int, http.MethodPost, "query", "application/json", `{"operation":"query","query":"SELECT Nope FROM Account"}`)
	if r.Status != 400 || !strings.Contains(r.Body, `"errorCode":"INVALID_FIELD"`) || !strings.Contains(r.Body, "No such column 'Nope' on entity 'Account'") {
		t.Errorf("bad field = %d %s", r.Status, r.Body)
	}
	// Results of an aborted job: 412 JOB_NOT_COMPLETE.
	r = s.bulkCall(t, s.int, http.MethodPost, "query", "application/json", `{"operation":"queryAll","query":"SELECT Id FROM Account"}`)
	qid := r.JSON(t)["id"].(string)
	s.waitJob(t, s.int, "query", qid)
	if r := s.bulkCall(t, s.int, http.MethodGet, "query/"+qid+"/results?locator=bad!", "", ""); r.Status != 400 {
		t.Errorf("bad locator = %d %s", r.Status, r.Body)
	}
	if r := s.bulkCall(t, s.int, http.MethodGet, "query/"+qid+"/results?maxRecords=0", "", ""); r.Status != 400 {
		t.Errorf("maxRecords=0 = %d %s", r.Status, r.Body)
	}
	// An ingest id is not a query job.
	iid := s.ingestJob(t, s.int, `{"object":"Account","operation":"insert"}`)
	if r := s.bulkCall(t, s.int, http.MethodGet, "query/"+iid, "", ""); r.Status != 404 {
		t.Errorf("ingest job under /query = %d", r.Status)
	}
	if r := s.bulkCall(t, s.int, http.MethodPatch, "ingest/"+iid, "application/json", `{"state":"Aborted"}`); r.Status != 200 {
		t.Fatalf("abort: %d %s", r.Status, r.Body)
	}
	list := s.bulkCall(t, s.int, http.MethodGet, "query", "", "").JSON(t)
	if list["done"] != true || len(list["records"].([]any)) != 2 {
		t.Errorf("query job list = %v", list)
	}
	lim := s.call(t, s.int, http.MethodGet, "/limits", "").JSON(t)
	if q := lim["DailyBulkV2QueryJobs"].(map[string]any); q["Max"] != 10000.0 || q["Remaining"] != 9998.0 {
		t.Errorf("DailyBulkV2QueryJobs = %v", q)
	}
	if b := lim["DailyBulkApiBatches"].(map[string]any); b["Max"] != 15000.0 {
		t.Errorf("DailyBulkApiBatches = %v", b)
	}

	// The admin API lists the org's jobs with state and counts (the CLI's bulk-jobs).
	orgID, _ := s.ids(t, "int@acme.example")
	var jobs []struct {
		ID, JobType, Operation, Object, State string
		Batches                               int
		RecordsProcessed                      int64
	}
	if err := json.Unmarshal([]byte(s.admin(t, http.MethodGet, "/bulk-jobs?org="+orgID, "").Body), &jobs); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range jobs {
		got = append(got, fmt.Sprintf("%s %s %s %s %d %d", j.JobType, j.Operation, j.Object, j.State, j.Batches, j.RecordsProcessed))
	}
	want := []string{"V2Query query Invoice__c JobComplete 1 6", "V2Query queryAll Account JobComplete 1 2", "V2Ingest insert Account Aborted 0 0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("admin bulk-jobs (-want +got):\n%s", diff)
	}
}
