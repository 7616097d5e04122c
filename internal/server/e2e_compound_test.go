package server

import (
	"context"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Compound address fields and FIELDS() over REST (salesforce-rest-more.md §7, §8.1):
// exact bodies of the query, the record retrieve and every refusal.

func (s *dataServer) queryBody(t *testing.T, token, version, soql string) response {
	t.Helper()
	return s.call(t, token, http.MethodGet, "/services/data/v"+version+"/query?q="+url.QueryEscape(soql), "")
}

// TestCompoundAddressQuery: a compound field selects its parts and renders one object with
// lower-case keys in alphabetical order, numbers as numbers, null when every part is
// null, also through a parent path, in /queryAll, in a composite subrequest and in the
// record retrieve; API 29.0 does not know it.
func TestCompoundAddressQuery(t *testing.T) {
	s := startData(t)
	acme := s.create(t, s.int, "Account", `{"Name":"Acme HQ","BillingStreet":"560 Mission Street","BillingCity":"San Francisco","BillingState":"CA","BillingPostalCode":"94105","BillingCountry":"United States","BillingLatitude":37.775,"BillingLongitude":-122.418}`)
	bare := s.create(t, s.int, "Account", `{"Name":"Bare"}`)
	ada := s.create(t, s.int, "Contact", `{"LastName":"Lovelace","AccountId":"`+acme+`","MailingCity":"London","MailingCountry":"UK"}`)
	const billing = `{"city":"San Francisco","country":"United States","geocodeAccuracy":null,"latitude":37.775,"longitude":-122.418,"postalCode":"94105","state":"CA","street":"560 Mission Street"}`
	acctURL := func(id string) string {
		return `{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + id + `"}`
	}
	contactURL := `{"type":"Contact","url":"/services/data/v59.0/sobjects/Contact/` + ada + `"}`

	for _, tc := range []struct{ name, path, want string }{
		{"parts set and all null", "/query?q=" + url.QueryEscape("SELECT Name, BillingAddress FROM Account WHERE Id IN ('"+acme+"','"+bare+"') ORDER BY Name"),
			`{"totalSize":2,"done":true,"records":[{"attributes":` + acctURL(acme) + `,"Name":"Acme HQ","BillingAddress":` + billing + `},` +
				`{"attributes":` + acctURL(bare) + `,"Name":"Bare","BillingAddress":null}]}`},
		{"contact mailing", "/query?q=" + url.QueryEscape("SELECT MailingAddress, OtherAddress FROM Contact WHERE Id = '"+ada+"'"),
			`{"totalSize":1,"done":true,"records":[{"attributes":` + contactURL + `,"MailingAddress":{"city":"London","country":"UK","geocodeAccuracy":null,"latitude":null,"longitude":null,"postalCode":null,"state":null,"street":null},"OtherAddress":null}]}`},
		{"relationship path", "/query?q=" + url.QueryEscape("SELECT LastName, Account.BillingAddress FROM Contact WHERE Id = '"+ada+"'"),
			`{"totalSize":1,"done":true,"records":[{"attributes":` + contactURL + `,"LastName":"Lovelace","Account":{"attributes":` + acctURL(acme) + `,"BillingAddress":` + billing + `}}]}`},
		{"queryAll and child subquery", "/queryAll?q=" + url.QueryEscape("SELECT BillingAddress, (SELECT MailingAddress FROM Contacts) FROM Account WHERE Id = '"+acme+"'"),
			`{"totalSize":1,"done":true,"records":[{"attributes":` + acctURL(acme) + `,"BillingAddress":` + billing + `,"Contacts":{"totalSize":1,"done":true,"records":[{"attributes":` + contactURL + `,"MailingAddress":{"city":"London","country":"UK","geocodeAccuracy":null,"latitude":null,"longitude":null,"postalCode":null,"state":null,"street":null}}]}}]}`},
		{"record retrieve", "/sobjects/Account/" + acme + "?fields=Name,BillingAddress,ShippingAddress",
			`{"attributes":` + acctURL(acme) + `,"Name":"Acme HQ","BillingAddress":` + billing + `,"ShippingAddress":null}`},
	} {
		r := s.call(t, s.int, http.MethodGet, tc.path, "")
		if r.Status != http.StatusOK || r.Body != tc.want {
			t.Errorf("%s: %d\n got %s\nwant %s", tc.name, r.Status, r.Body, tc.want)
		}
	}

	// DISTANCE() filters and sorts by the point of the address.
	for q, want := range map[string][]any{
		"SELECT Name FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(37.7749,-122.4194), 'mi') < 20":                       {"Acme HQ"},
		"SELECT Name FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(34.0522,-118.2437), 'km') < 500":                      {},
		"SELECT Name FROM Account ORDER BY DISTANCE(BillingAddress, GEOLOCATION(34.0522,-118.2437), 'km') DESC NULLS LAST LIMIT 1": {"Acme HQ"},
		"SELECT LastName FROM Contact WHERE DISTANCE(Account.BillingAddress, GEOLOCATION(37.7749,-122.4194), 'km') < 1":            {"Lovelace"},
	} {
		var got []any
		for _, rec := range s.query(t, s.int, q).Records {
			for k, v := range rec {
				if k != "attributes" {
					got = append(got, v)
				}
			}
		}
		if !cmp.Equal(want, got, cmpopts.EquateEmpty()) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}

	// The Setup objects' Address (User, Organization).
	var r response
	for _, q := range []string{"SELECT Address FROM User WHERE Username = 'int@acme.example'", "SELECT Address FROM Organization"} {
		if r := s.queryBody(t, s.int, "59.0", q); r.Status != 200 || !strings.Contains(r.Body, `,"Address":null}]}`) {
			t.Errorf("%s: %d %s", q, r.Status, r.Body)
		}
	}

	// Composite runs the same planner.
	r = s.call(t, s.int, http.MethodPost, "/composite", `{"compositeRequest":[{"method":"GET","referenceId":"q","url":"/services/data/v59.0/query?q=`+
		url.QueryEscape("SELECT BillingAddress FROM Account WHERE Id = '"+acme+"'")+`"}]}`)
	if want := `"body":{"totalSize":1,"done":true,"records":[{"attributes":` + acctURL(acme) + `,"BillingAddress":` + billing + `}]}`; r.Status != 200 || !strings.Contains(r.Body, want) {
		t.Errorf("composite: %d %s\nwant it to contain %s", r.Status, r.Body, want)
	}

	// Before API 30.0 there are no address fields: the query does not know the name, and
	// the full record leaves it out.
	r = s.queryBody(t, s.int, "29.0", "SELECT BillingAddress FROM Account")
	wantErrorBody(t, r, 400, `[{"message":"\nSELECT BillingAddress FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'BillingAddress' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.","errorCode":"INVALID_FIELD"}]`)
	r = s.call(t, s.int, http.MethodGet, "/services/data/v29.0/sobjects/Account/"+acme, "")
	if r.Status != 200 || strings.Contains(r.Body, `"BillingAddress"`) || !strings.Contains(r.Body, `"BillingCity":"San Francisco"`) {
		t.Errorf("v29 retrieve: %d %s", r.Status, r.Body)
	}
	r = s.call(t, s.int, http.MethodGet, "/services/data/v30.0/sobjects/Account/"+acme, "")
	if !strings.Contains(r.Body, `"BillingAddress":`+billing) {
		t.Errorf("v30 retrieve lacks BillingAddress: %s", r.Body)
	}

	// Describe: the compound as the recordings have it, right after its parts; not in v29.
	d := s.call(t, s.int, http.MethodGet, "/sobjects/Account/describe", "").JSON(t)
	var names []string
	for _, f := range d["fields"].([]any) {
		m := f.(map[string]any)
		names = append(names, m["name"].(string))
		if m["name"] == "BillingAddress" {
			for k, want := range map[string]any{"type": "address", "soapType": "urn:address", "createable": false, "updateable": false,
				"nillable": true, "sortable": false, "groupable": false, "filterable": true, "compoundFieldName": nil, "queryByDistance": true} {
				if m[k] != want {
					t.Errorf("describe BillingAddress %s = %v, want %v", k, m[k], want)
				}
			}
		}
		if m["name"] == "BillingCity" && m["compoundFieldName"] != "BillingAddress" {
			t.Errorf("BillingCity compoundFieldName = %v", m["compoundFieldName"])
		}
	}
	if got := strings.Join(names, ","); !strings.Contains(got, "BillingLongitude,BillingGeocodeAccuracy,BillingAddress,ShippingStreet") {
		t.Errorf("describe order: %s", got)
	}
	d = s.call(t, s.int, http.MethodGet, "/services/data/v29.0/sobjects/Account/describe", "").JSON(t)
	for _, f := range d["fields"].([]any) {
		if n := f.(map[string]any)["name"]; n == "BillingAddress" || n == "ShippingAddress" {
			t.Errorf("v29 describe has %s", n)
		}
	}
}

// TestCompoundAddressRefusals: where Salesforce refuses a compound field — WHERE, ORDER
// BY, GROUP BY, DISTANCE() (not served), writes, Bulk queries — the answers are exact.
func TestCompoundAddressRefusals(t *testing.T) {
	s := startData(t)
	acme := s.create(t, s.int, "Account", `{"Name":"Acme"}`)
	for _, tc := range []struct{ soql, want string }{
		{"SELECT Id FROM Account WHERE BillingAddress = 'x'",
			`[{"message":"\nSELECT Id FROM Account WHERE BillingAddress = 'x'\n                             ^\nERROR at Row:1:Column:30\nAddress fields can only be filtered using Distance expressions","errorCode":"INVALID_FIELD"}]`},
		{"SELECT Id FROM Contact WHERE Account.BillingAddress != null",
			`[{"message":"\nSELECT Id FROM Contact WHERE Account.BillingAddress != null\n                             ^\nERROR at Row:1:Column:30\nAddress fields can only be filtered using Distance expressions","errorCode":"INVALID_FIELD"}]`},
		{"SELECT Id FROM Account ORDER BY BillingAddress",
			`[{"message":"\nSELECT Id FROM Account ORDER BY BillingAddress\n                                ^\nERROR at Row:1:Column:33\nfield 'BillingAddress' can not be sorted in a query call","errorCode":"MALFORMED_QUERY"}]`},
		{"SELECT COUNT(Id) FROM Account GROUP BY BillingAddress",
			`[{"message":"\nSELECT COUNT(Id) FROM Account GROUP BY BillingAddress\n                                       ^\nERROR at Row:1:Column:40\nfield 'BillingAddress' can not be grouped in a query call","errorCode":"MALFORMED_QUERY"}]`},
		{"SELECT DISTANCE(BillingAddress, GEOLOCATION(37.775,-122.418), 'mi') FROM Account",
			`[{"message":"\nSELECT DISTANCE(BillingAddress, GEOLOCATION(37.775,-122.418), 'mi') FROM Account\n       ^\nERROR at Row:1:Column:8\nDISTANCE is supported only in WHERE (with \u003c or \u003e) and ORDER BY by this server","errorCode":"MALFORMED_QUERY"}]`},
		{"SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(37.775,-122.418), 'mi') = 20",
			`[{"message":"\nSELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(37.775,-122.418), 'mi') = 20\n                                                                                          ^\nERROR at Row:1:Column:91\nDISTANCE() can only be compared with \u003c or \u003e","errorCode":"MALFORMED_QUERY"}]`},
	} {
		wantErrorBody(t, s.queryBody(t, s.int, "59.0", tc.soql), 400, tc.want)
	}

	// Writes: the error of any read-only field, names comma-joined.
	wantErrorBody(t, s.call(t, s.int, http.MethodPost, "/sobjects/Account", `{"Name":"X","BillingAddress":{"city":"Paris"},"ShippingAddress":null}`), 400,
		`[{"message":"Unable to create/update fields: BillingAddress, ShippingAddress. Please check the security settings of this field and verify that it is read/write for your profile or permission set.","errorCode":"INVALID_FIELD_FOR_INSERT_UPDATE","fields":["BillingAddress","ShippingAddress"]}]`)
	wantErrorBody(t, s.call(t, s.int, http.MethodPatch, "/sobjects/Account/"+acme, `{"BillingAddress":{"city":"Paris"}}`), 400,
		`[{"message":"Unable to update fields: BillingAddress. Please check the security settings of this field and verify that it is read/write for your profile or permission set.","errorCode":"INVALID_FIELD_FOR_INSERT_UPDATE","fields":["BillingAddress"]}]`)
	wantErrorBody(t, s.call(t, s.int, http.MethodPost, "/composite/sobjects", `{"allOrNone":false,"records":[{"attributes":{"type":"Contact"},"LastName":"Z","MailingAddress":{}}]}`), 200,
		`[{"success":false,"errors":[{"statusCode":"INVALID_FIELD_FOR_INSERT_UPDATE","message":"Unable to create/update fields: MailingAddress. Please check the security settings of this field and verify that it is read/write for your profile or permission set.","fields":["MailingAddress"]}]}]`)

	// Bulk: a named compound field is refused as Salesforce refuses it; FIELDS(ALL) and
	// FIELDS(CUSTOM) are refused by Bulk API 2.0.
	for _, c := range []struct{ soql, want string }{
		{"SELECT Name, BillingAddress FROM Account", `[{"message":"Selecting compound data not supported in Bulk Query","errorCode":"FUNCTIONALITY_NOT_ENABLED"}]`},
		{"SELECT FIELDS(ALL) FROM Account LIMIT 200", `[{"message":"Implementation restriction: FIELDS(ALL) and FIELDS(CUSTOM) are not supported by the Bulk API; name the fields or use FIELDS(STANDARD)","errorCode":"API_ERROR"}]`},
		{"SELECT FIELDS(CUSTOM) FROM Account LIMIT 10", `[{"message":"Implementation restriction: FIELDS(ALL) and FIELDS(CUSTOM) are not supported by the Bulk API; name the fields or use FIELDS(STANDARD)","errorCode":"API_ERROR"}]`},
	} {
		r := s.bulkCall(t, s.int, http.MethodPost, "query", "application/json", `{"operation":"query","query":"`+c.soql+`"}`)
		if r.Status != 400 || r.Body != c.want {
			t.Errorf("bulk %q: %d %s\nwant %s", c.soql, r.Status, r.Body, c.want)
		}
	}
	// Bulk FIELDS(STANDARD) runs, without the compound fields.
	r := s.bulkCall(t, s.int, http.MethodPost, "query", "application/json", `{"operation":"query","query":"SELECT FIELDS(STANDARD) FROM Account WHERE Id = '`+acme+`'"}`)
	if r.Status != 200 {
		t.Fatalf("bulk FIELDS(STANDARD): %d %s", r.Status, r.Body)
	}
	id := r.JSON(t)["id"].(string)
	s.waitJob(t, s.int, "query", id)
	res := s.bulkCall(t, s.int, http.MethodGet, "query/"+id+"/results", "", "")
	header, _, _ := strings.Cut(res.Body, "\n")
	if res.Status != 200 || strings.Contains(header, "Address\"") || !strings.Contains(header, `"BillingCity"`) {
		t.Errorf("bulk FIELDS(STANDARD) header: %d %s", res.Status, header)
	}
	// Bulk 1.0 reports it in Salesforce's words.
	job := s.v1Create(t, s.int, "query", "Account", "CSV")
	b := s.v1Batch(t, s.int, job, "text/csv", "SELECT Id, ShippingAddress FROM Account")
	if info := s.v1Wait(t, s.int, job, b); xmlField(t, info, "state") != "Failed" ||
		xmlField(t, info, "stateMessage") != "InvalidBatch : Failed to process query: FUNCTIONALITY_NOT_ENABLED: Selecting compound data not supported in Bulk Query" {
		t.Errorf("bulk 1.0 compound: %s", info)
	}
}

// TestFieldsFunction: FIELDS(ALL) gives what the full record retrieve gives (describe
// order, field-level security applied, compound fields included), and Salesforce's
// errors for a missing bound, duplicates, aggregates and API versions before 51.0.
func TestFieldsFunction(t *testing.T) {
	s := startData(t)
	acme := s.create(t, s.int, "Account", `{"Name":"Acme","BillingCity":"Paris","Tier__c":"Gold","Phone":"555"}`)
	rec := s.call(t, s.int, http.MethodGet, "/sobjects/Account/"+acme, "")
	if rec.Status != 200 {
		t.Fatalf("retrieve: %d %s", rec.Status, rec.Body)
	}
	r := s.queryBody(t, s.int, "59.0", "SELECT FIELDS(ALL) FROM Account WHERE Id = '"+acme+"' LIMIT 200")
	if want := `{"totalSize":1,"done":true,"records":[` + rec.Body + `]}`; r.Status != 200 || r.Body != want {
		t.Errorf("FIELDS(ALL):\n got %d %s\nwant %s", r.Status, r.Body, want)
	}
	if strings.Contains(r.Body, `"Rating"`) || !strings.Contains(r.Body, `"BillingAddress":{"city":"Paris",`) {
		t.Errorf("FIELDS(ALL) must leave out Rating (no field access) and include BillingAddress: %s", r.Body)
	}
	// Mixed, at its place; bounded by Id without LIMIT.
	r = s.queryBody(t, s.int, "59.0", "SELECT Name, FIELDS(CUSTOM), Phone FROM Account WHERE Id IN ('"+acme+"')")
	if want := `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + acme + `"},"Name":"Acme","Tier__c":"Gold","Phone":"555"}]}`; r.Body != want {
		t.Errorf("mixed:\n got %s\nwant %s", r.Body, want)
	}
	// STANDARD needs no LIMIT and has no custom field.
	r = s.queryBody(t, s.int, "51.0", "SELECT FIELDS(STANDARD) FROM Account WHERE Name = 'Acme'")
	if r.Status != 200 || strings.Contains(r.Body, "Tier__c") || !strings.Contains(r.Body, `"BillingAddress":{"city":"Paris",`) {
		t.Errorf("FIELDS(STANDARD): %d %s", r.Status, r.Body)
	}
	// In a subquery.
	r = s.queryBody(t, s.int, "59.0", "SELECT Name, (SELECT FIELDS(ALL) FROM Contacts LIMIT 200) FROM Account WHERE Id = '"+acme+"'")
	if want := `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + acme + `"},"Name":"Acme","Contacts":null}]}`; r.Body != want {
		t.Errorf("subquery:\n got %s\nwant %s", r.Body, want)
	}

	limit := `[{"message":"The SOQL FIELDS function must have a LIMIT of at most 200","errorCode":"MALFORMED_QUERY"}]`
	for _, tc := range []struct{ version, soql, want string }{
		{"59.0", "SELECT FIELDS(ALL) FROM Account", limit},
		{"59.0", "SELECT FIELDS(ALL) FROM Account LIMIT 201", limit},
		{"59.0", "SELECT FIELDS(CUSTOM) FROM Account WHERE Name = 'Acme'", limit},
		{"59.0", "SELECT Id, FIELDS(ALL) FROM Account LIMIT 200", `[{"message":"duplicate field selected: Id","errorCode":"INVALID_FIELD"}]`},
		{"59.0", "SELECT FIELDS(STANDARD), COUNT(Id) FROM Account",
			`[{"message":"\nSELECT FIELDS(STANDARD), COUNT(Id) FROM Account\n       ^\nERROR at Row:1:Column:8\nField must be grouped or aggregated: Id","errorCode":"MALFORMED_QUERY"}]`},
		{"50.0", "SELECT FIELDS(ALL) FROM Account LIMIT 200",
			`[{"message":"\nSELECT FIELDS(ALL) FROM Account LIMIT 200\n             ^\nERROR at Row:1:Column:14\nunexpected token: '('","errorCode":"MALFORMED_QUERY"}]`},
		{"59.0", "SELECT FIELDS(Name) FROM Account",
			`[{"message":"\nSELECT FIELDS(Name) FROM Account\n              ^\nERROR at Row:1:Column:15\nunexpected token: 'Name'","errorCode":"MALFORMED_QUERY"}]`},
	} {
		wantErrorBody(t, s.queryBody(t, s.int, tc.version, tc.soql), 400, tc.want)
	}
}

