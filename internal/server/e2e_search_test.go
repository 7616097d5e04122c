package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// SOSL over the wire (salesforce-rest-more.md §1): /search and /parameterizedSearch,
// exact bodies, errors, and searching as the running user.

// searchOrgFile: a user with every right, a Limited user who reads Account without its
// Description and a Private custom object without owning its records, and a second org.
const searchOrgFile = `
orgs:
  - name: Search Org
    objects:
      - name: Secret__c
        label: Secret
        sharingModel: Private
        fields:
          - {name: Code__c, type: string, length: 40}
    profiles:
      - name: Searcher
        permissions: [ApiEnabled, ModifyAllData]
      - name: Limited
        permissions: [ApiEnabled]
        objects:
          Account: [Read]
          Secret__c: [Read]
        fields:
          Account.*: [Read]
          Account.Description: []
          Secret__c.*: [Read]
    users:
      - {username: searcher@search.example, lastName: Searcher, email: searcher@search.example, profile: Searcher}
      - {username: limited@search.example, lastName: Limited, email: limited@search.example, profile: Limited}
    connectedApps:
      - {name: Searcher, scopes: [api], consumerKey: SearchKey0001, consumerSecret: SearchSecret0001, clientCredentials: {enabled: true, runAs: searcher@search.example}}
      - {name: Limited, scopes: [api], consumerKey: LimitedKey0001, consumerSecret: LimitedSecret0001, clientCredentials: {enabled: true, runAs: limited@search.example}}
  - name: Other Org
    profiles:
      - name: Searcher
        permissions: [ApiEnabled, ModifyAllData]
    users:
      - {username: searcher@other.example, lastName: Other, email: searcher@other.example, profile: Searcher}
    connectedApps:
      - {name: Other, scopes: [api], consumerKey: OtherKey0001, consumerSecret: OtherSecret0001, clientCredentials: {enabled: true, runAs: searcher@other.example}}
`

type searchServer struct {
	*dataServer
	limited, other string
}

func startSearch(t *testing.T) *searchServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, searchOrgFile)
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile})
	return &searchServer{
		dataServer: &dataServer{testServer: s, int: s.token(t, "SearchKey0001", "SearchSecret0001")},
		limited:    s.token(t, "LimitedKey0001", "LimitedSecret0001"),
		other:      s.token(t, "OtherKey0001", "OtherSecret0001"),
	}
}

// search sends GET /search with q encoded as a query parameter (%20 for spaces).
func (s *searchServer) search(t *testing.T, token, q string) response {
	t.Helper()
	return s.call(t, token, http.MethodGet, "/search?q="+strings.ReplaceAll(url.QueryEscape(q), "+", "%20"), "")
}

