package server

// Several nodes on one PostgreSQL (issue 12 §3, §5): three servers on loopback ports share
// one schema, and every request below goes to whichever node the test picks, as a load
// balancer would send it. What one node does, the others must see — at once for stored
// state (tokens, records, query locators, bulk jobs), within 1 second for what nodes
// cache (revoked sessions, Setup) — and a limit of N allows N requests in total.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	salesforce "github.com/k-capehart/go-salesforce/v3"
)

// propagation is how soon a change on one node must be honoured by every other (§3).
const propagation = time.Second

// startDataNodes starts three nodes with dataOrgFile and returns them as data servers
// holding a token of int@acme.example issued by node 1.
func startDataNodes(t *testing.T) []*dataServer {
	t.Helper()
	orgFile, _ := writeOrgFile(t, dataOrgFile)
	var out []*dataServer
	for _, n := range startNodes(t, 3, Config{OrgFile: orgFile}) {
		out = append(out, &dataServer{testServer: n})
	}
	tok := out[0].token(t, "IntKey0001", "IntSecret0001")
	for _, n := range out {
		n.int = tok
	}
	return out
}

// within polls check every 10 ms until it reports true and fails the test if that takes
// longer than d from start. It returns how long it took.
func within(t *testing.T, what string, start time.Time, d time.Duration, check func() bool) time.Duration {
	t.Helper()
	for {
		if check() {
			took := time.Since(start)
			if took > d {
				t.Errorf("%s took %v, want at most %v", what, took.Round(time.Millisecond), d)
			}
			return took
		}
		if time.Since(start) > 5*d {
			t.Fatalf("%s: not seen after %v (want within %v)", what, time.Since(start).Round(time.Millisecond), d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNodes(t *testing.T) {
	nodes := startDataNodes(t)
	n1, n2, n3 := nodes[0], nodes[1], nodes[2]

	t.Run("a token from node 1 works on nodes 2 and 3", func(t *testing.T) {
		for i, n := range nodes {
			if r := n.call(t, n1.int, http.MethodGet, "/sobjects/Account/describe", ""); r.Status != http.StatusOK {
				t.Errorf("%s: %d %s", nodeName(i), r.Status, r.Body)
			}
		}
	})

	t.Run("revoked on node 3, refused by node 1 within 1 s", func(t *testing.T) {
		for _, revoke := range []struct {
			name string
			fn   func(t *testing.T, tok string)
		}{
			{"revoke endpoint", func(t *testing.T, tok string) {
				if r := n3.postForm(t, "/services/oauth2/revoke", url.Values{"token": {tok}}); r.Status != http.StatusOK {
					t.Fatalf("revoke on node 3: %d %s", r.Status, r.Body)
				}
			}},
			{"admin verb", func(t *testing.T, _ string) { n3.revokeUserSessions(t, "peer@acme.example") }},
		} {
			t.Run(revoke.name, func(t *testing.T) {
				tok := n1.token(t, "PeerKey0001", "PeerSecret0001")
				for i, n := range nodes { // every node has now seen (and may cache) the session
					if r := n.call(t, tok, http.MethodGet, "/limits", ""); r.Status != http.StatusOK {
						t.Fatalf("%s before the revocation: %d %s", nodeName(i), r.Status, r.Body)
					}
				}
				start := time.Now()
				revoke.fn(t, tok)
				for i, n := range []*dataServer{n1, n2} {
					took := within(t, nodeName(i)+" refusing the revoked token", start, propagation, func() bool {
						return n.call(t, tok, http.MethodGet, "/limits", "").Status == http.StatusUnauthorized
					})
					t.Logf("%s refused the token %v after the revocation on node 3", nodeName(i), took.Round(time.Millisecond))
				}
			})
		}
	})

	t.Run("a Setup change on node 2 is seen by node 1 within 1 s", func(t *testing.T) {
		// Node 1 issues a token for the Reader app, so its Setup cache holds the app.
		if r := n1.tokenResponse(t, "ReaderKey0001", "ReaderSecret0001"); r["access_token"] == nil {
			t.Fatalf("Reader token on node 1: %v", r)
		}
		disabled := strings.Replace(dataOrgFile,
			"consumerKey: ReaderKey0001, consumerSecret: ReaderSecret0001, clientCredentials: {enabled: true,",
			"consumerKey: ReaderKey0001, consumerSecret: ReaderSecret0001, clientCredentials: {enabled: false,", 1)
		if disabled == dataOrgFile {
			t.Fatal("the org file has no Reader app line to change")
		}
		applyStart := time.Now()
		if r := n2.admin(t, http.MethodPost, "/apply?name=data.yaml", disabled); r.Status != http.StatusOK {
			t.Fatalf("apply on node 2: %d %s", r.Status, r.Body)
		}
		start := time.Now() // the change is committed when the apply answers
		t.Logf("the apply on node 2 took %v", start.Sub(applyStart).Round(time.Millisecond))
		took := within(t, "node 1 refusing the disabled flow", start, propagation, func() bool {
			return n1.postForm(t, "/services/oauth2/token", url.Values{"grant_type": {"client_credentials"},
				"client_id": {"ReaderKey0001"}, "client_secret": {"ReaderSecret0001"}}).Status != http.StatusOK
		})
		t.Logf("node 1 saw the change %v after node 2 applied it", took.Round(time.Millisecond))
		n1.token(t, "IntKey0001", "IntSecret0001") // the other apps still work
	})

	// 450 Accounts, created on node 2, for the pages and clients below.
	var want []string
	for chunk := 0; chunk < 450; chunk += 150 {
		var recs []string
		for i := chunk; i < chunk+150; i++ {
			name := fmt.Sprintf("Node %03d", i)
			want = append(want, name)
			recs = append(recs, `{"attributes":{"type":"Account"},"Name":"`+name+`"}`)
		}
		r := n2.call(t, n1.int, http.MethodPost, "/composite/sobjects", `{"allOrNone":true,"records":[`+strings.Join(recs, ",")+`]}`)
		if r.Status != http.StatusOK {
			t.Fatalf("create Accounts on node 2: %d %s", r.Status, r.Body)
		}
	}

	t.Run("a query's pages from three nodes", func(t *testing.T) {
		req := newRequest(t, http.MethodGet, n1.URL+"/services/data/v59.0/query?q="+
			url.QueryEscape("SELECT Id, Name FROM Account WHERE Name LIKE 'Node %' ORDER BY Name"), nil)
		req.Header.Set("Authorization", "Bearer "+n1.int)
		req.Header.Set("Sforce-Query-Options", "batchSize=200")
		var got []string
		page := do(t, req)
		for i := 0; ; i++ {
			var a queryAnswer
			if page.Status != http.StatusOK || json.Unmarshal([]byte(page.Body), &a) != nil {
				t.Fatalf("page %d (%s): %d %s", i+1, nodeName(i%3), page.Status, page.Body)
			}
			if a.TotalSize != 450 {
				t.Errorf("page %d: totalSize %d, want 450", i+1, a.TotalSize)
			}
			for _, rec := range a.Records {
				got = append(got, rec["Name"].(string))
			}
			if a.Done {
				if i != 2 {
					t.Errorf("%d pages, want 3 of at most 200", i+1)
				}
				break
			}
			page = nodes[(i+1)%3].call(t, n1.int, http.MethodGet, a.NextRecordsURL, "") // the next node
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("records across the pages (-want +got):\n%s", diff)
		}
	})

	t.Run("a bulk job created, uploaded and closed on three nodes runs once", func(t *testing.T) {
		var csv strings.Builder
		csv.WriteString("Name\n")
		for i := range 2500 {
			fmt.Fprintf(&csv, "Bulk %04d\n", i)
		}
		id := n1.ingestJob(t, n1.int, `{"object":"Account","operation":"insert"}`)
		if r := n2.bulkCall(t, n1.int, http.MethodPut, "ingest/"+id+"/batches", "text/csv", csv.String()); r.Status != http.StatusCreated {
			t.Fatalf("upload on node 2: %d %s", r.Status, r.Body)
		}
		if r := n3.bulkCall(t, n1.int, http.MethodPatch, "ingest/"+id, "application/json", `{"state":"UploadComplete"}`); r.Status != http.StatusOK {
			t.Fatalf("UploadComplete on node 3: %d %s", r.Status, r.Body)
		}
		info := n1.waitJob(t, n1.int, "ingest", id)
		if info["state"] != "JobComplete" || info["numberRecordsProcessed"] != 2500.0 || info["numberRecordsFailed"] != 0.0 {
			t.Fatalf("job seen on node 1: %v", info)
		}
		if a := n2.query(t, n1.int, "SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk %'"); a.TotalSize != 2500 {
			t.Errorf("Accounts the job created: %d, want 2500 (each record once)", a.TotalSize)
		}
	})

	t.Run("go-salesforce: login on node 1, data round-robin on nodes 2 and 3", func(t *testing.T) {
		lb := &roundRobin{login: n1.URL, data: []string{n2.URL, n3.URL}}
		sf, err := salesforce.Init(salesforce.Creds{Domain: n1.URL, ConsumerKey: "IntKey0001", ConsumerSecret: "IntSecret0001"},
			salesforce.WithRoundTripper(lb))
		if err != nil {
			t.Fatalf("Init on node 1: %v", err)
		}
		var got []gsAccount
		if err := sf.Query("SELECT Id, Name FROM Account WHERE Name LIKE 'Node %' ORDER BY Name", &got); err != nil {
			t.Fatalf("Query: %v", err)
		}
		if len(got) != 450 || got[0].Name != "Node 000" || got[449].Name != "Node 449" {
			t.Errorf("Query: %d records", len(got))
		}
		one, err := sf.InsertOne("Account", gsAccount{Name: "GoSF on nodes"})
		if err != nil || !one.Success {
			t.Fatalf("InsertOne: %+v %v", one, err)
		}
		// Revoked through node 3's admin API: go-salesforce logs in again (on node 1) and retries.
		before := sf.GetAccessToken()
		n3.revokeUserSessions(t, "int@acme.example")
		time.Sleep(propagation)
		if names := gsNames(t, sf, "SELECT Id, Name FROM Account WHERE Id = '"+one.Id+"'"); names != "GoSF on nodes" {
			t.Errorf("query after revocation: %q", names)
		}
		if sf.GetAccessToken() == before {
			t.Error("access token not renewed after the revocation")
		}
		lb.mu.Lock()
		defer lb.mu.Unlock()
		if lb.logins != 0 || lb.byNode[n2.URL] < 3 || lb.byNode[n3.URL] < 3 {
			t.Errorf("requests by data node: %v, logins through the transport %d; want 3 or more on each, and logins outside it", lb.byNode, lb.logins)
		}
		for _, n := range nodes { // the revocation ended the shared token too
			n.int = n1.token(t, "IntKey0001", "IntSecret0001")
		}
	})

	t.Run("jsforce: login on node 2, data on node 3", func(t *testing.T) {
		node := needJSForce(t)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "nodes.js")
		cmd.Dir = jsforceDir
		cmd.Env = clientEnv("FF_URL="+n2.URL, "FF_DATA_URL="+n3.URL, "FF_KEY=IntKey0001", "FF_SECRET=IntSecret0001")
		out, err := cmd.Output()
		var got map[string]any
		if jerr := json.Unmarshal(out, &got); jerr != nil || err != nil {
			t.Fatalf("node nodes.js: %v, %v; output %q", err, jerr, out)
		}
		want := map[string]any{"loginInstance": n2.URL, "created": true, "retrieved": "Node jsforce",
			"totalSize": 451.0, "fetched": 451.0, "username": "int@acme.example"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("jsforce (-want +got):\n%s", diff)
		}
	})
}

// roundRobin is a load balancer in the client's transport: every request to the REST API
// goes to the data nodes in turn. (go-salesforce sends its logins — at Init, and again
// after a 401 — outside this transport, to the Domain, node 1; token requests seen here
// are counted and stay on the login node.)
type roundRobin struct {
	login string
	data  []string

	mu     sync.Mutex
	next   int
	logins int
	byNode map[string]int
}

func (lb *roundRobin) RoundTrip(req *http.Request) (*http.Response, error) {
	lb.mu.Lock()
	target := lb.login
	if strings.HasPrefix(req.URL.Path, "/services/oauth2/") {
		lb.logins++
	} else {
		target = lb.data[lb.next%len(lb.data)]
		lb.next++
		if lb.byNode == nil {
			lb.byNode = map[string]int{}
		}
		lb.byNode[target]++
	}
	lb.mu.Unlock()
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = u.Scheme, u.Host, u.Host
	req.Header.Set("Sforce-Query-Options", "batchSize=200")
	return http.DefaultTransport.RoundTrip(req)
}

// limitedOrgFile is an org whose DailyApiRequests allows 100 requests.
const limitedOrgFile = `
orgs:
  - name: Limited
    dailyApiRequests: 100
    profiles:
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
    users:
      - {username: int@limited.example, lastName: Integration, email: int@limited.example, profile: Integration}
    connectedApps:
      - {name: Int, scopes: [api], consumerKey: LimKey0001, consumerSecret: LimSecret0001, clientCredentials: {enabled: true, runAs: int@limited.example}}
`

// A DailyApiRequests limit of 100 spent from three nodes at once: exactly 100 requests
// succeed in total, the others get 403 REQUEST_LIMIT_EXCEEDED.
func TestNodesDailyLimit(t *testing.T) {
	orgFile, _ := writeOrgFile(t, limitedOrgFile)
	nodes := startNodes(t, 3, Config{OrgFile: orgFile})
	tok := nodes[0].token(t, "LimKey0001", "LimSecret0001")
	var ok, refused, other atomic.Int32
	var wg sync.WaitGroup
	for i, n := range nodes {
		for range 4 { // four clients per node, 15 requests each: 180 in all
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 15 {
					r := n.get(t, "/services/data/v59.0/limits", tok)
					switch {
					case r.Status == http.StatusOK:
						ok.Add(1)
					case r.Status == http.StatusForbidden && strings.Contains(r.Body, "REQUEST_LIMIT_EXCEEDED"):
						refused.Add(1)
					default:
						other.Add(1)
						t.Errorf("%s: %d %s", nodeName(i), r.Status, r.Body)
					}
				}
			}()
		}
	}
	wg.Wait()
	if ok.Load() != 100 || refused.Load() != 80 || other.Load() != 0 {
		t.Errorf("of 180 requests over three nodes: %d succeeded, %d refused, %d other; want 100, 80, 0", ok.Load(), refused.Load(), other.Load())
	}
}
