package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// /query?explain= (salesforce-rest-more.md §6): plans from the store's real query plan,
// for SOQL and for a list view, as the running user.

// planJSON is one plan of the answer; notes are IsDeleted's plus the others given.
func planJSON(object string, cardinality int, fields, op string, cost float64, objectRows int, unindexed ...string) string {
	notes := `{"description":"Not considering filter for optimization because unindexed","fields":["IsDeleted"],"tableEnumOrId":"` + object + `"}`
	for _, f := range unindexed {
		notes += `,{"description":"Not considering filter for optimization because unindexed","fields":["` + f + `"],"tableEnumOrId":"` + object + `"}`
	}
	return fmt.Sprintf(`{"cardinality":%d,"fields":[%s],"leadingOperationType":"%s","notes":[%s],"relativeCost":%v,"sobjectCardinality":%d,"sobjectType":"%s"}`,
		cardinality, fields, op, notes, cost, objectRows, object)
}

func TestExplain(t *testing.T) {
	s := startViews(t)
	for i := range 20 {
		s.create(t, s.fay, "Account", fmt.Sprintf(`{"Name":"Acct %02d","Site":"S%d"}`, i, i%4))
	}
	for i := range 3 {
		s.create(t, s.fay, "Ticket__c", fmt.Sprintf(`{"Name":"Fay %d"}`, i))
	}
	s.create(t, s.nia, "Ticket__c", `{"Name":"Nia 0"}`)
	explain := func(token, q string) response {
		return s.call(t, token, http.MethodGet, "/query/?explain="+url.QueryEscape(q), "")
	}
	// 20 Accounts: the standard threshold is 30% = 6 rows.
	scanCost := 20 / 6.0
	for _, tc := range []struct {
		name, soql, want string
	}{
		{"indexed name", "SELECT Id FROM Account WHERE Name = 'Acct 07'",
			`{"plans":[` + planJSON("Account", 1, `"Name"`, "Index", 1/6.0, 20) + "," + planJSON("Account", 1, "", "TableScan", scanCost, 20) +
				`],"sourceQuery":"SELECT Id FROM Account WHERE Name = 'Acct 07'"}`},
		// The reference's capture: a LIMIT read in Id order stops early (Other).
		{"limit", "SELECT Id FROM Account LIMIT 10",
			`{"plans":[` + planJSON("Account", 10, "", "Other", 10/6.0, 20) + "," + planJSON("Account", 20, "", "TableScan", scanCost, 20) +
				`],"sourceQuery":"SELECT Id FROM Account LIMIT 10"}`},
		{"unindexed", "SELECT Id FROM Account WHERE Site = 'S1' ORDER BY Site",
			`{"plans":[` + planJSON("Account", 5, "", "TableScan", scanCost, 20, "Site") + `],"sourceQuery":"SELECT Id FROM Account WHERE Site = 'S1' ORDER BY Site"}`},
		{"indexed and unindexed", "SELECT Id FROM Account WHERE Site = 'S1' AND Name LIKE 'Acct 1%'",
			`{"plans":[` + planJSON("Account", 10, `"Name"`, "Index", 10/6.0, 20, "Site") + "," + planJSON("Account", 2, "", "TableScan", scanCost, 20, "Site") +
				`],"sourceQuery":"SELECT Id FROM Account WHERE Site = 'S1' AND Name LIKE 'Acct 1%'"}`},
	} {
		wantBody(t, tc.name, explain(s.fay, tc.soql), 200, tc.want)
	}

	// Private Tickets: Nia's visibility rule is searched in OwnerId's index (Sharing).
	wantBody(t, "sharing", explain(s.nia, "SELECT Id FROM Ticket__c"), 200,
		`{"plans":[`+planJSON("Ticket__c", 1, "", "Sharing", 1/1.2, 4)+","+planJSON("Ticket__c", 1, "", "TableScan", 4/1.2, 4)+
			`],"sourceQuery":"SELECT Id FROM Ticket__c"}`)

	// A list view: its query, the source shown as describe shows it.
	all := s.viewID("Account", 3)
	wantBody(t, "list view", s.call(t, s.fay, http.MethodGet, "/query/?explain="+all, ""), 200,
		`{"plans":[`+planJSON("Account", 20, "", "TableScan", scanCost, 20)+`],"sourceQuery":"`+accountSelect+` ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST"}`)
	wantBody(t, "list view, 15", s.call(t, s.fay, http.MethodGet, "/query?explain="+all[:15], ""), 200,
		`{"plans":[`+planJSON("Account", 20, "", "TableScan", scanCost, 20)+`],"sourceQuery":"`+accountSelect+` ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST"}`)

	// Errors: those of /query for SOQL, INVALID_ID for an ID that is no list view of the
	// user's (Cal may not read Account).
	for _, tc := range []struct {
		name, token, param string
		code, message      string
	}{
		{"empty", s.fay, "", "MALFORMED_QUERY", "SOQL statements cannot be empty or null"},
		{"blank", s.fay, "  ", "MALFORMED_QUERY", "SOQL statements cannot be empty or null"},
		{"bad field", s.fay, "SELECT Foo FROM Account", "INVALID_FIELD", "\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."},
		{"bad object", s.fay, "SELECT Id FROM Foo", "INVALID_TYPE", "\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\nsObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."},
		{"unknown view", s.fay, "00B000000000000", "INVALID_ID", "Invalid ID: 00B000000000000"},
		{"report", s.fay, "00O5F0000000001", "INVALID_ID", "Invalid ID: 00O5F0000000001"},
		{"bad checksum", s.fay, all[:15] + "XXX", "INVALID_ID", "Invalid ID: " + all[:15] + "XXX"},
		{"view of an unreadable object", s.cal, all, "INVALID_ID", "Invalid ID: " + all},
	} {
		wantRESTError(t, explain(tc.token, tc.param), http.StatusBadRequest, tc.code, tc.message)
	}
	r := explain(s.fay, "SELECT Id FROM")
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, `"errorCode":"MALFORMED_QUERY"`) {
		t.Errorf("malformed SOQL: %d %s", r.Status, r.Body)
	}
}
