package dataapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// checkResponse holds the invariants every data API answer keeps, whatever the input: the
// status is 2xx, 300 (several external ID matches) or 4xx, never 5xx; the Content-Type is
// Salesforce's; a JSON body is valid JSON; an error is the one-element-or-more array of
// {"message","errorCode"[,"fields"]} (salesforce-rest.md §5).
func checkResponse(t *testing.T, req *http.Request, w *httptest.ResponseRecorder) {
	t.Helper()
	target := req.Method + " " + req.URL.String()
	if len(target) > 300 {
		target = target[:300] + "…"
	}
	ok := (w.Code >= 200 && w.Code < 300) || w.Code == http.StatusMultipleChoices || (w.Code >= 400 && w.Code < 500)
	if !ok {
		t.Fatalf("%s: status %d\nbody: %s", target, w.Code, w.Body)
	}
	if w.Code == http.StatusNoContent {
		if w.Body.Len() != 0 {
			t.Fatalf("%s: 204 with a body %q", target, w.Body)
		}
		return
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		t.Fatalf("%s: %d Content-Type %q body %q", target, w.Code, ct, w.Body)
	}
	if !json.Valid(w.Body.Bytes()) {
		t.Fatalf("%s: %d body is not JSON: %q", target, w.Code, w.Body)
	}
	if w.Code < 400 {
		if req.Method != http.MethodHead && w.Code == http.StatusOK {
			if versionsList := strings.Trim(req.URL.Path, "/") == "services/data"; !versionsList && !usageHeaderRE.MatchString(w.Header().Get("Sforce-Limit-Info")) {
				t.Fatalf("%s: Sforce-Limit-Info = %q", target, w.Header().Get("Sforce-Limit-Info"))
			}
		}
		return
	}
	// Every error is Salesforce's JSON array of {"message","errorCode"[,"fields"]}.
	var errs []map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &errs); err != nil || len(errs) == 0 {
		// The one documented exception: a failed sObject Tree answers its result object.
		if w.Code == http.StatusBadRequest && strings.Contains(req.URL.Path, "/composite/tree/") {
			var tree struct {
				HasErrors bool              `json:"hasErrors"`
				Results   []json.RawMessage `json:"results"`
			}
			if json.Unmarshal(w.Body.Bytes(), &tree) == nil && tree.HasErrors {
				return
			}
		}
		t.Fatalf("%s: %d body is not a JSON array of errors: %q", target, w.Code, w.Body)
	}
	for _, e := range errs {
		msg, _ := e["message"].(string)
		code, _ := e["errorCode"].(string)
		if msg == "" || code == "" {
			t.Fatalf("%s: error %v lacks message or errorCode", target, e)
		}
		for k := range e {
			if k != "message" && k != "errorCode" && k != "fields" {
				t.Fatalf("%s: error has an unexpected key %q: %s", target, k, w.Body)
			}
		}
	}
}
