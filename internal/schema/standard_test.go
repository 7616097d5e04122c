package schema

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStandardObjects(t *testing.T) {
	cat := standardCatalog(t)
	want := map[string]string{"Account": "001", "Contact": "003", "Lead": "00Q", "Opportunity": "006", "Case": "500",
		"Task": "00T", "User": "005", "Profile": "00e", "PermissionSet": "0PS", "Organization": "00D", "LoginHistory": "0Ya"}
	got := map[string]string{}
	for _, o := range cat.Objects() {
		got[o.Name] = o.KeyPrefix
		if p, ok := cat.ByPrefix(o.KeyPrefix); !ok || p != o {
			t.Errorf("ByPrefix(%s) = %v", o.KeyPrefix, p)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("objects and key prefixes (-want +got):\n%s", diff)
	}
}

// TestRequiredFields: what a create must supply (salesforce-objects.md §4–§9 "Required on
// create").
func TestRequiredFields(t *testing.T) {
	want := map[string][]string{
		"Account": {"Name"}, "Contact": {"LastName"}, "Lead": {"LastName", "Company"},
		"Opportunity": {"Name", "StageName", "CloseDate"}, "Case": nil, "Task": nil,
	}
	for _, o := range Standard() {
		w, ok := want[o.Name]
		if !ok {
			continue
		}
		var got []string
		for i := range o.Fields {
			if o.Fields[i].Required() {
				got = append(got, o.Fields[i].Name)
			}
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("%s required fields (-want +got):\n%s", o.Name, diff)
		}
	}
}

func TestChildRelationships(t *testing.T) {
	cat := standardCatalog(t)
	tests := []struct{ parent, rel, child, field string }{
		{"Account", "Contacts", "Contact", "AccountId"},
		{"Account", "Opportunities", "Opportunity", "AccountId"},
		{"Account", "Cases", "Case", "AccountId"},
		{"Account", "ChildAccounts", "Account", "ParentId"},
		{"Account", "Tasks", "Task", "WhatId"},
		{"Account", "Users", "User", "AccountId"},
		{"Contact", "Cases", "Case", "ContactId"},
		{"Contact", "Tasks", "Task", "WhoId"},
		{"Contact", "Opportunities", "Opportunity", "ContactId"},
		{"Lead", "Tasks", "Task", "WhoId"},
		{"Opportunity", "Tasks", "Task", "WhatId"},
		{"Case", "Tasks", "Task", "WhatId"},
		{"Case", "Cases", "Case", "ParentId"},
		{"Profile", "Users", "User", "ProfileId"},
		{"User", "ManagedUsers", "User", "ManagerId"},
	}
	for _, tc := range tests {
		cr, ok := cat.ChildRelationship(tc.parent, tc.rel)
		if !ok || cr.ChildObject != tc.child || cr.Field != tc.field {
			t.Errorf("%s.%s = %+v, %v; want %s.%s", tc.parent, tc.rel, cr, ok, tc.child, tc.field)
		}
	}
	// OwnerId's Group target is not in the catalog: indexing it is harmless.
	if crs := cat.Children("Group"); len(crs) == 0 {
		t.Error("no references to Group indexed")
	}
	if _, ok := cat.Object("Group"); ok {
		t.Error("Group should not be an object of the catalog")
	}
	lead, _ := cat.Object("Lead")
	owner, _ := lead.Relationship("owner")
	if diff := cmp.Diff([]string{"Group", "User"}, owner.ReferenceTo); diff != "" {
		t.Errorf("Lead.OwnerId targets (-want +got):\n%s", diff)
	}
}

func TestSetupObjectsReadOnly(t *testing.T) {
	for _, o := range Standard() {
		isSetup := slices.Contains([]string{"User", "Profile", "PermissionSet", "Organization", "LoginHistory"}, o.Name)
		if o.Setup != isSetup {
			t.Errorf("%s: Setup = %v", o.Name, o.Setup)
		}
		if !isSetup {
			if o.Sharing != SharingReadWrite {
				t.Errorf("%s: sharing %s, want ReadWrite", o.Name, o.Sharing)
			}
			continue
		}
		if o.Createable || o.Updateable || o.Deletable || !o.Queryable {
			t.Errorf("%s: createable %v updateable %v deletable %v queryable %v", o.Name, o.Createable, o.Updateable, o.Deletable, o.Queryable)
		}
		for _, f := range o.Fields {
			if f.Createable || f.Updateable {
				t.Errorf("%s.%s is writable", o.Name, f.Name)
			}
		}
	}
}

// TestFeatureFieldsLeftOut: fields that exist only with org features a fresh org does not
// have (Data.com, record types, portals, Field Service) are absent.
func TestFeatureFieldsLeftOut(t *testing.T) {
	cat := standardCatalog(t)
	for obj, fields := range map[string][]string{
		"Account": {"Jigsaw", "JigsawCompanyId", "CleanStatus", "DandbCompanyId", "OperatingHoursId", "RecordTypeId", "IsPartner"},
		"Contact": {"Jigsaw", "JigsawContactId", "CleanStatus"},
		"Lead":    {"Jigsaw", "JigsawContactId", "CleanStatus", "DandbCompanyId"},
	} {
		o, _ := cat.Object(obj)
		for _, f := range fields {
			if _, ok := o.Field(f); ok {
				t.Errorf("%s.%s should be left out", obj, f)
			}
		}
	}
}

// TestFieldSanity checks every standard field has what its type needs, and every object
// describes to valid JSON.
func TestFieldSanity(t *testing.T) {
	cat := standardCatalog(t)
	systemFields := []string{"Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp"}
	for _, o := range cat.Objects() {
		if _, ok := o.Field("Id"); !ok {
			t.Errorf("%s has no Id", o.Name)
		}
		for _, f := range o.Fields {
			switch {
			case f.Type.IsText() && f.Length <= 0:
				t.Errorf("%s.%s: text without length", o.Name, f.Name)
			case f.Type == TypeReference && len(f.ReferenceTo) == 0:
				t.Errorf("%s.%s: reference without target", o.Name, f.Name)
			case (f.Type == TypePicklist || f.Type == TypeMultiPicklist) && len(f.Picklist) == 0 && o.Name != "Organization":
				t.Errorf("%s.%s: picklist without values", o.Name, f.Name)
			case f.Type.IsNumber() && f.Precision <= 0:
				t.Errorf("%s.%s: number without precision", o.Name, f.Name)
			case f.Type == TypeInt && f.Digits <= 0:
				t.Errorf("%s.%s: int without digits", o.Name, f.Name)
			}
			if f.System != slices.Contains(systemFields, f.Name) {
				t.Errorf("%s.%s: System = %v", o.Name, f.Name, f.System)
			}
			if f.System && (f.Createable || f.Updateable) {
				t.Errorf("%s.%s: writable system field", o.Name, f.Name)
			}
		}
		if _, err := json.Marshal(Describe(o, cat, "59.0", nil)); err != nil {
			t.Errorf("%s describe: %v", o.Name, err)
		}
	}
}

func TestDescribeVisible(t *testing.T) {
	cat := standardCatalog(t)
	acc, _ := cat.Object("Account")
	d := Describe(acc, cat, "59.0", func(f *Field) bool { return f.Name != "AnnualRevenue" })
	for _, f := range d["fields"].([]any) {
		if f.(map[string]any)["name"] == "AnnualRevenue" {
			t.Fatal("AnnualRevenue described though not visible")
		}
	}
	if got, want := len(d["fields"].([]any)), len(acc.Fields)-1; got != want {
		t.Errorf("%d fields described, want %d", got, want)
	}
	info := BasicInfo(acc, "59.0")
	if info["urls"].(map[string]any)["rowTemplate"] != "/services/data/v59.0/sobjects/Account/{ID}" {
		t.Errorf("BasicInfo urls = %v", info["urls"])
	}
}
