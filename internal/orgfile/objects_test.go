package orgfile

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/schema"
)

// objectsFile declares every key issue 3 adds, as docs/org-file.md shows them.
const objectsFile = `orgs:
  - name: Acme
    objects:
      - name: Invoice__c
        label: Invoice
        sharingModel: Private
        fields:
          - {name: Amount__c, type: currency, precision: 18, scale: 2}
          - {name: Account__c, type: reference, referenceTo: Account, relationshipName: Invoices}
          - {name: Number__c, type: string, length: 32, externalId: true, unique: true, required: true}
          - {name: Status__c, type: picklist, values: [Draft, Sent, Paid], restricted: true, default: Draft}
      - name: Account
        fields: [{name: Tier__c, type: picklist, values: [Gold, Silver]}]
    profiles:
      - name: Sales
        objects:
          Invoice__c: [Read, Create, Edit]
          Account: [Read]
        fields:
          Invoice__c.Amount__c: [Read, Edit]
          Account.*: [Read]
    permissionSets:
      - name: Invoice Admin
        objects: {Invoice__c: [Read, Edit, Delete, ViewAllRecords, ModifyAllRecords]}
    records:
      - {object: Account, ref: acme, fields: {Name: Acme, Industry: Technology, NumberOfEmployees: 50, AnnualRevenue: 1.5e6}}
      - {object: Contact, fields: {LastName: Smith, AccountId: "@acme", Email: null, HasOptedOutOfEmail: true, Birthdate: 1990-05-17, Twitter: "@@smith"}}
      - object: Invoice__c
        ref: inv-1
        fields: {Number__c: INV-1, Account__c: "@acme"}
`

func TestParseObjects(t *testing.T) {
	f := mustParse(t, "acme.yaml", objectsFile)
	o := f.Orgs[0]
	wantObjects := []schema.ObjectSpec{
		{Name: "Invoice__c", Label: "Invoice", Sharing: schema.SharingPrivate, Fields: []schema.FieldSpec{
			{Name: "Amount__c", Type: schema.TypeCurrency, Precision: 18, Scale: 2},
			{Name: "Account__c", Type: schema.TypeReference, ReferenceTo: "Account", RelationshipName: "Invoices"},
			{Name: "Number__c", Type: schema.TypeString, Length: 32, ExternalID: true, Unique: true, Required: true},
			{Name: "Status__c", Type: schema.TypePicklist, Values: []string{"Draft", "Sent", "Paid"}, Restricted: true, Default: "Draft"},
		}},
		{Name: "Account", Fields: []schema.FieldSpec{{Name: "Tier__c", Type: schema.TypePicklist, Values: []string{"Gold", "Silver"}}}},
	}
	if d := cmp.Diff(wantObjects, o.Objects); d != "" {
		t.Errorf("objects (-want +got):\n%s", d)
	}
	wantProfile := Profile{Name: "Sales",
		Objects: map[string][]string{"Invoice__c": {"Read", "Create", "Edit"}, "Account": {"Read"}},
		Fields:  map[string][]string{"Invoice__c.Amount__c": {"Read", "Edit"}, "Account.*": {"Read"}}}
	if d := cmp.Diff(wantProfile, o.Profiles[0]); d != "" {
		t.Errorf("profile (-want +got):\n%s", d)
	}
	wantRecords := []RecordSeed{
		{Object: "Account", Ref: "acme", Line: 26, Fields: map[string]any{"Name": "Acme", "Industry": "Technology",
			"NumberOfEmployees": 50, "AnnualRevenue": 1.5e6}},
		{Object: "Contact", Line: 27, Fields: map[string]any{"LastName": "Smith", "AccountId": "@acme", "Email": nil,
			"HasOptedOutOfEmail": true, "Birthdate": "1990-05-17", "Twitter": "@@smith"}},
		{Object: "Invoice__c", Ref: "inv-1", Line: 28, Fields: map[string]any{"Number__c": "INV-1", "Account__c": "@acme"}},
	}
	if d := cmp.Diff(wantRecords, o.Records); d != "" {
		t.Errorf("records (-want +got):\n%s", d)
	}
}

