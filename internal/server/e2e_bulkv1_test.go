package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Bulk API 1.0 end to end over real HTTP (/services/async/XX.X, salesforce-bulk.md §4, §7).

// v1 sends a Bulk API 1.0 request to /services/async/59.0 + path with the token in
// X-SFDC-Session ("" for none) and extra headers as name, value pairs.
func (s *dataServer) v1(t *testing.T, token, method, path, contentType, body string, headers ...string) response {
	t.Helper()
	req := newRequest(t, method, s.URL+"/services/async/59.0"+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("X-SFDC-Session", token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return do(t, req)
}

// xmlField is the text of the first <name> element of an XML body.
func xmlField(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile("<" + name + ">([^<]*)</" + name + ">").FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no <%s> in %s", name, body)
	}
	return m[1]
}

// v1Create creates a job from an XML jobInfo body and returns its id.
func (s *dataServer) v1Create(t *testing.T, token, op, object, contentType string, headers ...string) string {
	t.Helper()
	body := `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload">` +
		`<operation>` + op + `</operation><object>` + object + `</object><contentType>` + contentType + `</contentType></jobInfo>`
	r := s.v1(t, token, http.MethodPost, "/job", "application/xml; charset=utf-8", body, headers...)
	if r.Status != http.StatusCreated {
		t.Fatalf("create job: %d %s", r.Status, r.Body)
	}
	return xmlField(t, r.Body, "id")
}

// v1Error is a Bulk 1.0 error body as Salesforce lays it out (salesforce-bulk.md §1).
func v1Error(code, message string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><error` + "\n" +
		`   xmlns="http://www.force.com/2009/06/asyncapi/dataload">` + "\n" +
		` <exceptionCode>` + code + `</exceptionCode>` + "\n" +
		` <exceptionMessage>` + message + `</exceptionMessage>` + "\n" +
		`</error>`
}

// wantV1Error checks a response is exactly a Bulk 1.0 error: 400, the body, and the
// Content-Type of its format.
func wantV1Error(t *testing.T, r response, jsonBody bool, code, message string) {
	t.Helper()
	want, ct := v1Error(code, message), "application/xml"
	if jsonBody {
		want, ct = `{"exceptionCode":"`+code+`","exceptionMessage":"`+message+`"}`, "application/json"
	}
	if r.Status != http.StatusBadRequest || r.Body != want || r.Header.Get("Content-Type") != ct {
		t.Errorf("got %d %q %s\nwant 400 %q %s", r.Status, r.Header.Get("Content-Type"), r.Body, ct, want)
	}
}

// v1Batch adds a batch and returns its id.
func (s *dataServer) v1Batch(t *testing.T, token, jobID, contentType, body string) string {
	t.Helper()
	r := s.v1(t, token, http.MethodPost, "/job/"+jobID+"/batch", contentType, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("add batch: %d %s", r.Status, r.Body)
	}
	if strings.HasPrefix(r.Body, "{") {
		return r.JSON(t)["id"].(string)
	}
	return xmlField(t, r.Body, "id")
}

// v1Wait polls a batch until it is no longer Queued or InProgress and returns its last
// batchInfo body (XML or JSON as the job answers).
func (s *dataServer) v1Wait(t *testing.T, token, jobID, batchID string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := s.v1(t, token, http.MethodGet, "/job/"+jobID+"/batch/"+batchID, "", "")
		if r.Status != http.StatusOK {
			t.Fatalf("batch info: %d %s", r.Status, r.Body)
		}
		if !strings.Contains(r.Body, "Queued") && !strings.Contains(r.Body, "InProgress") {
			return r.Body
		}
		if time.Now().After(deadline) {
			t.Fatalf("batch %s still running: %s", batchID, r.Body)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBulkV1Auth: the session header in any case, Bearer, and every refusal as a Bulk 1.0
// error — InvalidSessionId with HTTP 400, the only form jsforce refreshes on (§0 item 20).
func TestBulkV1Auth(t *testing.T) {
	s := startData(t)
	body := `<jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>insert</operation><object>Account</object><contentType>CSV</contentType></jobInfo>`

	wantV1Error(t, s.v1(t, "", http.MethodPost, "/job", "application/xml", body), false, "InvalidSessionId", "Invalid session id")
	wantV1Error(t, s.v1(t, "not-a-token", http.MethodGet, "/job/7505F0000000001QAA", "", ""), false, "InvalidSessionId", "Invalid session id")
	wantV1Error(t, s.v1(t, "not-a-token", http.MethodPost, "/job", "application/json", `{}`), true, "InvalidSessionId", "Invalid session id")
	wantV1Error(t, s.v1(t, s.noapi, http.MethodPost, "/job", "application/xml", body), false, "InvalidUser",
		"API is not enabled for this user: the API Enabled permission is required")

	// jsforce's upper-case header name; Bearer; a "v" before the version.
	for _, h := range [][2]string{{"X-SFDC-SESSION", s.int}, {"Authorization", "Bearer " + s.int}} {
		req := newRequest(t, http.MethodPost, s.URL+"/services/async/v59.0/job", strings.NewReader(body))
		req.Header.Set(h[0], h[1])
		req.Header.Set("Content-Type", "application/xml")
		if r := do(t, req); r.Status != http.StatusCreated || !strings.Contains(r.Body, "<state>Open</state>") {
			t.Errorf("%s: %d %s", h[0], r.Status, r.Body)
		} else if r.Header.Get("Sforce-Limit-Info") == "" {
			t.Errorf("%s: no Sforce-Limit-Info", h[0])
		}
	}
	wantV1Error(t, s.v1(t, s.int, http.MethodPost, "/jobs", "", ""), false, "InvalidOperation", "Unknown operation: jobs")
	req := newRequest(t, http.MethodGet, s.URL+"/services/async/5.0/job", nil)
	req.Header.Set("X-SFDC-Session", s.int)
	wantV1Error(t, do(t, req), false, "InvalidUrl", "Unsupported API version: 5.0")
}

// xmlResultIDs reads a result-list.
func xmlResultIDs(t *testing.T, body string) []string {
	t.Helper()
	var rl struct {
		XMLName xml.Name `xml:"http://www.force.com/2009/06/asyncapi/dataload result-list"`
		Result  []string `xml:"result"`
	}
	if err := xml.Unmarshal([]byte(body), &rl); err != nil {
		t.Fatalf("result-list: %v\n%s", err, body)
	}
	return rl.Result
}

// TestBulkV1JobStates walks a CSV job through Open → Closed with a Completed and a Failed
// batch, and checks each refusal's exact body.
func TestBulkV1JobStates(t *testing.T) {
	s := startData(t)
	job := s.v1Create(t, s.int, "insert", "Account", "CSV")
	r := s.v1(t, s.int, http.MethodGet, "/job/"+job, "", "")
	if r.Status != http.StatusOK || xmlField(t, r.Body, "state") != "Open" || r.Header.Get("Content-Type") != "application/xml" {
		t.Fatalf("GET job: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	wantV1Error(t, s.v1(t, s.int, http.MethodPost, "/job", "application/xml",
		`<jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>insert</operation><object>Foo</object></jobInfo>`),
		false, "InvalidJob", "Unable to find object: Foo")
	wantV1Error(t, s.v1(t, s.int, http.MethodPost, "/job", "application/json", `{"operation":"merge","object":"Account"}`),
		true, "InvalidJob", "Invalid operation: merge")
	// Queued → Completed.
	ok := s.v1Batch(t, s.int, job, "text/csv", "Name\nStates 1\n")
	if info := s.v1Wait(t, s.int, job, ok); xmlField(t, info, "state") != "Completed" || xmlField(t, info, "numberRecordsProcessed") != "1" {
		t.Errorf("good batch: %s", info)
	}
	// Queued → Failed: a column that is no field.
	bad := s.v1Batch(t, s.int, job, "text/csv", "Name,Nope__c\nStates 2,x\n")
	info := s.v1Wait(t, s.int, job, bad)
	if xmlField(t, info, "state") != "Failed" || xmlField(t, info, "stateMessage") != "InvalidBatch : Field name not found : Nope__c" {
		t.Errorf("bad batch: %s", info)
	}
	// The list holds both, in order.
	r = s.v1(t, s.int, http.MethodGet, "/job/"+job+"/batch", "", "")
	if r.Status != http.StatusOK || strings.Count(r.Body, "<batchInfo>") != 2 || strings.Index(r.Body, ok) > strings.Index(r.Body, bad) {
		t.Errorf("batch list: %d %s", r.Status, r.Body)
	}
	// The request comes back as it was sent.
	if r = s.v1(t, s.int, http.MethodGet, "/job/"+job+"/batch/"+ok+"/request", "", ""); r.Body != "Name\nStates 1\n" {
		t.Errorf("request: %d %q", r.Status, r.Body)
	}
	// Open → Closed, with jsforce's close body (a newline and two spaces before <jobInfo).
	r = s.v1(t, s.int, http.MethodPost, "/job/"+job, "application/xml; charset=utf-8",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n  <jobInfo xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">\n    <state>Closed</state>\n  </jobInfo>")
	if r.Status != http.StatusOK || xmlField(t, r.Body, "state") != "Closed" ||
		xmlField(t, r.Body, "numberBatchesCompleted") != "1" || xmlField(t, r.Body, "numberBatchesFailed") != "1" ||
		xmlField(t, r.Body, "numberBatchesTotal") != "2" || xmlField(t, r.Body, "numberRecordsProcessed") != "1" {
		t.Errorf("close: %d %s", r.Status, r.Body)
	}
	// A batch for a closed job.
	wantV1Error(t, s.v1(t, s.int, http.MethodPost, "/job/"+job+"/batch", "text/csv", "Name\nLate\n"), false,
		"InvalidJobState", "Job "+job+" is not open: its state is Closed")
	// Closed → Open is not a transition.
	wantV1Error(t, s.v1(t, s.int, http.MethodPost, "/job/"+job, "application/json", `{"state":"Open"}`), true,
		"InvalidJobState", `Invalid state: \"Open\"; a job can be set to Closed or Aborted`)
	// Unknown job, unknown batch, another user's job, a 15-character id.
	wantV1Error(t, s.v1(t, s.int, http.MethodGet, "/job/7505F00000009ZZQAA", "", ""), false, "InvalidJob", "Invalid job id: 7505F00000009ZZQAA")
	wantV1Error(t, s.v1(t, s.int, http.MethodGet, "/job/nope", "", ""), false, "InvalidJob", "Invalid job id: nope")
	wantV1Error(t, s.v1(t, s.int, http.MethodGet, "/job/"+job+"/batch/7515F00000009ZZQAA", "", ""), false, "InvalidBatch", "Invalid batch id: 7515F00000009ZZQAA")
	wantV1Error(t, s.v1(t, s.peer, http.MethodGet, "/job/"+job, "", ""), false, "InvalidJob", "Invalid job id: "+job)
	wantV1Error(t, s.v1(t, s.peer, http.MethodGet, "/job/"+job+"/batch", "", ""), false, "InvalidJob", "Invalid job id: "+job)
	if r = s.v1(t, s.int, http.MethodGet, "/job/"+job[:15], "", ""); r.Status != http.StatusOK || xmlField(t, r.Body, "id") != job {
		t.Errorf("15-character id: %d %s", r.Status, r.Body)
	}
	// Methods a resource does not have.
	r = s.v1(t, s.int, http.MethodDelete, "/job/"+job, "", "")
	if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, POST" ||
		r.Body != v1Error("InvalidUrl", "HTTP Method 'DELETE' not allowed. Allowed are GET, POST") {
		t.Errorf("DELETE job: %d %v %s", r.Status, r.Header, r.Body)
	}
}

// TestBulkV1Abort: aborting a job leaves the batches it had not started NotProcessed.
func TestBulkV1Abort(t *testing.T) {
	s := startData(t)
	job := s.v1Create(t, s.int, "insert", "Account", "CSV")
	var big strings.Builder
	big.WriteString("Name\n")
	// A first batch big enough to still be running when the abort arrives (each request
	// waits for at most one 2000-record chunk's commit): the later batches never start.
	for i := range 40000 {
		fmt.Fprintf(&big, "Abort %d\n", i)
	}
	first := s.v1Batch(t, s.int, job, "text/csv", big.String())
	second := s.v1Batch(t, s.int, job, "text/csv", "Name\nAbort late 1\n")
	third := s.v1Batch(t, s.int, job, "text/csv", "Name\nAbort late 2\n")
	r := s.v1(t, s.int, http.MethodPost, "/job/"+job, "application/json", `{"state":"Aborted"}`)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/json" || r.JSON(t)["state"] != "Aborted" {
		t.Fatalf("abort: %d %s", r.Status, r.Body)
	}
	for _, b := range []string{second, third} {
		info := s.v1Wait(t, s.int, job, b)
		if xmlField(t, info, "state") != "NotProcessed" || xmlField(t, info, "stateMessage") != "Job aborted" {
			t.Errorf("batch after abort: %s", info)
		}
	}
	// The first batch ends Failed (stopped while running), Completed (it was done), or
	// NotProcessed (on a busy machine the abort came before the worker started it).
	if st := xmlField(t, s.v1Wait(t, s.int, job, first), "state"); st != "Failed" && st != "Completed" && st != "NotProcessed" {
		t.Errorf("running batch after abort: %s", st)
	}
	wantV1Error(t, s.v1(t, s.int, http.MethodPost, "/job/"+job+"/batch", "text/csv", "Name\nx\n"), false,
		"InvalidJobState", "Job "+job+" is not open: its state is Aborted")
	// Results of a batch that never ran.
	wantV1Error(t, s.v1(t, s.int, http.MethodGet, "/job/"+job+"/batch/"+second+"/result", "", ""), false,
		"InvalidBatch", "Batch not completed: its state is NotProcessed")
}

