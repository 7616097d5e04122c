package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// snapState is what a client of one org sees, read over HTTP: records through REST reads,
// SOQL and SOSL, describe, and the admin API's lists of the org's Setup.
func (s *dataServer) snapState(t *testing.T, token, orgID, accountID string) map[string]any {
	t.Helper()
	get := func(path string) any {
		t.Helper()
		r := s.call(t, token, http.MethodGet, path, "")
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
		var v any
		if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	adminList := func(path string) any {
		t.Helper()
		r := s.admin(t, http.MethodGet, path, "")
		var all []map[string]any
		if err := json.Unmarshal([]byte(r.Body), &all); err != nil {
			t.Fatalf("admin %s: %v %s", path, err, r.Body)
		}
		var mine []map[string]any
		for _, v := range all {
			if v["orgId"] == orgID || v["id"] == orgID {
				mine = append(mine, v)
			}
		}
		return mine
	}
	q := func(soql string) any { return get("/query?q=" + url.QueryEscape(soql)) }
	state := map[string]any{
		"accounts": q("SELECT Id, Name, Industry, CreatedDate, LastModifiedDate, SystemModstamp FROM Account ORDER BY Id"),
		"search":   get("/search?q=" + url.QueryEscape("FIND {Snap*} IN NAME FIELDS RETURNING Account(Id, Name ORDER BY Id)")),
		"users":    adminList("/users"),
		"apps":     adminList("/apps"),
		"orgs":     adminList("/orgs"),
	}
	if accountID != "" { // Acme's custom object
		state["invoices"] = q("SELECT FIELDS(ALL) FROM Invoice__c ORDER BY Id LIMIT 200")
		state["record"] = get("/sobjects/Account/" + accountID)
		state["describe"] = get("/sobjects/Invoice__c/describe")
	}
	return state
}

// TestSnapshotRestoreEndToEnd: snapshot an org, change its records and Setup over HTTP,
// restore, and see exactly the snapshot's state again through every read surface — while
// the other org on the server, and the sessions the rule keeps, are untouched.
func TestSnapshotRestoreEndToEnd(t *testing.T) {
	s := startData(t)
	acmeID, _ := s.ids(t, "int@acme.example")
	globexID, _ := s.ids(t, "int@globex.example")
	var accts []string
	for _, n := range []string{"Snap One", "Snap Two", "Snap Three"} {
		accts = append(accts, s.create(t, s.int, "Account", `{"Name":"`+n+`","Industry":"Energy"}`))
	}
	inv := s.create(t, s.int, "Invoice__c", `{"Number__c":"INV-1","Amount__c":12.5,"Status__c":"Draft"}`)
	s.create(t, s.globex, "Account", `{"Name":"Snap Globex"}`)

	r := s.admin(t, http.MethodPost, "/orgs/Acme/snapshots", `{"name":"clean"}`)
	if r.Status != http.StatusCreated {
		t.Fatalf("snapshot: %d %s", r.Status, r.Body)
	}
	var view struct {
		Name, Org string
		Records   int
		Bytes     int64
	}
	if err := json.Unmarshal([]byte(r.Body), &view); err != nil || view.Name != "clean" || view.Org != acmeID || view.Records < 6 || view.Bytes <= 0 {
		t.Errorf("snapshot view: %s (%v)", r.Body, err)
	}
	before := s.snapState(t, s.int, acmeID, accts[0])
	globexBefore := s.snapState(t, s.globex, globexID, "")

	// Change records: create, update, delete.
	s.create(t, s.int, "Account", `{"Name":"Snap Later"}`)
	if r := s.call(t, s.int, http.MethodPatch, "/sobjects/Account/"+accts[1], `{"Name":"Snap Renamed","Industry":"Banking"}`); r.Status != http.StatusNoContent {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	for _, id := range []string{accts[2], inv} {
		obj := "Account"
		if id == inv {
			obj = "Invoice__c"
		}
		if r := s.call(t, s.int, http.MethodDelete, "/sobjects/"+obj+"/"+id, ""); r.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
	}
	// Change Setup: a new user and app, a changed profile, a new custom field, a rotated secret.
	later := strings.Replace(dataOrgFile, "      - {username: noapi@acme.example,",
		"      - {username: late@acme.example, lastName: Late, email: late@acme.example, profile: Integration}\n      - {username: noapi@acme.example,", 1)
	later = strings.Replace(later, "      - {name: NoAPI, scopes: [api], consumerKey: NoAPIKey0001,",
		"      - {name: Late, scopes: [api], consumerKey: LateKey0001, consumerSecret: LateSecret0001, clientCredentials: {enabled: true, runAs: late@acme.example}}\n      - {name: NoAPI, scopes: [api], consumerKey: NoAPIKey0001,", 1)
	later = strings.Replace(later, "          - {name: Paid__c, type: boolean}", "          - {name: Paid__c, type: boolean}\n          - {name: Memo__c, type: string, length: 40}", 1)
	later = strings.Replace(later, "          Account: [Read]\n          Invoice__c: [Read]", "          Account: [Read, Create]\n          Invoice__c: [Read]", 1)
	if r := s.admin(t, http.MethodPost, "/apply?name=data.yaml", later); r.Status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	if r := s.admin(t, http.MethodPost, "/apps/Peer/secrets", ""); r.Status >= 300 {
		t.Fatalf("rotate: %d %s", r.Status, r.Body)
	}
	late := s.token(t, "LateKey0001", "LateSecret0001")
	peer := s.token(t, "PeerKey0001", "PeerSecret0001") // a surviving user's session made after the snapshot
	if changed := s.snapState(t, s.int, acmeID, accts[0]); cmp.Equal(before, changed) {
		t.Fatal("the changes changed nothing")
	}

	r = s.admin(t, http.MethodPost, "/orgs/Acme/snapshots/clean/restore", "")
	if r.Status != http.StatusOK {
		t.Fatalf("restore: %d %s", r.Status, r.Body)
	}
	var restored struct {
		Name, Org     string
		RestoredInMs  float64
		Records       int
		SessionsEnded int
	}
	if err := json.Unmarshal([]byte(r.Body), &restored); err != nil || restored.Name != "clean" || restored.Org != acmeID ||
		restored.Records != view.Records || restored.SessionsEnded != 1 || restored.RestoredInMs <= 0 {
		t.Errorf("restore view: %s (%v), want 1 session ended (late's)", r.Body, err)
	}

	if d := cmp.Diff(before, s.snapState(t, s.int, acmeID, accts[0])); d != "" {
		t.Errorf("after restore (-snapshot +restored):\n%s", d)
	}
	if d := cmp.Diff(globexBefore, s.snapState(t, s.globex, globexID, "")); d != "" {
		t.Errorf("restoring Acme changed Globex (-before +after):\n%s", d)
	}
	// Sessions: the surviving users' sessions work, the new user's ended.
	if r := s.call(t, peer, http.MethodGet, "/sobjects/Account/"+accts[0], ""); r.Status != http.StatusOK {
		t.Errorf("a surviving user's session after restore: %d %s", r.Status, r.Body)
	}
	r = s.call(t, late, http.MethodGet, "/sobjects/Account/"+accts[0], "")
	if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "INVALID_SESSION_ID") {
		t.Errorf("the session of a user made after the snapshot: %d %s, want 401 INVALID_SESSION_ID", r.Status, r.Body)
	}
	if r := s.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {"LateKey0001"}, "client_secret": {"LateSecret0001"}}); r.Status == http.StatusOK {
		t.Errorf("the app made after the snapshot still gets tokens: %s", r.Body)
	}
	// The audit trail has the restore.
	if r := s.admin(t, http.MethodGet, "/audit-trail?org="+acmeID, ""); !strings.Contains(r.Body, "restoredOrgSnapshot") {
		t.Errorf("audit trail lacks the restore: %s", r.Body)
	}
}

