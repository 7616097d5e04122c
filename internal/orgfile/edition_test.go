package orgfile

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
)

// editionOrg is an org file with an edition line and a profile and permission set whose
// permissions the cases fill in.
func editionOrg(edition, profilePerms, setPerms string) string {
	s := "orgs:\n  - name: Acme\n"
	if edition != "" {
		s += "    edition: " + edition + "\n"
	}
	return s + `    profiles:
      - name: Integration
        permissions: ` + profilePerms + `
    permissionSets:
      - name: Extra
        permissions: ` + setPerms + `
    users:
      - {username: int@acme.example, lastName: Int, email: int@acme.example, profile: Integration}
`
}

func TestEditionParse(t *testing.T) {
	refusal := "Unknown user permission: ApiUserOnly: the API Only User permission is only available for " +
		"Enterprise Edition and above orgs and sandboxes. It is not available for Developer Edition non-sandbox orgs"
	for _, tc := range []struct {
		name, data string
		want       org.Edition // stored
		errs       []string
	}{
		{"absent: Enterprise, stored as empty", editionOrg("", "[ApiEnabled, ApiUserOnly]", "[]"), "", nil},
		{"Developer", editionOrg("Developer", "[ApiEnabled]", "[]"), org.EditionDeveloper, nil},
		{"Enterprise", editionOrg("Enterprise", "[ApiEnabled, ApiUserOnly]", "[ApiUserOnly]"), org.EditionEnterprise, nil},
		{"Unlimited", editionOrg("Unlimited", "[ApiEnabled, ApiUserOnly]", "[]"), org.EditionUnlimited, nil},
		{"Performance", editionOrg("Performance", "[ApiEnabled]", "[ApiUserOnly]"), org.EditionPerformance, nil},
		{"unknown edition", editionOrg("Professional", "[ApiEnabled]", "[]"), "", []string{
			`t.yaml:3: orgs[0].edition: "Professional" is not an edition: use Developer, Enterprise, Unlimited, Performance`}},
		{"wrong case", editionOrg("developer", "[ApiEnabled]", "[]"), "", []string{
			`t.yaml:3: orgs[0].edition: "developer" is not an edition: use Developer, Enterprise, Unlimited, Performance`}},
		{"OrganizationType spelling", editionOrg(`"Developer Edition"`, "[ApiEnabled]", "[]"), "", []string{
			`t.yaml:3: orgs[0].edition: "Developer Edition" is not an edition: use Developer, Enterprise, Unlimited, Performance`}},
		{"not a string", editionOrg("[Developer]", "[ApiEnabled]", "[]"), "", []string{
			`t.yaml:3: orgs[0].edition: expected a string, got a list`}},
		{"Developer refuses ApiUserOnly on a profile", editionOrg("Developer", "[ApiEnabled, ApiUserOnly]", "[]"), "", []string{
			"t.yaml:6: orgs[0].profiles[0].permissions[1]: " + refusal}},
		{"Developer refuses ApiUserOnly on a permission set", editionOrg("Developer", "[ApiEnabled]", "[ApiUserOnly]"), "", []string{
			"t.yaml:9: orgs[0].permissionSets[0].permissions[0]: " + refusal}},
		{"Developer refuses both", editionOrg("Developer", "[ApiUserOnly, ApiEnabled]", "[ViewSetup, ApiUserOnly]"), "", []string{
			"t.yaml:6: orgs[0].profiles[0].permissions[0]: " + refusal,
			"t.yaml:9: orgs[0].permissionSets[0].permissions[1]: " + refusal}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("t.yaml", []byte(tc.data))
			if tc.errs != nil {
				var errs Errors
				if !errors.As(err, &errs) {
					t.Fatalf("Parse: %v, want errors %q", err, tc.errs)
				}
				var got []string
				for _, e := range errs {
					got = append(got, e.Error())
				}
				if diff := cmp.Diff(tc.errs, got); diff != "" {
					t.Errorf("Parse errors (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			st := openStore(t)
			if _, err := Apply(context.Background(), st, f); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			o, err := st.OrgByName(context.Background(), "Acme")
			if err != nil {
				t.Fatal(err)
			}
			if o.Edition != tc.want {
				t.Errorf("stored edition = %q, want %q", o.Edition, tc.want)
			}
		})
	}
}

// TestEditionChangeKeepsNoAPIOnlyUser: turning an Enterprise org into a Developer one is
// refused while a profile or permission set the file no longer declares still enables
// ApiUserOnly, and the store is left as it was; once the file declares it without the
// permission, the change applies.
func TestEditionChangeKeepsNoAPIOnlyUser(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	first := editionOrg("Enterprise", "[ApiEnabled]", "[ApiUserOnly]") // an API-only permission set
	if _, err := Apply(ctx, st, mustParse(t, "t.yaml", first)); err != nil {
		t.Fatal(err)
	}
	// The second file drops the permission set: Apply keeps it, with ApiUserOnly.
	second := `orgs:
  - name: Acme
    edition: Developer
    profiles:
      - name: Integration
        permissions: [ApiEnabled]
    users:
      - {username: int@acme.example, lastName: Int, email: int@acme.example, profile: Integration}
`
	_, err := Apply(ctx, st, mustParse(t, "t.yaml", second))
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Apply: %v, want the refusal", err)
	}
	want := `t.yaml:3: orgs[0].edition: permission set "Extra" (in the store, not in this file): Unknown user permission: ApiUserOnly: ` +
		"the API Only User permission is only available for Enterprise Edition and above orgs and sandboxes. " +
		"It is not available for Developer Edition non-sandbox orgs"
	if got := err.Error(); got != want {
		t.Errorf("error:\n got %s\nwant %s", got, want)
	}
	if o, _ := st.OrgByName(ctx, "Acme"); o.Edition != org.EditionEnterprise {
		t.Errorf("after the refused apply the edition is %q, want Enterprise (unchanged)", o.Edition)
	}
	// Declaring the permission set without it makes the change go through.
	third := second + "    permissionSets:\n      - {name: Extra, permissions: [ViewSetup]}\n"
	if _, err := Apply(ctx, st, mustParse(t, "t.yaml", third)); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if o, _ := st.OrgByName(ctx, "Acme"); o.Edition != org.EditionDeveloper {
		t.Errorf("edition = %q, want Developer", o.Edition)
	}
}