func TestSearchWire(t *testing.T) {
	s := startSearch(t)
	tok := s.int
	acct := s.create(t, tok, "Account", `{"Name":"SampleAccount2","Phone":"(336) 222-7000","Description":"kiwi orchard"}`)
	jonesy := s.create(t, tok, "Account", `{"Name":"Jonesy Corp"}`)
	bulk := s.create(t, tok, "Account", `{"Name":"Bulk Account 1731234567890 #7"}`)
	ada := s.create(t, tok, "Contact", fmt.Sprintf(`{"FirstName":"Ada","LastName":"Sample","Email":"ada@sample.example","AccountId":%q}`, acct))
	gone := s.create(t, tok, "Account", `{"Name":"Sample Gone"}`)
	if r := s.call(t, tok, http.MethodDelete, "/sobjects/Account/"+gone, ""); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	s.create(t, s.other, "Account", `{"Name":"SampleAccount2 elsewhere"}`)
	url := func(obj, id string) string { return "/services/data/v59.0/sobjects/" + obj + "/" + id }
	attrs := func(obj, id string) string {
		return fmt.Sprintf(`"attributes":{"type":%q,"url":%q}`, obj, url(obj, id))
	}

	for _, tc := range []struct{ name, q, want string }{
		{"fields in order, relationships nested, objects in RETURNING order",
			`FIND {Sample} IN ALL FIELDS RETURNING Account(Name, Phone), Contact(Name, Account.Name)`,
			`{"searchRecords":[{` + attrs("Account", acct) + `,"Name":"SampleAccount2","Phone":"(336) 222-7000"},{` +
				attrs("Contact", ada) + `,"Name":"Ada Sample","Account":{` + attrs("Account", acct) + `,"Name":"SampleAccount2"}}]}`},
		{"Id only when asked", `FIND {Sample} RETURNING Contact(Id, Email), Account`,
			`{"searchRecords":[{` + attrs("Contact", ada) + `,"Id":"` + ada + `","Email":"ada@sample.example"},{` + attrs("Account", acct) + `,"Id":"` + acct + `"}]}`},
		{"no RETURNING: every searchable object, Id only", `find {sample}`,
			`{"searchRecords":[{` + attrs("Account", acct) + `,"Id":"` + acct + `"},{` + attrs("Contact", ada) + `,"Id":"` + ada + `"}]}`},
		{"NAME FIELDS", `FIND {Sample} IN NAME FIELDS RETURNING Contact(Name)`,
			`{"searchRecords":[{` + attrs("Contact", ada) + `,"Name":"Ada Sample"}]}`},
		{"EMAIL FIELDS", `FIND {sample} IN EMAIL FIELDS RETURNING Account(Name), Contact(Name)`,
			`{"searchRecords":[{` + attrs("Contact", ada) + `,"Name":"Ada Sample"}]}`},
		{"PHONE FIELDS", `FIND {336} IN PHONE FIELDS RETURNING Account(Name)`,
			`{"searchRecords":[{` + attrs("Account", acct) + `,"Name":"SampleAccount2"}]}`},
		{"phone digits run together", `FIND {3362227000} IN PHONE FIELDS RETURNING Account(Name)`,
			`{"searchRecords":[{` + attrs("Account", acct) + `,"Name":"SampleAccount2"}]}`},
		{"a number inside text", `FIND {"1731234567890"} IN NAME FIELDS RETURNING Account(Id, Name)`,
			`{"searchRecords":[{` + attrs("Account", bulk) + `,"Id":"` + bulk + `","Name":"Bulk Account 1731234567890 #7"}]}`},
		{"no prefix match", `FIND {Jones} RETURNING Account(Name)`, `{"searchRecords":[]}`},
		{"wildcards", `FIND {jon*y OR jo?esy} RETURNING Account(Name)`,
			`{"searchRecords":[{` + attrs("Account", jonesy) + `,"Name":"Jonesy Corp"}]}`},
		{"WHERE, ORDER BY, LIMIT; WITH and UPDATE ignored",
			`FIND {account OR corp} RETURNING Account(Name WHERE Name != 'x' ORDER BY Name DESC LIMIT 2) WITH SPELL_CORRECTION = false LIMIT 10 UPDATE TRACKING`,
			`{"searchRecords":[{` + attrs("Account", acct) + `,"Name":"SampleAccount2"},{` + attrs("Account", jonesy) + `,"Name":"Jonesy Corp"}]}`},
		{"overall LIMIT", `FIND {sample} RETURNING Account(Name), Contact(Name) LIMIT 1`,
			`{"searchRecords":[{` + attrs("Account", acct) + `,"Name":"SampleAccount2"}]}`},
		{"OFFSET", `FIND {account OR corp} RETURNING Account(Name ORDER BY Name OFFSET 1)`,
			`{"searchRecords":[{` + attrs("Account", jonesy) + `,"Name":"Jonesy Corp"},{` + attrs("Account", acct) + `,"Name":"SampleAccount2"}]}`},
	} {
		wantBody(t, tc.name, s.search(t, tok, tc.q), http.StatusOK, tc.want)
	}

	// + for a space, as simple-salesforce sends it; a trailing slash.
	r := s.call(t, tok, http.MethodGet, "/search/?q=FIND+%7BJonesy%7D+RETURNING+Account%28Name%29", "")
	wantBody(t, "plus for space", r, http.StatusOK, `{"searchRecords":[{`+attrs("Account", jonesy)+`,"Name":"Jonesy Corp"}]}`)

	// Errors (salesforce-rest-more.md §1.5).
	for _, tc := range []struct{ name, q, code, msg string }{
		{"bad token", `FIND {name} IN ALL TYPE RETURNING Account(name)`, "MALFORMED_SEARCH",
			"\nFIND {name} IN ALL TYPE RETURNING Account(name)\n                  ^\nERROR at Row:1:Column:19\nMalformed search token: TYPE"},
		{"no braces", `FIND 'Jones' IN ALL FIELDS`, "MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces."},
		{"one character", `FIND {a}`, "INVALID_SEARCH", "search term must be longer than one character: a"},
		{"unknown object", `FIND {Acme} RETURNING FooBar`, "INVALID_TYPE",
			"\nFIND {Acme} RETURNING FooBar\n                     ^\nERROR at Row:1:Column:22\nsObject type 'FooBar' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."},
		{"unknown field", `FIND {Acme} RETURNING Contact(fooBar)`, "INVALID_FIELD",
			"\nFIND {Acme} RETURNING Contact(fooBar)\n                             ^\nERROR at Row:1:Column:30\nNo such column 'fooBar' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."},
		{"not searchable", `FIND {Acme} RETURNING User`, "INVALID_TYPE",
			"\nFIND {Acme} RETURNING User\n                     ^\nERROR at Row:1:Column:22\nentity type User does not support search"},
		{"WHERE needs a field list", `FIND {Acme} RETURNING Account(LIMIT 10)`, "MALFORMED_SEARCH",
			"\nFIND {Acme} RETURNING Account(LIMIT 10)\n                             ^\nERROR at Row:1:Column:30\nunexpected token: 'LIMIT'"},
	} {
		wantBody(t, tc.name, s.search(t, tok, tc.q), http.StatusBadRequest, restError(tc.code, tc.msg))
	}
	wantBody(t, "missing q", s.call(t, tok, http.MethodGet, "/search", ""), http.StatusBadRequest,
		restError("MALFORMED_SEARCH", "SOSL statements cannot be empty or null"))
	wantBody(t, "POST", s.call(t, tok, http.MethodPost, "/search?q=FIND%20%7BAcme%7D", "{}"), http.StatusMethodNotAllowed,
		restError("METHOD_NOT_ALLOWED", "HTTP Method 'POST' not allowed. Allowed are GET,HEAD"))

	// A /composite request that rolls back leaves nothing searchable; one that commits is
	// searchable at once.
	comp := func(allOrNone bool, second string) response {
		return s.call(t, tok, http.MethodPost, "/composite", fmt.Sprintf(`{"allOrNone":%t,"compositeRequest":[`+
			`{"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"a","body":{"Name":"Composite Quokka"}},`+
			`{"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"b","body":%s}]}`, allOrNone, second))
	}
	if r := comp(true, `{"Nope__c":1}`); r.Status != http.StatusOK {
		t.Fatalf("composite: %d %s", r.Status, r.Body)
	}
	wantBody(t, "rolled-back composite", s.search(t, tok, `FIND {quokka} RETURNING Account(Name)`), http.StatusOK, `{"searchRecords":[]}`)
	if r := comp(true, `{"Name":"Composite Wombat"}`); r.Status != http.StatusOK {
		t.Fatalf("composite: %d %s", r.Status, r.Body)
	}
	r = s.search(t, tok, `FIND {quokka OR wombat} RETURNING Account(Name ORDER BY Name)`)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `"Name":"Composite Quokka"},{`) || !strings.Contains(r.Body, `"Name":"Composite Wombat"}]}`) {
		t.Errorf("committed composite: %d %s", r.Status, r.Body)
	}

	// scopeOrder: the searchable objects the caller may read.
	r = s.call(t, s.limited, http.MethodGet, "/search/scopeOrder", "")
	wantBody(t, "scopeOrder", r, http.StatusOK,
		`[{"type":"Account","url":"/services/data/v59.0/sobjects/Account/describe"},{"type":"Secret__c","url":"/services/data/v59.0/sobjects/Secret__c/describe"}]`)
}

