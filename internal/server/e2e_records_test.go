package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/sfid"
)

// The single-record resources (salesforce-rest.md §3): create, retrieve, update, delete,
// system fields stamped with the running user, and the formats of dates.
func TestRecordLifecycle(t *testing.T) {
	s := startData(t)
	_, userID := s.ids(t, "int@acme.example")

	r := s.call(t, s.int, http.MethodPost, "/sobjects/Account/", `{"attributes":{"type":"Account"},"Name":"Acme","Industry":"Technology","NumberOfEmployees":12}`)
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	id := r.JSON(t)["id"].(string)
	if want := `{"id":"` + id + `","errors":[],"success":true}`; r.Body != want {
		t.Errorf("create body = %s, want %s", r.Body, want)
	}
	if !strings.HasPrefix(id, "001") || len(id) != 18 {
		t.Errorf("id %q is not an 18-character Account ID", id)
	}

	rec := s.call(t, s.int, http.MethodGet, "/sobjects/Account/"+id, "").JSON(t)
	if diff := cmp.Diff(map[string]any{"type": "Account", "url": "/services/data/v59.0/sobjects/Account/" + id}, rec["attributes"]); diff != "" {
		t.Errorf("attributes (-want +got):\n%s", diff)
	}
	for k, want := range map[string]any{"Id": id, "Name": "Acme", "Industry": "Technology", "NumberOfEmployees": 12.0,
		"OwnerId": userID, "CreatedById": userID, "LastModifiedById": userID, "IsDeleted": false, "Phone": nil} {
		if got, ok := rec[k]; !ok || !cmp.Equal(got, want) {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, want)
		}
	}
	if _, ok := rec["Rating"]; ok {
		t.Error("Rating, a field the profile grants nothing on, is in the record")
	}
	datetime := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$`)
	for _, k := range []string{"CreatedDate", "LastModifiedDate", "SystemModstamp"} {
		if v, _ := rec[k].(string); !datetime.MatchString(v) {
			t.Errorf("%s = %q, want the form 2018-03-18T07:38:12.000+0000", k, v)
		}
	}

	// ?fields= and a 15-character ID.
	r = s.call(t, s.int, http.MethodGet, "/sobjects/Account/"+id[:15]+"?fields=Name,industry", "")
	if want := `{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + id + `"},"Name":"Acme","Industry":"Technology"}`; r.Status != 200 || r.Body != want {
		t.Errorf("GET ?fields= = %d %s\nwant %s", r.Status, r.Body, want)
	}

	// sf keeps the instance URL with a trailing slash and asks for //services/data/…:
	// served, not redirected (a redirect would lose a POST body).
	r = s.call(t, s.int, http.MethodPost, "//services/data/v59.0//sobjects/Contact", `{"LastName":"Slashes"}`)
	if r.Status != http.StatusCreated {
		t.Errorf("POST with doubled slashes = %d %s", r.Status, r.Body)
	}

	s.Clock.Advance(60_000_000_000)
	r = s.call(t, s.int, http.MethodPatch, "/sobjects/Account/"+id, `{"attributes":{"type":"Account"},"Name":"Acme Corp","Phone":"555"}`)
	if r.Status != http.StatusNoContent || r.Body != "" {
		t.Fatalf("update = %d %q", r.Status, r.Body)
	}
	rec2 := s.call(t, s.int, http.MethodGet, "/sobjects/Account/"+id, "").JSON(t)
	if rec2["Name"] != "Acme Corp" || rec2["Phone"] != "555" || rec2["CreatedDate"] != rec["CreatedDate"] || rec2["LastModifiedDate"] == rec["LastModifiedDate"] {
		t.Errorf("after update: Name %v Phone %v Created %v→%v LastModified %v→%v", rec2["Name"], rec2["Phone"],
			rec["CreatedDate"], rec2["CreatedDate"], rec["LastModifiedDate"], rec2["LastModifiedDate"])
	}

	if r := s.call(t, s.int, http.MethodDelete, "/sobjects/Account/"+id, ""); r.Status != http.StatusNoContent {
		t.Fatalf("delete = %d %s", r.Status, r.Body)
	}
	deleted := `[{"message":"entity is deleted","errorCode":"ENTITY_IS_DELETED","fields":[]}]`
	wantErrorBody(t, s.call(t, s.int, http.MethodGet, "/sobjects/Account/"+id, ""), 404, deleted)
	wantErrorBody(t, s.call(t, s.int, http.MethodDelete, "/sobjects/Account/"+id, ""), 404, deleted)
	wantErrorBody(t, s.call(t, s.int, http.MethodPatch, "/sobjects/Account/"+id, `{"Name":"x"}`), 404, deleted)

	// queryAll sees the deleted record, query does not.
	if a := s.query(t, s.int, "SELECT Id FROM Account WHERE Id = '"+id+"'"); a.TotalSize != 0 {
		t.Errorf("query found the deleted record: %+v", a)
	}
	r = s.call(t, s.int, http.MethodGet, "/queryAll?q=SELECT+Id,IsDeleted+FROM+Account+WHERE+Id+=+'"+id+"'", "")
	if want := `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/` + id + `"},"Id":"` + id + `","IsDeleted":true}]}`; r.Body != want {
		t.Errorf("queryAll = %s\nwant %s", r.Body, want)
	}
}

