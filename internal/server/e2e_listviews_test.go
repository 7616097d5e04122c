package server

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/sfid"
)

// List views (salesforce-rest-more.md §4): the default views of an object, one view,
// describe and results, as the running user.

// viewsOrgFile: Fay reads everything, Nia may not read Account.Phone, Cal reads only
// Contacts; Ticket__c is Private (owners see their own).
const viewsOrgFile = `
orgs:
  - name: Views
    objects:
      - name: Ticket__c
        label: Ticket
        labelPlural: Tickets
        sharingModel: Private
        fields:
          - {name: Priority__c, type: picklist, values: [High, Low]}
    profiles:
      - name: Full
        permissions: [ApiEnabled]
        objects:
          Account: [Read, Create, Edit, Delete]
          Ticket__c: [Read, Create, Edit, Delete]
          Contact: [Read, Create]
          Lead: [Read, Create]
          Opportunity: [Read, Create]
          Case: [Read, Create]
          Task: [Read, Create]
        fields:
          Account.*: [Read, Edit]
          Ticket__c.*: [Read, Edit]
          Contact.*: [Read, Edit]
          Lead.*: [Read, Edit]
          Opportunity.*: [Read, Edit]
          Case.*: [Read, Edit]
          Task.*: [Read, Edit]
      - name: NoPhone
        permissions: [ApiEnabled]
        objects:
          Account: [Read, Create]
          Ticket__c: [Read, Create]
        fields:
          Account.*: [Read, Edit]
          Account.Phone: []
          Ticket__c.*: [Read, Edit]
      - name: Contacts
        permissions: [ApiEnabled]
        objects:
          Contact: [Read]
        fields:
          Contact.*: [Read]
    users:
      - {username: fay@views.example, firstName: Fay, lastName: Full, email: fay@views.example, profile: Full}
      - {username: nia@views.example, firstName: Nia, lastName: NoPhone, email: nia@views.example, profile: NoPhone}
      - {username: cal@views.example, lastName: Contacts, email: cal@views.example, profile: Contacts}
    connectedApps:
      - {name: Fay, scopes: [api], consumerKey: FayKey0001, consumerSecret: FaySecret0001, clientCredentials: {enabled: true, runAs: fay@views.example}}
      - {name: Nia, scopes: [api], consumerKey: NiaKey0001, consumerSecret: NiaSecret0001, clientCredentials: {enabled: true, runAs: nia@views.example}}
      - {name: Cal, scopes: [api], consumerKey: CalKey0001, consumerSecret: CalSecret0001, clientCredentials: {enabled: true, runAs: cal@views.example}}
`

// viewsServer is a server with viewsOrgFile, a token per user and their IDs.
type viewsServer struct {
	*dataServer
	fay, nia, cal       string // tokens
	orgID, fayID, niaID string
}

