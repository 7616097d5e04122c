package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/sfid"
)

// sObject Collections (salesforce-rest.md §7): per-record results with statusCode, and
// allOrNone rolling everything back.
func TestCollections(t *testing.T) {
	s := startData(t)
	r := s.call(t, s.int, http.MethodPost, "/composite/sobjects/", `{"allOrNone":false,"records":[
		{"attributes":{"type":"Account"},"Name":"One"},
		{"attributes":{"type":"Account"},"Industry":"Energy"},
		{"attributes":{"type":"Contact"},"LastName":"Two"}]}`)
	var res []map[string]any
	if err := json.Unmarshal([]byte(r.Body), &res); err != nil || r.Status != 200 || len(res) != 3 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	if res[0]["success"] != true || res[2]["success"] != true || res[1]["success"] != false {
		t.Errorf("create results: %s", r.Body)
	}
	wantErr := []any{map[string]any{"statusCode": "REQUIRED_FIELD_MISSING", "message": "Required fields are missing: [Name]", "fields": []any{"Name"}}}
	if diff := cmp.Diff(wantErr, res[1]["errors"]); diff != "" {
		t.Errorf("per-record error (-want +got):\n%s", diff)
	}
	one, two := res[0]["id"].(string), res[2]["id"].(string)

	// allOrNone: one bad record, nothing written, the good one rolled back.
	r = s.call(t, s.int, http.MethodPost, "/composite/sobjects", `{"allOrNone":true,"records":[
		{"attributes":{"type":"Account"},"Name":"Kept?"},{"attributes":{"type":"Account"},"Foo":1}]}`)
	want := `[{"success":false,"errors":[{"statusCode":"ALL_OR_NONE_OPERATION_ROLLED_BACK","message":"Record rolled back because not all records were valid and the request was using AllOrNone header","fields":[]}]},` +
		`{"success":false,"errors":[{"statusCode":"INVALID_FIELD","message":"No such column 'Foo' on sobject of type Account","fields":[]}]}]`
	if r.Body != want {
		t.Errorf("allOrNone:\n got %s\nwant %s", r.Body, want)
	}
	if n := s.query(t, s.int, "SELECT Id FROM Account WHERE Name = 'Kept?'").TotalSize; n != 0 {
		t.Errorf("allOrNone kept %d records", n)
	}

	// Update (id or Id), retrieve (jsforce's POST form), delete.
	r = s.call(t, s.int, http.MethodPatch, "/composite/sobjects", `{"records":[{"attributes":{"type":"Account"},"id":"`+one+`","Name":"One!"},{"attributes":{"type":"Contact"},"Id":"`+two+`","LastName":"Two!"}]}`)
	if want := `[{"id":"` + one + `","success":true,"errors":[]},{"id":"` + two + `","success":true,"errors":[]}]`; r.Body != want {
		t.Errorf("update = %s\nwant %s", r.Body, want)
	}
	r = s.call(t, s.int, http.MethodPost, "/composite/sobjects/Account", `{"ids":["`+one+`","`+string(sfid.New("001", "5F", 99999))+`"],"fields":["Name"]}`)
	if want := `[{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + one + `"},"Name":"One!"},null]`; r.Body != want {
		t.Errorf("retrieve = %d %s", r.Status, r.Body)
	}
	r = s.call(t, s.int, http.MethodDelete, "/composite/sobjects?ids="+one+","+two+"&allOrNone=false", "")
	if want := `[{"id":"` + one + `","success":true,"errors":[]},{"id":"` + two + `","success":true,"errors":[]}]`; r.Body != want {
		t.Errorf("delete = %s\nwant %s", r.Body, want)
	}

	// Upsert collection on an external ID.
	r = s.call(t, s.int, http.MethodPatch, "/composite/sobjects/Invoice__c/Number__c", `{"records":[{"attributes":{"type":"Invoice__c"},"Number__c":"U-1"}]}`)
	if !strings.Contains(r.Body, `"created":true`) {
		t.Errorf("upsert collection = %s", r.Body)
	}
	r = s.call(t, s.int, http.MethodPatch, "/composite/sobjects/Invoice__c/Number__c", `{"records":[{"attributes":{"type":"Invoice__c"},"Number__c":"U-1","Amount__c":3}]}`)
	if !strings.Contains(r.Body, `"created":false`) {
		t.Errorf("upsert collection again = %s", r.Body)
	}

	var big []string
	for i := 0; i < 201; i++ {
		big = append(big, `{"attributes":{"type":"Account"},"Name":"x"}`)
	}
	r = s.call(t, s.int, http.MethodPost, "/composite/sobjects", `{"records":[`+strings.Join(big, ",")+`]}`)
	if r.Status != 400 || !strings.Contains(r.Body, "EXCEEDED_ID_LIMIT") {
		t.Errorf("201 records: %d %s", r.Status, r.Body)
	}
}

