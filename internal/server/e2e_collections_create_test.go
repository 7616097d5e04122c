package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A collection create of one object goes in as one multi-row INSERT (dataapi.createAll);
// these pin that its answers are the one-record-at-a-time answers (salesforce-rest.md §7).
func TestCollectionCreateBatch(t *testing.T) {
	s := startData(t)
	var recs []string
	for i := range 200 {
		recs = append(recs, fmt.Sprintf(`{"attributes":{"type":"Account"},"Name":"Batch %03d","NumberOfEmployees":%d}`, i, i))
	}
	r := s.call(t, s.int, http.MethodPost, "/composite/sobjects", `{"allOrNone":true,"records":[`+strings.Join(recs, ",")+`]}`)
	var res []struct {
		ID      string `json:"id"`
		Success bool   `json:"success"`
		Errors  []any  `json:"errors"`
	}
	if err := json.Unmarshal([]byte(r.Body), &res); err != nil || r.Status != 200 || len(res) != 200 {
		t.Fatalf("create 200: %d %.300s", r.Status, r.Body)
	}
	seen := map[string]bool{}
	for i, x := range res {
		if !x.Success || len(x.Errors) != 0 || !strings.HasPrefix(x.ID, "001") || seen[x.ID] {
			t.Fatalf("result %d: %+v", i, x)
		}
		seen[x.ID] = true
	}
	// Each Id is the record sent at its position.
	for _, i := range []int{0, 57, 199} {
		got := s.query(t, s.int, "SELECT Name, NumberOfEmployees, CreatedById FROM Account WHERE Id = '"+res[i].ID+"'")
		if len(got.Records) != 1 || got.Records[0]["Name"] != fmt.Sprintf("Batch %03d", i) ||
			got.Records[0]["NumberOfEmployees"] != float64(i) || got.Records[0]["CreatedById"] == nil {
			t.Errorf("record %d: %+v", i, got.Records)
		}
	}

	// A unique value twice in one request: the first is created, the second is refused
	// naming the first, as when records are created one at a time.
	r = s.call(t, s.int, http.MethodPost, "/composite/sobjects", `{"allOrNone":false,"records":[
		{"attributes":{"type":"Invoice__c"},"Number__c":"B-1"},
		{"attributes":{"type":"Invoice__c"},"Number__c":"B-2"},
		{"attributes":{"type":"Invoice__c"},"Number__c":"b-1"}]}`)
	var dup []map[string]any
	if err := json.Unmarshal([]byte(r.Body), &dup); err != nil || len(dup) != 3 {
		t.Fatalf("duplicate in batch: %d %s", r.Status, r.Body)
	}
	if dup[0]["success"] != true || dup[1]["success"] != true || dup[2]["success"] != false {
		t.Fatalf("duplicate in batch: %s", r.Body)
	}
	want := []any{map[string]any{"statusCode": "DUPLICATE_VALUE",
		"message": "duplicate value found: Number__c duplicates value on record with id: " + dup[0]["id"].(string), "fields": []any{}}}
	if diff := cmp.Diff(want, dup[2]["errors"]); diff != "" {
		t.Errorf("duplicate in batch (-want +got):\n%s", diff)
	}
	if n := s.query(t, s.int, "SELECT Id FROM Invoice__c WHERE Number__c IN ('B-1', 'B-2')").TotalSize; n != 2 {
		t.Errorf("%d invoices stored, want 2", n)
	}

	// Auto-numbered records in one request get consecutive numbers.
	r = s.call(t, s.int, http.MethodPost, "/composite/sobjects", `{"records":[
		{"attributes":{"type":"Case"},"Subject":"one"},{"attributes":{"type":"Case"},"Subject":"two"}]}`)
	if err := json.Unmarshal([]byte(r.Body), &res); err != nil || len(res) != 2 || !res[0].Success || !res[1].Success {
		t.Fatalf("cases: %d %s", r.Status, r.Body)
	}
	got := s.query(t, s.int, "SELECT CaseNumber FROM Case WHERE Id IN ('"+res[0].ID+"', '"+res[1].ID+"') ORDER BY Subject DESC")
	if len(got.Records) != 2 || got.Records[0]["CaseNumber"] == got.Records[1]["CaseNumber"] || got.Records[0]["CaseNumber"] == nil {
		t.Errorf("case numbers: %+v", got.Records)
	}
}
