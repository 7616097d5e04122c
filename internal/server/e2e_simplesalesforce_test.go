package server

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// simple-salesforce 1.12.10 over the HTTPS listener (clients/simple-salesforce/run.py;
// salesforce-rest.md §8.3, docs/tls.md).
//
// PyPI is unreachable from CI and Debian has no simple-salesforce package; its released
// source, unmodified, is in ../shared/clients/simple-salesforce-1.12.10 beside the
// project root (developers and CI have that folder). Its dependencies are Debian packages, which
// .ci/run installs: python3-requests python3-zeep python3-jwt python3-more-itertools
// python3-typing-extensions python3-cryptography. The interpreter is FORCEFIELD_PYTHON,
// else /usr/bin/python3 (where those packages go), else python3 on PATH;
// FORCEFIELD_SIMPLE_SALESFORCE may name another directory holding the simple_salesforce
// package. When it cannot be imported the tests skip, and fail when CI is set.

const simpleSalesforceScript = "../../clients/simple-salesforce/run.py"

// simpleSalesforceSource is simple-salesforce's source in ../shared beside the project
// root, relative to this package.
const simpleSalesforceSource = "../../../shared/clients/simple-salesforce-1.12.10"

// needSimpleSalesforce returns the interpreter and the environment that makes
// simple_salesforce importable, or skips (fails under CI).
func needSimpleSalesforce(t *testing.T) (python string, env []string) {
	t.Helper()
	python = os.Getenv("FORCEFIELD_PYTHON")
	if python == "" {
		python = "python3"
		if _, err := os.Stat("/usr/bin/python3"); err == nil {
			python = "/usr/bin/python3"
		}
	}
	src := os.Getenv("FORCEFIELD_SIMPLE_SALESFORCE")
	if src == "" {
		var err error
		if src, err = filepath.Abs(simpleSalesforceSource); err != nil {
			t.Fatal(err)
		}
	}
	// No .pyc files in the source tree.
	env = append(env, "PYTHONPATH="+src, "PYTHONDONTWRITEBYTECODE=1")
	cmd := exec.Command(python, "-c", "from simple_salesforce.__version__ import __version__; print(__version__)")
	cmd.Env = clientEnv(env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		const install = "apt-get install -y python3-requests python3-zeep python3-jwt python3-more-itertools python3-typing-extensions python3-cryptography"
		skipUnlessCI(t, "simple-salesforce not importable with %s from %s (%v: %s); install its dependencies: %s (or set FORCEFIELD_PYTHON)",
			python, src, err, strings.TrimSpace(string(out)), install)
	}
	if v := strings.TrimSpace(string(out)); v != "1.12.10" {
		t.Logf("simple-salesforce %s (the reference tested 1.12.10)", v)
	}
	return python, env
}

func runSimpleSalesforce(t *testing.T, s *tlsServer, scenario, key, secret, username string) map[string]any {
	t.Helper()
	return runSimpleSalesforceScript(t, s, simpleSalesforceScript, s.token(t, key, secret),
		"FF_URL="+s.URL, "FF_ADMIN_TOKEN="+s.AdminToken, "FF_KEY="+key, "FF_SECRET="+secret,
		"FF_USERNAME="+username, "FF_SCENARIO="+scenario)
}

// runSimpleSalesforceScript runs one of clients/simple-salesforce's scripts against s's
// HTTPS listener with an access token (FF_HTTPS, FF_TOKEN, and the test CA trusted) and
// extra environment, and returns the one JSON object it prints; a script that fails or
// prints anything else fails the test.
func runSimpleSalesforceScript(t *testing.T, s *tlsServer, script, token string, extra ...string) map[string]any {
	t.Helper()
	python, env := needSimpleSalesforce(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, script)
	env = append(env, "FF_HTTPS="+s.HTTPS, "FF_TOKEN="+token,
		"REQUESTS_CA_BUNDLE="+s.CertFile, "CURL_CA_BUNDLE="+s.CertFile)
	cmd.Env = clientEnv(append(env, extra...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var res map[string]any
	if jerr := json.Unmarshal(out, &res); jerr != nil {
		t.Fatalf("python %s: %v; output %q; stderr %s", filepath.Base(script), err, out, stderr.String())
	}
	if err != nil {
		t.Fatalf("python %s failed: %v: %v\n%s", filepath.Base(script), err, res, stderr.String())
	}
	return res
}

// sessionSummary is what run.py reports without the data API.
func sessionSummary(s *tlsServer) map[string]any {
	host := strings.TrimPrefix(s.HTTPS, "https://")
	return map[string]any{
		"directInstance":    host,
		"limits":            map[string]any{"hasDailyApiRequests": true},
		"ccInstance":        host, // the instance_url answered over TLS is the HTTPS listener
		"ccLimits":          true,
		"directAfterRevoke": "SalesforceExpiredSession: INVALID_SESSION_ID Session expired or invalid",
		"ccAfterRevoke":     true,
	}
}

// TestSimpleSalesforceSession runs without the data API: direct mode and client
// credentials over TLS, limits, and both reactions to a revoked session.
func TestSimpleSalesforceSession(t *testing.T) {
	s := startTLS(t, "")
	got := runSimpleSalesforce(t, s, "session", "AcmeKey0001", "AcmeSecret0001", "integration@acme.example")
	if diff := cmp.Diff(sessionSummary(s), got); diff != "" {
		t.Errorf("simple-salesforce summary (-want +got):\n%s", diff)
	}
}

func TestSimpleSalesforceData(t *testing.T) {
	s := startDataOrg(t, true)
	got := runSimpleSalesforce(t, s, "data", dataKey, dataSecret, dataUser)
	want := sessionSummary(s)
	want["dml"] = map[string]any{
		"create": map[string]any{"success": true, "idPrefix": "001"},
		"update": 204.0, "get": "SSF renamed", "query": []any{"SSF renamed"}, "delete": 204.0, "afterDelete": 0.0,
	}
	want["upsert"] = map[string]any{"first": 201.0, "second": 200.0,
		"records": []any{map[string]any{"ExtId__c": "INV-9", "Amount__c": 6.0}}}
	// 450 records in pages of 200, joined by query_all.
	want["queryAll"] = map[string]any{"totalSize": 450.0, "records": 450.0, "first": "SSF bulk 000", "last": "SSF bulk 449"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("simple-salesforce summary (-want +got):\n%s", diff)
	}
}