func startViews(t testing.TB) *viewsServer {
	t.Helper()
	dir := t.TempDir()
	orgFile := filepath.Join(dir, "views.yaml")
	if err := os.WriteFile(orgFile, []byte(viewsOrgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	ts := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
	v := &viewsServer{dataServer: &dataServer{testServer: ts},
		fay: ts.token(t, "FayKey0001", "FaySecret0001"),
		nia: ts.token(t, "NiaKey0001", "NiaSecret0001"),
		cal: ts.token(t, "CalKey0001", "CalSecret0001"),
	}
	v.orgID, v.fayID = ts.ids(t, "fay@views.example")
	_, v.niaID = ts.ids(t, "nia@views.example")
	return v
}

// viewID is the ID of the slot-th default view of object in the server's org: derived
// from the org, the object and the slot (sfid.Derive), so the same on every call.
func (s *viewsServer) viewID(object string, slot int) string {
	return string(sfid.Derive("00B", s.orgID[3:5], s.orgID+"/"+object, slot))
}

// viewEntry is one entry of /listviews.
func viewEntry(version, object, id, dev, label string) string {
	base := "/services/data/v" + version + "/sobjects/" + object + "/listviews/" + id
	return `{"describeUrl":"` + base + `/describe","developerName":"` + dev + `","id":"` + id + `","label":"` + label +
		`","resultsUrl":"` + base + `/results","soqlCompatible":true,"url":"` + base + `"}`
}

// Account's columns as the guide's describe example has them; noPhone leaves Phone out.
func accountColumns(noPhone bool) string {
	cols := []string{
		`{"ascendingLabel":"Z-A","descendingLabel":"A-Z","fieldNameOrPath":"Name","hidden":false,"label":"Account Name","selectListItem":"Name","sortDirection":"ascending","sortIndex":0,"sortable":true,"type":"string"}`,
		`{"ascendingLabel":"Z-A","descendingLabel":"A-Z","fieldNameOrPath":"Site","hidden":false,"label":"Account Site","selectListItem":"Site","sortDirection":null,"sortIndex":null,"sortable":true,"type":"string"}`,
		`{"ascendingLabel":"Z-A","descendingLabel":"A-Z","fieldNameOrPath":"BillingState","hidden":false,"label":"Billing State/Province","selectListItem":"BillingState","sortDirection":null,"sortIndex":null,"sortable":true,"type":"string"}`,
		`{"ascendingLabel":"9-0","descendingLabel":"0-9","fieldNameOrPath":"Phone","hidden":false,"label":"Phone","selectListItem":"Phone","sortDirection":null,"sortIndex":null,"sortable":true,"type":"phone"}`,
		`{"ascendingLabel":"Low to High","descendingLabel":"High to Low","fieldNameOrPath":"Type","hidden":false,"label":"Type","selectListItem":"toLabel(Type)","sortDirection":null,"sortIndex":null,"sortable":true,"type":"picklist"}`,
		`{"ascendingLabel":"Z-A","descendingLabel":"A-Z","fieldNameOrPath":"Owner.Alias","hidden":false,"label":"Account Owner Alias","selectListItem":"Owner.Alias","sortDirection":null,"sortIndex":null,"sortable":true,"type":"string"}`,
		`{"ascendingLabel":null,"descendingLabel":null,"fieldNameOrPath":"Id","hidden":true,"label":"Account ID","selectListItem":"Id","sortDirection":null,"sortIndex":null,"sortable":false,"type":"id"}`,
		`{"ascendingLabel":null,"descendingLabel":null,"fieldNameOrPath":"CreatedDate","hidden":true,"label":"Created Date","selectListItem":"CreatedDate","sortDirection":null,"sortIndex":null,"sortable":false,"type":"datetime"}`,
		`{"ascendingLabel":null,"descendingLabel":null,"fieldNameOrPath":"LastModifiedDate","hidden":true,"label":"Last Modified Date","selectListItem":"LastModifiedDate","sortDirection":null,"sortIndex":null,"sortable":false,"type":"datetime"}`,
		`{"ascendingLabel":null,"descendingLabel":null,"fieldNameOrPath":"SystemModstamp","hidden":true,"label":"System Modstamp","selectListItem":"SystemModstamp","sortDirection":null,"sortIndex":null,"sortable":false,"type":"datetime"}`,
	}
	if noPhone {
		cols = append(cols[:3], cols[4:]...)
	}
	return "[" + strings.Join(cols, ",") + "]"
}

const accountSelect = "SELECT name, site, billingstate, phone, tolabel(type), owner.alias, id, createddate, lastmodifieddate, systemmodstamp FROM Account"

// accountRow is one record of Account's results; the clock is fixed (startWith).
func accountRow(name, phone, typ, id string, noPhone bool) string {
	str := func(s string) string {
		if s == "" {
			return "null"
		}
		return `"` + s + `"`
	}
	cols := []string{
		`{"fieldNameOrPath":"Name","value":` + str(name) + `}`,
		`{"fieldNameOrPath":"Site","value":null}`,
		`{"fieldNameOrPath":"BillingState","value":null}`,
		`{"fieldNameOrPath":"Phone","value":` + str(phone) + `}`,
		`{"fieldNameOrPath":"Type","value":` + str(typ) + `}`,
		// User.Alias has no storage in Forcefield yet: null, as SOQL gives it.
		`{"fieldNameOrPath":"Owner.Alias","value":null}`,
		`{"fieldNameOrPath":"Id","value":"` + id + `"}`,
		`{"fieldNameOrPath":"CreatedDate","value":"Sun Nov 22 10:00:00 GMT 2026"}`,
		`{"fieldNameOrPath":"LastModifiedDate","value":"Sun Nov 22 10:00:00 GMT 2026"}`,
		`{"fieldNameOrPath":"SystemModstamp","value":"Sun Nov 22 10:00:00 GMT 2026"}`,
	}
	if noPhone {
		cols = append(cols[:3], cols[4:]...)
	}
	return `{"columns":[` + strings.Join(cols, ",") + `]}`
}

func TestListViews(t *testing.T) {
	s := startViews(t)
	acct := func(slot int) string { return s.viewID("Account", slot) }
	accountViews := func(version string) string {
		return `{"done":true,"listviews":[` +
			viewEntry(version, "Account", acct(0), "NewThisWeek", "New This Week") + "," +
			viewEntry(version, "Account", acct(1), "NewLastWeek", "New Last Week") + "," +
			viewEntry(version, "Account", acct(2), "RecentlyViewedAccounts", "Recently Viewed Accounts") + "," +
			viewEntry(version, "Account", acct(3), "AllAccounts", "All Accounts") + "," +
			viewEntry(version, "Account", acct(4), "MyAccounts", "My Accounts") +
			`],"nextRecordsUrl":null,"size":5,"sobjectType":"Account"}`
	}
	wantBody(t, "listviews", s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews", ""), 200, accountViews("59.0"))
	// Trailing slash, another version: the URLs follow the request's version.
	wantBody(t, "listviews/ v45", s.call(t, s.fay, http.MethodGet, "/services/data/v45.0/sobjects/Account/listviews/", ""), 200, accountViews("45.0"))
	// Same IDs for another user of the org.
	wantBody(t, "listviews as Nia", s.call(t, s.nia, http.MethodGet, "/sobjects/Account/listviews", ""), 200, accountViews("59.0"))

	tickets := `{"done":true,"listviews":[` +
		viewEntry("59.0", "Ticket__c", s.viewID("Ticket__c", 0), "All", "All") + "," +
		viewEntry("59.0", "Ticket__c", s.viewID("Ticket__c", 1), "RecentlyViewedTickets", "Recently Viewed Tickets") +
		`],"nextRecordsUrl":null,"size":2,"sobjectType":"Ticket__c"}`
	wantBody(t, "custom object", s.call(t, s.fay, http.MethodGet, "/sobjects/Ticket__c/listviews", ""), 200, tickets)
	wantBody(t, "Setup object", s.call(t, s.fay, http.MethodGet, "/sobjects/User/listviews", ""), 200,
		`{"done":true,"listviews":[],"nextRecordsUrl":null,"size":0,"sobjectType":"User"}`)
	wantBody(t, "recent", s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/recent", ""), 200,
		`{"done":true,"listviews":[],"nextRecordsUrl":null,"size":0,"sobjectType":"Account"}`)

	// One view, by its 18- or 15-character ID.
	all := viewEntry("59.0", "Account", acct(3), "AllAccounts", "All Accounts")
	wantBody(t, "one view", s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/"+acct(3), ""), 200, all)
	wantBody(t, "one view, 15", s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/"+acct(3)[:15], ""), 200, all)

	notFound := restError("NOT_FOUND", "The requested resource does not exist")
	for _, p := range []string{
		"/sobjects/Account/listviews/" + s.viewID("Contact", 0),    // another object's view
		"/sobjects/Account/listviews/00B000000000000",              // no such view
		"/sobjects/Account/listviews/nope",                         // not an ID
		"/sobjects/Account/listviews/" + acct(3) + "/columns",      // no such sub-resource
		"/sobjects/Account/listviews/" + acct(3) + "/results/more", // too deep
		"/sobjects/Account/listviews/recent/describe",              // recent is a list
		"/sobjects/Nope__c/listviews",                              // no such object
	} {
		wantBody(t, p, s.call(t, s.fay, http.MethodGet, p, ""), 404, notFound)
	}
	// Cal may not read Account at all: the object does not exist for him.
	wantBody(t, "no object access", s.call(t, s.cal, http.MethodGet, "/sobjects/Account/listviews", ""), 404, notFound)
	wantBody(t, "no object access, view", s.call(t, s.cal, http.MethodGet, "/sobjects/Account/listviews/"+acct(3)+"/results", ""), 404, notFound)
	// recent: the views the user opened (describe or results), newest first.
	recent := func(entries ...string) string {
		return `{"done":true,"listviews":[` + strings.Join(entries, ",") + `],"nextRecordsUrl":null,"size":` + strconv.Itoa(len(entries)) + `,"sobjectType":"Account"}`
	}
	mine := viewEntry("59.0", "Account", acct(4), "MyAccounts", "My Accounts")
	s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/"+acct(3)+"/describe", "")
	s.Clock.Advance(time.Minute)
	s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/"+acct(4)+"/results", "")
	wantBody(t, "recent after two", s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/recent", ""), 200, recent(mine, all))
	s.Clock.Advance(time.Minute)
	s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/"+acct(3)[:15]+"/results?limit=1", "")
	wantBody(t, "recent after reuse", s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/recent/", ""), 200, recent(all, mine))
	wantBody(t, "recent of another user", s.call(t, s.nia, http.MethodGet, "/sobjects/Account/listviews/recent", ""), 200, recent())
	wantBody(t, "recent of another object", s.call(t, s.fay, http.MethodGet, "/sobjects/Ticket__c/listviews/recent", ""), 200,
		`{"done":true,"listviews":[],"nextRecordsUrl":null,"size":0,"sobjectType":"Ticket__c"}`)

	for _, p := range []string{"/sobjects/Account/listviews", "/sobjects/Account/listviews/" + acct(3) + "/describe"} {
		wantBody(t, "POST "+p, s.call(t, s.fay, http.MethodPost, p, "{}"), 405,
			restError("METHOD_NOT_ALLOWED", "HTTP Method 'POST' not allowed. Allowed are GET,HEAD"))
	}
}

func TestListViewDescribe(t *testing.T) {
	s := startViews(t)
	all, mine, newThisWeek := s.viewID("Account", 3), s.viewID("Account", 4), s.viewID("Account", 0)
	noConds := `{"conditions":[],"conjunction":"and"}`
	byName := `[{"fieldNameOrPath":"Name","nullsPosition":"first","sortDirection":"ascending"},{"fieldNameOrPath":"Id","nullsPosition":"first","sortDirection":"ascending"}]`
	order := " ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST"

	// The guide's example, New This Week: 15-character id, lower-case select list.
	wantBody(t, "New This Week", s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/"+newThisWeek+"/describe", ""), 200,
		`{"columns":`+accountColumns(false)+`,"id":"`+newThisWeek[:15]+`","orderBy":`+byName+
			`,"query":"`+accountSelect+` WHERE CreatedDate = THIS_WEEK`+order+`","scope":null,"sobjectType":"Account",`+
			`"whereCondition":{"field":"CreatedDate","operator":"equals","values":["THIS_WEEK"]}}`)
	wantBody(t, "All Accounts", s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/"+all+"/describe", ""), 200,
		`{"columns":`+accountColumns(false)+`,"id":"`+all[:15]+`","orderBy":`+byName+
			`,"query":"`+accountSelect+order+`","scope":null,"sobjectType":"Account","whereCondition":`+noConds+`}`)
	// My Accounts: the running user's records.
	wantBody(t, "My Accounts", s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/"+mine+"/describe", ""), 200,
		`{"columns":`+accountColumns(false)+`,"id":"`+mine[:15]+`","orderBy":`+byName+
			`,"query":"`+accountSelect+` WHERE OwnerId = '`+s.fayID+`'`+order+`","scope":"mine","sobjectType":"Account","whereCondition":`+noConds+`}`)
	// Nia may not read Phone: no Phone column, none in the query.
	noPhoneSelect := strings.Replace(accountSelect, " phone,", "", 1)
	wantBody(t, "All Accounts as Nia", s.call(t, s.nia, http.MethodGet, "/sobjects/Account/listviews/"+all+"/describe", ""), 200,
		`{"columns":`+accountColumns(true)+`,"id":"`+all[:15]+`","orderBy":`+byName+
			`,"query":"`+noPhoneSelect+order+`","scope":null,"sobjectType":"Account","whereCondition":`+noConds+`}`)
	// Recently Viewed: newest LastViewedDate first.
	recent := s.viewID("Account", 2)
	wantBody(t, "Recently Viewed", s.call(t, s.fay, http.MethodGet, "/sobjects/Account/listviews/"+recent+"/describe", ""), 200,
		`{"columns":`+strings.Replace(accountColumns(false), `"sortDirection":"ascending","sortIndex":0`, `"sortDirection":null,"sortIndex":null`, 1)+
			`,"id":"`+recent[:15]+`","orderBy":[{"fieldNameOrPath":"LastViewedDate","nullsPosition":"last","sortDirection":"descending"},`+
			`{"fieldNameOrPath":"Id","nullsPosition":"first","sortDirection":"ascending"}]`+
			`,"query":"`+accountSelect+` WHERE LastViewedDate != null ORDER BY LastViewedDate DESC NULLS LAST, Id ASC NULLS FIRST","scope":null,"sobjectType":"Account",`+
			`"whereCondition":{"field":"LastViewedDate","operator":"notEqual","values":["null"]}}`)
	// A custom object: its name field, then the hidden system columns.
	ticketAll := s.viewID("Ticket__c", 0)
	wantBody(t, "Ticket All", s.call(t, s.fay, http.MethodGet, "/sobjects/Ticket__c/listviews/"+ticketAll+"/describe", ""), 200,
		`{"columns":[{"ascendingLabel":"Z-A","descendingLabel":"A-Z","fieldNameOrPath":"Name","hidden":false,"label":"Ticket Name","selectListItem":"Name","sortDirection":"ascending","sortIndex":0,"sortable":true,"type":"string"},`+
			`{"ascendingLabel":null,"descendingLabel":null,"fieldNameOrPath":"Id","hidden":true,"label":"Record ID","selectListItem":"Id","sortDirection":null,"sortIndex":null,"sortable":false,"type":"id"},`+
			`{"ascendingLabel":null,"descendingLabel":null,"fieldNameOrPath":"CreatedDate","hidden":true,"label":"Created Date","selectListItem":"CreatedDate","sortDirection":null,"sortIndex":null,"sortable":false,"type":"datetime"},`+
			`{"ascendingLabel":null,"descendingLabel":null,"fieldNameOrPath":"LastModifiedDate","hidden":true,"label":"Last Modified Date","selectListItem":"LastModifiedDate","sortDirection":null,"sortIndex":null,"sortable":false,"type":"datetime"},`+
			`{"ascendingLabel":null,"descendingLabel":null,"fieldNameOrPath":"SystemModstamp","hidden":true,"label":"System Modstamp","selectListItem":"SystemModstamp","sortDirection":null,"sortIndex":null,"sortable":false,"type":"datetime"}],`+
			`"id":"`+ticketAll[:15]+`","orderBy":`+byName+`,"query":"SELECT name, id, createddate, lastmodifieddate, systemmodstamp FROM Ticket__c`+order+`","scope":null,"sobjectType":"Ticket__c","whereCondition":`+noConds+`}`)
}

func TestListViewResults(t *testing.T) {
	s := startViews(t)
	a := s.create(t, s.fay, "Account", `{"Name":"Acme","Phone":"(336) 222-7000","Type":"Customer - Direct"}`)
	b := s.create(t, s.fay, "Account", `{"Name":"Burlington"}`)
	c := s.create(t, s.nia, "Account", `{"Name":"Cyberdyne"}`)
	// Nia may not write Phone; Fay sets it on Nia's Account.
	if r := s.call(t, s.fay, http.MethodPatch, "/sobjects/Account/"+c, `{"Phone":"555"}`); r.Status != http.StatusNoContent {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	gone := s.create(t, s.fay, "Account", `{"Name":"Deleted Inc"}`)
	if r := s.call(t, s.fay, http.MethodDelete, "/sobjects/Account/"+gone, ""); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	all, mine, lastWeek := s.viewID("Account", 3), s.viewID("Account", 4), s.viewID("Account", 1)
	results := func(view, dev, label string, noPhone, done bool, size int, rows ...string) string {
		return `{"columns":` + accountColumns(noPhone) + `,"developerName":"` + dev + `","done":` + map[bool]string{true: "true", false: "false"}[done] +
			`,"id":"` + view[:15] + `","label":"` + label + `","records":[` + strings.Join(rows, ",") + `],"size":` + strconv.Itoa(size) + `}`
	}
	rowA, rowB, rowC := accountRow("Acme", "(336) 222-7000", "Customer - Direct", a, false), accountRow("Burlington", "", "", b, false), accountRow("Cyberdyne", "555", "", c, false)
	base := "/sobjects/Account/listviews/"
	wantBody(t, "All Accounts", s.call(t, s.fay, http.MethodGet, base+all+"/results", ""), 200,
		results(all, "AllAccounts", "All Accounts", false, true, 3, rowA, rowB, rowC))
	// Pages: size is the total, done false while rows remain.
	wantBody(t, "limit 2", s.call(t, s.fay, http.MethodGet, base+all+"/results?limit=2", ""), 200,
		results(all, "AllAccounts", "All Accounts", false, false, 3, rowA, rowB))
	wantBody(t, "offset 2", s.call(t, s.fay, http.MethodGet, base+all+"/results?limit=2&offset=2", ""), 200,
		results(all, "AllAccounts", "All Accounts", false, true, 3, rowC))
	wantBody(t, "offset past the end", s.call(t, s.fay, http.MethodGet, base+all+"/results?offset=10", ""), 200,
		results(all, "AllAccounts", "All Accounts", false, true, 3))
	// My Accounts: Fay's only; Nia's: hers, without the Phone she may not read.
	wantBody(t, "My Accounts", s.call(t, s.fay, http.MethodGet, base+mine+"/results", ""), 200,
		results(mine, "MyAccounts", "My Accounts", false, true, 2, rowA, rowB))
	wantBody(t, "My Accounts as Nia", s.call(t, s.nia, http.MethodGet, base+mine+"/results", ""), 200,
		results(mine, "MyAccounts", "My Accounts", true, true, 1, accountRow("Cyberdyne", "", "", c, true)))
	wantBody(t, "New Last Week", s.call(t, s.fay, http.MethodGet, base+lastWeek+"/results", ""), 200,
		results(lastWeek, "NewLastWeek", "New Last Week", false, true, 0))

	// Parent columns (read by a second query on the page's Ids): Contact's Account.Name
	// and Account.Site, null without an Account.
	s.call(t, s.fay, http.MethodPatch, "/sobjects/Account/"+a, `{"Site":"HQ"}`)
	withAcct := s.create(t, s.fay, "Contact", `{"LastName":"Lovelace","Email":"ada@example.com","AccountId":"`+a+`"}`)
	noAcct := s.create(t, s.fay, "Contact", `{"LastName":"Babbage"}`)
	contact := func(name, acctName, site, email, id string) string {
		str := func(s string) string {
			if s == "" {
				return "null"
			}
			return `"` + s + `"`
		}
		return `{"columns":[{"fieldNameOrPath":"Name","value":"` + name + `"},{"fieldNameOrPath":"Account.Name","value":` + str(acctName) +
			`},{"fieldNameOrPath":"Account.Site","value":` + str(site) + `},{"fieldNameOrPath":"Phone","value":null},{"fieldNameOrPath":"Email","value":` + str(email) +
			`},{"fieldNameOrPath":"Owner.Alias","value":null},{"fieldNameOrPath":"Id","value":"` + id + `"},` +
			`{"fieldNameOrPath":"CreatedDate","value":"Sun Nov 22 10:00:00 GMT 2026"},{"fieldNameOrPath":"LastModifiedDate","value":"Sun Nov 22 10:00:00 GMT 2026"},` +
			`{"fieldNameOrPath":"SystemModstamp","value":"Sun Nov 22 10:00:00 GMT 2026"}]}`
	}
	r := s.call(t, s.fay, http.MethodGet, "/sobjects/Contact/listviews/"+s.viewID("Contact", 0)+"/results", "")
	if want := `"records":[` + contact("Babbage", "", "", "", noAcct) + "," + contact("Lovelace", "Acme", "HQ", "ada@example.com", withAcct) + `],"size":2}`; r.Status != 200 || !strings.HasSuffix(r.Body, want) {
		t.Errorf("All Contacts: %d %s\nwant …%s", r.Status, r.Body, want)
	}

	// Private Tickets: each owner sees their own in All.
	ft := s.create(t, s.fay, "Ticket__c", `{"Name":"Fay's ticket"}`)
	s.create(t, s.nia, "Ticket__c", `{"Name":"Nia's ticket"}`)
	ticketAll := s.viewID("Ticket__c", 0)
	r = s.call(t, s.fay, http.MethodGet, "/sobjects/Ticket__c/listviews/"+ticketAll+"/results", "")
	if !strings.Contains(r.Body, `"records":[{"columns":[{"fieldNameOrPath":"Name","value":"Fay's ticket"},{"fieldNameOrPath":"Id","value":"`+ft+`"},`) ||
		!strings.HasSuffix(r.Body, `"size":1}`) {
		t.Errorf("Private tickets as Fay: %d %s", r.Status, r.Body)
	}

	for _, q := range []string{"limit=0", "limit=2001", "limit=x", "offset=-1", "offset=1.5"} {
		name, val, _ := strings.Cut(q, "=")
		lo, hi := "1", "2000"
		if name == "offset" {
			lo, hi = "0", "1073741824"
		}
		wantBody(t, q, s.call(t, s.fay, http.MethodGet, base+all+"/results?"+q, ""), 400,
			restError("INVALID_INPUT", name+" must be an integer between "+lo+" and "+hi+": "+val))
	}
}

// Every default view of every object runs: its describe answers and its query resolves
// and returns the records it should (one record per object, created now).
func TestListViewsAllObjectsRun(t *testing.T) {
	s := startViews(t)
	acct := s.create(t, s.fay, "Account", `{"Name":"Acme"}`)
	s.create(t, s.fay, "Contact", `{"LastName":"Lovelace","AccountId":"`+acct+`"}`)
	s.create(t, s.fay, "Lead", `{"LastName":"Hopper","Company":"Navy"}`)
	// Closing this month (the clock is 2026-11-22), not won.
	s.create(t, s.fay, "Opportunity", `{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-11-30","AccountId":"`+acct+`"}`)
	s.create(t, s.fay, "Case", `{"Subject":"Help"}`)
	s.create(t, s.fay, "Task", `{"Subject":"Call"}`)
	s.create(t, s.fay, "Ticket__c", `{"Name":"T-1"}`)
	want := map[string]map[string]int{ // object → view → rows
		"Account":     {"NewThisWeek": 1, "NewLastWeek": 0, "RecentlyViewedAccounts": 0, "AllAccounts": 1, "MyAccounts": 1},
		"Contact":     {"AllContacts": 1, "MyContacts": 1, "NewThisWeek": 1, "RecentlyViewedContacts": 0},
		"Lead":        {"AllOpenLeads": 1, "MyUnreadLeads": 0, "TodaysLeads": 1, "RecentlyViewedLeads": 0},
		"Opportunity": {"AllOpportunities": 1, "MyOpportunities": 1, "ClosingNextMonth": 0, "ClosingThisMonth": 1, "NewThisWeek": 1, "Won": 0, "RecentlyViewedOpportunities": 0},
		"Case":        {"All": 1, "RecentlyViewedCases": 0},
		"Task":        {"All": 1},
		"Ticket__c":   {"All": 1, "RecentlyViewedTickets": 0},
	}
	for object, views := range want {
		r := s.call(t, s.fay, http.MethodGet, "/sobjects/"+object+"/listviews", "")
		var list struct {
			Listviews []struct{ ID, DeveloperName string }
		}
		if err := json.Unmarshal([]byte(r.Body), &list); err != nil || r.Status != http.StatusOK {
			t.Fatalf("%s listviews: %d %s", object, r.Status, r.Body)
		}
		got := map[string]int{}
		for _, v := range list.Listviews {
			base := "/sobjects/" + object + "/listviews/" + v.ID
			if d := s.call(t, s.fay, http.MethodGet, base+"/describe", ""); d.Status != http.StatusOK {
				t.Errorf("%s %s describe: %d %s", object, v.DeveloperName, d.Status, d.Body)
			}
			res := s.call(t, s.fay, http.MethodGet, base+"/results", "")
			var page struct{ Size int }
			if err := json.Unmarshal([]byte(res.Body), &page); err != nil || res.Status != http.StatusOK {
				t.Errorf("%s %s results: %d %s", object, v.DeveloperName, res.Status, res.Body)
			}
			got[v.DeveloperName] = page.Size
		}
		if diff := cmp.Diff(views, got); diff != "" {
			t.Errorf("%s: rows per view (-want +got):\n%s", object, diff)
		}
	}
}