// Every validation error of a write, with Salesforce's code, message and fields.
func TestRecordErrors(t *testing.T) {
	s := startData(t)
	acct := s.create(t, s.int, "Account", `{"Name":"Acme"}`)
	s.create(t, s.int, "Invoice__c", `{"Number__c":"INV-1","Status__c":"Draft"}`)
	missingAccount := string(sfid.New("001", "5F", 999999))
	cases := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"unknown field", "POST", "/sobjects/Account", `{"Name":"x","Foo__c":1}`, 400,
			`[{"message":"No such column 'Foo__c' on sobject of type Account","errorCode":"INVALID_FIELD"}]`},
		{"hidden field is unknown", "POST", "/sobjects/Account", `{"Name":"x","Rating":"Hot"}`, 400,
			`[{"message":"No such column 'Rating' on sobject of type Account","errorCode":"INVALID_FIELD"}]`},
		{"Id in a create", "POST", "/sobjects/Account", `{"Id":"` + acct + `","Name":"x"}`, 400,
			`[{"message":"The Id field should not be specified in the sobject data.","errorCode":"INVALID_FIELD"}]`},
		{"required field", "POST", "/sobjects/Account", `{"Industry":"Technology"}`, 400,
			`[{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]}]`},
		{"required custom field", "POST", "/sobjects/Invoice__c", `{"Status__c":"Draft"}`, 400,
			`[{"message":"Required fields are missing: [Number__c]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Number__c"]}]`},
		{"read-only system field", "POST", "/sobjects/Account", `{"Name":"x","CreatedDate":"2020-01-01T00:00:00.000+0000"}`, 400,
			`[{"message":"Unable to create/update fields: CreatedDate. Please check the security settings of this field and verify that it is read/write for your profile or permission set.","errorCode":"INVALID_FIELD_FOR_INSERT_UPDATE","fields":["CreatedDate"]}]`},
		{"read-only by field-level security", "PATCH", "/sobjects/Account/" + acct, `{"AnnualRevenue":5}`, 400,
			`[{"message":"Unable to update fields: AnnualRevenue. Please check the security settings of this field and verify that it is read/write for your profile or permission set.","errorCode":"INVALID_FIELD_FOR_INSERT_UPDATE","fields":["AnnualRevenue"]}]`},
		{"string too long", "POST", "/sobjects/Invoice__c", `{"Number__c":"` + strings.Repeat("9", 33) + `"}`, 400,
			`[{"message":"Number: data value too large: ` + strings.Repeat("9", 33) + ` (max length=32)","errorCode":"STRING_TOO_LONG","fields":["Number__c"]}]`},
		{"restricted picklist", "POST", "/sobjects/Invoice__c", `{"Number__c":"INV-2","Status__c":"Lost"}`, 400,
			`[{"message":"Status: bad value for restricted picklist field: Lost","errorCode":"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST","fields":["Status__c"]}]`},
		{"duplicate unique value", "POST", "/sobjects/Invoice__c", `{"Number__c":"inv-1"}`, 400,
			`[{"message":"duplicate value found: Number__c duplicates value on record with id: {INV}","errorCode":"DUPLICATE_VALUE","fields":[]}]`},
		{"malformed JSON", "POST", "/sobjects/Account", `{"Name": }`, 400, "JSON_PARSER_ERROR"},
		{"ID of another type", "GET", "/sobjects/Account/003000000000001AAA", "", 400,
			`[{"message":"Account ID: id value of incorrect type: 003000000000001AAA","errorCode":"MALFORMED_ID","fields":["Id"]}]`},
		{"reference to a missing record", "POST", "/sobjects/Contact", `{"LastName":"x","AccountId":"` + missingAccount + `"}`, 400,
			`[{"message":"invalid cross reference id","errorCode":"INVALID_CROSS_REFERENCE_KEY","fields":[]}]`},
		{"reference of the wrong type", "POST", "/sobjects/Contact", `{"LastName":"x","AccountId":"` + s.mustUserID(t) + `"}`, 400,
			`[{"message":"Account ID: id value of incorrect type: ` + s.mustUserID(t) + `","errorCode":"MALFORMED_ID","fields":["AccountId"]}]`},
		{"unknown object", "GET", "/sobjects/Foo__c", "", 404,
			`[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`},
		{"unknown record", "GET", "/sobjects/Account/" + missingAccount, "", 404,
			`[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]`},
		{"not an ID: an external ID field name", "GET", "/sobjects/Account/garbage", "", 404,
			`[{"message":"Provided external ID field does not exist or is not accessible: garbage","errorCode":"NOT_FOUND"}]`},
		{"method not allowed", "PUT", "/sobjects/Account/" + acct, `{}`, 405,
			`[{"message":"HTTP Method 'PUT' not allowed. Allowed are GET,HEAD,PATCH,DELETE","errorCode":"METHOD_NOT_ALLOWED"}]`},
		{"setup objects are read-only", "POST", "/sobjects/User", `{"LastName":"x"}`, 400,
			`[{"message":"insufficient access rights on object id","errorCode":"INSUFFICIENT_ACCESS_OR_READONLY","fields":[]}]`},
	}
	inv := s.query(t, s.int, "SELECT Id FROM Invoice__c WHERE Number__c = 'INV-1'").Records[0]["Id"].(string)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.call(t, s.int, c.method, c.path, c.body)
			want := strings.ReplaceAll(c.want, "{INV}", inv)
			if !strings.HasPrefix(want, "[") { // only the code is checked
				if r.Status != c.status || !strings.Contains(r.Body, `"errorCode":"`+want+`"`) {
					t.Errorf("got %d %s, want %d %s", r.Status, r.Body, c.status, want)
				}
				return
			}
			wantErrorBody(t, r, c.status, want)
		})
	}
}

// mustUserID is the running user of s.int.
func (s *dataServer) mustUserID(t *testing.T) string {
	_, id := s.ids(t, "int@acme.example")
	return id
}
