package bulkv1

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// jsforce's bodies (bulk.ts Job.open and _changeState): open has a double space before
// xmlns and blank lines where options are unset; the close body, after trim(), has a
// newline and two spaces before <jobInfo.
const (
	jsforceOpen = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<jobInfo  xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">\n" +
		"  <operation>upsert</operation>\n  <object>Account</object>\n  <externalIdFieldName>Ext__c</externalIdFieldName>\n" +
		"  <concurrencyMode>Serial</concurrencyMode>\n  \n  <contentType>CSV</contentType>\n</jobInfo>"
	jsforceClose = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n  <jobInfo xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">\n" +
		"  <state>Closed</state>\n</jobInfo>"
)

func TestParseJobInfo(t *testing.T) {
	for _, tc := range []struct {
		name, body, ct string
		want           JobRequest
	}{
		{"jsforce open", jsforceOpen, "application/xml; charset=utf-8",
			JobRequest{Operation: "upsert", Object: "Account", ExternalIDFieldName: "Ext__c", ConcurrencyMode: "Serial", ContentType: "CSV"}},
		{"jsforce close", jsforceClose, "application/xml; charset=utf-8", JobRequest{State: "Closed"}},
		{"jsforce close untrimmed", " \n" + jsforceClose + "\n      ", "application/xml", JobRequest{State: "Closed"}},
		{"abort, BOM, no namespace, no prolog", "\ufeff<jobInfo><state>Aborted</state></jobInfo>", "", JobRequest{State: "Aborted"}},
		{"assignment rule, query, unknown elements ignored",
			`<jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>queryAll</operation><object>Case</object>` +
				`<assignmentRuleId>01Q000000000001</assignmentRuleId><numberRetries>3</numberRetries><foo><bar/></foo>` +
				`<contentType>JSON</contentType></jobInfo>`, "application/xml",
			JobRequest{Operation: "queryAll", Object: "Case", AssignmentRuleID: "01Q000000000001", ContentType: "JSON"}},
		{"enum case normalized, values trimmed", "<jobInfo><operation> HARDDELETE </operation><contentType>zip_csv</contentType>" +
			"<concurrencyMode>parallel</concurrencyMode><state>closed</state></jobInfo>", "text/xml",
			JobRequest{Operation: "hardDelete", ContentType: "ZIP_CSV", ConcurrencyMode: "Parallel", State: "Closed"}},
		{"entities and CDATA", "<jobInfo><object>A&amp;B<![CDATA[<c>]]></object></jobInfo>", "", JobRequest{Object: "A&B<c>"}},
		{"trailing content not read", "<jobInfo><state>Closed</state></jobInfo><junk", "", JobRequest{State: "Closed"}},
		{"simple-salesforce serial (concurrencyMode 1)",
			`{"operation": "insert", "object": "Account", "concurrencyMode": 1, "contentType": "JSON"}`, "application/json",
			JobRequest{Operation: "insert", Object: "Account", ConcurrencyMode: "Serial", ContentType: "JSON"}},
		{"simple-salesforce parallel (concurrencyMode 0), upsert without field",
			`{"operation": "upsert", "object": "Account", "concurrencyMode": 0, "contentType": "JSON", "externalIdFieldName": null}`, "application/json",
			JobRequest{Operation: "upsert", Object: "Account", ConcurrencyMode: "Parallel", ContentType: "JSON"}},
		{"simple-salesforce close", `{"state": "Closed"}`, "application/json", JobRequest{State: "Closed"}},
		{"singer create", `{"operation": "queryAll", "object": "Account", "contentType": "CSV"}`, "application/json",
			JobRequest{Operation: "queryAll", Object: "Account", ContentType: "CSV"}},
		{"JSON unknown keys and empty strings ignored", `{"state":"Aborted","id":"750x","numberRetries":2,"externalIdFieldName":""}`,
			"application/json; charset=UTF-8", JobRequest{State: "Aborted"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseJobInfo([]byte(tc.body), tc.ct)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}

func TestParseJobInfoErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body, ct string
		want           *Error
	}{
		{"empty XML", "", "application/xml", &Error{InvalidXML, "Failed to parse XML: no jobInfo element"}},
		{"unclosed XML", "<jobInfo><state>Closed</state>", "", &Error{InvalidXML, "Failed to parse XML: XML syntax error on line 1: unexpected EOF"}},
		{"malformed XML", "<jobInfo><state>Closed</jobInfo>", "", &Error{InvalidXML,
			"Failed to parse XML: XML syntax error on line 1: element <state> closed by </jobInfo>"}},
		{"wrong root", "<batchInfo/>", "", &Error{InvalidXML, "Expected element jobInfo, found batchInfo"}},
		{"wrong namespace", `<jobInfo xmlns="urn:x"/>`, "", &Error{InvalidXML, "Expected element jobInfo, found {urn:x}jobInfo"}},
		{"latin-1 prolog", `<?xml version="1.0" encoding="ISO-8859-1"?><jobInfo/>`, "", &Error{InvalidXML,
			"Failed to parse XML: xml: opening charset \"ISO-8859-1\": unsupported encoding ISO-8859-1"}},
		{"XML too deep", strings.Repeat("<a>", 40), "", &Error{InvalidXML, "Expected element jobInfo, found a"}},
		{"XML fields too deep", "<jobInfo>" + strings.Repeat("<a>", 40), "", &Error{InvalidXML, "Failed to parse XML: elements nested deeper than 16"}},
		{"bad operation", "<jobInfo><operation>merge</operation></jobInfo>", "", &Error{InvalidJob, "Invalid operation: merge"}},
		{"bad content type", `{"contentType":"PARQUET"}`, "application/json", &Error{InvalidJob, "Invalid contentType: PARQUET"}},
		{"bad concurrency int", `{"concurrencyMode":2}`, "application/json", &Error{InvalidJob, "Invalid concurrencyMode: 2"}},
		{"bad state", `{"state":"UploadComplete"}`, "application/json", &Error{InvalidJob, "Invalid state: UploadComplete"}},
		{"number object", `{"object":12}`, "application/json", &Error{InvalidJob, "Invalid object: 12"}},
		{"empty JSON", "", "application/json", &Error{InvalidJob, "Failed to parse JSON: empty body"}},
		{"JSON array", `[{"state":"Closed"}]`, "application/json", &Error{InvalidJob,
			"Failed to parse JSON: json: cannot unmarshal array into Go value of type map[string]json.RawMessage"}},
		{"JSON null", `null`, "application/json", &Error{InvalidJob, "Failed to parse JSON: expected an object"}},
		{"JSON trailing", `{"state":"Closed"} {}`, "application/json", &Error{InvalidJob, "Failed to parse JSON: data after the job object"}},
		{"XML body sent as JSON", jsforceClose, "application/json", &Error{InvalidJob,
			"Failed to parse JSON: invalid character '<' looking for beginning of value"}},
		{"too large", strings.Repeat(" ", MaxJobInfoBytes+1), "", &Error{ClientInputError, "Request body exceeds 1048576 bytes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseJobInfo([]byte(tc.body), tc.ct)
			if diff := cmp.Diff(tc.want, err); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}

func TestValidateCreate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      JobRequest
		want    JobRequest
		wantErr *Error
	}{
		{"defaults", JobRequest{Operation: "insert", Object: "Account"},
			JobRequest{Operation: "insert", Object: "Account", ConcurrencyMode: "Parallel", ContentType: "XML", State: "Open"}, nil},
		{"kept", JobRequest{Operation: "upsert", Object: "Account", ExternalIDFieldName: "X__c", ConcurrencyMode: "Serial", ContentType: "CSV"},
			JobRequest{Operation: "upsert", Object: "Account", ExternalIDFieldName: "X__c", ConcurrencyMode: "Serial", ContentType: "CSV", State: "Open"}, nil},
		{"no operation", JobRequest{Object: "Account"}, JobRequest{}, &Error{InvalidJob, "Job operation is required"}},
		{"no object", JobRequest{Operation: "query"}, JobRequest{}, &Error{InvalidJob, "Job object is required"}},
		{"upsert without field", JobRequest{Operation: "upsert", Object: "A"}, JobRequest{}, &Error{InvalidJob, "External ID field name is required for upsert"}},
		{"closed at create", JobRequest{Operation: "insert", Object: "A", State: "Closed"}, JobRequest{}, &Error{InvalidJob, "A new job cannot have state Closed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.ValidateCreate()
			if tc.wantErr != nil {
				if diff := cmp.Diff(tc.wantErr, err); diff != "" {
					t.Errorf("-want +got:\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}