// /composite with references, all or none; /composite/batch; /composite/tree.
func TestComposite(t *testing.T) {
	s := startData(t)
	r := s.call(t, s.int, http.MethodPost, "/composite", `{"allOrNone":true,"compositeRequest":[
		{"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"acct","body":{"Name":"Composite"}},
		{"method":"POST","url":"/services/data/v59.0/sobjects/Contact","referenceId":"ct","body":{"LastName":"Ref","AccountId":"@{acct.id}"}},
		{"method":"GET","url":"/services/data/v59.0/sobjects/Contact/@{ct.id}?fields=AccountId","referenceId":"read"}]}`)
	var out struct {
		CompositeResponse []struct {
			Body           json.RawMessage   `json:"body"`
			HTTPHeaders    map[string]string `json:"httpHeaders"`
			HTTPStatusCode int               `json:"httpStatusCode"`
			ReferenceID    string            `json:"referenceId"`
		} `json:"compositeResponse"`
	}
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil || len(out.CompositeResponse) != 3 {
		t.Fatalf("composite: %d %s", r.Status, r.Body)
	}
	var created struct{ ID string }
	json.Unmarshal(out.CompositeResponse[0].Body, &created)
	if out.CompositeResponse[0].HTTPStatusCode != 201 || out.CompositeResponse[0].HTTPHeaders["Location"] != "/services/data/v59.0/sobjects/Account/"+created.ID {
		t.Errorf("first subrequest: %+v", out.CompositeResponse[0])
	}
	if !strings.Contains(string(out.CompositeResponse[2].Body), `"AccountId":"`+created.ID+`"`) {
		t.Errorf("the GET did not see the contact created with @{acct.id}: %s", out.CompositeResponse[2].Body)
	}

	// allOrNone with a failure: nothing kept, PROCESSING_HALTED for the others.
	r = s.call(t, s.int, http.MethodPost, "/composite", `{"allOrNone":true,"compositeRequest":[
		{"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"a","body":{"Name":"Rolled back"}},
		{"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"b","body":{"Nope":1}}]}`)
	if !strings.Contains(r.Body, `PROCESSING_HALTED`) || !strings.Contains(r.Body, `No such column 'Nope'`) {
		t.Errorf("allOrNone composite: %s", r.Body)
	}
	if n := s.query(t, s.int, "SELECT Id FROM Account WHERE Name = 'Rolled back'").TotalSize; n != 0 {
		t.Errorf("allOrNone composite kept %d records", n)
	}

	// Batch: independent subrequests, URLs without /services/data.
	r = s.call(t, s.int, http.MethodPost, "/composite/batch", `{"batchRequests":[
		{"method":"PATCH","url":"v59.0/sobjects/account/`+created.ID+`","richInput":{"Name":"Batched"}},
		{"method":"GET","url":"v59.0/sobjects/account/`+created.ID+`?fields=Name"},
		{"method":"GET","url":"v59.0/sobjects/Nope/1"}],"haltOnError":false}`)
	want := `{"hasErrors":true,"results":[{"statusCode":204,"result":null},` +
		`{"statusCode":200,"result":{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + created.ID + `"},"Name":"Batched"}},` +
		`{"statusCode":404,"result":[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]}]}`
	if r.Body != want {
		t.Errorf("batch:\n got %s\nwant %s", r.Body, want)
	}

	// Tree: parents and nested children in one transaction.
	r = s.call(t, s.int, http.MethodPost, "/composite/tree/Account", `{"records":[{"attributes":{"type":"Account","referenceId":"ref1"},"Name":"Tree",
		"Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"ref2"},"LastName":"Leaf"}]}}]}`)
	var tree struct {
		HasErrors bool `json:"hasErrors"`
		Results   []struct{ ReferenceID, ID string }
	}
	json.Unmarshal([]byte(r.Body), &tree)
	if r.Status != 201 || tree.HasErrors || len(tree.Results) != 2 || tree.Results[1].ReferenceID != "ref2" {
		t.Fatalf("tree: %d %s", r.Status, r.Body)
	}
	a := s.query(t, s.int, "SELECT Account.Name FROM Contact WHERE Id = '"+tree.Results[1].ID+"'")
	if acc, _ := a.Records[0]["Account"].(map[string]any); acc["Name"] != "Tree" {
		t.Errorf("tree child's parent: %+v", a.Records)
	}
	r = s.call(t, s.int, http.MethodPost, "/composite/tree/Account", `{"records":[{"attributes":{"type":"Account","referenceId":"ok"},"Name":"Tree2"},{"attributes":{"type":"Account","referenceId":"bad"}}]}`)
	want = `{"hasErrors":true,"results":[{"referenceId":"bad","errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Name]","fields":["Name"]}]}]}`
	if r.Status != 400 || r.Body != want {
		t.Errorf("failing tree: %d %s\nwant 400 %s", r.Status, r.Body, want)
	}
	if n := s.query(t, s.int, "SELECT Id FROM Account WHERE Name = 'Tree2'").TotalSize; n != 0 {
		t.Error("a failing tree kept a record")
	}
}
