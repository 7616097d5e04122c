package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// visOrgFile is an org with a Private parent object (Project__c) under a Read child
// (Line__c) and a Read/Write grandparent (Account): the users see each other's lines but
// only their own projects.
const visOrgFile = `
orgs:
  - name: Vis
    objects:
      - name: Project__c
        label: Project
        sharingModel: Private
        fields:
          - {name: Secret__c, type: string, length: 40}
          - {name: Account__c, type: reference, referenceTo: Account, relationshipName: Projects}
      - name: Line__c
        label: Line
        sharingModel: Read
        fields:
          - {name: Project__c, type: reference, referenceTo: Project__c, relationshipName: Lines}
    profiles:
      - name: Worker
        permissions: [ApiEnabled]
        objects:
          Account: [Read, Create, Edit, Delete]
          Project__c: [Read, Create, Edit, Delete]
          Line__c: [Read, Create, Edit, Delete]
        fields:
          Account.*: [Read, Edit]
          Project__c.*: [Read, Edit]
          Project__c.Secret__c: []
          Line__c.*: [Read, Edit]
      - name: Viewer
        permissions: [ApiEnabled]
        objects:
          Account: [Read]
          Project__c: [Read, ViewAllRecords]
          Line__c: [Read]
        fields:
          Account.*: [Read]
          Project__c.*: [Read]
          Line__c.*: [Read]
      - name: Lines Only
        permissions: [ApiEnabled]
        objects:
          Line__c: [Read]
        fields:
          Line__c.*: [Read]
    users:
      - {username: owner@vis.example, lastName: Owner, email: owner@vis.example, profile: Worker}
      - {username: peer@vis.example, lastName: Peer, email: peer@vis.example, profile: Worker}
      - {username: viewer@vis.example, lastName: Viewer, email: viewer@vis.example, profile: Viewer}
      - {username: lines@vis.example, lastName: Lines, email: lines@vis.example, profile: Lines Only}
    connectedApps:
      - {name: Owner, scopes: [api], consumerKey: VisOwner01, consumerSecret: VisOwnerSecret01, clientCredentials: {enabled: true, runAs: owner@vis.example}}
      - {name: Peer, scopes: [api], consumerKey: VisPeer01, consumerSecret: VisPeerSecret01, clientCredentials: {enabled: true, runAs: peer@vis.example}}
      - {name: Viewer, scopes: [api], consumerKey: VisViewer01, consumerSecret: VisViewerSecret01, clientCredentials: {enabled: true, runAs: viewer@vis.example}}
      - {name: Lines, scopes: [api], consumerKey: VisLines01, consumerSecret: VisLinesSecret01, clientCredentials: {enabled: true, runAs: lines@vis.example}}
`

// visServer is a server with visOrgFile; dataServer's helpers work on it.
type visServer struct {
	*dataServer
	owner, peer, viewer, lines string // tokens
}

func startVis(t *testing.T) *visServer {
	t.Helper()
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "vis.yaml")
	if err := os.WriteFile(orgFile, []byte(visOrgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
	return &visServer{
		dataServer: &dataServer{testServer: s},
		owner:      s.token(t, "VisOwner01", "VisOwnerSecret01"),
		peer:       s.token(t, "VisPeer01", "VisPeerSecret01"),
		viewer:     s.token(t, "VisViewer01", "VisViewerSecret01"),
		lines:      s.token(t, "VisLines01", "VisLinesSecret01"),
	}
}

// queryError runs soql expecting a 400 and returns its errorCode.
func (s *dataServer) queryError(t *testing.T, token, soql string) string {
	t.Helper()
	r := s.call(t, token, http.MethodGet, "/query?q="+url.QueryEscape(soql), "")
	if r.Status != http.StatusBadRequest {
		t.Errorf("query %q: %d %s, want 400", soql, r.Status, r.Body)
		return ""
	}
	var errs []map[string]any
	if err := json.Unmarshal([]byte(r.Body), &errs); err != nil || len(errs) != 1 {
		t.Errorf("query %q: error body %s", soql, r.Body)
		return ""
	}
	code, _ := errs[0]["errorCode"].(string)
	return code
}

// nested returns rec[rel][field], or "<null>" when the nested object is null.
func nested(rec map[string]any, rel, field string) any {
	v, ok := rec[rel]
	if !ok {
		return "<absent>"
	}
	m, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			return "<null>"
		}
		return v
	}
	return m[field]
}

