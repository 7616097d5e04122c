package server

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// simple-salesforce 1.12.10 over the HTTPS listener (clients/simple-salesforce/run.py;
// salesforce-rest.md §8.3, docs/tls.md).
//
// CI cannot install simple-salesforce: PyPI is unreachable, the Go module proxy refuses the
// repository ("403 This module version is not available"), and Debian has no package. So
// these tests run only where it is importable: set FORCEFIELD_PYTHON (default python3) to
// an interpreter with requests, zeep, PyJWT, more-itertools and cryptography (Debian:
// python3-requests python3-zeep python3-jwt python3-more-itertools python3-cryptography,
// then FORCEFIELD_PYTHON=/usr/bin/python3), and FORCEFIELD_SIMPLE_SALESFORCE to a directory
// holding the simple_salesforce package (a checkout of simple-salesforce v1.12.10).
// Otherwise they skip, in CI too.

const simpleSalesforceScript = "../../clients/simple-salesforce/run.py"

// needSimpleSalesforce returns the interpreter and the PYTHONPATH entry, or skips.
func needSimpleSalesforce(t *testing.T) (python string, env []string) {
	t.Helper()
	python = os.Getenv("FORCEFIELD_PYTHON")
	if python == "" {
		python = "python3"
	}
	if src := os.Getenv("FORCEFIELD_SIMPLE_SALESFORCE"); src != "" {
		env = append(env, "PYTHONPATH="+src)
	}
	cmd := exec.Command(python, "-c", "from simple_salesforce.__version__ import __version__; print(__version__)")
	cmd.Env = clientEnv(env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Skipf("simple-salesforce not importable with %s (%v: %s); see the comment in %s", python, err, strings.TrimSpace(string(out)), "e2e_simplesalesforce_test.go")
	}
	if v := strings.TrimSpace(string(out)); v != "1.12.10" {
		t.Logf("simple-salesforce %s (the reference tested 1.12.10)", v)
	}
	return python, env
}

func runSimpleSalesforce(t *testing.T, s *tlsServer, scenario, key, secret, username string) map[string]any {
	t.Helper()
	python, env := needSimpleSalesforce(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, simpleSalesforceScript)
	cmd.Env = clientEnv(append(env, "FF_HTTPS="+s.HTTPS, "FF_URL="+s.URL, "FF_ADMIN_TOKEN="+s.AdminToken,
		"FF_KEY="+key, "FF_SECRET="+secret, "FF_USERNAME="+username, "FF_TOKEN="+s.token(t, key, secret),
		"FF_SCENARIO="+scenario, "REQUESTS_CA_BUNDLE="+s.CertFile, "CURL_CA_BUNDLE="+s.CertFile)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var res map[string]any
	if jerr := json.Unmarshal(out, &res); jerr != nil {
		t.Fatalf("python run.py: %v; output %q; stderr %s", err, out, stderr.String())
	}
	if err != nil {
		t.Fatalf("python run.py failed: %v: %v\n%s", err, res, stderr.String())
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