func TestObjectErrors(t *testing.T) {
	const head = "orgs:\n  - name: A\n"
	tests := []struct {
		name, data string
		want       []string
	}{
		{"object names", head + "    objects:\n      - name: Invoice\n      - name: Bad__Name__c\n      - name: Account\n        label: Acct\n      - name: account\n", []string{
			`t.yaml:4: orgs[0].objects[0].name: "Invoice" is neither a custom object (its name must end in __c) nor a standard object that takes custom fields (Account, Contact, Lead, Opportunity, Case, Task, User)`,
			`t.yaml:5: orgs[0].objects[1].name: "Bad__Name__c" is not a custom object name: letters, digits and single underscores, starting with a letter, at most 40 characters before the __c suffix`,
			`t.yaml:7: orgs[0].objects[2].label: Account is a standard object: declare only its custom fields`,
			`t.yaml:8: orgs[0].objects[3].name: object "account" is declared twice (first at line 6)`,
			`t.yaml:8: orgs[0].objects[3].name: "account" is neither a custom object (its name must end in __c) nor a standard object that takes custom fields (Account, Contact, Lead, Opportunity, Case, Task, User)`}},
		{"fields", head + "    objects:\n      - name: X__c\n        sharingModel: Public\n        fields:\n" +
			"          - {name: Amount, type: currency}\n" +
			"          - {name: A__c, type: money}\n" +
			"          - {name: a__c, type: string, values: [x]}\n" +
			"          - {name: R__c, type: reference, referenceTo: Widget__c}\n" +
			"          - {name: P__c, type: picklist}\n" +
			"          - {name: Q__c, type: multipicklist, values: [a, a]}\n" +
			"          - {name: S__c, type: string, referenceTo: Account, length: -1}\n" +
			"          - {type: boolean}\n", []string{
			`t.yaml:5: orgs[0].objects[0].sharingModel: "Public" is not a sharing model: use Private, Read or ReadWrite`,
			`t.yaml:7: orgs[0].objects[0].fields[0].name: "Amount" is not a custom field name: letters, digits and single underscores, starting with a letter, at most 40 characters, then __c`,
			`t.yaml:8: orgs[0].objects[0].fields[1].type: "money" is not a field type: use one of string, textarea, email, phone, url, boolean, int, double, currency, percent, date, datetime, picklist, multipicklist, combobox, reference, location`,
			`t.yaml:9: orgs[0].objects[0].fields[2].name: field "a__c" is declared twice (first at line 8)`,
			`t.yaml:9: orgs[0].objects[0].fields[2].values: only picklist fields have values`,
			`t.yaml:10: orgs[0].objects[0].fields[3].referenceTo: no object "Widget__c" to reference in org "A": use a standard object (Account, Contact, Lead, Opportunity, Case, Task, User) or a custom object of the org`,
			`t.yaml:11: orgs[0].objects[0].fields[4].values: a picklist field needs values`,
			`t.yaml:12: orgs[0].objects[0].fields[5].values[1]: picklist value "a" is declared twice (first at line 12)`,
			`t.yaml:13: orgs[0].objects[0].fields[6].length: must not be negative`,
			`t.yaml:13: orgs[0].objects[0].fields[6].referenceTo: only reference fields have referenceTo`,
			`t.yaml:14: orgs[0].objects[0].fields[7].name: name is required`}},
		{"grants", head + "    objects: [{name: X__c, fields: [{name: F__c, type: int}]}]\n    profiles:\n      - name: P\n        objects:\n" +
			"          Widget__c: [Read]\n          account: [Read]\n          X__c: [Read, Write, Read]\n" +
			"        fields:\n          X__c.G__c: [Read]\n          Account: [Read]\n          X__c.F__c: [View]\n          Contact.Bad-Name: [Edit]\n" +
			"    permissionSets:\n      - name: S\n        objects: {Setup: [Read]}\n", []string{
			`t.yaml:7: orgs[0].profiles[0].objects.Widget__c: no object "Widget__c" in org "A": use Account, Case, Contact, Lead, LoginHistory, Opportunity, Organization, PermissionSet, Profile, Task, User, X__c`,
			`t.yaml:8: orgs[0].profiles[0].objects.account: no object "account" in org "A": use Account, Case, Contact, Lead, LoginHistory, Opportunity, Organization, PermissionSet, Profile, Task, User, X__c`,
			`t.yaml:9: orgs[0].profiles[0].objects.X__c[1]: "Write" is not an object permission: use Read, Create, Edit, Delete, ViewAllRecords, ModifyAllRecords`,
			`t.yaml:9: orgs[0].profiles[0].objects.X__c[2]: object permission "Read" is declared twice (first at line 9)`,
			`t.yaml:11: orgs[0].profiles[0].fields.X__c.G__c: no custom field G__c on X__c in org "A": declare it in the org's objects`,
			`t.yaml:12: orgs[0].profiles[0].fields.Account: "Account" is not a field: write Object.Field, e.g. Account.Industry, or Object.* for every field`,
			`t.yaml:13: orgs[0].profiles[0].fields.X__c.F__c[0]: "View" is not a field permission: use Read or Edit`,
			`t.yaml:14: orgs[0].profiles[0].fields.Contact.Bad-Name: "Bad-Name" is not a field name`,
			`t.yaml:17: orgs[0].permissionSets[0].objects.Setup: no object "Setup" in org "A": use Account, Case, Contact, Lead, LoginHistory, Opportunity, Organization, PermissionSet, Profile, Task, User, X__c`}},
		{"records", head + "    records:\n" +
			"      - {object: Account, ref: a, fields: {Name: A, ParentId: \"@b\"}}\n" +
			"      - {object: Account, ref: b, fields: {Name: B, ParentId: \"@a\"}}\n" +
			"      - {object: User, ref: a, fields: {bad name: x}}\n" +
			"      - {fields: {Nested: {a: 1}, List: [1], T: .inf}}\n" +
			"      - {object: Widget__c, ref: \"no spaces\"}\n" +
			"      - {object: Account, fields: {Name: [x]}, extra: 1}\n", []string{
			`t.yaml:4: orgs[0].records[0].fields.ParentId: no earlier record with ref "b" in org "A" (write @@ for a value starting with @)`,
			`t.yaml:6: orgs[0].records[2].object: no object "User" to seed in org "A": use Account, Case, Contact, Lead, Opportunity, Task or a custom object of the org`,
			`t.yaml:6: orgs[0].records[2].fields.bad name: "bad name" is not a field name`,
			`t.yaml:6: orgs[0].records[2].ref: ref "a" is declared twice (first at line 4)`,
			`t.yaml:7: orgs[0].records[3].fields.Nested: expected a string, number or true/false, got a mapping`,
			`t.yaml:7: orgs[0].records[3].fields.List: expected a string, number or true/false, got a list`,
			`t.yaml:7: orgs[0].records[3].fields.T: .inf is not a number a record can hold`,
			`t.yaml:7: orgs[0].records[3].object: object is required`,
			`t.yaml:8: orgs[0].records[4].object: no object "Widget__c" to seed in org "A": use Account, Case, Contact, Lead, Opportunity, Task or a custom object of the org`,
			`t.yaml:8: orgs[0].records[4].ref: "no spaces" is not a ref: 1 to 80 letters, digits, _, . and -`,
			`t.yaml:9: orgs[0].records[5].fields.Name: expected a string, number or true/false, got a list`,
			`t.yaml:9: orgs[0].records[5]: unknown key "extra" (known: object, ref, fields)`}},
		{"map keys", head + "    profiles:\n      - name: P\n        objects: [Account]\n        fields:\n          Account.Name: [Read]\n          Account.Name: [Edit]\n", []string{
			`t.yaml:5: orgs[0].profiles[0].objects: expected a mapping of names to values, got a list`,
			`t.yaml:8: orgs[0].profiles[0].fields.Account.Name: key appears twice (first on line 7)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("t.yaml", []byte(tt.data))
			var errs Errors
			if f != nil || !errors.As(err, &errs) {
				t.Fatalf("Parse = %v, %v; want Errors", f, err)
			}
			if d := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); d != "" {
				t.Errorf("Parse errors (-want +got):\n%s", d)
			}
		})
	}
}

// TestValidateSeedValues checks the value rule on a File built in Go, which the decoder
// has not seen.
func TestValidateSeedValues(t *testing.T) {
	f := &File{Name: "go", Orgs: []Org{{Name: "A", Records: []RecordSeed{
		{Object: "Account", Fields: map[string]any{"Name": []string{"x"}, "N": 1, "D": 2.5, "B": false, "Z": nil}},
	}}}}
	err := f.Validate()
	want := "go: orgs[0].records[0].fields.Name: expected a string, number or true/false, got []string"
	if err == nil || err.Error() != want {
		t.Errorf("Validate = %v, want %s", err, want)
	}
}
