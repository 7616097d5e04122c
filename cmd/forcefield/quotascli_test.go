package main

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// The quota verbs against a running server with the demo org: set a token quota of one per
// hour on the demo's client credentials app, see a second token refused and the usage shown,
// keep the flags not given, and refuse bad values with the admin API's message.
func TestQuotaVerbs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ff.db")
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm")
	env := []string{"FORCEFIELD_ADMIN_TOKEN=adm", "FORCEFIELD_URL=" + p.URL}

	out := runCLI(t, env, "set-quotas", "Demo Integration", "--token-requests-per-hour", "1", "--api-requests-per-day", "500")
	for _, want := range []string{"Quotas of Demo Integration (0H4", "token requests per hour  1      0", "token requests per day   none   0",
		"API requests per day     500    0"} {
		if !strings.Contains(out, want) {
			t.Errorf("set-quotas: no %q in\n%s", want, out)
		}
	}
	key, secret := keyLine.FindStringSubmatch(p.Stdout)[1], secretLine.FindStringSubmatch(p.Stdout)[1]
	token := func() int {
		resp, err := http.PostForm(p.URL+"/services/oauth2/token", url.Values{"grant_type": {"client_credentials"},
			"client_id": {key}, "client_secret": {secret}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := token(); got != 200 {
		t.Fatalf("first token: %d", got)
	}
	if got := token(); got != 400 {
		t.Errorf("second token in the hour: %d, want 400 (quota of 1)", got)
	}
	out = runCLI(t, env, "set-quotas", "Demo Integration", "--token-requests-per-day", "10")
	for _, want := range []string{"token requests per hour  1      1", "token requests per day   10     1", "API requests per day     500    0"} {
		if !strings.Contains(out, want) {
			t.Errorf("set-quotas kept the others? no %q in\n%s", want, out)
		}
	}
	if out := runCLI(t, env, "quotas", "--json", "Demo Integration"); !strings.Contains(out, `"tokenRequestsLastHour": 1`) {
		t.Errorf("quotas --json:\n%s", out)
	}
	if out, err := runCLIErr(t, env, "set-quotas", "Demo Integration", "--api-requests-per-day", "-5"); err == nil ||
		!strings.Contains(out+err.Error(), "apiRequestsPerDay: -5 is out of range") {
		t.Errorf("a negative quota: %v\n%s", err, out)
	}
	if _, err := runCLIErr(t, env, "set-quotas", "Demo Integration"); err == nil {
		t.Error("set-quotas without a flag succeeded")
	}
}
