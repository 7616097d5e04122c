package orgfile

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
)

const quotasFile = `orgs:
  - name: Q
    connectedApps:
      - {name: None, scopes: [api]}
      - name: Set
        scopes: [api]
        quotas: {tokenRequestsPerHour: 10, tokenRequestsPerDay: 100, apiRequestsPerDay: 5000}
`

// Quotas round-trip through Apply, re-applying is a no-op, a changed quota alone updates
// the app, and a key left out is no quota.
func TestQuotasApply(t *testing.T) {
	name := filepath.Join(t.TempDir(), "q.yaml")
	st := openStore(t)
	ctx := context.Background()
	quotas := func() map[string]org.AppQuotas {
		out := map[string]org.AppQuotas{}
		for _, a := range dump(t, st).Apps {
			out[a.Name] = a.AppQuotas
		}
		return out
	}
	if _, err := Apply(ctx, st, mustParse(t, name, quotasFile)); err != nil {
		t.Fatal(err)
	}
	want := map[string]org.AppQuotas{"None": {}, "Set": {TokenRequestsPerHour: 10, TokenRequestsPerDay: 100, APIRequestsPerDay: 5000}}
	if diff := cmp.Diff(want, quotas()); diff != "" {
		t.Errorf("quotas (-want +got):\n%s", diff)
	}
	if res, err := Apply(ctx, st, mustParse(t, name, quotasFile)); err != nil || res.Changed() {
		t.Fatalf("re-applying: %v, changed %v", err, res.Changed())
	}
	changed := strings.Replace(quotasFile, "tokenRequestsPerHour: 10, tokenRequestsPerDay: 100, ", "", 1)
	if res, err := Apply(ctx, st, mustParse(t, name, changed)); err != nil || !res.Changed() {
		t.Fatalf("changing quotas: %v, changed %v", err, res.Changed())
	}
	want["Set"] = org.AppQuotas{APIRequestsPerDay: 5000}
	if diff := cmp.Diff(want, quotas()); diff != "" {
		t.Errorf("quotas after the change (-want +got):\n%s", diff)
	}
}

func TestQuotasErrors(t *testing.T) {
	for _, tt := range []struct{ quotas, want string }{
		{"{tokenRequestsPerHour: -1}", "connectedApps[0].quotas.tokenRequestsPerHour: -1 is out of range: a quota is 0 (none) to 100000000"},
		{"{apiRequestsPerDay: 100000001}", "connectedApps[0].quotas.apiRequestsPerDay: 100000001 is out of range"},
		{"{tokenRequestsPerHour: 20, tokenRequestsPerDay: 10}", "connectedApps[0].quotas.tokenRequestsPerHour: 20 per hour is more than the 10 per day"},
		{"{tokenRequestsPerMinute: 1}", "tokenRequestsPerMinute"},
		{"{apiRequestsPerDay: lots}", "apiRequestsPerDay"},
	} {
		file := "orgs:\n  - name: Q\n    connectedApps:\n      - {name: A, scopes: [api], quotas: " + tt.quotas + "}\n"
		_, err := Parse(filepath.Join(t.TempDir(), "bad.yaml"), []byte(file))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("quotas %s: %v, want an error with %q", tt.quotas, err, tt.want)
		}
	}
}
