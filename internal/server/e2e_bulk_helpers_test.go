package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// Shared by the Bulk API real-client tests (e2e_bulk_*_test.go; salesforce-bulk.md §7).

// bulkOrgFile is clientOrgFile with an External ID field on Account, for bulk upserts by
// external ID (`sf data upsert bulk --external-id ExtKey__c`, go-salesforce UpsertBulk).
const bulkOrgFile = clientOrgFile + `      - name: Account
        fields:
          - {name: ExtKey__c, label: Ext Key, type: string, length: 40, externalId: true, unique: true}
`

// startBulkOrg starts a server with bulkOrgFile (dataUser, dataKey, dataSecret) and, when
// withTLS, an HTTPS listener whose certificate CertFile trusts.
func startBulkOrg(t *testing.T, withTLS bool) *tlsServer {
	t.Helper()
	return startOrg(t, bulkOrgFile, withTLS)
}

// restQuery runs SOQL through the REST API (following nextRecordsUrl) and returns the
// records.
func (s *testServer) restQuery(t *testing.T, token, soql string) []map[string]any {
	t.Helper()
	var all []map[string]any
	path := "/services/data/v59.0/query?q=" + url.QueryEscape(soql)
	for path != "" {
		r := s.get(t, path, token)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
		var page struct {
			Records        []map[string]any
			NextRecordsURL string `json:"nextRecordsUrl"`
		}
		if err := json.Unmarshal([]byte(r.Body), &page); err != nil {
			t.Fatalf("query %q: %v: %s", soql, err, r.Body)
		}
		all = append(all, page.Records...)
		path = page.NextRecordsURL
	}
	return all
}

// restCount is SELECT COUNT() through the REST API.
func (s *testServer) restCount(t *testing.T, token, where string) int {
	t.Helper()
	r := s.get(t, "/services/data/v59.0/query?q="+url.QueryEscape("SELECT COUNT() FROM Account "+where), token)
	if r.Status != http.StatusOK {
		t.Fatalf("count %s: %d %s", where, r.Status, r.Body)
	}
	n, ok := r.JSON(t)["totalSize"].(float64)
	if !ok {
		t.Fatalf("count %s: %s", where, r.Body)
	}
	return int(n)
}

// invalidIntError is the sf__Error of an uploaded text that is not an int, for the
// NumberOfEmployees value in the upload's 1-based column col.
func invalidIntError(text string, col int) string {
	return fmt.Sprintf("INVALID_FIELD:Failed to deserialize field at col %d. Due to, '%s' is not a valid value for the type xsd:int:NumberOfEmployees --", col, text)
}
