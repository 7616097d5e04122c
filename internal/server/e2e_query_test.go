package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// SOQL over REST (salesforce-rest.md §4): shapes of parent paths and child subqueries,
// COUNT(), aggregates, and errors in the caret form.
func TestQueryShapes(t *testing.T) {
	s := startData(t)
	_, userID := s.ids(t, "int@acme.example")
	acct := s.create(t, s.int, "Account", `{"Name":"Parent","Industry":"Energy","NumberOfEmployees":5}`)
	lonely := s.create(t, s.int, "Account", `{"Name":"Lonely","Industry":"Energy","NumberOfEmployees":7}`)
	c1 := s.create(t, s.int, "Contact", `{"FirstName":"Grace","LastName":"Hopper","AccountId":"`+acct+`"}`)
	orphan := s.create(t, s.int, "Contact", `{"LastName":"Orphan"}`)

	r := s.call(t, s.int, http.MethodGet, "/query?q="+url.PathEscape("SELECT Name, Account.Name, Account.Owner.Name FROM Contact WHERE Id IN ('"+c1+"','"+orphan+"') ORDER BY LastName"), "")
	want := `{"totalSize":2,"done":true,"records":[` +
		`{"attributes":{"type":"Contact","url":"/services/data/v59.0/sobjects/Contact/` + c1 + `"},"Name":"Grace Hopper",` +
		`"Account":{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + acct + `"},"Name":"Parent",` +
		`"Owner":{"attributes":{"type":"User","url":"/services/data/v59.0/sobjects/User/` + userID + `"},"Name":"Ina Integration"}}},` +
		`{"attributes":{"type":"Contact","url":"/services/data/v59.0/sobjects/Contact/` + orphan + `"},"Name":"Orphan","Account":null}]}`
	if r.Body != want {
		t.Errorf("parent paths:\n got %s\nwant %s", r.Body, want)
	}

	r = s.call(t, s.int, http.MethodGet, "/query?q="+url.QueryEscape("SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Id IN ('"+acct+"','"+lonely+"') ORDER BY Name DESC"), "")
	want = `{"totalSize":2,"done":true,"records":[` +
		`{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + acct + `"},"Name":"Parent",` +
		`"Contacts":{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Contact","url":"/services/data/v59.0/sobjects/Contact/` + c1 + `"},"LastName":"Hopper"}]}},` +
		`{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + lonely + `"},"Name":"Lonely","Contacts":null}]}`
	if r.Body != want {
		t.Errorf("child subquery:\n got %s\nwant %s", r.Body, want)
	}

	// jsforce's count() sends lower-case count().
	r = s.call(t, s.int, http.MethodGet, "/query?q="+url.PathEscape("SELECT count() FROM Account WHERE Industry = 'energy'"), "")
	if want := `{"totalSize":2,"done":true,"records":[]}`; r.Body != want {
		t.Errorf("count() = %s, want %s", r.Body, want)
	}
	r = s.call(t, s.int, http.MethodGet, "/query?q="+url.PathEscape("SELECT Industry, COUNT(Id), SUM(NumberOfEmployees) total FROM Account WHERE Industry != null GROUP BY Industry ORDER BY Industry"), "")
	want = `{"totalSize":2,"done":true,"records":[{"attributes":{"type":"AggregateResult"},"Industry":"Energy","expr0":2,"total":12},` +
		`{"attributes":{"type":"AggregateResult"},"Industry":"Technology","expr0":1,"total":null}]}`
	if r.Body != want {
		t.Errorf("aggregate:\n got %s\nwant %s", r.Body, want)
	}

	// WHERE forms: LIKE, NOT, IN, date literals, booleans, INCLUDES.
	s.create(t, s.int, "Invoice__c", `{"Number__c":"A-1","Tags__c":"Red;Blue","Due__c":"2026-11-22","Paid__c":true}`)
	s.create(t, s.int, "Invoice__c", `{"Number__c":"A-2","Tags__c":"Green","Due__c":"2026-01-01"}`)
	for q, want := range map[string]int{
		"SELECT Id FROM Invoice__c WHERE Number__c LIKE 'a-%'":                           2,
		"SELECT Id FROM Invoice__c WHERE NOT Number__c LIKE '%1'":                        1,
		"SELECT Id FROM Invoice__c WHERE Tags__c INCLUDES ('Red;Blue')":                  1,
		"SELECT Id FROM Invoice__c WHERE Tags__c EXCLUDES ('Red')":                       1,
		"SELECT Id FROM Invoice__c WHERE Due__c = TODAY":                                 1,
		"SELECT Id FROM Invoice__c WHERE Due__c < LAST_N_DAYS:30":                        1,
		"SELECT Id FROM Invoice__c WHERE Paid__c = true":                                 1,
		"SELECT Id FROM Invoice__c WHERE (Paid__c = false OR Number__c = 'A-1') LIMIT 1": 1,
		"SELECT Id FROM Invoice__c WHERE CreatedDate > 2026-01-01T00:00:00Z":             2,
		"SELECT Id FROM Invoice__c WHERE CreatedDate > 2026-11-22T10:00:00.000+0100":     2,
		"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)":             2,
	} {
		if got := s.query(t, s.int, q).TotalSize; got != want {
			t.Errorf("%s: totalSize %d, want %d", q, got, want)
		}
	}

	for q, want := range map[string]string{
		"SELECT Id, Foo FROM Account":    `[{"message":"\nSELECT Id, Foo FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.","errorCode":"INVALID_FIELD"}]`,
		"SELECT Id FROM Foo":             `[{"message":"\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\nsObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.","errorCode":"INVALID_TYPE"}]`,
		"SELECT Id, Rating FROM Account": `[{"message":"\nSELECT Id, Rating FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Rating' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.","errorCode":"INVALID_FIELD"}]`,
		"SELECT Id FROM Account WHERE":   `MALFORMED_QUERY`,
		"":                               `[{"message":"SOQL statements cannot be empty or null","errorCode":"MALFORMED_QUERY"}]`,
	} {
		r := s.call(t, s.int, http.MethodGet, "/query?q="+url.QueryEscape(q), "")
		if r.Status != http.StatusBadRequest || (strings.HasPrefix(want, "[") && r.Body != want) || !strings.Contains(r.Body, want) && !strings.HasPrefix(want, "[") {
			t.Errorf("%q: %d %s\nwant 400 %s", q, r.Status, r.Body, want)
		}
	}
}

