package server

import (
	"net/http"
	"strings"
	"testing"
)

// Upsert by external ID (salesforce-rest.md §3): 201 created, 200 created:false from API
// 46.0 (204 before), 300 with the matching URLs, updateOnly, and GET/DELETE by external ID.
func TestUpsertByExternalID(t *testing.T) {
	s := startData(t)
	r := s.call(t, s.int, http.MethodPatch, "/sobjects/Invoice__c/Number__c/INV-7", `{"attributes":{"type":"Invoice__c"},"Amount__c":10}`)
	if r.Status != http.StatusCreated {
		t.Fatalf("upsert insert = %d %s", r.Status, r.Body)
	}
	id := r.JSON(t)["id"].(string)
	if want := `{"id":"` + id + `","success":true,"errors":[],"created":true}`; r.Body != want {
		t.Errorf("insert body %s, want %s", r.Body, want)
	}
	r = s.call(t, s.int, http.MethodPatch, "/sobjects/Invoice__c/Number__c/inv-7", `{"Amount__c":12.5}`)
	if want := `{"id":"` + id + `","success":true,"errors":[],"created":false}`; r.Status != http.StatusOK || r.Body != want {
		t.Errorf("upsert update = %d %s, want 200 %s", r.Status, r.Body, want)
	}
	r = s.call(t, s.int, http.MethodPatch, "/services/data/v45.0/sobjects/Invoice__c/Number__c/INV-7", `{"Amount__c":13}`)
	if r.Status != http.StatusNoContent || r.Body != "" {
		t.Errorf("v45.0 update = %d %q, want 204 and no body", r.Status, r.Body)
	}
	r = s.call(t, s.int, http.MethodGet, "/sobjects/Invoice__c/Number__c/INV-7?fields=Amount__c,Number__c", "")
	if want := `{"attributes":{"type":"Invoice__c","url":"/services/data/v59.0/sobjects/Invoice__c/` + id + `"},"Amount__c":13,"Number__c":"INV-7"}`; r.Body != want {
		t.Errorf("GET by external ID = %d %s\nwant %s", r.Status, r.Body, want)
	}
	wantErrorBody(t, s.call(t, s.int, http.MethodPatch, "/sobjects/Invoice__c/Number__c/INV-8?updateOnly=true", `{"Amount__c":1}`),
		404, `[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`)
	wantErrorBody(t, s.call(t, s.int, http.MethodPatch, "/sobjects/Invoice__c/Amount__c/1", `{}`),
		404, `[{"message":"Provided external ID field does not exist or is not accessible: Amount__c","errorCode":"NOT_FOUND"}]`)

	// A non-unique external ID held by two records: 300 with both URLs, nothing written.
	a := s.create(t, s.int, "Note__c", `{"Name":"a","Code__c":"X1"}`)
	b := s.create(t, s.int, "Note__c", `{"Name":"b","Code__c":"X1"}`)
	r = s.call(t, s.int, http.MethodPatch, "/sobjects/Note__c/Code__c/X1", `{"Body__c":"new"}`)
	want := `["/services/data/v59.0/sobjects/Note__c/` + a + `","/services/data/v59.0/sobjects/Note__c/` + b + `"]`
	if r.Status != http.StatusMultipleChoices || r.Body != want {
		t.Errorf("ambiguous upsert = %d %s, want 300 %s", r.Status, r.Body, want)
	}
	if n := s.query(t, s.int, "SELECT Id FROM Note__c WHERE Body__c = 'new'").TotalSize; n != 0 {
		t.Errorf("the ambiguous upsert wrote %d records", n)
	}

	// DELETE by external ID, and POST /sobjects/T/Id creates.
	if r := s.call(t, s.int, http.MethodDelete, "/sobjects/Invoice__c/Number__c/INV-7", ""); r.Status != http.StatusNoContent {
		t.Errorf("DELETE by external ID = %d %s", r.Status, r.Body)
	}
	if r := s.call(t, s.int, http.MethodPost, "/sobjects/Account/Id", `{"Name":"via Id"}`); r.Status != http.StatusCreated || !strings.Contains(r.Body, `"success":true`) {
		t.Errorf("POST /sobjects/Account/Id = %d %s", r.Status, r.Body)
	}
}
