package server

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Faults declared in the org file are installed at start; applying the file again
// replaces them (their counts start again) and leaves the admin API's faults alone.
func TestFaultsInOrgFile(t *testing.T) {
	file := strings.Replace(faultsOrgFile, "  - name: Globex\n", `    faults:
      - {family: rest, answer: UNABLE_TO_LOCK_ROW, count: 2, app: Second}
      - {family: token, answer: delay, delay: 10ms, for: 1h, user: one@acme.example}
  - name: Globex
`, 1)
	orgFile, dir := writeOrgFile(t, file)
	s := startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile}).faultsTokens(t)
	answers := func() []string {
		var out []string
		for _, f := range s.faults(t) {
			out = append(out, f.Family+" "+f.Answer+" "+itoa(f.Remaining)+" "+itoa(f.Hits))
		}
		return out
	}
	if r := s.get(t, "/services/data/v59.0/limits", s.second); r.Status != http.StatusBadRequest {
		t.Errorf("Second's request with the file's fault: %d %s", r.Status, r.Body)
	}
	s.inject(t, `{"org":"Acme","family":"bulk","answer":"drop","count":5}`)
	// One token of one@ (First's) delayed at start; one hit of the REST fault.
	if diff := cmp.Diff([]string{"rest UNABLE_TO_LOCK_ROW 1 1", "token delay 0 1", "bulk drop 5 0"}, answers()); diff != "" {
		t.Errorf("faults before the apply (-want +got):\n%s", diff)
	}
	if r := s.admin(t, http.MethodPost, "/apply", file); r.Status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	if diff := cmp.Diff([]string{"bulk drop 5 0", "rest UNABLE_TO_LOCK_ROW 2 0", "token delay 0 0"}, answers()); diff != "" {
		t.Errorf("faults after the apply (-want +got):\n%s", diff)
	}
	bad := strings.Replace(file, "answer: UNABLE_TO_LOCK_ROW", "answer: invalid_grant", 1)
	if r := s.admin(t, http.MethodPost, "/apply", bad); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "faults[0]: answer invalid_grant does not apply to the rest family") {
		t.Errorf("apply with a bad fault: %d %s", r.Status, r.Body)
	}
}

// Two nodes on one PostgreSQL database: a fault injected on node 1 fires on node 2, and a
// count holds across the nodes when 64 requests race over both.
func TestFaultsAcrossNodes(t *testing.T) {
	orgFile, _ := writeOrgFile(t, faultsOrgFile)
	nodes := startNodes(t, 2, Config{OrgFile: orgFile})
	tok := nodes[0].token(t, "FirstKey01", "FirstSecret01")
	f := nodes[0].inject(t, `{"org":"Acme","family":"rest","answer":"SERVER_UNAVAILABLE","count":1}`)
	// The notice reaches node 2 within milliseconds; wait for it, at most 5 s.
	within(t, "node 2 to load the fault", time.Now(), 5*time.Second, func() bool { return nodes[1].Server.faults.Has(faultID(t, f)) })
	if r := nodes[1].get(t, "/services/data/v59.0/limits", tok); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("node 2 with node 1's fault: %d %s", r.Status, r.Body)
	}
	if r := nodes[0].get(t, "/services/data/v59.0/limits", tok); r.Status != http.StatusOK {
		t.Fatalf("node 1 after node 2 spent the fault: %d %s", r.Status, r.Body)
	}

	f = nodes[1].inject(t, `{"org":"Acme","family":"rest","answer":"SERVER_UNAVAILABLE","count":3}`)
	within(t, "node 1 to load the fault", time.Now(), 5*time.Second, func() bool { return nodes[0].Server.faults.Has(faultID(t, f)) })
	var faulted, ok atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			switch r := nodes[i%2].get(t, "/services/data/v59.0/limits", tok); r.Status {
			case http.StatusServiceUnavailable:
				faulted.Add(1)
			case http.StatusOK:
				ok.Add(1)
			default:
				t.Errorf("%s: %d %s", nodeName(i%2), r.Status, r.Body)
			}
		}()
	}
	close(start)
	wg.Wait()
	if faulted.Load() != 3 || ok.Load() != 61 {
		t.Errorf("64 requests over two nodes: %d faulted, %d served; want 3 and 61", faulted.Load(), ok.Load())
	}
	if fs := nodes[0].faults(t); len(fs) != 2 || fs[1].Hits != 3 || fs[1].Remaining != 0 {
		t.Errorf("faults: %+v", fs)
	}

	// Expiring the app's sessions on node 2 ends them on node 1, which has the session cached.
	if r := nodes[1].admin(t, http.MethodPost, "/sessions/expire", `{"app":"First"}`); r.Status != http.StatusOK {
		t.Fatalf("expire: %d %s", r.Status, r.Body)
	}
	within(t, "node 1 to refuse the expired session", time.Now(), 5*time.Second, func() bool {
		return nodes[0].get(t, "/services/data/v59.0/limits", tok).Status == http.StatusUnauthorized
	})
	tok = nodes[0].token(t, "FirstKey01", "FirstSecret01")

	// Exhausting DailyApiRequests on node 1 stops node 2 too, although node 2 holds a
	// block of units it reserved while serving the requests above.
	if r := nodes[0].admin(t, http.MethodPost, "/orgs/Acme/limits/exhaust", `{}`); r.Status != http.StatusOK {
		t.Fatalf("exhaust: %d %s", r.Status, r.Body)
	}
	within(t, "node 2 to refuse", time.Now(), 5*time.Second, func() bool {
		return nodes[1].get(t, "/services/data/v59.0/limits", tok).Status == http.StatusForbidden
	})
	for i, n := range nodes {
		wantRESTError(t, n.get(t, "/services/data/v59.0/limits", tok), http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
		if t.Failed() {
			t.Fatalf("%s after exhaust", nodeName(i))
		}
	}
}

func faultID(t *testing.T, f faultView) int64 {
	t.Helper()
	id, err := strconv.ParseInt(f.ID, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