// TestSearchAccess: a search answers as the running user.
func TestSearchAccess(t *testing.T) {
	s := startSearch(t)
	acct := s.create(t, s.int, "Account", `{"Name":"Orchard Holdings","Description":"kiwi grower"}`)
	secret := s.create(t, s.int, "Secret__c", `{"Name":"Kiwi Secret","Code__c":"k-1"}`)
	attrs := func(obj, id string) string {
		return fmt.Sprintf(`"attributes":{"type":%q,"url":"/services/data/v59.0/sobjects/%s/%s"}`, obj, obj, id)
	}
	wantBody(t, "the owner finds both", s.search(t, s.int, `FIND {kiwi} RETURNING Account(Name), Secret__c(Name)`), http.StatusOK,
		`{"searchRecords":[{`+attrs("Account", acct)+`,"Name":"Orchard Holdings"},{`+attrs("Secret__c", secret)+`,"Name":"Kiwi Secret"}]}`)
	// Limited may not read Description: it never makes a record match; and Secret__c is
	// Private and owned by another user.
	wantBody(t, "hidden field, private record", s.search(t, s.limited, `FIND {kiwi} RETURNING Account(Name), Secret__c(Name)`), http.StatusOK,
		`{"searchRecords":[]}`)
	wantBody(t, "visible field", s.search(t, s.limited, `FIND {orchard} RETURNING Account(Name)`), http.StatusOK,
		`{"searchRecords":[{`+attrs("Account", acct)+`,"Name":"Orchard Holdings"}]}`)
	wantBody(t, "no RETURNING skips unreadable objects", s.search(t, s.limited, `FIND {orchard OR kiwi}`), http.StatusOK,
		`{"searchRecords":[{`+attrs("Account", acct)+`,"Id":"`+acct+`"}]}`)
	wantBody(t, "unreadable field in RETURNING", s.search(t, s.limited, `FIND {orchard} RETURNING Account(Description)`), http.StatusBadRequest,
		restError("INVALID_FIELD", "\nFIND {orchard} RETURNING Account(Description)\n                                ^\nERROR at Row:1:Column:33\nNo such column 'Description' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."))
	wantBody(t, "unreadable object", s.search(t, s.limited, `FIND {orchard} RETURNING Contact`), http.StatusBadRequest,
		restError("INVALID_TYPE", "\nFIND {orchard} RETURNING Contact\n                        ^\nERROR at Row:1:Column:25\nsObject type 'Contact' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."))
	wantBody(t, "another org", s.search(t, s.other, `FIND {orchard OR kiwi}`), http.StatusOK, `{"searchRecords":[]}`)
}

