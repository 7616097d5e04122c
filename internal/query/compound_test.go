package query_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
)

// standard is the catalog of the standard objects (compound address fields included).
func standard(t *testing.T) *schema.Catalog {
	t.Helper()
	cat, err := schema.NewCatalog(schema.Standard())
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// resolveText parses and resolves text over cat.
func resolveText(t *testing.T, cat *schema.Catalog, acc *access.Checker, text string, opts query.Options) (*query.Plan, error) {
	t.Helper()
	ast, err := soql.Parse(text)
	if err != nil {
		t.Fatalf("Parse(%q): %v", text, err)
	}
	opts.Now = now
	return query.Resolve(ast, cat, acc, opts)
}

// TestResolveCompound: a compound field resolves with its parts; where Salesforce refuses
// it (WHERE, ORDER BY, GROUP BY, aggregates, API versions before 30.0) the errors are
// exact, caret included.
func TestResolveCompound(t *testing.T) {
	cat := standard(t)
	p, err := resolveText(t, cat, Admin(), "SELECT Account.BillingAddress, MailingAddress FROM Contact", query.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, f := range p.Columns[0].Path.Parts {
		parts = append(parts, f.Name)
	}
	if diff := cmp.Diff([]string{"BillingStreet", "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry",
		"BillingLatitude", "BillingLongitude", "BillingGeocodeAccuracy"}, parts); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	if got := p.Columns[0].Path.Name; got != "Account.BillingAddress" || !p.Columns[0].Compound() || !p.Columns[1].Compound() {
		t.Errorf("columns %v", columns(p))
	}

	caret := func(text string, col int, msg string) string {
		return "\n" + text + "\n" + strings.Repeat(" ", col-1) + "^\nERROR at Row:1:Column:" + strconv.Itoa(col) + "\n" + msg
	}
	for _, tc := range []struct {
		text, version, code string
		col                 int // 0: plain message
		msg                 string
	}{
		{"SELECT Id FROM Account WHERE BillingAddress = 'x'", "", "INVALID_FIELD", 30, "Address fields can only be filtered using Distance expressions"},
		{"SELECT Id FROM Contact WHERE Account.BillingAddress != null", "", "INVALID_FIELD", 30, "Address fields can only be filtered using Distance expressions"},
		{"SELECT Id FROM Account ORDER BY BillingAddress", "", "MALFORMED_QUERY", 33, "field 'BillingAddress' can not be sorted in a query call"},
		{"SELECT COUNT(Id) FROM Account GROUP BY ShippingAddress", "", "MALFORMED_QUERY", 40, "field 'ShippingAddress' can not be grouped in a query call"},
		{"SELECT COUNT(BillingAddress) FROM Account", "", "INVALID_FIELD", 14, "field BillingAddress does not support aggregate operator COUNT"},
		{"SELECT Id FROM Account WHERE DISTANCE(Name, GEOLOCATION(1, 2), 'mi') < 1", "", "INVALID_FIELD", 39, "DISTANCE() needs a location or address field: Name"},
		{"SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(1, 2), 'm') < 1", "", "MALFORMED_QUERY", 74, "DISTANCE() unit must be 'mi' or 'km'"},
		{"SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(91, 2), 'mi') < 1", "", "MALFORMED_QUERY", 67, "GEOLOCATION() latitude must be between -90 and 90"},
		{"SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(1, -181), 'mi') < 1", "", "MALFORMED_QUERY", 70, "GEOLOCATION() longitude must be between -180 and 180"},
		{"SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(1, 2), 'mi') = 1", "", "MALFORMED_QUERY", 80, "DISTANCE() can only be compared with < or >"},
		{"SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(1, 2), 'mi') < 'x'", "", "MALFORMED_QUERY", 82, "DISTANCE() must be compared with a number"},
		{"SELECT COUNT(Id) FROM Account HAVING DISTANCE(BillingAddress, GEOLOCATION(1, 2), 'mi') < 1", "", "MALFORMED_QUERY", 38, soql.MsgNoDistance},
		{"SELECT COUNT(Id) FROM Account ORDER BY DISTANCE(BillingAddress, GEOLOCATION(1, 2), 'mi')", "", "MALFORMED_QUERY", 40, soql.MsgNoDistance},
		{"SELECT BillingAddress FROM Account", "29.0", "INVALID_FIELD", 8, "No such column 'BillingAddress' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."},
	} {
		_, err := resolveText(t, cat, Admin(), tc.text, query.Options{Version: tc.version})
		var qe *query.Error
		if !errors.As(err, &qe) {
			t.Fatalf("%s: err = %v", tc.text, err)
		}
		want := tc.msg
		if tc.col > 0 {
			want = caret(tc.text, tc.col, tc.msg)
		}
		if qe.Code != tc.code || qe.Message(tc.text) != want {
			t.Errorf("%s:\n got %s %q\nwant %s %q", tc.text, qe.Code, qe.Message(tc.text), tc.code, want)
		}
	}
	// v30 has them.
	if _, err := resolveText(t, cat, Admin(), "SELECT BillingAddress FROM Account", query.Options{Version: "30.0"}); err != nil {
		t.Errorf("v30: %v", err)
	}
}

// fieldsUser reads Account with field-level security: Name (not permissionable), Phone,
// ParentId and the Billing parts but BillingLatitude (so not BillingAddress).
func fieldsUser() *access.Checker {
	return access.New(org.Principal{User: org.User{ID: UserID}, Profile: org.Profile{
		ObjectPermissions: []org.ObjectPermission{{Object: "Account", Read: true}},
		FieldPermissions: []org.FieldPermission{
			{Field: "Account.Phone", Read: true}, {Field: "Account.ParentId", Read: true}, {Field: "Account.BillingStreet", Read: true},
			{Field: "Account.BillingCity", Read: true}, {Field: "Account.BillingState", Read: true},
			{Field: "Account.BillingPostalCode", Read: true}, {Field: "Account.BillingCountry", Read: true},
			{Field: "Account.BillingLongitude", Read: true}, {Field: "Account.BillingGeocodeAccuracy", Read: true},
		},
	}})
}

// TestResolveFields: FIELDS() expands in describe order at its place, only to the fields
// the user reads (a compound needs every part readable), with Salesforce's errors.
func TestResolveFields(t *testing.T) {
	cat := standard(t)
	acct, _ := cat.Object("Account")
	var all, std []string
	for _, f := range acct.Fields {
		all = append(all, f.Name)
		if !f.Custom {
			std = append(std, f.Name)
		}
	}
	visible := func(p *query.Plan) []string {
		var out []string
		for _, c := range p.Columns {
			if !c.Hidden {
				out = append(out, c.Path.Name)
			}
		}
		return out
	}
	for _, tc := range []struct {
		text string
		acc  *access.Checker
		opts query.Options
		want []string
	}{
		{"SELECT FIELDS(ALL) FROM Account LIMIT 200", Admin(), query.Options{}, all},
		{"SELECT FIELDS(STANDARD) FROM Account", Admin(), query.Options{}, std},
		{"SELECT Parent.Name, FIELDS(CUSTOM), Owner.Name FROM Account LIMIT 1", Admin(), query.Options{}, []string{"Parent.Name", "Owner.Name"}},
		{"SELECT Parent.Name, FIELDS(STANDARD) FROM Account WHERE Name = 'x'", fieldsUser(), query.Options{},
			// Fields outside field-level security (Id, Name, system and audit fields) and
			// those granted; BillingLatitude is not, so neither is BillingAddress.
			[]string{"Parent.Name", "Id", "IsDeleted", "MasterRecordId", "Name", "ParentId", "BillingStreet", "BillingCity",
				"BillingState", "BillingPostalCode", "BillingCountry", "BillingLongitude", "BillingGeocodeAccuracy", "Phone",
				"PhotoUrl", "OwnerId", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
				"LastActivityDate", "LastViewedDate", "LastReferencedDate"}},
		{"SELECT FIELDS(ALL) FROM Account WHERE Id IN ('001000000000001AAA')", Admin(), query.Options{}, all},
		{"SELECT FIELDS(ALL) FROM Account WHERE Id = '001000000000001AAA' OR Id = '001000000000002AAA'", Admin(), query.Options{}, all},
		{"SELECT FIELDS(ALL) FROM Account LIMIT 0", Admin(), query.Options{Version: "51.0"}, all},
	} {
		p, err := resolveText(t, cat, tc.acc, tc.text, tc.opts)
		if err != nil {
			t.Errorf("%s: %v", tc.text, err)
			continue
		}
		if diff := cmp.Diff(tc.want, visible(p)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.text, diff)
		}
	}
	// A Bulk query's FIELDS(STANDARD) leaves compound fields out.
	p, err := resolveText(t, cat, Admin(), "SELECT FIELDS(STANDARD) FROM Account", query.Options{Bulk: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range visible(p) {
		if n == "BillingAddress" || n == "ShippingAddress" {
			t.Errorf("bulk FIELDS(STANDARD) has %s", n)
		}
	}
	if p.Unbounded {
		t.Error("FIELDS(STANDARD) is bounded")
	}
	if p, _ := resolveText(t, cat, Admin(), "SELECT Name, (SELECT FIELDS(ALL) FROM Contacts LIMIT 200) FROM Account", query.Options{}); p == nil || !p.Subqueries[0].Plan.Unbounded {
		t.Error("subquery FIELDS(ALL): not resolved or not Unbounded")
	}

	limit := "The SOQL FIELDS function must have a LIMIT of at most 200"
	for _, tc := range []struct {
		text, version, code, msg string
	}{
		{"SELECT FIELDS(ALL) FROM Account", "", "MALFORMED_QUERY", limit},
		{"SELECT FIELDS(CUSTOM) FROM Account LIMIT 201", "", "MALFORMED_QUERY", limit},
		{"SELECT Name, (SELECT FIELDS(ALL) FROM Contacts) FROM Account LIMIT 10", "", "MALFORMED_QUERY", limit},
		{"SELECT FIELDS(ALL) FROM Account WHERE Name = 'x'", "", "MALFORMED_QUERY", limit},
		{"SELECT FIELDS(ALL) FROM Account WHERE Id = '001000000000001AAA' AND Name = 'x'", "", "MALFORMED_QUERY", limit},
		{"SELECT Id, FIELDS(ALL) FROM Account LIMIT 200", "", "INVALID_FIELD", "duplicate field selected: Id"},
		{"SELECT FIELDS(STANDARD), Name FROM Account", "", "INVALID_FIELD", "duplicate field selected: Name"},
		{"SELECT FIELDS(STANDARD), COUNT(Id) FROM Account", "", "MALFORMED_QUERY",
			"\nSELECT FIELDS(STANDARD), COUNT(Id) FROM Account\n       ^\nERROR at Row:1:Column:8\nField must be grouped or aggregated: Id"},
		{"SELECT FIELDS(ALL) FROM Account LIMIT 200", "50.0", "MALFORMED_QUERY",
			"\nSELECT FIELDS(ALL) FROM Account LIMIT 200\n             ^\nERROR at Row:1:Column:14\nunexpected token: '('"},
		{"SELECT FIELDS(CUSTOM) FROM Account LIMIT 200", "", "MALFORMED_QUERY",
			"\nSELECT FIELDS(CUSTOM) FROM Account LIMIT 200\n^\nERROR at Row:1:Column:1\nunexpected token: 'FROM'"},
	} {
		_, err := resolveText(t, cat, Admin(), tc.text, query.Options{Version: tc.version})
		var qe *query.Error
		if !errors.As(err, &qe) {
			t.Fatalf("%s: err = %v", tc.text, err)
		}
		if qe.Code != tc.code || qe.Message(tc.text) != tc.msg {
			t.Errorf("%s:\n got %s %q\nwant %s %q", tc.text, qe.Code, qe.Message(tc.text), tc.code, tc.msg)
		}
	}
}
