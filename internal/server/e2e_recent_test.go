package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// /recent, recentItems, /tabs and /theme on the wire (salesforce-rest-more.md §5.1, §5.2).

// recentItem is one element of /recent and recentItems.
func recentItem(object, id, nameKey, name string) string {
	return `{"attributes":{"type":"` + object + `","url":"/services/data/v59.0/sobjects/` + object + `/` + id + `"},"Id":"` + id + `","` + nameKey + `":"` + name + `"}`
}

func TestRecentWire(t *testing.T) {
	s := startData(t)
	get := func(token, path, want string) {
		t.Helper()
		r := s.call(t, token, "GET", path, "")
		if r.Status != 200 || r.Body != want {
			t.Errorf("GET %s\ngot  %d %s\nwant 200 %s", path, r.Status, r.Body, want)
		}
	}
	alpha := s.create(t, s.int, "Account", `{"Name":"Alpha"}`)
	beta := s.create(t, s.int, "Account", `{"Name":"Beta"}`)
	gamma := s.create(t, s.int, "Account", `{"Name":"Gamma"}`)
	ada := s.query(t, s.int, "SELECT Id FROM Contact").Records[0]["Id"].(string) // the seed contact
	kase := s.create(t, s.int, "Case", `{"Subject":"Broken"}`)
	caseNumber := s.query(t, s.int, "SELECT CaseNumber FROM Case").Records[0]["CaseNumber"].(string)
	s.call(t, s.int, "PATCH", "/sobjects/Account/"+gamma, `{"Name":"Gamma 2"}`)

	// Creates and updates make nothing recent.
	get(s.int, "/recent", `[]`)

	// FOR VIEW marks what the query returned (jsforce's suite: LIMIT 2 FOR VIEW, then recent(2)).
	s.Clock.Advance(1e9)
	if q := s.query(t, s.int, "SELECT Id, Name FROM Account WHERE Name IN ('Alpha', 'Beta') ORDER BY Name LIMIT 2 FOR VIEW"); q.TotalSize != 2 {
		t.Fatalf("FOR VIEW query: %+v", q)
	}
	s.Clock.Advance(1e9)
	s.query(t, s.int, "SELECT Id FROM Contact FOR REFERENCE")
	s.Clock.Advance(1e9)
	s.query(t, s.int, "SELECT Id FROM Case FOR VIEW")
	s.query(t, s.int, "SELECT COUNT() FROM Account FOR VIEW") // a count returns no record
	s.query(t, s.int, "SELECT Id FROM Account WHERE Name = 'Gamma 2'")

	ka, aa, ba := recentItem("Case", kase, "CaseNumber", caseNumber), recentItem("Account", alpha, "Name", "Alpha"), recentItem("Account", beta, "Name", "Beta")
	ca := recentItem("Contact", ada, "Name", "Ada Lovelace")
	get(s.int, "/recent", `[`+ka+`,`+ca+`,`+ba+`,`+aa+`]`) // newest first; ties by ID, newest ID first
	get(s.int, "/recent?limit=2", `[`+ka+`,`+ca+`]`)
	get(s.int, "/recent/?limit=0", `[`+ka+`,`+ca+`,`+ba+`,`+aa+`]`) // an invalid limit is 200
	get(s.int, "/recent?limit=x", `[`+ka+`,`+ca+`,`+ba+`,`+aa+`]`)
	get(s.peer, "/recent", `[]`) // per user

	// Viewing again moves a record up; a deleted record leaves the list.
	s.Clock.Advance(1e9)
	s.query(t, s.int, "SELECT Id FROM Account WHERE Id = '"+alpha+"' FOR VIEW")
	get(s.int, "/recent?limit=3", `[`+aa+`,`+ka+`,`+ca+`]`)
	s.call(t, s.int, "DELETE", "/sobjects/Account/"+beta, "")
	get(s.int, "/recent", `[`+aa+`,`+ka+`,`+ca+`]`)

	// recentItems of basic info: the same, of that object only.
	basic := func(token, object string) string {
		t.Helper()
		var b struct {
			RecentItems json.RawMessage `json:"recentItems"`
		}
		r := s.call(t, token, "GET", "/sobjects/"+object, "")
		if err := json.Unmarshal([]byte(r.Body), &b); err != nil || r.Status != 200 {
			t.Fatalf("basic info %s: %d %s", object, r.Status, r.Body)
		}
		return string(b.RecentItems)
	}
	if got := basic(s.int, "Account"); got != `[`+aa+`]` {
		t.Errorf("Account recentItems = %s", got)
	}
	if got := basic(s.int, "Contact"); got != `[`+ca+`]` {
		t.Errorf("Contact recentItems = %s", got)
	}

	// A query in a /composite request (one write transaction) marks too.
	s.Clock.Advance(1e9)
	body := `{"compositeRequest":[{"method":"GET","referenceId":"q","url":"/services/data/v59.0/query?q=` +
		url.QueryEscape("SELECT Id FROM Account WHERE Id = '"+gamma+"' FOR VIEW") + `"}]}`
	if r := s.call(t, s.int, "POST", "/composite", body); r.Status != 200 || !strings.Contains(r.Body, `"httpStatusCode":200`) {
		t.Fatalf("composite: %d %s", r.Status, r.Body)
	}
	get(s.int, "/recent?limit=2", `[`+recentItem("Account", gamma, "Name", "Gamma 2")+`,`+aa+`]`)

	// Records the user may not read are never listed: the reader sees Accounts but not
	// Cases or Contacts, and under a Private default only their own Invoices.
	s.query(t, s.reader, "SELECT Id FROM Account WHERE Id = '"+alpha+"' FOR VIEW")
	get(s.reader, "/recent", `[`+aa+`]`)
	inv := s.create(t, s.int, "Invoice__c", `{"Number__c":"V-1"}`)
	s.query(t, s.int, "SELECT Id FROM Invoice__c FOR VIEW")
	s.query(t, s.reader, "SELECT Id FROM Invoice__c FOR VIEW") // sees none, marks none
	get(s.reader, "/recent", `[`+aa+`]`)
	invName, _ := json.Marshal(s.query(t, s.int, "SELECT Name FROM Invoice__c").Records[0]["Name"])
	wantInv := `{"attributes":{"type":"Invoice__c","url":"/services/data/v59.0/sobjects/Invoice__c/` + inv + `"},"Id":"` + inv + `","Name":` + string(invName) + `}`
	if got := basic(s.int, "Invoice__c"); got != `[`+wantInv+`]` {
		t.Errorf("Invoice__c recentItems = %s, want [%s]", got, wantInv)
	}

	wantErrorBody(t, s.call(t, s.int, http.MethodPost, "/recent", "{}"), 405,
		`[{"message":"HTTP Method 'POST' not allowed. Allowed are GET,HEAD","errorCode":"METHOD_NOT_ALLOWED"}]`)
	wantErrorBody(t, s.call(t, s.int, "GET", "/recent/x", ""), 404, notFoundBody)
}

