package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dataOrgFile is the org of the data API tests: a custom object with every kind of field
// rule, profiles that cover the access matrix (object permissions, field-level security,
// org-wide defaults, View All), a second org for isolation, and seed records.
const dataOrgFile = `
orgs:
  - name: Acme
    dailyApiRequests: 100000
    objects:
      - name: Invoice__c
        label: Invoice
        sharingModel: Private
        fields:
          - {name: Amount__c, type: currency, precision: 18, scale: 2}
          - {name: Account__c, type: reference, referenceTo: Account, relationshipName: Invoices}
          - {name: Number__c, type: string, length: 32, externalId: true, unique: true, required: true}
          - {name: Status__c, type: picklist, values: [Draft, Sent, Paid], restricted: true}
          - {name: Tags__c, type: multipicklist, values: [Red, Green, Blue]}
          - {name: Due__c, type: date}
          - {name: Paid__c, type: boolean}
      - name: Note__c
        label: Note
        sharingModel: Read
        fields:
          - {name: Body__c, type: textarea}
          - {name: Code__c, type: string, length: 20, externalId: true}
      - name: Account
        fields:
          - {name: Tier__c, type: picklist, values: [Gold, Silver]}
    profiles:
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
        objects:
          Account: [Read, Create, Edit, Delete]
          Contact: [Read, Create, Edit, Delete]
          Opportunity: [Read, Create, Edit, Delete]
          Case: [Read, Create, Edit, Delete]
          Invoice__c: [Read, Create, Edit, Delete]
          Note__c: [Read, Create, Edit, Delete]
        fields:
          Account.*: [Read, Edit]
          Account.AnnualRevenue: [Read]
          Account.Rating: []
          Contact.*: [Read, Edit]
          Opportunity.*: [Read, Edit]
          Case.*: [Read, Edit]
          Invoice__c.*: [Read, Edit]
          Note__c.*: [Read, Edit]
      - name: Reader
        permissions: [ApiEnabled]
        objects:
          Account: [Read]
          Invoice__c: [Read]
          Note__c: [Read]
        fields:
          Account.*: [Read]
          Invoice__c.*: [Read]
          Note__c.*: [Read]
      - name: Auditor
        permissions: [ApiEnabled]
        objects:
          Invoice__c: [Read, ViewAllRecords]
        fields:
          Invoice__c.*: [Read]
      - name: No API
        permissions: []
        objects:
          Account: [Read]
    users:
      - {username: int@acme.example, firstName: Ina, lastName: Integration, email: int@acme.example, profile: Integration}
      - {username: peer@acme.example, lastName: Peer, email: peer@acme.example, profile: Integration}
      - {username: reader@acme.example, lastName: Reader, email: reader@acme.example, profile: Reader}
      - {username: auditor@acme.example, lastName: Auditor, email: auditor@acme.example, profile: Auditor}
      - {username: noapi@acme.example, lastName: NoAPI, email: noapi@acme.example, profile: No API}
    connectedApps:
      - {name: Int, scopes: [api], consumerKey: IntKey0001, consumerSecret: IntSecret0001, clientCredentials: {enabled: true, runAs: int@acme.example}}
      - {name: Peer, scopes: [api], consumerKey: PeerKey0001, consumerSecret: PeerSecret0001, clientCredentials: {enabled: true, runAs: peer@acme.example}}
      - {name: Reader, scopes: [api], consumerKey: ReaderKey0001, consumerSecret: ReaderSecret0001, clientCredentials: {enabled: true, runAs: reader@acme.example}}
      - {name: Auditor, scopes: [api], consumerKey: AuditorKey0001, consumerSecret: AuditorSecret0001, clientCredentials: {enabled: true, runAs: auditor@acme.example}}
      - {name: NoAPI, scopes: [api], consumerKey: NoAPIKey0001, consumerSecret: NoAPISecret0001, clientCredentials: {enabled: true, runAs: noapi@acme.example}}
    records:
      - {object: Account, ref: seed-acme, fields: {Name: Seed Account, Industry: Technology}}
      - {object: Contact, ref: seed-ada, fields: {FirstName: Ada, LastName: Lovelace, AccountId: "@seed-acme"}}
  - name: Globex
    profiles:
      - name: Integration
        permissions: [ApiEnabled]
        objects:
          Account: [Read, Create, Edit, Delete]
        fields:
          Account.*: [Read, Edit]
    users:
      - {username: int@globex.example, lastName: Globex, email: int@globex.example, profile: Integration}
    connectedApps:
      - {name: Int, scopes: [api], consumerKey: GlobexKey0001, consumerSecret: GlobexSecret0001, clientCredentials: {enabled: true, runAs: int@globex.example}}
`

