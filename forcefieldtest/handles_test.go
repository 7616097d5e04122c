package forcefieldtest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/forcefield/forcefield/forcefieldtest"
)

// post calls the data API with a JSON body and returns the status.
func post(t *testing.T, srv *forcefieldtest.Server, path, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.InstanceURL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestFaultHandles: an injected fault answers the app's next REST request and is listed
// with its hit; another app is untouched; ClearFaults removes what is left.
func TestFaultHandles(t *testing.T) {
	srv := forcefieldtest.Start(t, testOrg)
	fixed, other := srv.Token(t, "Fixed"), srv.Token(t, "Generated")
	f := srv.Fault(t, forcefieldtest.FaultSpec{App: "Fixed", Family: "rest", Answer: "SERVER_UNAVAILABLE", Count: 2})
	if f.ID == "" || f.Remaining != 2 || f.Answer != "SERVER_UNAVAILABLE" {
		t.Fatalf("Fault = %+v", f)
	}
	if status, body := get(t, srv, accounts, other); status != http.StatusOK {
		t.Errorf("another app under the fault: %d %s", status, body)
	}
	if status, body := get(t, srv, accounts, fixed); status != http.StatusServiceUnavailable || !strings.Contains(body, "SERVER_UNAVAILABLE") {
		t.Errorf("the faulted app: %d %s, want 503 SERVER_UNAVAILABLE", status, body)
	}
	faults := srv.Faults(t)
	if len(faults) != 1 || faults[0].ID != f.ID || faults[0].Hits != 1 || faults[0].Remaining != 1 {
		t.Errorf("Faults = %+v, want the fault with 1 hit and 1 remaining", faults)
	}
	if n := srv.ClearFaults(t); n != 1 {
		t.Errorf("ClearFaults = %d, want 1", n)
	}
	if status, body := get(t, srv, accounts, fixed); status != http.StatusOK {
		t.Errorf("after ClearFaults: %d %s", status, body)
	}
}

// TestExpireAndExhaust: ExpireSessions ends exactly the selected sessions;
// ExhaustDailyLimit refuses the org's next call with REQUEST_LIMIT_EXCEEDED.
func TestExpireAndExhaust(t *testing.T) {
	srv := forcefieldtest.Start(t, testOrg)
	fixed, other := srv.Token(t, "Fixed"), srv.Token(t, "Generated")
	if n := srv.ExpireSessions(t, forcefieldtest.SessionsOf{User: "other@acme.example"}); n != 1 {
		t.Errorf("ExpireSessions = %d, want 1", n)
	}
	if status, body := get(t, srv, accounts, other); status != http.StatusUnauthorized || !strings.Contains(body, "INVALID_SESSION_ID") {
		t.Errorf("expired session: %d %s", status, body)
	}
	if status, _ := get(t, srv, accounts, fixed); status != http.StatusOK {
		t.Errorf("another user's session: %d", status)
	}
	srv.ExhaustDailyLimit(t)
	if status, body := get(t, srv, accounts, fixed); status != http.StatusForbidden || !strings.Contains(body, "REQUEST_LIMIT_EXCEEDED") {
		t.Errorf("after ExhaustDailyLimit: %d %s", status, body)
	}
}

// TestSnapshotRestore: a record created after the snapshot is gone after Restore, and the
// token taken before keeps working.
func TestSnapshotRestore(t *testing.T) {
	srv := forcefieldtest.Start(t, testOrg)
	tok := srv.Token(t, "Fixed")
	snap := srv.Snapshot(t, "clean")
	if snap.Name != "clean" || snap.Records < 1 {
		t.Fatalf("Snapshot = %+v", snap)
	}
	if status, body := post(t, srv, "/services/data/v62.0/sobjects/Account", tok, `{"Name":"Globex"}`); status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	if _, body := get(t, srv, accounts, tok); !strings.Contains(body, `"totalSize":2`) {
		t.Fatalf("before restore: %s", body)
	}
	r := srv.Restore(t, "clean")
	if r.Name != "clean" || r.SessionsEnded != 0 {
		t.Errorf("Restore = %+v, want no session ended", r)
	}
	if status, body := get(t, srv, accounts, tok); status != http.StatusOK || !strings.Contains(body, `"totalSize":1`) {
		t.Errorf("after restore: %d %s", status, body)
	}
}

// TestTravel: Travel moves the org's clock — past the session timeout, a token taken
// before gets INVALID_SESSION_ID — and ResetClock puts it back.
func TestTravel(t *testing.T) {
	srv := forcefieldtest.Start(t, testOrg)
	tok := srv.Token(t, "Fixed")
	before := time.Now()
	c := srv.Travel(t, 2*time.Hour)
	if c.Offset != 2*time.Hour || c.Now.Before(before.Add(2*time.Hour)) {
		t.Errorf("Travel = %+v", c)
	}
	if c := srv.Travel(t, 30*time.Minute); c.Offset != 150*time.Minute {
		t.Errorf("second Travel: offset %v, want 2h30m", c.Offset)
	}
	if status, body := get(t, srv, accounts, tok); status != http.StatusUnauthorized || !strings.Contains(body, "INVALID_SESSION_ID") {
		t.Errorf("a token from 2h30m ago: %d %s, want INVALID_SESSION_ID", status, body)
	}
	if c := srv.ResetClock(t); c.Offset != 0 {
		t.Errorf("ResetClock: offset %v", c.Offset)
	}
}

// TestQuotas: SetQuotas caps the app's API requests; past the quota its calls are refused.
func TestQuotas(t *testing.T) {
	srv := forcefieldtest.Start(t, testOrg)
	tok := srv.Token(t, "Fixed")
	q := srv.SetQuotas(t, "Fixed", forcefieldtest.Quotas{APIRequestsPerDay: 2})
	if q.Quotas.APIRequestsPerDay != 2 {
		t.Fatalf("SetQuotas = %+v", q)
	}
	for i := range 2 {
		if status, body := get(t, srv, accounts, tok); status != http.StatusOK {
			t.Fatalf("call %d under the quota: %d %s", i+1, status, body)
		}
	}
	if status, body := get(t, srv, accounts, tok); status != http.StatusForbidden || !strings.Contains(body, "REQUEST_LIMIT_EXCEEDED") {
		t.Errorf("call past the quota: %d %s", status, body)
	}
	if u := srv.Quotas(t, "Fixed").Usage.APIRequestsLast24h; u < 2 {
		t.Errorf("usage %d, want at least 2", u)
	}
}
