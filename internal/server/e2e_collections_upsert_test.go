package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Collections upsert with allOrNone and one bad record (issue 13 §2): every result carries
// created, as every UpsertResult does; rolled-back creates report no ID (the record no
// longer exists and its ID may be given to the next record); rolled-back updates keep the
// ID of the record, which still exists unchanged.
func TestCollectionsUpsertAllOrNoneRollback(t *testing.T) {
	s := startData(t)
	const path = "/composite/sobjects/Invoice__c/Number__c"
	r := s.call(t, s.int, http.MethodPatch, path, `{"records":[{"attributes":{"type":"Invoice__c"},"Number__c":"R-1","Amount__c":1}]}`)
	var first []struct {
		ID      string `json:"id"`
		Created bool   `json:"created"`
	}
	if err := json.Unmarshal([]byte(r.Body), &first); err != nil || r.Status != 200 || len(first) != 1 || !first[0].Created {
		t.Fatalf("first upsert: %d %s", r.Status, r.Body)
	}
	existing := first[0].ID

	r = s.call(t, s.int, http.MethodPatch, path, `{"allOrNone":true,"records":[
		{"attributes":{"type":"Invoice__c"},"Number__c":"R-2"},
		{"attributes":{"type":"Invoice__c"},"Number__c":"R-1","Amount__c":5},
		{"attributes":{"type":"Invoice__c"},"Number__c":"R-3","Status__c":"Nope"}]}`)
	const rolledBack = `{"statusCode":"ALL_OR_NONE_OPERATION_ROLLED_BACK","message":"Record rolled back because not all records were valid and the request was using AllOrNone header","fields":[]}`
	want := `[{"success":false,"errors":[` + rolledBack + `],"created":true},` +
		`{"id":"` + existing + `","success":false,"errors":[` + rolledBack + `],"created":false},` +
		`{"success":false,"errors":[{"statusCode":"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST","message":"Status: bad value for restricted picklist field: Nope","fields":["Status__c"]}],"created":false}]`
	if r.Status != http.StatusOK || r.Body != want {
		t.Errorf("allOrNone upsert:\n got %d %s\nwant 200 %s", r.Status, r.Body, want)
	}
	rolledBackAnswer := r.Body
	a := s.query(t, s.int, "SELECT Number__c, Amount__c FROM Invoice__c WHERE Number__c LIKE 'R-%'")
	if a.TotalSize != 1 || a.Records[0]["Amount__c"] != 1.0 {
		t.Errorf("after the rollback: %+v, want R-1 alone and unchanged", a.Records)
	}

	// The next record created gets an ID no earlier answer showed for another record.
	r = s.call(t, s.int, http.MethodPatch, path, `{"records":[{"attributes":{"type":"Invoice__c"},"Number__c":"R-4"}]}`)
	var next []struct{ ID string }
	if err := json.Unmarshal([]byte(r.Body), &next); err != nil || len(next) != 1 || next[0].ID == "" {
		t.Fatalf("next upsert: %d %s", r.Status, r.Body)
	}
	if next[0].ID == existing || strings.Contains(rolledBackAnswer, next[0].ID) {
		t.Errorf("the new record got ID %s, shown earlier for another record", next[0].ID)
	}
}
