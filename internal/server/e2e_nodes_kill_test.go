package server

// kill -9 of one node under token load (issue 12 §5): three `forcefield serve` processes on
// one PostgreSQL, client-credentials token requests against the first, SIGKILL in the middle
// of them. Every token the client received an HTTP 200 for must work on the surviving
// nodes, and the login history must hold a row for each: a node acknowledges a token only
// once the session and its login-history row are committed (synchronous_commit on).

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/store/postgres/pgtest"
)

// killOrgFile is the org of the kill test: one client-credentials app, and a request limit
// no test run reaches.
const killOrgFile = `
orgs:
  - name: Kill
    dailyApiRequests: 5000000
    profiles:
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
    users:
      - {username: int@kill.example, lastName: Integration, email: int@kill.example, profile: Integration}
    connectedApps:
      - {name: Load, scopes: [api], consumerKey: KillKey0001, consumerSecret: KillSecret0001, clientCredentials: {enabled: true, runAs: int@kill.example}}
`

// nodeProc is a `forcefield serve` process.
type nodeProc struct {
	cmd    *exec.Cmd
	URL    string
	stderr *syncBuffer
	exited chan struct{} // closed when the process has exited
}

// syncBuffer is a strings.Builder safe for a process's writes and the test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// buildForcefield builds cmd/forcefield into a temporary directory.
func buildForcefield(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "forcefield")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/forcefield").CombinedOutput(); err != nil {
		t.Fatalf("go build ../../cmd/forcefield: %v\n%s", err, out)
	}
	return bin
}

var listeningLine = regexp.MustCompile(`listening on (http://\S+)`)

// startProc runs `forcefield serve` on db and waits until it listens.
func startProc(t *testing.T, bin, db string, args ...string) *nodeProc {
	t.Helper()
	args = append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--admin-token", testAdminToken, "--log-level", "warn"}, args...)
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() { // the flags, not the test's environment, configure it
		if !strings.HasPrefix(kv, "FORCEFIELD_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &nodeProc{cmd: cmd, stderr: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); <-p.exited })
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listeningLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
		cmd.Wait()
		close(p.exited)
	}()
	select {
	case p.URL = <-urls:
		return p
	case <-p.exited:
		t.Fatalf("forcefield exited before listening: %v\n%s", cmd.ProcessState, p.stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("forcefield did not listen within 60 s\n%s", p.stderr.String())
	}
	return nil
}

func TestNodesKill9(t *testing.T) {
	requirePostgres(t)
	if testing.Short() {
		t.Skip("builds and runs the forcefield binary three times")
	}
	db := pgtest.URL(t)
	bin := buildForcefield(t)
	orgFile, _ := writeOrgFile(t, killOrgFile)
	victim := startProc(t, bin, db, "--org-file", orgFile)
	survivors := []*nodeProc{startProc(t, bin, db), startProc(t, bin, db)}

	// Token load: workers ask the victim for tokens until it is gone.
	const workers = 8
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	var (
		mu     sync.Mutex
		acked  []string
		failed atomic.Int32 // answers other than 200 while the victim lived
		killed atomic.Bool
		wg     sync.WaitGroup
	)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"KillKey0001"}, "client_secret": {"KillSecret0001"}}.Encode()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				resp, err := client.Post(victim.URL+"/services/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(form))
				if err != nil {
					if killed.Load() {
						return
					}
					t.Errorf("token request before the kill: %v", err)
					return
				}
				var body struct {
					AccessToken string `json:"access_token"`
				}
				derr := json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				switch {
				case resp.StatusCode == http.StatusOK && derr == nil && body.AccessToken != "":
					mu.Lock()
					acked = append(acked, body.AccessToken)
					mu.Unlock()
				case !killed.Load():
					failed.Add(1)
				}
			}
		}()
	}
	// Kill once the load is well under way, in the middle of requests.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 1500 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	killed.Store(true)
	if err := victim.cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	wg.Wait()
	if failed.Load() > 0 {
		t.Errorf("%d token requests failed before the kill", failed.Load())
	}
	if len(acked) < 100 {
		t.Fatalf("only %d tokens acknowledged before the kill; the load did not get going\n%s", len(acked), victim.stderr.String())
	}
	t.Logf("%d tokens acknowledged before kill -9", len(acked))

	// Every acknowledged token works on a surviving node (half on each).
	var bad atomic.Int32
	var vg sync.WaitGroup
	next := atomic.Int64{}
	for range workers {
		vg.Add(1)
		go func() {
			defer vg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(acked) {
					return
				}
				s := survivors[i%2]
				req, _ := http.NewRequest(http.MethodGet, s.URL+"/services/data/v59.0/limits", nil)
				req.Header.Set("Authorization", "Bearer "+acked[i])
				resp, err := client.Do(req)
				if err != nil {
					t.Errorf("token %d on a survivor: %v", i, err)
					bad.Add(1)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					if bad.Add(1) <= 5 {
						t.Errorf("acknowledged token %d refused by the survivor at %s: %d", i, s.URL, resp.StatusCode)
					}
				}
			}
		}()
	}
	vg.Wait()
	if n := bad.Load(); n > 0 {
		t.Errorf("%d of %d acknowledged tokens do not work on the surviving nodes", n, len(acked))
	}

	// The login history holds a Success row for each acknowledged token, and at most one
	// more per request that was in flight when the node died.
	r := getJSONArray(t, survivors[0].URL+"/forcefield/admin/login-history?limit=10000")
	success := 0
	for _, row := range r {
		if row["status"] == "Success" {
			success++
		}
	}
	if success < len(acked) || success > len(acked)+workers {
		t.Errorf("login history: %d Success rows for %d acknowledged tokens (and up to %d in flight at the kill)", success, len(acked), workers)
	}
}

// getJSONArray GETs an admin API list.
func getJSONArray(t *testing.T, u string) []map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	return out
}