// v1Get GETs a path and fails the test unless it is 200.
func (s *dataServer) v1Get(t *testing.T, token, path, contentType string) response {
	t.Helper()
	r := s.v1(t, token, http.MethodGet, path, contentType, "")
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	return r
}

// TestBulkV1CSVAwkwardValues: quotes, commas, newlines, unicode, #N/A nulls, dates and
// record failures through a CSV insert, its results file and a CSV query of the rows.
func TestBulkV1CSVAwkwardValues(t *testing.T) {
	s := startData(t)
	job := s.v1Create(t, s.int, "insert", "Invoice__c", "CSV")
	data := "Name,Number__c,Amount__c,Due__c,Paid__c,Status__c\n" +
		"\"Quote \"\"q\"\"\",INV-1,12.5,2026-01-31,true,Draft\n" +
		"\"Comma, inc\",INV-2,#N/A,#N/A,false,\n" +
		"\"Line1\nLine2\",INV-3,1000000,,,Sent\n" +
		"Ünïcødé 日本,INV-4,0.1,2026-02-28,,Paid\n" +
		"Missing number,,5,,,\n" +
		"Bad status,INV-6,,,,Nope\n"
	b := s.v1Batch(t, s.int, job, "text/csv", data)
	info := s.v1Wait(t, s.int, job, b)
	if xmlField(t, info, "state") != "Completed" || xmlField(t, info, "numberRecordsProcessed") != "6" || xmlField(t, info, "numberRecordsFailed") != "2" {
		t.Fatalf("batch: %s", info)
	}
	r := s.v1Get(t, s.int, "/job/"+job+"/batch/"+b+"/result", "")
	created := regexp.MustCompile(`(?m)^"(a00\w{15})"`).FindAllStringSubmatch(r.Body, -1)
	if len(created) != 4 {
		t.Fatalf("results: %s", r.Body)
	}
	want := `"Id","Success","Created","Error"` + "\n"
	for _, m := range created {
		want += `"` + m[1] + `","true","true",""` + "\n"
	}
	want += `"","false","false","REQUIRED_FIELD_MISSING:Required fields are missing: [Number__c]:Number__c --"` + "\n" +
		`"","false","false","INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Status: bad value for restricted picklist field: Nope:Status__c --"` + "\n"
	if r.Body != want || r.Header.Get("Content-Type") != "text/csv; charset=UTF-8" {
		t.Errorf("results:\n%s\nwant:\n%s", r.Body, want)
	}
	q := s.v1Create(t, s.int, "query", "Invoice__c", "CSV")
	qb := s.v1Batch(t, s.int, q, "text/csv", "SELECT Name, Number__c, Amount__c, Due__c, Paid__c, Status__c, Account__c, CreatedDate FROM Invoice__c ORDER BY Number__c")
	if info := s.v1Wait(t, s.int, q, qb); xmlField(t, info, "state") != "Completed" {
		t.Fatalf("query batch: %s", info)
	}
	ids := xmlResultIDs(t, s.v1Get(t, s.int, "/job/"+q+"/batch/"+qb+"/result", "").Body)
	r = s.v1Get(t, s.int, "/job/"+q+"/batch/"+qb+"/result/"+ids[0], "")
	want = `"Name","Number__c","Amount__c","Due__c","Paid__c","Status__c","Account__c","CreatedDate"` + "\n" +
		`"Quote ""q""","INV-1","12.5","2026-01-31","true","Draft","","2026-11-22T10:00:00.000Z"` + "\n" +
		`"Comma, inc","INV-2","","","false","","","2026-11-22T10:00:00.000Z"` + "\n" +
		"\"Line1\nLine2\",\"INV-3\",\"1000000.0\",\"\",\"false\",\"Sent\",\"\",\"2026-11-22T10:00:00.000Z\"\n" +
		`"Ünïcødé 日本","INV-4","0.1","2026-02-28","false","Paid","","2026-11-22T10:00:00.000Z"` + "\n"
	if r.Body != want || r.Header.Get("Content-Type") != "text/csv; charset=UTF-8" {
		t.Errorf("query result:\n%s\nwant:\n%s", r.Body, want)
	}
	// An empty result is the header row alone.
	qb = s.v1Batch(t, s.int, q, "text/csv", "SELECT Id, Name FROM Invoice__c WHERE Name = 'nobody'")
	s.v1Wait(t, s.int, q, qb)
	ids = xmlResultIDs(t, s.v1Get(t, s.int, "/job/"+q+"/batch/"+qb+"/result", "").Body)
	if r = s.v1Get(t, s.int, "/job/"+q+"/batch/"+qb+"/result/"+ids[0], ""); r.Body != `"Id","Name"`+"\n" {
		t.Errorf("empty result: %q", r.Body)
	}
	// A query that does not run fails its batch with the SOQL error.
	qb = s.v1Batch(t, s.int, q, "text/csv", "SELECT Nope FROM Invoice__c")
	if info := s.v1Wait(t, s.int, q, qb); xmlField(t, info, "state") != "Failed" ||
		!strings.HasPrefix(xmlField(t, info, "stateMessage"), "InvalidBatch : Failed to process query: INVALID_FIELD: ") {
		t.Errorf("bad query: %s", info)
	}
	wantV1Error(t, s.v1(t, s.int, http.MethodGet, "/job/"+q+"/batch/"+qb+"/result", "", ""), false,
		"InvalidBatch", "Batch not completed: its state is Failed")
}

