package server

import (
	"net/http"
	"strings"
	"testing"
)

// What sf and simple-salesforce read at login (salesforce-rest.md §8.4, §9): the running
// user as an sObject, the Organization (exactly one record), LoginHistory; and seed
// records from the org file.
func TestSetupObjectsAndSeeds(t *testing.T) {
	s := startData(t)
	orgID, userID := s.ids(t, "int@acme.example")

	u := s.call(t, s.int, http.MethodGet, "/services/data/v51.0/sobjects/User/"+userID, "").JSON(t)
	if u["Username"] != "int@acme.example" || u["Id"] != userID || u["IsActive"] != true || u["Name"] != "Ina Integration" {
		t.Errorf("User record: Username %v Id %v IsActive %v Name %v", u["Username"], u["Id"], u["IsActive"], u["Name"])
	}
	a := s.query(t, s.int, "SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization")
	if a.TotalSize != 1 || a.Records[0]["Name"] != "Acme" || a.Records[0]["IsSandbox"] != false {
		t.Errorf("Organization query: %+v", a)
	}
	if id, _ := a.Records[0]["attributes"].(map[string]any)["url"].(string); !strings.HasSuffix(id, orgID) {
		t.Errorf("Organization url %q does not end in the org ID %s", id, orgID)
	}
	// simple-salesforce's is_sandbox().
	if a := s.query(t, s.int, "SELECT IsSandbox FROM Organization LIMIT 1"); a.TotalSize != 1 {
		t.Errorf("is_sandbox query: %+v", a)
	}
	// Every token request above left a login history row; a user without Manage Users
	// sees their own only.
	lh := s.query(t, s.peer, "SELECT UserId, LoginType, Status FROM LoginHistory")
	_, peerID := s.ids(t, "peer@acme.example")
	if lh.TotalSize == 0 {
		t.Error("no login history visible to the peer")
	}
	for _, rec := range lh.Records {
		if rec["UserId"] != peerID {
			t.Errorf("peer sees another user's login: %v", rec)
		}
	}
	// Setup objects are read-only through the data API.
	r := s.call(t, s.int, http.MethodPatch, "/sobjects/User/"+userID, `{"LastName":"x"}`)
	if r.Status != 400 || !strings.Contains(r.Body, "INSUFFICIENT_ACCESS_OR_READONLY") {
		t.Errorf("PATCH User = %d %s", r.Status, r.Body)
	}

	// The org file's seeds, with the @ref resolved; applying the file again adds none.
	c := s.query(t, s.int, "SELECT Name, Account.Name, CreatedById FROM Contact WHERE LastName = 'Lovelace'")
	if c.TotalSize != 1 || c.Records[0]["Name"] != "Ada Lovelace" || c.Records[0]["Account"].(map[string]any)["Name"] != "Seed Account" {
		t.Fatalf("seeded contact: %+v", c)
	}
	if r := s.admin(t, http.MethodPost, "/apply?name=data.yaml", dataOrgFile); r.Status != 200 {
		t.Fatalf("re-apply: %d %s", r.Status, r.Body)
	}
	if n := s.query(t, s.int, "SELECT Id FROM Account WHERE Name = 'Seed Account'").TotalSize; n != 1 {
		t.Errorf("after re-applying the org file there are %d seed accounts, want 1", n)
	}
}
