package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// jsforce 3.10 against injected faults (issue 14 §6), driven step by step through
// clients/jsforce/repl.js: it re-authenticates after its session is expired through the
// admin API (POST /forcefield/admin/sessions/expire) and surfaces an injected
// REQUEST_LIMIT_EXCEEDED as its error code.
func TestKitJSForce(t *testing.T) {
	s := startKit(t)
	js := startJSRepl(t, s)
	names := []any{"Acme", "Globex"}
	step := func(cmd string, want map[string]any) {
		t.Helper()
		got := js.do(t, cmd)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%s (-want +got):\n%s", cmd, diff)
		}
	}
	step("login", map[string]any{"ok": true, "refreshes": 0.0})
	step("query "+kitSOQL, map[string]any{"ok": true, "totalSize": 2.0, "names": names, "refreshes": 0.0})

	// The session times out under jsforce: 401 INVALID_SESSION_ID, its refreshFn gets a new
	// client-credentials token once, the query is retried and succeeds.
	if got := s.adminOK(t, http.StatusOK, http.MethodPost, "/sessions/expire", `{"app":"Orders Sync"}`); got["expired"] != 1.0 {
		t.Fatalf("expire: %v, want 1 session expired", got)
	}
	step("query "+kitSOQL, map[string]any{"ok": true, "totalSize": 2.0, "names": names, "refreshes": 1.0})
	if n := s.kitLogins(t); n != 2 {
		t.Errorf("%d successful logins of the app, want 2 (the first and the renewal)", n)
	}

	// The next REST request is refused with REQUEST_LIMIT_EXCEEDED: jsforce throws it with
	// the error code (no refresh, no retry); the one after it succeeds.
	s.adminOK(t, http.StatusCreated, http.MethodPost, "/faults", `{"app":"Orders Sync","family":"rest","answer":"REQUEST_LIMIT_EXCEEDED","count":1}`)
	got := js.do(t, "query "+kitSOQL)
	if got["ok"] != false || got["errorCode"] != "REQUEST_LIMIT_EXCEEDED" || got["refreshes"] != 1.0 {
		t.Errorf("query under the fault: %v, want REQUEST_LIMIT_EXCEEDED and no refresh", got)
	}
	step("query "+kitSOQL, map[string]any{"ok": true, "totalSize": 2.0, "names": names, "refreshes": 1.0})
	if n := s.kitLogins(t); n != 2 {
		t.Errorf("%d successful logins of the app after the fault, want still 2", n)
	}
}

// TestKitJSForceNoRefreshFn records what a jsforce client-credentials connection without
// a refreshFn does after its session expires: jsforce's default refresh wants a refresh
// token, which this flow never issues, so the call fails (docs/testing.md tells
// integrations to pass refreshFn).
func TestKitJSForceNoRefreshFn(t *testing.T) {
	s := startKit(t)
	js := startJSRepl(t, s, "FF_REFRESH=none")
	js.do(t, "login")
	if got := js.do(t, "query "+kitSOQL); got["ok"] != true {
		t.Fatalf("first query: %v", got)
	}
	s.adminOK(t, http.StatusOK, http.MethodPost, "/sessions/expire", `{"app":"Orders Sync"}`)
	got := js.do(t, "query "+kitSOQL)
	if msg, _ := got["message"].(string); got["ok"] != false || !strings.Contains(msg, "No refresh token found") {
		t.Errorf("query after expiry without refreshFn: %v, want jsforce's 'No refresh token found'", got)
	}
}