// v1WaitJSON polls a JSON job's batch as simple-salesforce does (Content-Type
// application/json on every call) and returns the last batchInfo.
func (s *dataServer) v1WaitJSON(t *testing.T, token, jobID, batchID string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := s.v1(t, token, http.MethodGet, "/job/"+jobID+"/batch/"+batchID, "application/json", "")
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("batch info: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
		}
		info := r.JSON(t)
		if st := info["state"]; st != "Queued" && st != "InProgress" {
			return info
		}
		if time.Now().After(deadline) {
			t.Fatalf("batch %s still running: %s", batchID, r.Body)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBulkV1SimpleSalesforce follows simple-salesforce 1.12.10's sf.bulk (§7.4): JSON
// everywhere, concurrencyMode 0, records as a JSON array, query SOQL posted raw with
// Content-Type application/json, results as JSON.
func TestBulkV1SimpleSalesforce(t *testing.T) {
	s := startData(t)
	const ct = "application/json"
	r := s.v1(t, s.int, http.MethodPost, "/job", ct, `{"operation":"insert","object":"Invoice__c","concurrencyMode":0,"contentType":"JSON"}`)
	if r.Status != http.StatusCreated || r.Header.Get("Content-Type") != ct {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	job := r.JSON(t)
	if job["state"] != "Open" || job["concurrencyMode"] != "Parallel" || job["contentType"] != "JSON" || job["apiVersion"] != 59.0 {
		t.Errorf("job: %s", r.Body)
	}
	jobID := job["id"].(string)
	r = s.v1(t, s.int, http.MethodPost, "/job/"+jobID+"/batch", ct,
		`[{"Name":"SSF 1","Number__c":"SSF-1","Amount__c":10.5,"Due__c":"2026-03-01","Paid__c":true},`+
			`{"Name":"SSF 2","Number__c":"SSF-2","Amount__c":null,"Status__c":"Sent"},`+
			`{"Name":"SSF bad","Amount__c":1}]`)
	if r.Status != http.StatusCreated || r.Header.Get("Content-Type") != ct || r.JSON(t)["state"] != "Queued" {
		t.Fatalf("batch: %d %s", r.Status, r.Body)
	}
	batchID := r.JSON(t)["id"].(string)
	if info := s.v1WaitJSON(t, s.int, jobID, batchID); info["state"] != "Completed" || info["numberRecordsFailed"] != 1.0 {
		t.Fatalf("batch: %v", info)
	}
	r = s.v1Get(t, s.int, "/job/"+jobID+"/batch/"+batchID+"/result", ct)
	ids := regexp.MustCompile(`"id":"(a00\w{15})"`).FindAllStringSubmatch(r.Body, -1)
	if len(ids) != 2 {
		t.Fatalf("results: %s", r.Body)
	}
	want := `[{"success":true,"created":true,"id":"` + ids[0][1] + `","errors":[]},` +
		`{"success":true,"created":true,"id":"` + ids[1][1] + `","errors":[]},` +
		`{"success":false,"created":false,"id":null,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Number__c]","fields":["Number__c"]}]}]`
	if r.Body != want || r.Header.Get("Content-Type") != ct {
		t.Errorf("results:\n%s\nwant\n%s", r.Body, want)
	}
	// The request comes back as sent (include_detailed_results zips it with the results).
	if r = s.v1Get(t, s.int, "/job/"+jobID+"/batch/"+batchID+"/request", ct); !strings.HasPrefix(r.Body, `[{"Name":"SSF 1"`) || r.Header.Get("Content-Type") != ct {
		t.Errorf("request: %s %s", r.Header.Get("Content-Type"), r.Body)
	}
	if r = s.v1(t, s.int, http.MethodPost, "/job/"+jobID, ct, `{"state":"Closed"}`); r.Status != http.StatusOK || r.JSON(t)["state"] != "Closed" {
		t.Errorf("close: %d %s", r.Status, r.Body)
	}

	// Query: queryAll, SOQL raw with the JSON Content-Type, closed before polling.
	r = s.v1(t, s.int, http.MethodPost, "/job", ct, `{"operation":"queryAll","object":"Invoice__c","concurrencyMode":1,"contentType":"JSON"}`)
	if r.Status != http.StatusCreated || r.JSON(t)["concurrencyMode"] != "Serial" {
		t.Fatalf("create query: %d %s", r.Status, r.Body)
	}
	q := r.JSON(t)["id"].(string)
	r = s.v1(t, s.int, http.MethodPost, "/job/"+q+"/batch", ct,
		"SELECT Id, Name, Amount__c, Due__c, Paid__c, CreatedDate, Account__r.Name FROM Invoice__c ORDER BY Name")
	qb := r.JSON(t)["id"].(string)
	s.v1(t, s.int, http.MethodPost, "/job/"+q, ct, `{"state":"Closed"}`)
	if info := s.v1WaitJSON(t, s.int, q, qb); info["state"] != "Completed" {
		t.Fatalf("query batch: %v", info)
	}
	r = s.v1Get(t, s.int, "/job/"+q+"/batch/"+qb+"/result", ct)
	var rids []string
	if err := json.Unmarshal([]byte(r.Body), &rids); err != nil || len(rids) != 1 || r.Header.Get("Content-Type") != ct {
		t.Fatalf("result list: %s %s", r.Header.Get("Content-Type"), r.Body)
	}
	r = s.v1Get(t, s.int, "/job/"+q+"/batch/"+qb+"/result/"+rids[0], ct)
	// Dates and datetimes as epoch milliseconds (the Bulk 1.0 JSON quirk, §4.5);
	// 2026-03-01 is 1772323200000, 2026-11-22T10:00:00Z is 1795341600000.
	rec := func(id, name, amount, due, paid string) string {
		return `{"attributes":{"type":"Invoice__c","url":"/services/data/v59.0/sobjects/Invoice__c/` + id + `"},` +
			`"Id":"` + id + `","Name":"` + name + `","Amount__c":` + amount + `,"Due__c":` + due + `,"Paid__c":` + paid +
			`,"CreatedDate":1795341600000,"Account__r":null}`
	}
	want = "[" + rec(ids[0][1], "SSF 1", "10.5", "1772323200000", "true") + "," + rec(ids[1][1], "SSF 2", "null", "null", "false") + "]"
	if r.Body != want || r.Header.Get("Content-Type") != ct {
		t.Errorf("query result:\n%s\nwant\n%s", r.Body, want)
	}
	// Errors on a JSON job's batch resources are JSON whatever the request says.
	wantV1Error(t, s.v1(t, s.int, http.MethodGet, "/job/"+q+"/batch/7515F00000009ZZQAA", "", ""), true,
		"InvalidBatch", "Invalid batch id: 7515F00000009ZZQAA")
	// An XML query job is refused up front: XML query results are not rendered.
	wantV1Error(t, s.v1(t, s.int, http.MethodPost, "/job", ct, `{"operation":"query","object":"Invoice__c","contentType":"XML"}`), true,
		"FeatureNotEnabled", "Query jobs with content type XML are not supported by this server: use CSV or JSON")
	wantV1Error(t, s.v1(t, s.int, http.MethodPost, "/job", ct, `{"operation":"insert","object":"Invoice__c","contentType":"ZIP_CSV"}`), true,
		"FeatureNotEnabled", "Content type ZIP_CSV is not supported by this server: use CSV, XML or JSON")
}

// v1BatchList is a parsed batchInfoList.
type v1BatchList struct {
	Batches []struct {
		ID           string `xml:"id"`
		State        string `xml:"state"`
		StateMessage string `xml:"stateMessage"`
		Processed    int    `xml:"numberRecordsProcessed"`
	} `xml:"batchInfo"`
}

// TestBulkV1Singer follows singer-io/tap-salesforce (§7.7): a JSON create for a CSV job,
// a text/csv SOQL batch answered in XML, a JSON close, XML polling while it sends
// Content-Type application/json, the result list in XML, then the CSV rows.
func TestBulkV1Singer(t *testing.T) {
	s := startData(t)
	const js = "application/json"
	r := s.v1(t, s.int, http.MethodPost, "/job", js, `{"operation": "queryAll", "object": "Account", "contentType": "CSV"}`,
		"Sforce-Disable-Batch-Retry", "true")
	if r.Status != http.StatusCreated || r.Header.Get("Content-Type") != js {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	job := r.JSON(t)["id"].(string)
	r = s.v1(t, s.int, http.MethodPost, "/job/"+job+"/batch", "text/csv",
		"SELECT Id,Name,Industry FROM Account WHERE SystemModstamp >= 2020-01-01T00:00:00Z  ORDER BY SystemModstamp ASC")
	if r.Status != http.StatusCreated || r.Header.Get("Content-Type") != "application/xml" || xmlField(t, r.Body, "state") != "Queued" {
		t.Fatalf("batch: %d %s", r.Status, r.Body)
	}
	batch := xmlField(t, r.Body, "id")
	if r = s.v1(t, s.int, http.MethodPost, "/job/"+job, js, `{"state": "Closed"}`); r.Status != http.StatusOK || r.JSON(t)["state"] != "Closed" {
		t.Fatalf("close: %d %s", r.Status, r.Body)
	}
	var info string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r = s.v1Get(t, s.int, "/job/"+job+"/batch/"+batch, js)
		if r.Header.Get("Content-Type") != "application/xml" {
			t.Fatalf("batch info of a CSV job: %s %s", r.Header.Get("Content-Type"), r.Body)
		}
		if info = xmlField(t, r.Body, "state"); info == "Completed" || info == "Failed" || time.Now().After(deadline) {
			break
		}
	}
	if info != "Completed" {
		t.Fatalf("batch: %s", r.Body)
	}
	ids := xmlResultIDs(t, s.v1Get(t, s.int, "/job/"+job+"/batch/"+batch+"/result", js).Body)
	if len(ids) != 1 || !strings.HasPrefix(ids[0], "752") {
		t.Fatalf("result ids: %v", ids)
	}
	// singer's requests session asks for gzip and decodes it.
	req := newRequest(t, http.MethodGet, s.URL+"/services/async/59.0/job/"+job+"/batch/"+batch+"/result/"+ids[0], nil)
	req.Header.Set("X-SFDC-Session", s.int)
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	r = do(t, req)
	if r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip: %v", r.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	r.Body = string(plain)
	want := `"Id","Name","Industry"` + "\n" + `"` + s.query(t, s.int, "SELECT Id FROM Account").Records[0]["Id"].(string) + `","Seed Account","Technology"` + "\n"
	if r.Body != want || r.Header.Get("Content-Type") != "text/csv; charset=UTF-8" {
		t.Errorf("rows: %q, want %q", r.Body, want)
	}
	// job_exists: an unknown job is 400 with a JSON InvalidJob for a JSON request.
	wantV1Error(t, s.v1(t, s.int, http.MethodGet, "/job/7505F00000009ZZQAA", js, ""), true, "InvalidJob", "Invalid job id: 7505F00000009ZZQAA")
}

// TestBulkV1PKChunking: a queryAll job created as singer does with
// "Sforce-Enable-PKChunking: true; chunkSize=12" over 51 accounts splits its batch into
// five Completed chunk batches and leaves the original NotProcessed; the chunks' rows
// together are every account once.
func TestBulkV1PKChunking(t *testing.T) {
	s := startData(t)
	load := s.v1Create(t, s.int, "insert", "Account", "CSV")
	var csv strings.Builder
	csv.WriteString("Name\n")
	for i := range 50 {
		fmt.Fprintf(&csv, "PK %02d\n", i)
	}
	if info := s.v1Wait(t, s.int, load, s.v1Batch(t, s.int, load, "text/csv", csv.String())); xmlField(t, info, "state") != "Completed" {
		t.Fatalf("load: %s", info)
	}

	const js = "application/json"
	r := s.v1(t, s.int, http.MethodPost, "/job", js, `{"operation": "queryAll", "object": "Account", "contentType": "CSV"}`,
		"Sforce-Enable-PKChunking", "true; chunkSize=12", "Sforce-Disable-Batch-Retry", "true")
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	job := r.JSON(t)["id"].(string)
	original := s.v1Batch(t, s.int, job, "text/csv", "SELECT Id,Name FROM Account WHERE SystemModstamp >= 2020-01-01T00:00:00Z ")
	var list v1BatchList
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r = s.v1Get(t, s.int, "/job/"+job+"/batch", js)
		list = v1BatchList{}
		if err := xml.Unmarshal([]byte(r.Body), &list); err != nil {
			t.Fatalf("batch list: %v %s", err, r.Body)
		}
		running := false
		for _, b := range list.Batches {
			running = running || b.State == "Queued" || b.State == "InProgress"
		}
		if !running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still running: %s", r.Body)
		}
	}
	s.v1(t, s.int, http.MethodPost, "/job/"+job, js, `{"state": "Closed"}`)
	if len(list.Batches) != 6 || list.Batches[0].ID != original || list.Batches[0].State != "NotProcessed" ||
		list.Batches[0].StateMessage != "Original batch of a PK-chunked job: its query runs in 5 chunk batches" {
		t.Fatalf("batches: %s", r.Body)
	}
	wantV1Error(t, s.v1(t, s.int, http.MethodGet, "/job/"+job+"/batch/"+original+"/result", "", ""), false,
		"InvalidBatch", "Batch not completed: its state is NotProcessed")
	seen := map[string]bool{}
	for i, b := range list.Batches[1:] {
		if b.State != "Completed" || (i < 4 && b.Processed != 12) || (i == 4 && b.Processed != 3) {
			t.Errorf("chunk %d: %+v", i, b)
		}
		ids := xmlResultIDs(t, s.v1Get(t, s.int, "/job/"+job+"/batch/"+b.ID+"/result", js).Body)
		body := s.v1Get(t, s.int, "/job/"+job+"/batch/"+b.ID+"/result/"+ids[0], "text/csv").Body
		lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
		if lines[0] != `"Id","Name"` {
			t.Errorf("chunk %d header: %q", i, lines[0])
		}
		for _, l := range lines[1:] {
			if seen[l] {
				t.Errorf("row twice: %s", l)
			}
			seen[l] = true
		}
	}
	if len(seen) != 51 {
		t.Errorf("%d rows, want 51", len(seen))
	}
	// Each chunk's SOQL is the original with its Id range ANDed to the WHERE; the last
	// range is open-ended.
	chunk := regexp.MustCompile(`^SELECT Id, Name FROM Account WHERE SystemModstamp >= 2020-01-01T00:00:00Z AND Id >= '001\w{15}'( AND Id < '001\w{15}')?$`)
	for i, b := range list.Batches[1:] {
		r := s.v1Get(t, s.int, "/job/"+job+"/batch/"+b.ID+"/request", "")
		m := chunk.FindStringSubmatch(r.Body)
		if m == nil || (m[1] == "") != (i == 4) || r.Header.Get("Content-Type") != "text/plain; charset=UTF-8" {
			t.Errorf("chunk %d request: %s %q", i, r.Header.Get("Content-Type"), r.Body)
		}
	}

	// parent=Account: a Contact query chunked by ranges of the 51 account Ids on AccountId.
	r = s.v1(t, s.int, http.MethodPost, "/job", js, `{"operation": "query", "object": "Contact", "contentType": "CSV"}`,
		"Sforce-Enable-PKChunking", "TRUE; chunkSize=20; parent=Account")
	job = r.JSON(t)["id"].(string)
	s.v1Batch(t, s.int, job, "text/csv", "SELECT Id, LastName FROM Contact")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r = s.v1Get(t, s.int, "/job/"+job+"/batch", js)
		if !strings.Contains(r.Body, "Queued") && !strings.Contains(r.Body, "InProgress") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still running: %s", r.Body)
		}
	}
	list = v1BatchList{}
	xml.Unmarshal([]byte(r.Body), &list)
	total := 0
	for _, b := range list.Batches[1:] {
		total += b.Processed
	}
	if len(list.Batches) != 4 || list.Batches[0].State != "NotProcessed" || total != 1 {
		t.Errorf("parent chunks: %s", r.Body)
	}
	if r = s.v1Get(t, s.int, "/job/"+job+"/batch/"+list.Batches[1].ID+"/request", ""); !regexp.MustCompile(
		`^SELECT Id, LastName FROM Contact WHERE AccountId >= '001\w{15}' AND AccountId < '001\w{15}'$`).MatchString(r.Body) {
		t.Errorf("parent chunk query: %q", r.Body)
	}
}

