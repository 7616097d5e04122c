package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTravelVerb: `forcefield travel` prints, advances, sets and resets the only org's
// clock; a session issued before a travel past its timeout is refused after it.
func TestTravelVerb(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ff.db")
	p := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db, "--admin-token", "adm")
	env := []string{"FORCEFIELD_ADMIN_TOKEN=adm", "FORCEFIELD_URL=" + p.URL}
	key, secret := keyLine.FindStringSubmatch(p.Stdout)[1], secretLine.FindStringSubmatch(p.Stdout)[1]
	token, status := getToken(t, p.URL, key, secret)
	if status != 200 {
		t.Fatalf("token: %d", status)
	}
	if got := getLimits(t, p.URL, token); got != 200 {
		t.Fatalf("limits before travel: %d", got)
	}

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"travel"}, "is on real time"},
		{[]string{"travel", "2h"}, "is 2h0m0s ahead of real time"},
		{[]string{"travel", "30m"}, "is 2h30m0s ahead of real time"},
		{[]string{"travel", "--to-offset", "25h"}, "is 25h0m0s ahead of real time"},
		{[]string{"travel"}, "is 25h0m0s ahead of real time"},
	}
	for _, tt := range tests {
		if out := runCLI(t, env, tt.args...); !strings.Contains(out, tt.want) {
			t.Errorf("forcefield %s:\n%s\nwant %q", strings.Join(tt.args, " "), out, tt.want)
		}
	}
	if got := getLimits(t, p.URL, token); got != 401 {
		t.Errorf("limits with a session 25 hours old in the org's time: %d, want 401", got)
	}
	if out := runCLI(t, env, "orgs"); !strings.Contains(out, "CLOCK OFFSET") || !strings.Contains(out, "25h0m0s") {
		t.Errorf("orgs after travel:\n%s", out)
	}
	if out := runCLI(t, env, "travel", "--json"); !strings.Contains(out, `"offsetSeconds": 90000`) {
		t.Errorf("travel --json:\n%s", out)
	}
	for _, bad := range [][]string{{"travel", "-1h"}, {"travel", "soon"}, {"travel", "1h", "--reset"}, {"travel", "--org", "Nowhere"}} {
		runCLIFail(t, env, bad...)
	}
	if out := runCLIFail(t, env, "travel", "--", "-1h"); !strings.Contains(out, "time only moves forward") {
		t.Errorf("travel -- -1h:\n%s", out)
	}
	if out := runCLI(t, env, "travel", "--reset"); !strings.Contains(out, "is on real time") {
		t.Errorf("travel --reset:\n%s", out)
	}
}
