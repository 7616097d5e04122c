package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	salesforce "github.com/k-capehart/go-salesforce/v3"
)

// go-salesforce v3.1.0 against Forcefield (salesforce-rest.md §8.2): client-credentials
// Init, a paged Query, single-record DML, a collection insert, and re-authentication
// after an administrator revokes the session.

// gsAccount is an Account as go-salesforce maps it (struct tag `salesforce`).
type gsAccount struct {
	Id   string `salesforce:"Id,omitempty"`
	Name string `salesforce:"Name"`
}

// gsInvoice is the data org's custom object, upserted by its external ID.
type gsInvoice struct {
	Id        string  `salesforce:"Id,omitempty"`
	ExtId__c  string  `salesforce:"ExtId__c"`
	Amount__c float64 `salesforce:"Amount__c"`
}

// queryPager adds Sforce-Query-Options: batchSize=200 to every query request (go-salesforce
// has no option for it) and records the paths go-salesforce requested, so the test sees
// the pages it followed.
type queryPager struct {
	mu    sync.Mutex
	paths []string
}

func (p *queryPager) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Sforce-Query-Options", "batchSize=200")
	p.mu.Lock()
	p.paths = append(p.paths, req.Method+" "+req.URL.Path)
	p.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// queryPages counts the requests for query pages after the first: GET …/query/<locator>.
func (p *queryPager) queryPages() (first, more int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, path := range p.paths {
		switch {
		case strings.HasSuffix(path, "/query/"):
			first++
		case strings.Contains(path, "/query/"):
			more++
		}
	}
	return first, more
}

// TestGoSalesforceSession runs today: Init with client credentials, a call through
// DoRequest (GET /limits), and re-authentication after an administrator revokes the session.
func TestGoSalesforceSession(t *testing.T) {
	s := start(t)
	pager := &queryPager{}
	sf, err := salesforce.Init(salesforce.Creds{Domain: s.URL, ConsumerKey: "AcmeKey0001", ConsumerSecret: "AcmeSecret0001"},
		salesforce.WithRoundTripper(pager))
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	if sf.GetInstanceUrl() != s.URL || sf.GetAuthFlow() != salesforce.AuthFlowClientCredentials {
		t.Fatalf("session: instance %s, flow %v", sf.GetInstanceUrl(), sf.GetAuthFlow())
	}
	limits := func() {
		t.Helper()
		resp, err := sf.DoRequest(http.MethodGet, "/limits", nil)
		if err != nil {
			t.Fatalf("GET /limits: %v", err)
		}
		defer resp.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || body["DailyApiRequests"] == nil {
			t.Fatalf("GET /limits: %d, %v, %v", resp.StatusCode, err, body)
		}
	}
	limits()
	before := sf.GetAccessToken()
	s.revokeUserSessions(t, "integration@acme.example")
	// 401 INVALID_SESSION_ID, a new client-credentials login at instance_url, one retry.
	limits()
	if after := sf.GetAccessToken(); after == before || after == "" {
		t.Errorf("access token not renewed after revocation")
	}
	pager.mu.Lock()
	defer pager.mu.Unlock()
	want := []string{"GET /services/data/v63.0/limits", "GET /services/data/v63.0/limits", "GET /services/data/v63.0/limits"}
	if diff := cmp.Diff(want, pager.paths); diff != "" {
		t.Errorf("requests through the client's transport (-want +got):\n%s", diff)
	}
}

// TestGoSalesforce is the data scenario of salesforce-rest.md §10.
func TestGoSalesforce(t *testing.T) {
	s := startDataOrg(t, false)
	goSalesforceData(t, s.URL, dataKey, dataSecret, func() { s.revokeUserSessions(t, dataUser) })
}

