package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// idsOf splits an identity URL (…/id/<orgId>/<userId>) of a token response.
func idsOf(t *testing.T, s *testServer, key, secret string) (org, user string) {
	t.Helper()
	id, _ := s.tokenResponse(t, key, secret)["id"].(string)
	parts := strings.Split(id, "/")
	if len(parts) < 2 {
		t.Fatalf("identity URL %q", id)
	}
	return parts[len(parts)-2], parts[len(parts)-1]
}

// GET of the Organization record (sf and jsforce read it after login) and of users:
// a user of another org does not exist (salesforce-rest.md §3, NOT_FOUND).
func TestOrganizationAndUserRecords(t *testing.T) {
	s := startData(t)
	notFound := `[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`
	acmeOrg, acmeUser := idsOf(t, s.testServer, "IntKey0001", "IntSecret0001")
	globexOrg, globexUser := idsOf(t, s.testServer, "GlobexKey0001", "GlobexSecret0001")

	r := s.call(t, s.int, http.MethodGet, "/sobjects/Organization/"+acmeOrg, "")
	if r.Status != http.StatusOK {
		t.Fatalf("GET own Organization: %d %s", r.Status, r.Body)
	}
	m := r.JSON(t)
	if m["Id"] != acmeOrg || m["Name"] != "Acme" {
		t.Errorf("Organization record: Id %v Name %v, want %s Acme", m["Id"], m["Name"], acmeOrg)
	}
	attrs, _ := m["attributes"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"type": "Organization", "url": "/services/data/v59.0/sobjects/Organization/" + acmeOrg}, attrs); diff != "" {
		t.Errorf("Organization attributes (-want +got):\n%s", diff)
	}
	if r := s.call(t, s.int, http.MethodGet, "/sobjects/Organization/"+acmeOrg+"?fields=Id,Name", ""); r.Status != 200 {
		t.Errorf("GET Organization ?fields: %d %s", r.Status, r.Body)
	}
	wantErrorBody(t, s.call(t, s.int, http.MethodGet, "/sobjects/Organization/"+globexOrg, ""), 404, notFound)
	wantErrorBody(t, s.call(t, s.globex, http.MethodGet, "/sobjects/Organization/"+acmeOrg, ""), 404, notFound)

	if r := s.call(t, s.int, http.MethodGet, "/sobjects/User/"+acmeUser, ""); r.Status != 200 || r.JSON(t)["Username"] != "int@acme.example" {
		t.Errorf("GET own User: %d %s", r.Status, r.Body)
	}
	wantErrorBody(t, s.call(t, s.int, http.MethodGet, "/sobjects/User/"+globexUser, ""), 404, notFound)
	wantErrorBody(t, s.call(t, s.globex, http.MethodGet, "/sobjects/User/"+acmeUser, ""), 404, notFound)
	if a := s.query(t, s.int, "SELECT Id FROM User WHERE Id = '"+globexUser+"'"); a.TotalSize != 0 {
		t.Errorf("query sees the other org's user: %+v", a)
	}
	if a := s.query(t, s.int, "SELECT Id, Name FROM Organization"); a.TotalSize != 1 || a.Records[0]["Id"] != acmeOrg {
		t.Errorf("SELECT FROM Organization: %+v", a)
	}
}