// TestTabsThemeWire: one tab per object the user can read that has one (standard objects
// with a tab in every org, every custom object), in catalog order, and the same objects'
// theme items. The values are Forcefield's (UNCONFIRMED, dataapi/tabs.go); the test pins
// them so that they stay deterministic.
func TestTabsThemeWire(t *testing.T) {
	s := startData(t)
	img := s.URL + "/img/icon/"
	type look struct{ name, label, prefix, c3, c4, icon32, icon16, t4 string }
	std := func(name, label, prefix, c3, c4, classic, icon string) look {
		return look{name, label, prefix, c3, c4, img + classic + "32.png", img + classic + "16.png", img + "t4v35/standard/" + icon}
	}
	custom := func(name, label, prefix, c, dir, style string) look {
		return look{name, label, prefix, c, c, img + dir + "/" + style + "_32.png", img + dir + "/" + style + "_16.png", img + "t4v35/custom/" + style}
	}
	account := std("Account", "Accounts", "001", "236FBD", "7F8DE1", "accounts", "account")
	contact := std("Contact", "Contacts", "003", "56458C", "A094ED", "contacts", "contact")
	opportunity := std("Opportunity", "Opportunities", "006", "E5C130", "FCB95B", "opportunities", "opportunity")
	kase := std("Case", "Cases", "500", "B7A752", "F2CF5B", "cases", "case")
	invoice := custom("Invoice__c", "Invoices", "a00", "5AB0D2", "custom51_100", "custom76")
	note := custom("Note__c", "Notes", "a01", "8BCF6A", "custom51_100", "custom85")
	colorsIcons := func(l look) string {
		return `"colors":[{"color":"` + l.c3 + `","context":"primary","theme":"theme3"},{"color":"` + l.c4 + `","context":"primary","theme":"theme4"}],` +
			`"%ICONS%"`
	}
	icons := func(l look) string {
		return `"icons":[{"contentType":"image/png","height":32,"theme":"theme3","url":"` + l.icon32 + `","width":32},` +
			`{"contentType":"image/png","height":16,"theme":"theme3","url":"` + l.icon16 + `","width":16},` +
			`{"contentType":"image/svg+xml","height":0,"theme":"theme4","url":"` + l.t4 + `.svg","width":0},` +
			`{"contentType":"image/png","height":60,"theme":"theme4","url":"` + l.t4 + `_60.png","width":60},` +
			`{"contentType":"image/png","height":120,"theme":"theme4","url":"` + l.t4 + `_120.png","width":120}]`
	}
	tab := func(l look) string {
		name, isCustom := "standard-"+l.name, "false"
		if strings.HasSuffix(l.name, "__c") {
			name, isCustom = l.name, "true"
		}
		c := strings.Replace(colorsIcons(l), `"%ICONS%"`, `"custom":`+isCustom+`,"iconUrl":"`+l.icon32+`",`+icons(l), 1)
		return `{` + c + `,"label":"` + l.label + `","miniIconUrl":"` + l.icon16 + `","name":"` + name + `","sobjectName":"` + l.name +
			`","url":"` + s.URL + `/` + l.prefix + `/o"}`
	}
	item := func(l look) string {
		return `{` + strings.Replace(colorsIcons(l), `"%ICONS%"`, icons(l), 1) + `,"name":"` + l.name + `"}`
	}
	join := func(f func(look) string, ls ...look) string {
		var parts []string
		for _, l := range ls {
			parts = append(parts, f(l))
		}
		return strings.Join(parts, ",")
	}
	for _, tc := range []struct {
		name, token, path, want string
	}{
		// The Integration profile reads Account, Contact, Opportunity, Case and both
		// custom objects (not Lead); Setup objects have no tab.
		{"tabs", s.int, "/tabs", `[` + join(tab, account, contact, opportunity, kase, invoice, note) + `]`},
		{"tabs/", s.int, "/tabs/", `[` + join(tab, account, contact, opportunity, kase, invoice, note) + `]`},
		{"tabs of a reader", s.reader, "/tabs", `[` + join(tab, account, invoice, note) + `]`},
		{"theme", s.int, "/theme", `{"themeItems":[` + join(item, account, contact, opportunity, kase, invoice, note) + `]}`},
		{"theme of a reader", s.reader, "/theme", `{"themeItems":[` + join(item, account, invoice, note) + `]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.call(t, tc.token, "GET", tc.path, "")
			if r.Status != 200 || r.Body != tc.want {
				t.Errorf("GET %s\ngot  %d %s\nwant 200 %s", tc.path, r.Status, r.Body, tc.want)
			}
		})
	}
	wantErrorBody(t, s.call(t, s.int, http.MethodDelete, "/tabs", ""), 405,
		`[{"message":"HTTP Method 'DELETE' not allowed. Allowed are GET,HEAD","errorCode":"METHOD_NOT_ALLOWED"}]`)
	wantErrorBody(t, s.call(t, s.int, "GET", "/theme/x", ""), 404, notFoundBody)
}

// TestViewedDatesInSOQL: LastViewedDate and LastReferencedDate read as the running user's
// own dates, in SELECT, WHERE and ORDER BY, also through a parent relationship.
func TestViewedDatesInSOQL(t *testing.T) {
	s := startData(t)
	a := s.create(t, s.int, "Account", `{"Name":"Viewed"}`)
	b := s.create(t, s.int, "Account", `{"Name":"Referenced"}`)
	s.create(t, s.int, "Account", `{"Name":"Untouched"}`)
	s.Clock.Advance(60e9) // 10:01:00
	s.query(t, s.int, "SELECT Id FROM Account WHERE Id = '"+b+"' FOR REFERENCE")
	s.Clock.Advance(60e9) // 10:02:00
	s.query(t, s.int, "SELECT Id FROM Account WHERE Id = '"+a+"' FOR VIEW")
	c := s.create(t, s.int, "Contact", `{"LastName":"Child","AccountId":"`+a+`"}`)

	get := func(token, soql, want string) {
		t.Helper()
		r := s.call(t, token, "GET", "/query?q="+url.QueryEscape(soql), "")
		if r.Status != 200 || r.Body != want {
			t.Errorf("%s\ngot  %d %s\nwant 200 %s", soql, r.Status, r.Body, want)
		}
	}
	rec := func(id, name, viewed, referenced string) string {
		return `{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + id + `"},"Name":"` + name +
			`","LastViewedDate":` + viewed + `,"LastReferencedDate":` + referenced + `}`
	}
	const soql = "SELECT Name, LastViewedDate, LastReferencedDate FROM Account WHERE LastReferencedDate != null ORDER BY LastReferencedDate DESC"
	get(s.int, soql, `{"totalSize":2,"done":true,"records":[`+
		rec(a, "Viewed", `"2026-11-22T10:02:00.000+0000"`, `"2026-11-22T10:02:00.000+0000"`)+`,`+
		rec(b, "Referenced", "null", `"2026-11-22T10:01:00.000+0000"`)+`]}`)
	get(s.peer, soql, `{"totalSize":0,"done":true,"records":[]}`) // another user's dates are not theirs
	get(s.int, "SELECT Account.LastViewedDate FROM Contact WHERE Id = '"+c+"'",
		`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Contact","url":"/services/data/v59.0/sobjects/Contact/`+c+
			`"},"Account":{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/`+a+
			`"},"LastViewedDate":"2026-11-22T10:02:00.000+0000"}}]}`)
}

// TestForViewPages: every page of a FOR VIEW query marks its records, the next pages
// (query locators) included.
func TestForViewPages(t *testing.T) {
	s := startData(t)
	var recs []string
	for i := range 205 {
		recs = append(recs, `{"attributes":{"type":"Account"},"Name":"Page `+strconv.Itoa(i)+`"}`)
	}
	for _, chunk := range [][]string{recs[:200], recs[200:]} {
		if r := s.call(t, s.int, "POST", "/composite/sobjects", `{"records":[`+strings.Join(chunk, ",")+`]}`); r.Status != 200 {
			t.Fatalf("collections: %d %.300s", r.Status, r.Body)
		}
	}
	viewed := func() int {
		t.Helper()
		return s.query(t, s.int, "SELECT COUNT() FROM Account WHERE LastViewedDate != null").TotalSize
	}
	req := newRequest(t, "GET", s.URL+"/services/data/v59.0/query?q="+url.QueryEscape("SELECT Id FROM Account WHERE Name LIKE 'Page %' FOR VIEW"), nil)
	req.Header.Set("Authorization", "Bearer "+s.int)
	req.Header.Set("Sforce-Query-Options", "batchSize=200")
	first := do(t, req)
	var page queryAnswer
	if err := json.Unmarshal([]byte(first.Body), &page); err != nil || len(page.Records) != 200 || page.NextRecordsURL == "" {
		t.Fatalf("first page: %d %.300s", first.Status, first.Body)
	}
	if n := viewed(); n != 200 {
		t.Errorf("after the first page %d records viewed, want 200", n)
	}
	if r := s.call(t, s.int, "GET", page.NextRecordsURL, ""); r.Status != 200 {
		t.Fatalf("next page: %d %.300s", r.Status, r.Body)
	}
	if n := viewed(); n != 205 {
		t.Errorf("after the last page %d records viewed, want 205", n)
	}
}

// TestRecentSetupObject: a User read FOR VIEW is recent too (User is MRU-enabled), and
// SOQL shows the caller's date on it.
func TestRecentSetupObject(t *testing.T) {
	s := startData(t)
	q := s.query(t, s.int, "SELECT Id, Name FROM User WHERE Username = 'peer@acme.example' FOR VIEW")
	if q.TotalSize != 1 {
		t.Fatalf("users: %+v", q)
	}
	id := q.Records[0]["Id"].(string)
	r := s.call(t, s.int, "GET", "/recent", "")
	if want := `[` + recentItem("User", id, "Name", "Peer") + `]`; r.Status != 200 || r.Body != want {
		t.Errorf("recent: %d %s, want %s", r.Status, r.Body, want)
	}
	q = s.query(t, s.int, "SELECT LastViewedDate FROM User WHERE LastViewedDate != null")
	if q.TotalSize != 1 || q.Records[0]["LastViewedDate"] != "2026-11-22T10:00:00.000+0000" {
		t.Errorf("LastViewedDate of the user: %+v", q)
	}
}