// Salesforce returns a parent the running user cannot see as null in a relationship
// path ("Relationship Queries": record-level access applies to every object of the
// query); the child's reference field keeps its value.
func TestParentVisibilityInPaths(t *testing.T) {
	s := startVis(t)
	acct := s.create(t, s.owner, "Account", `{"Name":"Shared Co"}`)
	mine := s.create(t, s.owner, "Project__c", `{"Name":"Alpha","Account__c":"`+acct+`"}`)
	theirs := s.create(t, s.peer, "Project__c", `{"Name":"Beta","Account__c":"`+acct+`"}`)
	l1 := s.create(t, s.owner, "Line__c", `{"Name":"L1","Project__c":"`+mine+`"}`)
	l2 := s.create(t, s.peer, "Line__c", `{"Name":"L2","Project__c":"`+theirs+`"}`)

	type row struct{ Name, ProjectID, ProjectName, AccountName any }
	rows := func(a queryAnswer) []row {
		var out []row
		for _, r := range a.Records {
			proj := r["Project__r"]
			var acc any = "<null>"
			if pm, ok := proj.(map[string]any); ok {
				acc = nested(pm, "Account__r", "Name")
			}
			out = append(out, row{r["Name"], r["Project__c"], nested(r, "Project__r", "Name"), acc})
		}
		return out
	}
	q := "SELECT Name, Project__c, Project__r.Name, Project__r.Account__r.Name FROM Line__c ORDER BY Name"
	want := []row{{"L1", mine, "Alpha", "Shared Co"}, {"L2", theirs, "<null>", "<null>"}}
	if diff := cmp.Diff(want, rows(s.query(t, s.owner, q))); diff != "" {
		t.Errorf("owner: hidden parent must read as null (-want +got):\n%s", diff)
	}
	want = []row{{"L1", mine, "<null>", "<null>"}, {"L2", theirs, "Beta", "Shared Co"}}
	if diff := cmp.Diff(want, rows(s.query(t, s.peer, q))); diff != "" {
		t.Errorf("peer (-want +got):\n%s", diff)
	}
	want = []row{{"L1", mine, "Alpha", "Shared Co"}, {"L2", theirs, "Beta", "Shared Co"}}
	if diff := cmp.Diff(want, rows(s.query(t, s.viewer, q))); diff != "" {
		t.Errorf("View All sees every parent (-want +got):\n%s", diff)
	}

	// Filters through a hidden parent do not match it; the row of a line whose parent is
	// hidden is still returned where the filter does not involve the parent.
	ids := func(a queryAnswer) []any {
		var out []any
		for _, r := range a.Records {
			out = append(out, r["Id"])
		}
		return out
	}
	for _, c := range []struct {
		soql string
		want []any
	}{
		{"SELECT Id FROM Line__c WHERE Project__r.Name = 'Beta'", nil},
		{"SELECT Id FROM Line__c WHERE Project__r.Name = 'Alpha'", []any{l1}},
		{"SELECT Id FROM Line__c WHERE Project__r.Name = null ORDER BY Name", []any{l2}},
		{"SELECT Id FROM Line__c ORDER BY Project__r.Name NULLS LAST, Name", []any{l1, l2}},
		// Semi-join: the inner select sees only the user's projects …
		{"SELECT Id FROM Line__c WHERE Project__c IN (SELECT Id FROM Project__c) ORDER BY Name", []any{l1}},
		// … and its own relationship paths are filtered the same way.
		{"SELECT Id FROM Account WHERE Id IN (SELECT Account__c FROM Project__c WHERE Name = 'Beta')", nil},
		{"SELECT Id FROM Project__c WHERE Id IN (SELECT Project__c FROM Line__c WHERE Project__r.Name = 'Beta')", nil},
		{"SELECT Id FROM Project__c WHERE Id IN (SELECT Project__c FROM Line__c WHERE Project__r.Name = 'Alpha')", []any{mine}},
	} {
		if diff := cmp.Diff(c.want, ids(s.query(t, s.owner, c.soql))); diff != "" {
			t.Errorf("owner %s (-want +got):\n%s", c.soql, diff)
		}
	}
	if diff := cmp.Diff([]any{theirs}, ids(s.query(t, s.peer,
		"SELECT Id FROM Project__c WHERE Id IN (SELECT Project__c FROM Line__c WHERE Project__r.Name = 'Beta')"))); diff != "" {
		t.Errorf("peer semi-join (-want +got):\n%s", diff)
	}

	// Aggregates group a hidden parent under null.
	a := s.query(t, s.owner, "SELECT Project__r.Name pn, COUNT(Id) n FROM Line__c GROUP BY Project__r.Name ORDER BY Project__r.Name NULLS LAST")
	var groups [][2]any
	for _, r := range a.Records {
		groups = append(groups, [2]any{r["pn"], r["n"]})
	}
	if diff := cmp.Diff([][2]any{{"Alpha", 1.0}, {nil, 1.0}}, groups); diff != "" {
		t.Errorf("owner aggregate (-want +got):\n%s", diff)
	}

	// Child subqueries are plans of their own: a Private child shows only the user's rows.
	a = s.query(t, s.owner, "SELECT Name, (SELECT Name FROM Projects__r ORDER BY Name) FROM Account")
	if len(a.Records) != 1 {
		t.Fatalf("owner accounts: %+v", a)
	}
	sub, _ := a.Records[0]["Projects__r"].(map[string]any)
	var names []any
	if sub != nil {
		for _, r := range sub["records"].([]any) {
			names = append(names, r.(map[string]any)["Name"])
		}
	}
	if diff := cmp.Diff([]any{"Alpha"}, names); diff != "" || sub["totalSize"] != 1.0 {
		t.Errorf("owner child subquery (-want +got):\n%s\n%v", diff, sub)
	}
	a = s.query(t, s.viewer, "SELECT Name, (SELECT Name FROM Projects__r) FROM Account")
	if sub, _ := a.Records[0]["Projects__r"].(map[string]any); sub == nil || sub["totalSize"] != 2.0 {
		t.Errorf("View All child subquery: %v", a.Records[0]["Projects__r"])
	}
}

