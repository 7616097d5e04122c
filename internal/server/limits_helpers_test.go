package server

import (
	"encoding/json"
	"testing"
)

// topLimits decodes a GET /limits body into each top-level limit's Max and Remaining,
// what sf org list limits shows (nested per-app and CreateCustom objects are ignored).
func topLimits(t testing.TB, body string) map[string]limitPair {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatalf("/limits body: %v\n%s", err, body)
	}
	out := map[string]limitPair{}
	for k, v := range raw {
		var p limitPair
		if err := json.Unmarshal(v, &p); err != nil {
			t.Fatalf("/limits %s: %v\n%s", k, err, v)
		}
		out[k] = p
	}
	return out
}

// limitPair is one /limits value's Max and Remaining.
type limitPair struct{ Max, Remaining int }
