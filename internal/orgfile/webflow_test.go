package orgfile

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
)

const webFlowFile = `orgs:
  - name: W
    profiles: [{name: P, permissions: [ApiEnabled]}]
    users: [{username: u@w.example, lastName: U, email: u@w.example, profile: P}]
    connectedApps:
      - name: Defaults
        scopes: [api]
        consumerKey: WebDefaults1
      - name: Set
        scopes: [api, refresh_token]
        consumerKey: WebSettings1
        consumerSecretOptional: true
        refreshSecretOptional: true
        pkceRequired: true
        refreshTokenPolicy: "specific_inactivity:3:DAYS"
        refreshTokenRotation: true
        idTokenValidityMinutes: 720
`

// The six web flow settings round-trip through Apply, re-applying is a no-op, and a
// change of one setting alone updates the app.
func TestWebFlowSettingsApply(t *testing.T) {
	name := filepath.Join(t.TempDir(), "w.yaml")
	st := openStore(t)
	ctx := context.Background()
	if _, err := Apply(ctx, st, mustParse(t, name, webFlowFile)); err != nil {
		t.Fatal(err)
	}
	apps := map[string]org.ConnectedApp{}
	for _, a := range dump(t, st).Apps {
		apps[a.Name] = a
	}
	type settings struct {
		ConsumerSecretOptional, RefreshSecretOptional, PKCERequired, RefreshTokenRotation bool
		RefreshTokenPolicy                                                                org.RefreshPolicy
		IDTokenValidityMinutes                                                            int
	}
	get := func(a org.ConnectedApp) settings {
		return settings{a.ConsumerSecretOptional, a.RefreshSecretOptional, a.PKCERequired, a.RefreshTokenRotation,
			a.RefreshTokenPolicy, a.IDTokenValidityMinutes}
	}
	if diff := cmp.Diff(settings{}, get(apps["Defaults"])); diff != "" {
		t.Errorf("Defaults (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(settings{true, true, true, true, "specific_inactivity:3:DAYS", 720}, get(apps["Set"])); diff != "" {
		t.Errorf("Set (-want +got):\n%s", diff)
	}
	res, err := Apply(ctx, st, mustParse(t, name, webFlowFile))
	if err != nil || res.Changed() {
		t.Fatalf("re-applying: %v, changed %v", err, res.Changed())
	}
	res, err = Apply(ctx, st, mustParse(t, name, strings.Replace(webFlowFile, "pkceRequired: true", "pkceRequired: false", 1)))
	if err != nil || !res.Changed() {
		t.Fatalf("changing pkceRequired: %v, changed %v", err, res.Changed())
	}
	for _, a := range dump(t, st).Apps {
		if a.Name == "Set" && a.PKCERequired {
			t.Errorf("pkceRequired was not updated")
		}
	}
}

func TestWebFlowSettingsErrors(t *testing.T) {
	bad := strings.NewReplacer(`"specific_inactivity:3:DAYS"`, `"specific_inactivity:0:WEEKS"`, "idTokenValidityMinutes: 720", "idTokenValidityMinutes: 721").Replace(webFlowFile)
	_, err := Parse(filepath.Join(t.TempDir(), "bad.yaml"), []byte(bad))
	if err == nil {
		t.Fatal("Parse accepted bad web flow settings")
	}
	for _, want := range []string{
		`connectedApps[1].refreshTokenPolicy: refresh token policy "specific_inactivity:0:WEEKS": N must be a whole number of at least 1`,
		"connectedApps[1].idTokenValidityMinutes: 721 is out of range: ID Token Validity is 1 to 720 minutes",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q; got:\n%v", want, err)
		}
	}
}