// TestBulkV1XMLJob: an XML job's records (gzip-compressed, xsi:nil nulls), its <results>,
// an update through XML that nulls a field, and a malformed batch that fails.
func TestBulkV1XMLJob(t *testing.T) {
	s := startData(t)
	job := s.v1Create(t, s.int, "insert", "Invoice__c", "XML")
	const head = `<?xml version="1.0" encoding="UTF-8"?><sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(head + `<sObject><Name>XML &amp; co</Name><Number__c>X-1</Number__c><Amount__c>7</Amount__c><Due__c xsi:nil="true"/></sObject>` +
		`<sObject><Name>XML bad</Name></sObject></sObjects>`))
	zw.Close()
	req := newRequest(t, http.MethodPost, s.URL+"/services/async/59.0/job/"+job+"/batch", &gz)
	req.Header.Set("X-SFDC-Session", s.int)
	req.Header.Set("Content-Type", "application/xml")
	req.Header.Set("Content-Encoding", "gzip")
	r := do(t, req)
	if r.Status != http.StatusCreated {
		t.Fatalf("gzip batch: %d %s", r.Status, r.Body)
	}
	batch := xmlField(t, r.Body, "id")
	if info := s.v1Wait(t, s.int, job, batch); xmlField(t, info, "state") != "Completed" || xmlField(t, info, "numberRecordsFailed") != "1" {
		t.Fatalf("batch: %s", info)
	}
	r = s.v1Get(t, s.int, "/job/"+job+"/batch/"+batch+"/result", "")
	id := xmlField(t, r.Body, "id")
	want := `<?xml version="1.0" encoding="UTF-8"?><results` + "\n" +
		`   xmlns="http://www.force.com/2009/06/asyncapi/dataload">` + "\n" +
		" <result>\n  <id>" + id + "</id>\n  <success>true</success>\n  <created>true</created>\n </result>\n" +
		" <result>\n  <errors>\n   <fields>Number__c</fields>\n   <message>Required fields are missing: [Number__c]</message>\n" +
		"   <statusCode>REQUIRED_FIELD_MISSING</statusCode>\n  </errors>\n  <success>false</success>\n  <created>false</created>\n </result>\n</results>"
	if r.Body != want || r.Header.Get("Content-Type") != "application/xml" {
		t.Errorf("results:\n%s\nwant\n%s", r.Body, want)
	}
	// A malformed batch fails with the parser's message.
	bad := s.v1Batch(t, s.int, job, "application/xml", head+`<sObject><Name>x</Name></sObjects>`)
	if info := s.v1Wait(t, s.int, job, bad); xmlField(t, info, "state") != "Failed" ||
		!strings.HasPrefix(xmlField(t, info, "stateMessage"), "InvalidBatch : Failed to parse XML: ") {
		t.Errorf("malformed batch: %s", info)
	}
	// An empty batch is refused when it is added.
	wantV1Error(t, s.v1(t, s.int, http.MethodPost, "/job/"+job+"/batch", "application/xml", ""), false,
		"ClientInputError", "Unable to find any data to create batch")

	// Update through XML: xsi:nil clears Amount__c.
	upd := s.v1Create(t, s.int, "update", "Invoice__c", "XML")
	b := s.v1Batch(t, s.int, upd, "application/xml", head+`<sObject><Id>`+id+`</Id><Amount__c xsi:nil="true"/><Name>XML renamed</Name></sObject></sObjects>`)
	if info := s.v1Wait(t, s.int, upd, b); xmlField(t, info, "state") != "Completed" || xmlField(t, info, "numberRecordsFailed") != "0" {
		t.Fatalf("update: %s", info)
	}
	got := s.query(t, s.int, "SELECT Name, Amount__c FROM Invoice__c WHERE Id = '"+id+"'").Records
	if len(got) != 1 || got[0]["Name"] != "XML renamed" || got[0]["Amount__c"] != nil {
		t.Errorf("after update: %v", got)
	}
}
