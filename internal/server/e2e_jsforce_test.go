package server

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// jsforceDir is the jsforce harness (clients/jsforce), relative to this package.
const jsforceDir = "../../clients/jsforce"

// needJSForce returns the node binary, or skips the test when node or the harness's
// modules are missing — but only outside CI: with CI set, a missing node or
// node_modules fails the test, since .ci/run installs them.
func needJSForce(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(jsforceDir, "node_modules", "jsforce", "package.json"))
	if err == nil && modErr == nil {
		return node
	}
	skipUnlessCI(t, "jsforce harness unavailable (node: %v, modules: %v); install with: npm ci --prefix clients/jsforce", err, modErr)
	return ""
}

// runJSForce runs login.js with env and returns its JSON line.
func runJSForce(t *testing.T, node string, env ...string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "login.js")
	cmd.Dir = jsforceDir
	for _, kv := range os.Environ() {
		// node must reach 127.0.0.1 directly.
		if k, _, _ := strings.Cut(kv, "="); !strings.EqualFold(k, "HTTP_PROXY") && !strings.EqualFold(k, "HTTPS_PROXY") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.Output()
	var res map[string]any
	if jerr := json.Unmarshal(out, &res); jerr != nil {
		t.Fatalf("node login.js: %v; output %q", err, out)
	}
	if err != nil {
		t.Fatalf("node login.js failed: %v: %v", err, res)
	}
	return res
}

func TestJSForce(t *testing.T) {
	node := needJSForce(t)
	// One server with both test orgs' flows: the JWT org plus a password user.
	app := newSigner(t)
	orgFile, dir := writeOrgFile(t, jwtOrgFile+strings.TrimPrefix(passwordOrgFile, "\norgs:\n"))
	writeFile(t, dir, "app.crt", app.certPEM)
	writeFile(t, dir, "old.crt", newSigner(t).certPEM)
	der, err := x509.MarshalPKCS8PrivateKey(app.key)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "app.key")
	writeFile(t, dir, "app.key", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
	s := startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile})
	// jsforce's JWT exp is Date.now()+300 on the real clock; the server's test clock is in
	// 2026-11-22, so move it to now for the assertion to be in the future.
	s.Clock.Advance(time.Since(s.Clock.Now()))

	for _, tc := range []struct {
		name, username string
		env            []string
	}{
		{"jwt bearer", "int@jwt.example", []string{"FF_FLOW=jwt", "FF_KEY=JwtKey000001", "FF_USERNAME=int@jwt.example", "FF_PRIVATE_KEY=" + keyFile}},
		{"username-password", "int@pw.example", []string{"FF_FLOW=password", "FF_KEY=PwKey0000001", "FF_SECRET=PwSecret0000001",
			"FF_USERNAME=int@pw.example", "FF_PASSWORD=correct horse" + pwToken}},
		{"client credentials", "int@pw.example", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := append([]string{"FF_URL=" + s.URL}, tc.env...)
			if tc.env == nil {
				env = append(env, "FF_FLOW=client_credentials", "FF_KEY=CcKey0000001", "FF_SECRET=CcSecret0000001")
			}
			res := runJSForce(t, node, env...)
			orgID, userID := s.ids(t, tc.username)
			if res["username"] != tc.username || res["userId"] != userID || res["orgId"] != orgID || res["instanceUrl"] != s.URL {
				t.Errorf("jsforce session = %v; want user %s (%s) of org %s on %s", res, tc.username, userID, orgID, s.URL)
			}
			if res["dailyApiRequests"] == nil {
				t.Errorf("limits call returned no DailyApiRequests: %v", res)
			}
		})
	}
}
