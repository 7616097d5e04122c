package dataapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// serveFuzz sends one request to the fuzz stack as the API user.
func (st *dataStack) serve(t *testing.T, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "http://ff.test/services/data/v59.0"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+st.replacer.Replace("$TOKEN"))
	w := httptest.NewRecorder()
	st.mux.ServeHTTP(w, req)
	checkResponse(t, req, w)
	return w
}

// A deeply nested SOQL statement is refused as QUERY_TOO_COMPLICATED, directly and in a
// /composite subrequest URL (whose 16 MB body once let a million parentheses overflow
// the parser's stack and kill the server).
func TestDeepQueryRefused(t *testing.T) {
	st := newDataStack(t)
	deep := "SELECT Id FROM Account WHERE " + strings.Repeat("(", 200) + "Name = 'x'" + strings.Repeat(")", 200)
	w := st.serve(t, "GET", "/query?q="+url.QueryEscape(deep), "")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"errorCode":"QUERY_TOO_COMPLICATED"`) {
		t.Errorf("deep query: %d %s", w.Code, w.Body)
	}
	huge := "SELECT Id FROM Account WHERE " + strings.Repeat("(", 1000000) + "Name = 'x'" + strings.Repeat(")", 1000000)
	body, _ := json.Marshal(map[string]any{"compositeRequest": []map[string]string{
		{"method": "GET", "referenceId": "q", "url": "/services/data/v59.0/query?q=" + url.QueryEscape(huge)}}})
	w = st.serve(t, "POST", "/composite", string(body))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"errorCode":"QUERY_TOO_COMPLICATED"`) {
		t.Errorf("deep composite query: %d %.300s", w.Code, w.Body)
	}
}