func TestParameterizedSearch(t *testing.T) {
	s := startSearch(t)
	a1 := s.create(t, s.int, "Account", `{"Name":"Acme One","Phone":"555 0100"}`)
	a2 := s.create(t, s.int, "Account", `{"Name":"Acme Two"}`)
	c1 := s.create(t, s.int, "Contact", `{"LastName":"Acme","Email":"x@acme.example"}`)
	attrs := func(obj, id string) string {
		return fmt.Sprintf(`"attributes":{"type":%q,"url":"/services/data/v59.0/sobjects/%s/%s"}`, obj, obj, id)
	}
	for _, tc := range []struct{ name, path, want string }{
		{"q only", "/parameterizedSearch/?q=Acme",
			`{"searchRecords":[{` + attrs("Account", a1) + `,"Id":"` + a1 + `"},{` + attrs("Account", a2) + `,"Id":"` + a2 + `"},{` + attrs("Contact", c1) + `,"Id":"` + c1 + `"}]}`},
		{"sobject, fields, per-object options", "/parameterizedSearch?q=acme&sobject=Account&sobject=Contact&fields=Name&Account.fields=Name,Phone&Account.where=Name%20LIKE%20%27Acme%25%27&Account.orderBy=Name%20DESC%20NULLS_LAST&Account.limit=1",
			`{"searchRecords":[{` + attrs("Account", a2) + `,"Name":"Acme Two","Phone":null},{` + attrs("Contact", c1) + `,"Name":"Acme"}]}`},
		{"in, overallLimit", "/parameterizedSearch?q=acme&in=EMAIL&overallLimit=5", `{"searchRecords":[{` + attrs("Contact", c1) + `,"Id":"` + c1 + `"}]}`},
		{"offset", "/parameterizedSearch?q=acme&sobject=Account&Account.orderBy=Name&fields=Name&offset=1", `{"searchRecords":[{` + attrs("Account", a2) + `,"Name":"Acme Two"}]}`},
	} {
		wantBody(t, tc.name, s.call(t, s.int, http.MethodGet, tc.path, ""), http.StatusOK, tc.want)
	}
	r := s.call(t, s.int, http.MethodPost, "/parameterizedSearch", `{"q":"Acme","fields":["id","name"],"sobjects":[{"name":"Account","where":"Phone != null","limit":5},{"name":"Contact","fields":["email"]}],"in":"ALL","overallLimit":100}`)
	wantBody(t, "POST", r, http.StatusOK, `{"searchRecords":[{`+attrs("Account", a1)+`,"Id":"`+a1+`","Name":"Acme One"},{`+attrs("Contact", c1)+`,"Email":"x@acme.example"}]}`)

	for _, tc := range []struct{ name, path, code, msg string }{
		{"no q", "/parameterizedSearch", "MALFORMED_SEARCH", "SOSL statements cannot be empty or null"},
		{"one character", "/parameterizedSearch?q=a", "INVALID_SEARCH", "search term must be longer than one character: a"},
		{"unknown object", "/parameterizedSearch?q=acme&sobject=FooBar", "INVALID_TYPE", "sObject type 'FooBar' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."},
		{"bad where", "/parameterizedSearch?q=acme&sobject=Account&Account.where=Name%3D", "MALFORMED_QUERY", "\nName=\n     ^\nERROR at Row:1:Column:6\nunexpected token: '<EOF>'"},
		{"bad limit", "/parameterizedSearch?q=acme&overallLimit=x", "MALFORMED_SEARCH", "Invalid value for parameter overallLimit: x"},
	} {
		wantBody(t, tc.name, s.call(t, s.int, http.MethodGet, tc.path, ""), http.StatusBadRequest, restError(tc.code, tc.msg))
	}
}

