package orgfile

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

func TestApplyObjectsAndGrants(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	res, err := Apply(ctx, st, mustParse(t, "acme.yaml", objectsFile))
	if err != nil {
		t.Fatal(err)
	}
	if res.CustomObjects != (Counts{Created: 2}) {
		t.Errorf("CustomObjects = %+v, want 2 created", res.CustomObjects)
	}
	o, err := st.OrgByName(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	specs, err := st.CustomObjects(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := mustParse(t, "acme.yaml", objectsFile)
	want := f.Orgs[0].Objects
	want[0].KeyPrefix = "a00" // Account (standard) gets none
	if d := cmp.Diff(want, specs); d != "" {
		t.Errorf("stored custom objects (-want +got):\n%s", d)
	}

	profiles, err := st.Profiles(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantObjs := []org.ObjectPermission{{Object: "Account", Read: true}, {Object: "Invoice__c", Read: true, Create: true, Edit: true}}
	wantFields := []org.FieldPermission{{Field: "Account.*", Read: true}, {Field: "Invoice__c.Amount__c", Read: true, Edit: true}}
	if d := cmp.Diff(wantObjs, profiles[0].ObjectPermissions); d != "" {
		t.Errorf("profile object permissions (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantFields, profiles[0].FieldPermissions); d != "" {
		t.Errorf("profile field permissions (-want +got):\n%s", d)
	}
	sets, err := st.PermissionSets(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantSet := []org.ObjectPermission{{Object: "Invoice__c", Read: true, Edit: true, Delete: true, ViewAll: true, ModifyAll: true}}
	if d := cmp.Diff(wantSet, sets[0].ObjectPermissions); d != "" {
		t.Errorf("permission set object permissions (-want +got):\n%s", d)
	}

	// Re-applying changes nothing and writes no audit row.
	before := trail(t, st)
	res, err = Apply(ctx, st, mustParse(t, "acme.yaml", objectsFile))
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed() || res.CustomObjects != (Counts{Unchanged: 2}) {
		t.Errorf("re-apply: Changed = %v, CustomObjects = %+v; want nothing changed", res.Changed(), res.CustomObjects)
	}
	if d := cmp.Diff(before, trail(t, st)); d != "" {
		t.Errorf("re-apply wrote audit rows (-before +after):\n%s", d)
	}
	var audited []string
	for _, r := range before {
		if r.Section == org.AuditSectionCustomObjects {
			audited = append(audited, r.Display)
		}
	}
	if d := cmp.Diff([]string{"Created custom object Invoice__c", "Created custom fields on Account"}, audited); d != "" {
		t.Errorf("custom object audit rows (-want +got):\n%s", d)
	}

	// A file that changes Invoice__c, adds Payment__c and no longer mentions Account:
	// Invoice__c keeps a00, Payment__c gets a01, Account's fields stay.
	changed := strings.Replace(objectsFile, "label: Invoice\n", "label: Bill\n", 1)
	changed = strings.Replace(changed, "      - name: Account\n        fields: [{name: Tier__c, type: picklist, values: [Gold, Silver]}]\n",
		"      - {name: Payment__c, fields: [{name: Invoice__c, type: reference, referenceTo: Invoice__c}]}\n", 1)
	changed = strings.Replace(changed, "          Account.*: [Read]\n", "", 1)
	res, err = Apply(ctx, st, mustParse(t, "acme.yaml", changed))
	if err != nil {
		t.Fatal(err)
	}
	if res.CustomObjects != (Counts{Created: 1, Updated: 1}) || res.Profiles != (Counts{Updated: 1}) {
		t.Errorf("changed file: CustomObjects = %+v, Profiles = %+v; want 1 created 1 updated, 1 profile updated", res.CustomObjects, res.Profiles)
	}
	specs, err = st.CustomObjects(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range specs {
		got = append(got, s.Name+":"+s.KeyPrefix+":"+s.Label)
	}
	if d := cmp.Diff([]string{"Invoice__c:a00:Bill", "Account::", "Payment__c:a01:"}, got); d != "" {
		t.Errorf("custom objects after a change (-want +got):\n%s", d)
	}
}

func TestPrefixes(t *testing.T) {
	for n, want := range map[int]string{0: "a00", 9: "a09", 10: "a0A", 61: "a0z", 62: "a10", maxPrefixes - 1: "azz"} {
		if got := prefixOf(n); got != want {
			t.Errorf("prefixOf(%d) = %q, want %q", n, got, want)
		}
		if back := prefixNumber(want); back != n {
			t.Errorf("prefixNumber(%q) = %d, want %d", want, back, n)
		}
	}
	for _, p := range []string{"", "001", "a0", "a0!", "b00"} {
		if n := prefixNumber(p); n != -1 {
			t.Errorf("prefixNumber(%q) = %d, want -1", p, n)
		}
	}
	// The next prefix follows the highest stored one, so a gap is never filled.
	st := openStore(t)
	ctx := context.Background()
	f := mustParse(t, "p.yaml", "orgs:\n  - name: P\n    objects: [{name: A__c}]\n")
	if _, err := Apply(ctx, st, f); err != nil {
		t.Fatal(err)
	}
	o, _ := st.OrgByName(ctx, "P")
	err := st.UpdateSetup(ctx, func(w store.SetupWriter) error {
		return w.PutCustomObjects(ctx, o.ID, []schema.ObjectSpec{{Name: "Old__c", KeyPrefix: "a05"}, {Name: "A__c", KeyPrefix: "a00"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(ctx, st, mustParse(t, "p.yaml", "orgs:\n  - name: P\n    objects: [{name: A__c}, {name: B__c}]\n")); err != nil {
		t.Fatal(err)
	}
	specs, _ := st.CustomObjects(ctx, o.ID)
	if len(specs) != 3 || specs[2].Name != "B__c" || specs[2].KeyPrefix != "a06" {
		t.Errorf("specs = %+v, want B__c appended with a06", specs)
	}
}

func TestSeeds(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	res, err := Apply(ctx, st, mustParse(t, "acme.yaml", objectsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Seeds) != 1 || !res.Seeds[0].Created || res.Seeds[0].Org != "Acme" || res.Seeds[0].OrgID.IsZero() {
		t.Fatalf("Seeds = %+v, want Acme's, created", res.Seeds)
	}
	seeds := res.Seeds[0]
	pending, err := seeds.Pending(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 3 {
		t.Fatalf("first apply: %d pending seeds, want 3", len(pending))
	}

	// The caller inserts them, remembering refs; resolve the Contact's @acme.
	ids := map[string]sfid.ID{}
	for i, rec := range pending {
		fields, err := rec.Resolve(func(ref string) (sfid.ID, bool) { id, ok := ids[ref]; return id, ok })
		if err != nil {
			t.Fatal(err)
		}
		if rec.Object == "Contact" {
			want := map[string]any{"LastName": "Smith", "AccountId": string(ids["acme"]), "Email": nil,
				"HasOptedOutOfEmail": true, "Birthdate": "1990-05-17", "Twitter": "@smith"}
			if d := cmp.Diff(want, fields); d != "" {
				t.Errorf("resolved contact (-want +got):\n%s", d)
			}
		}
		if rec.Ref != "" {
			ids[rec.Ref] = sfid.New("001", "zz", uint64(i+1))
			err := st.UpdateSetup(ctx, func(w store.SetupWriter) error {
				return w.PutSeededRecord(ctx, seeds.OrgID, rec.Ref, ids[rec.Ref])
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}

	// A re-apply with one more seed: only the new one is pending.
	more := objectsFile + "      - {object: Lead, ref: lead-1, fields: {LastName: Lee, Company: \"@@Home\"}}\n"
	res, err = Apply(ctx, st, mustParse(t, "acme.yaml", more))
	if err != nil {
		t.Fatal(err)
	}
	if res.Seeds[0].Created {
		t.Errorf("re-apply: Seeds.Created = true")
	}
	pending, err = res.Seeds[0].Pending(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Ref != "lead-1" {
		t.Errorf("re-apply: pending = %+v, want lead-1 only", pending)
	}
	if _, err := (RecordSeed{Object: "Contact", Fields: map[string]any{"AccountId": "@gone"}}).Resolve(
		func(string) (sfid.ID, bool) { return "", false }); err == nil {
		t.Errorf("Resolve of an unknown ref succeeded")
	}
}
