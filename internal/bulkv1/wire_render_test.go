package bulkv1

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The reference's examples (salesforce-bulk.md §1, §4.2, §4.3, §4.5). The one deliberate
// difference: the prolog is joined to the root element in every body, as in §1's error
// example and in responses captured from real orgs (§4.2/§4.3 show a newline there).
const (
	goldenJobInfoXML = `<?xml version="1.0" encoding="UTF-8"?><jobInfo
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
 <id>750D00000004SkLIAU</id>
 <operation>insert</operation>
 <object>Account</object>
 <createdById>005D0000001b0fFIAQ</createdById>
 <createdDate>2015-12-15T21:41:45.000Z</createdDate>
 <systemModstamp>2015-12-15T21:41:45.000Z</systemModstamp>
 <state>Open</state>
 <concurrencyMode>Parallel</concurrencyMode>
 <contentType>CSV</contentType>
 <numberBatchesQueued>0</numberBatchesQueued>
 <numberBatchesInProgress>0</numberBatchesInProgress>
 <numberBatchesCompleted>0</numberBatchesCompleted>
 <numberBatchesFailed>0</numberBatchesFailed>
 <numberBatchesTotal>0</numberBatchesTotal>
 <numberRecordsProcessed>0</numberRecordsProcessed>
 <numberRetries>0</numberRetries>
 <apiVersion>36.0</apiVersion>
 <numberRecordsFailed>0</numberRecordsFailed>
 <totalProcessingTime>0</totalProcessingTime>
 <apiActiveProcessingTime>0</apiActiveProcessingTime>
 <apexProcessingTime>0</apexProcessingTime>
</jobInfo>`

	goldenBatchInfoXML = `<?xml version="1.0" encoding="UTF-8"?><batchInfo
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
 <id>751D0000000004rIAA</id>
 <jobId>750D0000000002lIAA</jobId>
 <state>Queued</state>
 <createdDate>2009-04-14T18:15:59.000Z</createdDate>
 <systemModstamp>2009-04-14T18:15:59.000Z</systemModstamp>
 <numberRecordsProcessed>0</numberRecordsProcessed>
 <numberRecordsFailed>0</numberRecordsFailed>
 <totalProcessingTime>0</totalProcessingTime>
 <apiActiveProcessingTime>0</apiActiveProcessingTime>
 <apexProcessingTime>0</apexProcessingTime>
</batchInfo>`

	goldenBatchInfoJSON = `{"apexProcessingTime":0,"apiActiveProcessingTime":0,"createdDate":"2015-12-15T21:56:43.000+0000","id":"751D00000004YGZIA2","jobId":"750D00000004SkVIAU","numberRecordsFailed":0,"numberRecordsProcessed":0,"state":"Queued","systemModstamp":"2015-12-15T21:56:43.000+0000","totalProcessingTime":0}`

	goldenErrorXML = `<?xml version="1.0" encoding="UTF-8"?><error
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
 <exceptionCode>InvalidJob</exceptionCode>
 <exceptionMessage>Unable to find object: Foo</exceptionMessage>
</error>`
)

var (
	docJob = JobInfo{
		ID: "750D00000004SkLIAU", Operation: "insert", Object: "Account", CreatedByID: "005D0000001b0fFIAQ",
		CreatedDate: date("2015-12-15T21:41:45Z"), SystemModstamp: date("2015-12-15T21:41:45Z"),
		State: "Open", ConcurrencyMode: "Parallel", ContentType: "CSV", APIVersion: 36,
	}
	docBatch = BatchInfo{
		ID: "751D0000000004rIAA", JobID: "750D0000000002lIAA", State: "Queued",
		CreatedDate: date("2009-04-14T18:15:59Z"), SystemModstamp: date("2009-04-14T18:15:59Z"),
	}
	docBatchJSON = BatchInfo{
		ID: "751D00000004YGZIA2", JobID: "750D00000004SkVIAU", State: "Queued",
		CreatedDate: date("2015-12-15T21:56:43Z"), SystemModstamp: date("2015-12-15T21:56:43Z"),
	}
)