// dataServer is a server with dataOrgFile and a token per user.
type dataServer struct {
	*testServer
	int, peer, reader, auditor, noapi, globex string // tokens
}

func startData(t testing.TB) *dataServer {
	t.Helper()
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "data.yaml")
	if err := os.WriteFile(orgFile, []byte(dataOrgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
	return &dataServer{
		testServer: s,
		int:        s.token(t, "IntKey0001", "IntSecret0001"),
		peer:       s.token(t, "PeerKey0001", "PeerSecret0001"),
		reader:     s.token(t, "ReaderKey0001", "ReaderSecret0001"),
		auditor:    s.token(t, "AuditorKey0001", "AuditorSecret0001"),
		noapi:      s.token(t, "NoAPIKey0001", "NoAPISecret0001"),
		globex:     s.token(t, "GlobexKey0001", "GlobexSecret0001"),
	}
}

// call sends a data API request (path relative to /services/data/v59.0 unless it starts
// with /services) with a JSON body ("" for none).
func (s *dataServer) call(t testing.TB, token, method, path, body string) response {
	t.Helper()
	if !strings.HasPrefix(path, "/services") && !strings.HasPrefix(path, "//services") {
		path = "/services/data/v59.0" + path
	}
	req := newRequest(t, method, s.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return do(t, req)
}

// create creates a record and returns its ID.
func (s *dataServer) create(t testing.TB, token, object, body string) string {
	t.Helper()
	r := s.call(t, token, http.MethodPost, "/sobjects/"+object, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("create %s %s: %d %s", object, body, r.Status, r.Body)
	}
	return r.JSON(t)["id"].(string)
}

// records decodes a query answer.
type queryAnswer struct {
	TotalSize      int              `json:"totalSize"`
	Done           bool             `json:"done"`
	NextRecordsURL string           `json:"nextRecordsUrl"`
	Records        []map[string]any `json:"records"`
}

func (s *dataServer) query(t testing.TB, token, soql string) queryAnswer {
	t.Helper()
	r := s.call(t, token, http.MethodGet, "/query?q="+url.QueryEscape(soql), "")
	if r.Status != http.StatusOK {
		t.Fatalf("query %q: %d %s", soql, r.Status, r.Body)
	}
	var a queryAnswer
	if err := json.Unmarshal([]byte(r.Body), &a); err != nil {
		t.Fatalf("query %q: %v\n%s", soql, err, r.Body)
	}
	return a
}

// wantErrorBody checks a REST error array with fields.
func wantErrorBody(t testing.TB, r response, status int, want string) {
	t.Helper()
	if r.Status != status || r.Body != want {
		t.Errorf("got %d %s\nwant %d %s", r.Status, r.Body, status, want)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		t.Errorf("Content-Type = %q", ct)
	}
}

// wantBody checks a REST answer's status, exact body and JSON content type.
func wantBody(t *testing.T, what string, r response, status int, want string) {
	t.Helper()
	if r.Status != status || r.Body != want {
		t.Errorf("%s: %d %s\nwant %d %s", what, r.Status, r.Body, status, want)
	}
	if ct := r.Header.Get("Content-Type"); ct != restContentType {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
}