// goSalesforceData is the data scenario against the org at url; revoke ends the app's
// sessions.
func goSalesforceData(t *testing.T, url, key, secret string, revoke func()) {
	pager := &queryPager{}
	sf, err := salesforce.Init(salesforce.Creds{Domain: url, ConsumerKey: key, ConsumerSecret: secret},
		salesforce.WithRoundTripper(pager))
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	if sf.GetInstanceUrl() != url || sf.GetAuthFlow() != salesforce.AuthFlowClientCredentials {
		t.Fatalf("session: instance %s, flow %v", sf.GetInstanceUrl(), sf.GetAuthFlow())
	}

	// InsertCollection: 450 Accounts in batches of 200 through /composite/sobjects/.
	var batch []gsAccount
	for i := range 450 {
		batch = append(batch, gsAccount{Name: fmt.Sprintf("GoSF %03d", i)})
	}
	res, err := sf.InsertCollection("Account", batch, 200)
	if err != nil || res.HasSalesforceErrors || len(res.Results) != len(batch) {
		t.Fatalf("InsertCollection: %v, errors %v, %d results", err, res.HasSalesforceErrors, len(res.Results))
	}
	for _, r := range res.Results {
		if !r.Success || !strings.HasPrefix(r.Id, "001") || len(r.Id) != 18 {
			t.Fatalf("InsertCollection result %+v", r)
		}
	}

	// Query across pages: 450 records at batchSize=200 is three pages.
	var got []gsAccount
	if err := sf.Query("SELECT Id, Name FROM Account WHERE Name LIKE 'GoSF %' ORDER BY Name", &got); err != nil {
		t.Fatalf("Query: %v", err)
	}
	if len(got) != len(batch) || got[0].Name != "GoSF 000" || got[449].Name != "GoSF 449" || got[0].Id != res.Results[0].Id {
		t.Fatalf("Query returned %d records (first %+v)", len(got), got[:min(1, len(got))])
	}
	if first, more := pager.queryPages(); first != 1 || more != 2 {
		t.Errorf("query requests: %d first pages and %d locators, want 1 and 2 (paths %v)", first, more, pager.paths)
	}

	// InsertOne, UpdateOne, DeleteOne.
	one, err := sf.InsertOne("Account", gsAccount{Name: "GoSF single"})
	if err != nil || !one.Success || !strings.HasPrefix(one.Id, "001") {
		t.Fatalf("InsertOne: %+v, %v", one, err)
	}
	if err := sf.UpdateOne("Account", gsAccount{Id: one.Id, Name: "GoSF renamed"}); err != nil {
		t.Fatalf("UpdateOne: %v", err)
	}
	if names := gsNames(t, sf, "SELECT Id, Name FROM Account WHERE Id = '"+one.Id+"'"); names != "GoSF renamed" {
		t.Errorf("after UpdateOne: %q", names)
	}
	if err := sf.DeleteOne("Account", gsAccount{Id: one.Id}); err != nil {
		t.Fatalf("DeleteOne: %v", err)
	}
	if names := gsNames(t, sf, "SELECT Id, Name FROM Account WHERE Id = '"+one.Id+"'"); names != "" {
		t.Errorf("after DeleteOne the record is still queried: %q", names)
	}

	// UpsertOne by external ID: created (201), then updated (200) with the same Id.
	created, err := sf.UpsertOne("Invoice__c", "ExtId__c", gsInvoice{ExtId__c: "INV-1", Amount__c: 10})
	if err != nil || !created.Success || created.Id == "" {
		t.Fatalf("UpsertOne (insert): %+v, %v", created, err)
	}
	updated, err := sf.UpsertOne("Invoice__c", "ExtId__c", gsInvoice{ExtId__c: "INV-1", Amount__c: 20})
	if err != nil || !updated.Success {
		t.Fatalf("UpsertOne (update): %+v, %v", updated, err)
	}
	var invoices []gsInvoice
	if err := sf.Query("SELECT Id, ExtId__c, Amount__c FROM Invoice__c", &invoices); err != nil {
		t.Fatalf("Query Invoice__c: %v", err)
	}
	if len(invoices) != 1 || invoices[0].Id != created.Id || invoices[0].Amount__c != 20 {
		t.Errorf("invoices after two upserts: %+v, want one with Id %s and Amount 20", invoices, created.Id)
	}

	// An administrator revokes the session: the next call gets 401 INVALID_SESSION_ID,
	// go-salesforce logs in again once (at instance_url) and retries (§8.2 (d), (f)).
	before := sf.GetAccessToken()
	revoke()
	if names := gsNames(t, sf, "SELECT Id, Name FROM Account WHERE Name = 'GoSF 007'"); names != "GoSF 007" {
		t.Errorf("query after revocation: %q", names)
	}
	if after := sf.GetAccessToken(); after == before || after == "" {
		t.Errorf("access token not renewed after revocation")
	}
}

// gsNames runs a query and joins the Names it returns.
func gsNames(t *testing.T, sf *salesforce.Salesforce, soql string) string {
	t.Helper()
	var recs []gsAccount
	if err := sf.Query(soql, &recs); err != nil {
		t.Fatalf("Query %q: %v", soql, err)
	}
	var names []string
	for _, r := range recs {
		names = append(names, r.Name)
	}
	return strings.Join(names, ",")
}