// TestJSForceSearch: jsforce's own SOSL test (salesforce-rest-more.md §0) through
// clients/jsforce/search.js: 20 Accounts bulk-inserted are found by the number in their
// name at once, with exactly attributes, Id and Name.
func TestJSForceSearch(t *testing.T) {
	node := needJSForce(t)
	s := startDataOrg(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "search.js")
	cmd.Dir = jsforceDir
	cmd.Env = clientEnv("FF_URL="+s.URL, "FF_KEY="+dataKey, "FF_SECRET="+dataSecret)
	out, err := cmd.Output()
	var got map[string]any
	if jerr := json.Unmarshal(out, &got); jerr != nil {
		t.Fatalf("node search.js: %v; output %q", err, out)
	}
	if err != nil {
		t.Fatalf("node search.js failed: %v: %v", err, got)
	}
	var names []any
	for i := 1; i <= 20; i++ {
		names = append(names, fmt.Sprintf("Bulk Account <n> #%d", i))
	}
	want := map[string]any{
		"inserted":    20.0,
		"found":       20.0,
		"keys":        []any{"attributes", "Id", "Name"},
		"types":       []any{"Account"},
		"names":       names,
		"afterDelete": []any{"JSF SearchOne"},
		"none":        map[string]any{"searchRecords": []any{}},
		"error":       map[string]any{"errorCode": "INVALID_SEARCH", "message": "search term must be longer than one character: a"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jsforce search (-want +got):\n%s", diff)
	}
}

// TestSimpleSalesforceSearch: search and quick_search through
// clients/simple-salesforce/search.py over TLS (a space sent as +).
func TestSimpleSalesforceSearch(t *testing.T) {
	s := startDataOrg(t, true)
	got := runSimpleSalesforceScript(t, s, "../../clients/simple-salesforce/search.py", s.token(t, dataKey, dataSecret))
	want := map[string]any{
		"search": []any{
			map[string]any{"type": "Account", "Name": "SSF SampleOne", "Phone": "(415) 555-0100"},
			map[string]any{"type": "Account", "Name": "SSF SampleTwo", "Phone": nil},
		},
		"searchKeys": []any{[]any{"attributes", "Name", "Phone"}, []any{"attributes", "Name", "Phone"}},
		// FIND {Other}: no RETURNING, so every searchable object, attributes and Id.
		"quick": []any{[]any{"Account", []any{"Id", "attributes"}}},
		"none":  map[string]any{"searchRecords": []any{}},
		"error": []any{400.0, "INVALID_SEARCH", "search term must be longer than one character: x"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("simple-salesforce search (-want +got):\n%s", diff)
	}
}

// TestSFDataSearch: `sf data search` as plugin-data's own NUT checks it (search.nut.ts):
// records keyed exactly attributes, Name, Phone; {"searchRecords":[]} for no hits; the
// no-braces error.
func TestSFDataSearch(t *testing.T) {
	sf := needSF(t)
	s := startDataOrg(t, false)
	tok := s.token(t, dataKey, dataSecret)
	for _, body := range []string{`{"Name":"SampleAccount","Phone":"(336) 222-7000"}`, `{"Name":"SampleAccount2"}`, `{"Name":"Unrelated"}`} {
		req := newRequest(t, http.MethodPost, s.URL+"/services/data/v59.0/sobjects/Account", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		if r := do(t, req); r.Status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", body, r.Status, r.Body)
		}
	}
	if login, err := sf.json(t, []string{"SF_ACCESS_TOKEN=" + tok}, "org", "login", "access-token",
		"--instance-url", s.URL, "--no-prompt", "--alias", "ff"); err != nil {
		t.Fatalf("sf org login access-token: %v: %v", err, login)
	}
	res, err := sf.json(t, nil, "data", "search", "-q", "FIND {Sample} IN ALL FIELDS RETURNING Account(Name, Phone ORDER BY Name), Contact(FirstName, LastName)", "-o", "ff")
	if err != nil {
		t.Fatalf("sf data search: %v: %v", err, res)
	}
	result, _ := res["result"].(map[string]any)
	recs, _ := result["searchRecords"].([]any)
	var got []any
	for _, r := range recs {
		m := r.(map[string]any)
		delete(m["attributes"].(map[string]any), "url")
		got = append(got, m)
	}
	want := []any{
		map[string]any{"attributes": map[string]any{"type": "Account"}, "Name": "SampleAccount", "Phone": "(336) 222-7000"},
		map[string]any{"attributes": map[string]any{"type": "Account"}, "Name": "SampleAccount2", "Phone": nil},
	}
	if diff := cmp.Diff(want, got); diff != "" || res["status"] != 0.0 {
		t.Errorf("sf data search: status %v (-want +got):\n%s", res["status"], diff)
	}
	none, err := sf.json(t, nil, "data", "search", "-q", "FIND {Nothingmatches}", "-o", "ff")
	if err != nil || !cmp.Equal(none["result"], map[string]any{"searchRecords": []any{}}) {
		t.Errorf("no hits: %v %v", err, none)
	}
	fail, err := sf.json(t, nil, "data", "search", "-q", "FIND 'Jones' IN ALL FIELDS", "-o", "ff")
	if err == nil || fail["message"] != "No search term found. The search term must be enclosed in braces." || fail["exitCode"] != 1.0 {
		t.Errorf("no braces: err %v, %v", err, fail)
	}
}

// TestSearchSuggestions: /search/suggestions, the last word as a prefix, in name fields.
func TestSearchSuggestions(t *testing.T) {
	s := startSearch(t)
	uni := s.create(t, s.int, "Account", `{"Name":"National University"}`)
	units := s.create(t, s.int, "Account", `{"Name":"National Units"}`)
	s.create(t, s.int, "Account", `{"Name":"Nationwide","Description":"national utilities"}`)
	rec := func(id, name string) string {
		return fmt.Sprintf(`{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/%s"},"Id":%q,"Name":%q}`, id, id, name)
	}
	for _, tc := range []struct{ name, path, want string }{
		{"prefix on the last word", "/search/suggestions?q=national+u&sobject=Account",
			`{"autoSuggestResults":[` + rec(uni, "National University") + `,` + rec(units, "National Units") + `],"hasMoreResults":false}`},
		{"limit", "/search/suggestions?q=%22national%22&sobject=Account,Contact&limit=1",
			`{"autoSuggestResults":[` + rec(uni, "National University") + `],"hasMoreResults":true}`},
		{"too short", "/search/suggestions?q=na&sobject=Account", `{"autoSuggestResults":[],"hasMoreResults":false}`},
		{"no match in Secret__c", "/search/suggestions?q=national&sobject=Secret__c", `{"autoSuggestResults":[],"hasMoreResults":false}`},
	} {
		wantBody(t, tc.name, s.call(t, s.int, http.MethodGet, tc.path, ""), http.StatusOK, tc.want)
	}
	wantBody(t, "Contact unreadable for Limited", s.call(t, s.limited, http.MethodGet, "/search/suggestions?q=national&sobject=Contact", ""),
		http.StatusOK, `{"autoSuggestResults":[],"hasMoreResults":false}`)
	wantBody(t, "no sobject", s.call(t, s.int, http.MethodGet, "/search/suggestions?q=national", ""), http.StatusBadRequest,
		restError("MISSING_ARGUMENT", "sobject is required"))
}