// compoundOrgFile has a custom object with a location field, for the client test.
const compoundOrgFile = `
orgs:
  - name: Geo Org
    profiles:
      - name: Geo Integration
        permissions: [ApiEnabled, ModifyAllData]
      - name: No Location
        permissions: [ApiEnabled]
        objects:
          Site__c: [Read, Create]
        fields:
          Site__c.Loc__Latitude__s: [Read]
    users:
      - {username: geo@geo.example, lastName: Geo, email: geo@geo.example, profile: Geo Integration}
      - {username: noloc@geo.example, lastName: NoLoc, email: noloc@geo.example, profile: No Location}
    connectedApps:
      - {name: Geo, scopes: [api], consumerKey: GeoKey0001, consumerSecret: GeoSecret0001, clientCredentials: {enabled: true, runAs: geo@geo.example}}
      - {name: NoLoc, scopes: [api], consumerKey: NoLocKey0001, consumerSecret: NoLocSecret0001, clientCredentials: {enabled: true, runAs: noloc@geo.example}}
    objects:
      - name: Site__c
        fields:
          - {name: Loc__c, label: Loc, type: location, scale: 6}
`

// TestSimpleSalesforceCompound: sf.query("SELECT Name, BillingAddress FROM Account")
// returns the nested dict, keys in Salesforce's order; a location field reads as
// {latitude, longitude}; FIELDS(ALL) includes the compound fields; writing one is
// refused with Salesforce's error.
func TestSimpleSalesforceCompound(t *testing.T) {
	s := startOrg(t, compoundOrgFile, true)
	got := runSimpleSalesforceScript(t, s, "../../clients/simple-salesforce/compound.py", s.token(t, "GeoKey0001", "GeoSecret0001"))
	want := map[string]any{
		"query": []any{map[string]any{"Name": "SSF compound", "BillingAddress": map[string]any{
			"city": "San Francisco", "country": "United States", "geocodeAccuracy": nil, "latitude": nil, "longitude": nil,
			"postalCode": "94105", "state": "CA", "street": "560 Mission Street"}}},
		"keys":      []any{"city", "country", "geocodeAccuracy", "latitude", "longitude", "postalCode", "state", "street"},
		"location":  []any{map[string]any{"Loc__c": map[string]any{"latitude": 37.775, "longitude": -122.418}}},
		"fieldsAll": true,
		"describe":  map[string]any{"type": "address", "soapType": "urn:address", "createable": false, "filterable": true},
		"write": []any{map[string]any{"errorCode": "INVALID_FIELD_FOR_INSERT_UPDATE", "fields": []any{"BillingAddress"},
			"message": "Unable to create/update fields: BillingAddress. Please check the security settings of this field and verify that it is read/write for your profile or permission set."}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("simple-salesforce compound summary (-want +got):\n%s", diff)
	}
}

// TestLocationField: a custom location field over REST — describe, the query value, the
// refusals, and field-level security (a user who reads only the latitude does not see
// the compound).
func TestLocationField(t *testing.T) {
	s := startOrg(t, compoundOrgFile, false)
	ds := &dataServer{testServer: s.testServer, int: s.token(t, "GeoKey0001", "GeoSecret0001")}
	noloc := s.token(t, "NoLocKey0001", "NoLocSecret0001")
	site := ds.create(t, ds.int, "Site__c", `{"Name":"Office","Loc__Latitude__s":37.775,"Loc__Longitude__s":-122.418}`)
	empty := ds.create(t, ds.int, "Site__c", `{"Name":"Nowhere"}`)
	r := ds.queryBody(t, ds.int, "59.0", "SELECT Name, Loc__c FROM Site__c ORDER BY Name")
	want := `{"totalSize":2,"done":true,"records":[{"attributes":{"type":"Site__c","url":"/services/data/v59.0/sobjects/Site__c/` + empty + `"},"Name":"Nowhere","Loc__c":null},` +
		`{"attributes":{"type":"Site__c","url":"/services/data/v59.0/sobjects/Site__c/` + site + `"},"Name":"Office","Loc__c":{"latitude":37.775,"longitude":-122.418}}]}`
	if r.Status != 200 || r.Body != want {
		t.Errorf("location query:\n got %d %s\nwant %s", r.Status, r.Body, want)
	}
	wantErrorBody(t, ds.queryBody(t, ds.int, "59.0", "SELECT Id FROM Site__c WHERE Loc__c != null"), 400,
		`[{"message":"\nSELECT Id FROM Site__c WHERE Loc__c != null\n                             ^\nERROR at Row:1:Column:30\nLocation fields can only be filtered using Distance expressions","errorCode":"INVALID_FIELD"}]`)
	wantErrorBody(t, ds.call(t, ds.int, http.MethodPatch, "/sobjects/Site__c/"+site, `{"Loc__c":{"latitude":1,"longitude":2}}`), 400,
		`[{"message":"Unable to update fields: Loc__c. Please check the security settings of this field and verify that it is read/write for your profile or permission set.","errorCode":"INVALID_FIELD_FOR_INSERT_UPDATE","fields":["Loc__c"]}]`)
	r = ds.queryBody(t, ds.int, "59.0", "SELECT Name FROM Site__c WHERE DISTANCE(Loc__c, GEOLOCATION(37.78, -122.41), 'km') < 2")
	if want := `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Site__c","url":"/services/data/v59.0/sobjects/Site__c/` + site + `"},"Name":"Office"}]}`; r.Body != want {
		t.Errorf("location DISTANCE:\n got %s\nwant %s", r.Body, want)
	}
	d := ds.call(t, ds.int, http.MethodGet, "/sobjects/Site__c/describe", "").JSON(t)
	var names []string
	for _, f := range d["fields"].([]any) {
		m := f.(map[string]any)
		names = append(names, m["name"].(string))
		if m["name"] == "Loc__c" && (m["type"] != "location" || m["soapType"] != "urn:location" || m["scale"] != 6.0 || m["createable"] != false) {
			t.Errorf("describe Loc__c: %v", m)
		}
	}
	if got := strings.Join(names, ","); !strings.HasSuffix(got, ",Loc__Latitude__s,Loc__Longitude__s,Loc__c") {
		t.Errorf("describe order: %s", got)
	}
	// Only the latitude readable: no Loc__c, neither in a query nor in FIELDS(ALL).
	r = ds.queryBody(t, noloc, "59.0", "SELECT Loc__c FROM Site__c")
	wantErrorBody(t, r, 400, `[{"message":"\nSELECT Loc__c FROM Site__c\n       ^\nERROR at Row:1:Column:8\nNo such column 'Loc__c' on entity 'Site__c'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.","errorCode":"INVALID_FIELD"}]`)
	r = ds.queryBody(t, noloc, "59.0", "SELECT FIELDS(CUSTOM) FROM Site__c WHERE Id = '"+site+"'")
	if want := `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Site__c","url":"/services/data/v59.0/sobjects/Site__c/` + site + `"},"Loc__Latitude__s":37.775}]}`; r.Body != want {
		t.Errorf("FIELDS(CUSTOM) as noloc:\n got %s\nwant %s", r.Body, want)
	}
}

// TestSFCompoundQuery: `sf data query` with a compound field, as JSON (the nested object)
// and as its human table (which lays the columns out from ?columns=true).
func TestSFCompoundQuery(t *testing.T) {
	sf := needSF(t)
	s := startOrg(t, compoundOrgFile, false)
	tok := s.token(t, "GeoKey0001", "GeoSecret0001")
	ds := &dataServer{testServer: s.testServer, int: tok}
	ds.create(t, tok, "Account", `{"Name":"SF compound","BillingCity":"San Francisco","BillingLatitude":37.775}`)
	if login, err := sf.json(t, []string{"SF_ACCESS_TOKEN=" + tok}, "org", "login", "access-token",
		"--instance-url", s.URL, "--no-prompt", "--alias", "ff"); err != nil {
		t.Fatalf("sf org login access-token: %v: %v", err, login)
	}
	q, err := sf.json(t, nil, "data", "query", "-q", "SELECT Name, BillingAddress FROM Account", "-o", "ff")
	if err != nil {
		t.Fatalf("sf data query: %v: %v", err, q)
	}
	recs, _ := q["result"].(map[string]any)["records"].([]any)
	if len(recs) != 1 {
		t.Fatalf("records: %v", q)
	}
	got := recs[0].(map[string]any)["BillingAddress"]
	want := map[string]any{"city": "San Francisco", "country": nil, "geocodeAccuracy": nil, "latitude": 37.775, "longitude": nil,
		"postalCode": nil, "state": nil, "street": nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("BillingAddress (-want +got):\n%s", diff)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, sf.node, sf.run, "data", "query", "-q", "SELECT Name, BillingAddress FROM Account", "-o", "ff")
	cmd.Env = sf.env
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "SF compound") || !strings.Contains(string(out), "San Francisco") {
		t.Errorf("sf data query (table): %v\n%s", err, out)
	}
}