func TestRenderGolden(t *testing.T) {
	upsert := docJob
	upsert.Operation, upsert.ExternalIDFieldName, upsert.AssignmentRuleID = "upsert", "Ext_Id__c", "01Q000000000001"
	upsert.APIVersion = 61.5
	failed := docBatch
	failed.State, failed.StateMessage = "Failed", "InvalidBatch : Failed to process query: <&>"
	inZone := docJob
	inZone.CreatedDate = time.Date(2015, 12, 15, 22, 41, 45, 123456789, time.FixedZone("CET", 3600))

	for _, tc := range []struct {
		name string
		got  []byte
		want string
	}{
		{"jobInfo XML (§4.2 Get Job Details)", docJob.Marshal(FormatXML), goldenJobInfoXML},
		{"jobInfo XML upsert: XSD order", upsert.MarshalXMLBody(), replace(goldenJobInfoXML,
			"<operation>insert", "<operation>upsert",
			"<state>Open</state>", "<state>Open</state>\n <externalIdFieldName>Ext_Id__c</externalIdFieldName>",
			"36.0</apiVersion>", "61.5</apiVersion>\n <assignmentRuleId>01Q000000000001</assignmentRuleId>")},
		{"jobInfo JSON", docJob.Marshal(FormatJSON), `{"apexProcessingTime":0,"apiActiveProcessingTime":0,"apiVersion":36.0,` +
			`"assignmentRuleId":null,"concurrencyMode":"Parallel","contentType":"CSV","createdById":"005D0000001b0fFIAQ",` +
			`"createdDate":"2015-12-15T21:41:45.000+0000","externalIdFieldName":null,"id":"750D00000004SkLIAU",` +
			`"numberBatchesCompleted":0,"numberBatchesFailed":0,"numberBatchesInProgress":0,"numberBatchesQueued":0,` +
			`"numberBatchesTotal":0,"numberRecordsFailed":0,"numberRecordsProcessed":0,"numberRetries":0,` +
			`"object":"Account","operation":"insert","state":"Open","systemModstamp":"2015-12-15T21:41:45.000+0000",` +
			`"totalProcessingTime":0}`},
		{"jobInfo JSON dates in UTC, milliseconds", inZone.MarshalJSONBody(), replace(string(docJob.MarshalJSONBody()),
			`"createdDate":"2015-12-15T21:41:45.000+0000"`, `"createdDate":"2015-12-15T21:41:45.123+0000"`)},
		{"jobInfo XML dates in UTC, milliseconds", inZone.MarshalXMLBody(), replace(goldenJobInfoXML,
			"<createdDate>2015-12-15T21:41:45.000Z", "<createdDate>2015-12-15T21:41:45.123Z")},
		{"batchInfo XML (§4.3)", docBatch.Marshal(FormatXML), goldenBatchInfoXML},
		{"batchInfo JSON (§4.3)", docBatchJSON.Marshal(FormatJSON), goldenBatchInfoJSON},
		{"batchInfo XML stateMessage after state, escaped", failed.MarshalXMLBody(), replace(goldenBatchInfoXML,
			"<state>Queued</state>", "<state>Failed</state>\n <stateMessage>InvalidBatch : Failed to process query: &lt;&amp;&gt;</stateMessage>")},
		{"batchInfo JSON stateMessage between state and systemModstamp", (&BatchInfo{State: "NotProcessed", StateMessage: "x"}).MarshalJSONBody(),
			`{"apexProcessingTime":0,"apiActiveProcessingTime":0,"createdDate":"0001-01-01T00:00:00.000+0000","id":"","jobId":"",` +
				`"numberRecordsFailed":0,"numberRecordsProcessed":0,"state":"NotProcessed","stateMessage":"x",` +
				`"systemModstamp":"0001-01-01T00:00:00.000+0000","totalProcessingTime":0}`},
		{"batchInfo JSON Failed without message keeps the key", (&BatchInfo{State: "Failed"}).MarshalJSONBody(),
			`{"apexProcessingTime":0,"apiActiveProcessingTime":0,"createdDate":"0001-01-01T00:00:00.000+0000","id":"","jobId":"",` +
				`"numberRecordsFailed":0,"numberRecordsProcessed":0,"state":"Failed","stateMessage":null,` +
				`"systemModstamp":"0001-01-01T00:00:00.000+0000","totalProcessingTime":0}`},
		{"batchInfoList XML", BatchInfoList{docBatch}.Marshal(FormatXML), `<?xml version="1.0" encoding="UTF-8"?><batchInfoList
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
 <batchInfo>
  <id>751D0000000004rIAA</id>
  <jobId>750D0000000002lIAA</jobId>
  <state>Queued</state>
  <createdDate>2009-04-14T18:15:59.000Z</createdDate>
  <systemModstamp>2009-04-14T18:15:59.000Z</systemModstamp>
  <numberRecordsProcessed>0</numberRecordsProcessed>
  <numberRecordsFailed>0</numberRecordsFailed>
  <totalProcessingTime>0</totalProcessingTime>
  <apiActiveProcessingTime>0</apiActiveProcessingTime>
  <apexProcessingTime>0</apexProcessingTime>
 </batchInfo>
</batchInfoList>`},
		{"batchInfoList XML empty", BatchInfoList{}.MarshalXMLBody(), `<?xml version="1.0" encoding="UTF-8"?><batchInfoList
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
</batchInfoList>`},
		{"batchInfoList JSON", BatchInfoList{docBatchJSON, docBatchJSON}.Marshal(FormatJSON), `{"batchInfo":[` + goldenBatchInfoJSON + "," + goldenBatchInfoJSON + `]}`},
		{"batchInfoList JSON empty", BatchInfoList(nil).MarshalJSONBody(), `{"batchInfo":[]}`},
		{"result-list XML (§4.5)", ResultList{"752x00000004CJE"}.Marshal(FormatXML), `<?xml version="1.0" encoding="UTF-8"?><result-list
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
 <result>752x00000004CJE</result>
</result-list>`},
		{"result-list JSON (§4.5)", ResultList{"752x00000004CJE"}.Marshal(FormatJSON), `["752x00000004CJE"]`},
		{"result-list JSON empty", ResultList(nil).MarshalJSONBody(), `[]`},
		{"error XML (§1)", (&Error{Code: InvalidJob, Message: "Unable to find object: Foo"}).Marshal(FormatXML), goldenErrorXML},
		{"error JSON (§1)", (&Error{Code: InvalidJob, Message: "Unable to find object: Foo"}).Marshal(FormatJSON),
			`{"exceptionCode":"InvalidJob","exceptionMessage":"Unable to find object: Foo"}`},
		{"error XML escaping", (&Error{Code: InvalidSessionId, Message: "a<b & \"c\" 'd'\r\x01\xff"}).MarshalXMLBody(),
			replace(goldenErrorXML, ">InvalidJob<", ">InvalidSessionId<",
				"Unable to find object: Foo", "a&lt;b &amp; \"c\" 'd'&#xD;\uFFFD\uFFFD")},
		{"error JSON escaping", (&Error{Code: Unknown, Message: "\"\n<"}).MarshalJSONBody(),
			`{"exceptionCode":"Unknown","exceptionMessage":"\"\n\u003c"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, string(tc.got)); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}

// InvalidSessionId must appear as the exact substring jsforce matches (§0 item 20).
// replace applies old/new pairs to s, each exactly once.
func replace(s string, oldNew ...string) string {
	for i := 0; i < len(oldNew); i += 2 {
		if strings.Count(s, oldNew[i]) != 1 {
			panic("golden: " + oldNew[i])
		}
		s = strings.Replace(s, oldNew[i], oldNew[i+1], 1)
	}
	return s
}

func TestInvalidSessionIdSubstring(t *testing.T) {
	b := (&Error{Code: InvalidSessionId, Message: "Invalid session id"}).MarshalXMLBody()
	if !bytes.Contains(b, []byte("<exceptionCode>InvalidSessionId</exceptionCode>")) {
		t.Errorf("%s", b)
	}
}

func TestAPIVersion(t *testing.T) {
	for v, want := range map[float64]string{36: "36.0", 61.5: "61.5", 0: "0.0", 100: "100.0"} {
		if got := formatAPIVersion(v); got != want {
			t.Errorf("formatAPIVersion(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		ct   string
		want Format
	}{
		{"application/json", FormatJSON},
		{"application/json; charset=UTF-8", FormatJSON},
		{"Application/JSON", FormatJSON},
		{"application/xml; charset=utf-8", FormatXML},
		{"text/csv", FormatXML},
		{"", FormatXML},
		{"application/json;;", FormatJSON},
		{"garbage/", FormatXML},
	} {
		if got := FormatFor(tc.ct); got != tc.want {
			t.Errorf("FormatFor(%q) = %v, want %v", tc.ct, got, tc.want)
		}
	}
	for ct, want := range map[string]Format{"JSON": FormatJSON, "ZIP_JSON": FormatJSON, "json": FormatJSON, "CSV": FormatXML, "XML": FormatXML, "ZIP_CSV": FormatXML, "": FormatXML} {
		if got := FormatForJob(ct); got != want {
			t.Errorf("FormatForJob(%q) = %v, want %v", ct, got, want)
		}
	}
	if FormatJSON.ContentType() != "application/json" || FormatXML.ContentType() != "application/xml" {
		t.Errorf("content types %q %q", FormatJSON.ContentType(), FormatXML.ContentType())
	}
}

func TestErrorIsError(t *testing.T) {
	var err error = errorf(InvalidJob, "x %d", 1)
	var e *Error
	if !errors.As(err, &e) || e.Code != InvalidJob || e.Message != "x 1" || err.Error() != "InvalidJob: x 1" {
		t.Errorf("%#v", err)
	}
}