// A parent object the user has no Read permission on, or a parent field hidden by
// field-level security, answers in a path as if it did not exist: INVALID_FIELD.
func TestParentAccessInPaths(t *testing.T) {
	s := startVis(t)
	p := s.create(t, s.owner, "Project__c", `{"Name":"Alpha"}`)
	s.create(t, s.owner, "Line__c", `{"Name":"L1","Project__c":"`+p+`"}`)

	// No Read on Project__c at all: the relationship does not exist for them.
	for _, q := range []string{
		"SELECT Project__r.Name FROM Line__c",
		"SELECT Id FROM Line__c WHERE Project__r.Name = 'Alpha'",
		"SELECT Id FROM Line__c ORDER BY Project__r.Name",
	} {
		if code := s.queryError(t, s.lines, q); code != "INVALID_FIELD" {
			t.Errorf("lines-only %q: errorCode %q, want INVALID_FIELD", q, code)
		}
	}
	// The reference field itself stays readable.
	if a := s.query(t, s.lines, "SELECT Project__c FROM Line__c"); a.TotalSize != 1 || a.Records[0]["Project__c"] != p {
		t.Errorf("lines-only reads the reference: %+v", a)
	}
	// Field-level security on the parent: the hidden field is INVALID_FIELD, in SELECT,
	// WHERE and a semi-join alike, with the same text as a field that does not exist.
	r := s.call(t, s.owner, http.MethodGet, "/query?q="+url.QueryEscape("SELECT Project__r.Secret__c FROM Line__c"), "")
	want := `[{"message":"\nSELECT Project__r.Secret__c FROM Line__c\n       ^\nERROR at Row:1:Column:8\nNo such column 'Secret__c' on entity 'Project__c'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.","errorCode":"INVALID_FIELD"}]`
	wantErrorBody(t, r, http.StatusBadRequest, want)
	for _, q := range []string{
		"SELECT Id FROM Line__c WHERE Project__r.Secret__c = 'x'",
		"SELECT Id FROM Account WHERE Id IN (SELECT Account__c FROM Project__c WHERE Secret__c = 'x')",
	} {
		if code := s.queryError(t, s.owner, q); code != "INVALID_FIELD" {
			t.Errorf("owner %q: errorCode %q, want INVALID_FIELD", q, code)
		}
	}
	if a := s.query(t, s.viewer, "SELECT Project__r.Secret__c FROM Line__c"); a.TotalSize != 1 {
		t.Errorf("viewer reads Secret__c through the path: %+v", a)
	}
}
