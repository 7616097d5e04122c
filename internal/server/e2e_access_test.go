package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The Run-As user's access (issue 3 §5): object permissions, field-level security,
// org-wide defaults with ownership, View All, API Enabled, and two orgs that never see
// each other's data.
func TestAccessMatrix(t *testing.T) {
	s := startData(t)
	notFound := `[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`
	insufficient := `[{"message":"insufficient access rights on object id","errorCode":"INSUFFICIENT_ACCESS_OR_READONLY","fields":[]}]`

	// Invoice__c is Private: the owner and View All see it, a peer with the same profile
	// does not — a hidden record does not exist for them.
	inv := s.create(t, s.int, "Invoice__c", `{"Number__c":"P-1","Amount__c":5}`)
	if r := s.call(t, s.int, http.MethodGet, "/sobjects/Invoice__c/"+inv, ""); r.Status != 200 {
		t.Errorf("owner GET = %d %s", r.Status, r.Body)
	}
	wantErrorBody(t, s.call(t, s.peer, http.MethodGet, "/sobjects/Invoice__c/"+inv, ""), 404, notFound)
	wantErrorBody(t, s.call(t, s.peer, http.MethodPatch, "/sobjects/Invoice__c/"+inv, `{"Amount__c":6}`), 400, insufficient)
	wantErrorBody(t, s.call(t, s.peer, http.MethodDelete, "/sobjects/Invoice__c/"+inv, ""), 400, insufficient)
	if n := s.query(t, s.peer, "SELECT Id FROM Invoice__c").TotalSize; n != 0 {
		t.Errorf("peer's query sees %d private invoices", n)
	}
	if n := s.query(t, s.auditor, "SELECT Id FROM Invoice__c").TotalSize; n != 1 {
		t.Errorf("View All query sees %d invoices, want 1", n)
	}
	if r := s.call(t, s.auditor, http.MethodGet, "/sobjects/Invoice__c/"+inv, ""); r.Status != 200 {
		t.Errorf("View All GET = %d %s", r.Status, r.Body)
	}
	// The peer's own invoice is theirs.
	mine := s.create(t, s.peer, "Invoice__c", `{"Number__c":"P-2"}`)
	a := s.query(t, s.peer, "SELECT Id FROM Invoice__c")
	if a.TotalSize != 1 || a.Records[0]["Id"] != mine {
		t.Errorf("peer's query = %+v, want only %s", a, mine)
	}

	// Note__c is Read: everyone reads, only the owner edits.
	note := s.create(t, s.int, "Note__c", `{"Name":"n"}`)
	if r := s.call(t, s.peer, http.MethodGet, "/sobjects/Note__c/"+note, ""); r.Status != 200 {
		t.Errorf("Read OWD: peer GET = %d %s", r.Status, r.Body)
	}
	wantErrorBody(t, s.call(t, s.peer, http.MethodPatch, "/sobjects/Note__c/"+note, `{"Name":"m"}`), 400, insufficient)

	// Account is Read/Write: a peer edits the integration user's account.
	acct := s.create(t, s.int, "Account", `{"Name":"Shared"}`)
	if r := s.call(t, s.peer, http.MethodPatch, "/sobjects/Account/"+acct, `{"Name":"Edited"}`); r.Status != 204 {
		t.Errorf("ReadWrite OWD: peer PATCH = %d %s", r.Status, r.Body)
	}

	// The reader: Read only on Account.
	wantErrorBody(t, s.call(t, s.reader, http.MethodPost, "/sobjects/Account", `{"Name":"x"}`), 400, insufficient)
	wantErrorBody(t, s.call(t, s.reader, http.MethodDelete, "/sobjects/Account/"+acct, ""), 400, insufficient)
	// No permission on Contact at all: the object does not exist for them.
	wantErrorBody(t, s.call(t, s.reader, http.MethodGet, "/sobjects/Contact", ""), 404, notFound)
	wantErrorBody(t, s.call(t, s.reader, http.MethodGet, "/sobjects/Contact/describe", ""), 404, notFound)
	r := s.call(t, s.reader, http.MethodGet, "/query?q="+url.QueryEscape("SELECT Id FROM Contact"), "")
	if r.Status != 400 || !strings.Contains(r.Body, `"errorCode":"INVALID_TYPE"`) {
		t.Errorf("reader queries Contact: %d %s", r.Status, r.Body)
	}
	var global struct {
		SObjects []struct{ Name string } `json:"sobjects"`
	}
	json.Unmarshal([]byte(s.call(t, s.reader, http.MethodGet, "/sobjects", "").Body), &global)
	var names []string
	for _, o := range global.SObjects {
		names = append(names, o.Name)
	}
	sort.Strings(names)
	if diff := cmp.Diff([]string{"Account", "Invoice__c", "LoginHistory", "Note__c", "Organization", "PermissionSet", "Profile", "User"}, names); diff != "" {
		t.Errorf("reader's describeGlobal (-want +got):\n%s", diff)
	}

	// Field-level security: AnnualRevenue is read-only, Rating invisible — absent from
	// describe, records and queries.
	var desc struct {
		Fields []struct {
			Name       string `json:"name"`
			Updateable bool   `json:"updateable"`
		} `json:"fields"`
	}
	json.Unmarshal([]byte(s.call(t, s.int, http.MethodGet, "/sobjects/Account/describe", "").Body), &desc)
	seen := map[string]bool{}
	for _, f := range desc.Fields {
		seen[f.Name] = true
	}
	if seen["Rating"] || !seen["AnnualRevenue"] || !seen["Tier__c"] {
		t.Errorf("describe: Rating %v AnnualRevenue %v Tier__c %v; want false true true", seen["Rating"], seen["AnnualRevenue"], seen["Tier__c"])
	}

	// API Enabled off: every data call is refused.
	wantErrorBody(t, s.call(t, s.noapi, http.MethodGet, "/sobjects/Account/"+acct, ""), 403,
		`[{"message":"The REST API is not enabled for this Organization.","errorCode":"API_DISABLED_FOR_ORG"}]`)

	// Another org: the same ID does not exist there, and its queries see none of Acme's.
	wantErrorBody(t, s.call(t, s.globex, http.MethodGet, "/sobjects/Account/"+acct, ""), 404, notFound)
	wantErrorBody(t, s.call(t, s.globex, http.MethodPatch, "/sobjects/Account/"+acct, `{"Name":"stolen"}`), 404, notFound)
	if n := s.query(t, s.globex, "SELECT Id FROM Account").TotalSize; n != 0 {
		t.Errorf("Globex sees %d Acme accounts", n)
	}
	g := s.create(t, s.globex, "Account", `{"Name":"Globex Account"}`)
	if n := s.query(t, s.int, "SELECT Id FROM Account WHERE Id = '"+g+"'").TotalSize; n != 0 {
		t.Errorf("Acme sees Globex's account")
	}
	if n := s.query(t, s.globex, "SELECT Id FROM User").TotalSize; n != 1 {
		t.Errorf("Globex sees %d users, want its own 1", n)
	}
}