// Deleting an Account moves its Contacts and Opportunities to the recycle bin with it
// (childRelationships cascadeDelete true in the Account describe fixture); a Contact's
// Opportunities (Opportunity.ContactId, cascadeDelete false) are not deleted with it.
func TestAccountDeleteCascades(t *testing.T) {
	s := startData(t)
	deleted := `[{"message":"entity is deleted","errorCode":"ENTITY_IS_DELETED","fields":[]}]`
	acct := s.create(t, s.int, "Account", `{"Name":"Doomed"}`)
	other := s.create(t, s.int, "Account", `{"Name":"Survivor"}`)
	c1 := s.create(t, s.int, "Contact", `{"LastName":"One","AccountId":"`+acct+`"}`)
	c2 := s.create(t, s.int, "Contact", `{"LastName":"Two","AccountId":"`+acct+`"}`)
	keep := s.create(t, s.int, "Contact", `{"LastName":"Keep","AccountId":"`+other+`"}`)
	opp := s.create(t, s.int, "Opportunity", `{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-12-01","AccountId":"`+acct+`"}`)

	if r := s.call(t, s.int, http.MethodDelete, "/sobjects/Account/"+acct, ""); r.Status != http.StatusNoContent {
		t.Fatalf("DELETE Account: %d %s", r.Status, r.Body)
	}
	for _, c := range []struct{ object, id string }{{"Account", acct}, {"Contact", c1}, {"Contact", c2}, {"Opportunity", opp}} {
		wantErrorBody(t, s.call(t, s.int, http.MethodGet, "/sobjects/"+c.object+"/"+c.id, ""), 404, deleted)
	}
	if r := s.call(t, s.int, http.MethodGet, "/sobjects/Contact/"+keep, ""); r.Status != 200 {
		t.Errorf("other account's contact: %d %s", r.Status, r.Body)
	}
	if a := s.query(t, s.int, "SELECT Id FROM Contact WHERE LastName IN ('One','Two')"); a.TotalSize != 0 {
		t.Errorf("query still sees cascaded contacts: %+v", a)
	}
	r := s.call(t, s.int, http.MethodGet, "/queryAll?q=SELECT+Id,IsDeleted,AccountId+FROM+Contact+WHERE+LastName+IN+('One','Two')+ORDER+BY+LastName", "")
	if r.Status != 200 {
		t.Fatalf("queryAll: %d %s", r.Status, r.Body)
	}
	var got [][3]any
	for _, rec := range decodeAnswer(t, r.Body).Records {
		got = append(got, [3]any{rec["Id"], rec["IsDeleted"], rec["AccountId"]})
	}
	if diff := cmp.Diff([][3]any{{c1, true, acct}, {c2, true, acct}}, got); diff != "" {
		t.Errorf("queryAll of cascaded contacts (-want +got):\n%s", diff)
	}

	// A Contact's Opportunities survive its deletion.
	a2 := s.create(t, s.int, "Account", `{"Name":"Second"}`)
	con := s.create(t, s.int, "Contact", `{"LastName":"Solo","AccountId":"`+a2+`"}`)
	opp2 := s.create(t, s.int, "Opportunity", `{"Name":"Deal 2","StageName":"Prospecting","CloseDate":"2026-12-01","AccountId":"`+a2+`","ContactId":"`+con+`"}`)
	if r := s.call(t, s.int, http.MethodDelete, "/sobjects/Contact/"+con, ""); r.Status != http.StatusNoContent {
		t.Fatalf("DELETE Contact: %d %s", r.Status, r.Body)
	}
	if r := s.call(t, s.int, http.MethodGet, "/sobjects/Opportunity/"+opp2, ""); r.Status != 200 {
		t.Errorf("a contact's opportunity must survive it: %d %s", r.Status, r.Body)
	}
}

// decodeAnswer decodes a query answer body.
func decodeAnswer(t *testing.T, body string) queryAnswer {
	t.Helper()
	var a queryAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("query answer: %v\n%s", err, body)
	}
	return a
}

// Cases are restricted-delete children (restrictedDelete true in the Account and Contact
// describe fixtures): an Account or Contact with live Cases cannot be deleted.
func TestDeleteRestrictedByCases(t *testing.T) {
	s := startData(t)
	acct := s.create(t, s.int, "Account", `{"Name":"Serviced"}`)
	con := s.create(t, s.int, "Contact", `{"LastName":"Caller","AccountId":"`+acct+`"}`)
	cs := s.create(t, s.int, "Case", `{"Subject":"Broken","ContactId":"`+con+`","AccountId":"`+acct+`"}`)
	num, _ := s.call(t, s.int, http.MethodGet, "/sobjects/Case/"+cs+"?fields=CaseNumber", "").JSON(t)["CaseNumber"].(string)
	if num == "" {
		t.Fatal("case has no CaseNumber")
	}
	wantErrorBody(t, s.call(t, s.int, http.MethodDelete, "/sobjects/Account/"+acct, ""), 400,
		`[{"message":"Your attempt to delete Serviced could not be completed because it is associated with the following cases.: `+num+`","errorCode":"DELETE_FAILED","fields":[]}]`)
	wantErrorBody(t, s.call(t, s.int, http.MethodDelete, "/sobjects/Contact/"+con, ""), 400,
		`[{"message":"Your attempt to delete Caller could not be completed because it is associated with the following cases.: `+num+`","errorCode":"DELETE_FAILED","fields":[]}]`)
	// Nothing was deleted.
	if a := s.query(t, s.int, "SELECT Id FROM Contact WHERE Id = '"+con+"'"); a.TotalSize != 1 {
		t.Errorf("refused delete removed the contact: %+v", a)
	}
	if r := s.call(t, s.int, http.MethodDelete, "/sobjects/Case/"+cs, ""); r.Status != http.StatusNoContent {
		t.Fatalf("DELETE Case: %d %s", r.Status, r.Body)
	}
	if r := s.call(t, s.int, http.MethodDelete, "/sobjects/Account/"+acct, ""); r.Status != http.StatusNoContent {
		t.Errorf("DELETE Account once its case is gone: %d %s", r.Status, r.Body)
	}
	if r := s.call(t, s.int, http.MethodGet, "/sobjects/Contact/"+con, ""); r.Status != http.StatusNotFound {
		t.Errorf("contact after its account's deletion: %d %s", r.Status, r.Body)
	}
}