// Paging: 2000 per page by default, Sforce-Query-Options batchSize, nextRecordsUrl with
// the request's version, locators under /query and /queryAll and the go-salesforce
// doubled path, and sf's columns=true.
func TestQueryPaging(t *testing.T) {
	s := startData(t)
	for batch := 0; batch < 13; batch++ { // 2600 accounts through collections
		var recs []string
		for i := 0; i < 200; i++ {
			recs = append(recs, fmt.Sprintf(`{"attributes":{"type":"Account"},"Name":"P%05d"}`, batch*200+i))
		}
		r := s.call(t, s.int, http.MethodPost, "/composite/sobjects", `{"allOrNone":true,"records":[`+strings.Join(recs, ",")+`]}`)
		if r.Status != http.StatusOK || strings.Contains(r.Body, `"success":false`) {
			t.Fatalf("collection create: %d %.300s", r.Status, r.Body)
		}
	}
	q := "SELECT Name FROM Account WHERE Name LIKE 'P%' ORDER BY Name"
	first := s.query(t, s.int, q)
	if first.TotalSize != 2600 || first.Done || len(first.Records) != 2000 || !strings.HasPrefix(first.NextRecordsURL, "/services/data/v59.0/query/01g") {
		t.Fatalf("first page: total %d done %v records %d next %q", first.TotalSize, first.Done, len(first.Records), first.NextRecordsURL)
	}
	var second queryAnswer
	r := s.call(t, s.int, http.MethodGet, first.NextRecordsURL, "")
	json.Unmarshal([]byte(r.Body), &second)
	if second.TotalSize != 2600 || !second.Done || len(second.Records) != 600 || second.NextRecordsURL != "" || second.Records[0]["Name"] != "P02000" {
		t.Errorf("second page: %d total %d done %v records %d next %q", r.Status, second.TotalSize, second.Done, len(second.Records), second.NextRecordsURL)
	}

	// batchSize=500 (v63.0 request → v63.0 URLs), followed under /queryAll and through the
	// doubled prefix go-salesforce builds.
	req := newRequest(t, http.MethodGet, s.URL+"/services/data/v63.0/query/?q="+url.QueryEscape(q), nil)
	req.Header.Set("Authorization", "Bearer "+s.int)
	req.Header.Set("Sforce-Query-Options", "batchSize=500")
	var page queryAnswer
	json.Unmarshal([]byte(do(t, req).Body), &page)
	if len(page.Records) != 500 || !strings.HasPrefix(page.NextRecordsURL, "/services/data/v63.0/query/") {
		t.Fatalf("batchSize=500: %d records, next %q", len(page.Records), page.NextRecordsURL)
	}
	loc := strings.TrimPrefix(page.NextRecordsURL, "/services/data/v63.0/query/")
	for _, path := range []string{"/services/data/v63.0/queryAll/" + loc, "/services/data/v60.0/services/data/v60.0/query/" + loc} {
		r := s.call(t, s.int, http.MethodGet, path, "")
		var p queryAnswer
		json.Unmarshal([]byte(r.Body), &p)
		if r.Status != 200 || len(p.Records) != 500 || p.Records[0]["Name"] != "P00500" {
			t.Errorf("%s: %d, %d records, first %v", path, r.Status, len(p.Records), p.Records)
		}
	}
	wantErrorBody(t, s.call(t, s.int, http.MethodGet, "/query/01gNOTALOCATOR-2000", ""), 400,
		`[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]`)
	// Another user cannot follow someone else's locator.
	wantErrorBody(t, s.call(t, s.peer, http.MethodGet, page.NextRecordsURL, ""), 400,
		`[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]`)

	r = s.call(t, s.int, http.MethodGet, "/query?columns=true&q="+url.QueryEscape("SELECT Id, Name, Owner.Name FROM Account LIMIT 1"), "")
	var cols struct {
		ColumnMetadata []struct {
			ColumnName  string `json:"columnName"`
			DisplayName string `json:"displayName"`
			JoinColumns []struct {
				ColumnName string `json:"columnName"`
			} `json:"joinColumns"`
		} `json:"columnMetadata"`
		EntityName string `json:"entityName"`
	}
	if err := json.Unmarshal([]byte(r.Body), &cols); err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, c := range cols.ColumnMetadata {
		got = append(got, c.ColumnName)
		for _, j := range c.JoinColumns {
			got = append(got, c.ColumnName+"."+j.ColumnName)
		}
	}
	if diff := cmp.Diff([]string{"Id", "Name", "Owner", "Owner.Name"}, got); diff != "" || cols.EntityName != "Account" {
		t.Errorf("columns=true (-want +got):\n%s\n%s", diff, r.Body)
	}
}