// TestSnapshotAdminAPI: names, conflicts, lists, deletes and bad input, as Salesforce
// error arrays; ?endSessions=true ends every session of the org and no other.
func TestSnapshotAdminAPI(t *testing.T) {
	s := startData(t)
	for _, tc := range []struct {
		method, path, body string
		status             int
		code               string
	}{
		{"POST", "/orgs/Acme/snapshots", `{"name":"a"}`, http.StatusCreated, ""},
		{"POST", "/orgs/Acme/snapshots", `{"name":"a"}`, http.StatusConflict, "DUPLICATE_VALUE"},
		{"POST", "/orgs/Acme/snapshots?replace=true", `{"name":"a"}`, http.StatusCreated, ""},
		{"POST", "/orgs/Acme/snapshots?replace=maybe", `{"name":"a"}`, http.StatusBadRequest, "INVALID_INPUT"},
		{"POST", "/orgs/Acme/snapshots", `{"name":"../x"}`, http.StatusBadRequest, "INVALID_INPUT"},
		{"POST", "/orgs/Acme/snapshots", `{"name":""}`, http.StatusBadRequest, "INVALID_INPUT"},
		{"POST", "/orgs/Acme/snapshots", `not json`, http.StatusBadRequest, "INVALID_INPUT"},
		{"POST", "/orgs/Nope/snapshots", `{"name":"a"}`, http.StatusNotFound, "NOT_FOUND"},
		{"POST", "/orgs/Globex/snapshots", `{"name":"g"}`, http.StatusCreated, ""},
		{"POST", "/orgs/Acme/snapshots/nope/restore", "", http.StatusNotFound, "NOT_FOUND"},
		{"POST", "/orgs/Acme/snapshots/g/restore", "", http.StatusNotFound, "NOT_FOUND"},
		{"DELETE", "/orgs/Acme/snapshots/nope", "", http.StatusNotFound, "NOT_FOUND"},
		{"POST", "/orgs/Acme/snapshots", `{"name":"b"}`, http.StatusCreated, ""},
		{"DELETE", "/orgs/Acme/snapshots/b", "", http.StatusNoContent, ""},
	} {
		r := s.admin(t, tc.method, tc.path, tc.body)
		if r.Status != tc.status || (tc.code != "" && !strings.Contains(r.Body, `"errorCode":"`+tc.code+`"`)) {
			t.Errorf("%s %s %s: %d %s, want %d %s", tc.method, tc.path, tc.body, r.Status, r.Body, tc.status, tc.code)
		}
	}
	r := s.admin(t, http.MethodGet, "/orgs/Acme/snapshots", "")
	var list []struct{ Name string }
	if err := json.Unmarshal([]byte(r.Body), &list); err != nil || len(list) != 1 || list[0].Name != "a" {
		t.Errorf("list: %s", r.Body)
	}
	r = s.admin(t, http.MethodPost, "/orgs/Acme/snapshots/a/restore?endSessions=true", "")
	if r.Status != http.StatusOK || r.JSON(t)["sessionsEnded"].(float64) < 5 {
		t.Errorf("restore ending sessions: %d %s, want every one of the 5 Acme sessions ended", r.Status, r.Body)
	}
	if r := s.call(t, s.int, http.MethodGet, "/sobjects", ""); r.Status != http.StatusUnauthorized {
		t.Errorf("an Acme session after ?endSessions=true: %d", r.Status)
	}
	if r := s.call(t, s.globex, http.MethodGet, "/sobjects", ""); r.Status != http.StatusOK {
		t.Errorf("a Globex session after Acme's restore: %d %s", r.Status, r.Body)
	}
}
