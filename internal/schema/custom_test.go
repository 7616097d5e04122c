package schema

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func invoiceSpecs() []ObjectSpec {
	return []ObjectSpec{
		{Name: "Invoice__c", Label: "Invoice", Sharing: SharingPrivate, Fields: []FieldSpec{
			{Name: "Account__c", Type: TypeReference, ReferenceTo: "account", RelationshipName: "Invoices", Required: true},
			{Name: "Total__c", Type: TypeCurrency},
			{Name: "Status__c", Type: TypePicklist, Values: []string{"Draft", "Sent", "Paid"}, Restricted: true, Default: "Draft"},
			{Name: "Number__c", Type: TypeString, Length: 20, ExternalID: true, Unique: true},
			{Name: "Notes__c", Type: TypeTextArea, Length: 32768},
			{Name: "Paid__c", Type: TypeBoolean},
		}},
		{Name: "Invoice_Line__c", NameAutoNumber: true, Fields: []FieldSpec{
			{Name: "Invoice__c", Type: TypeReference, ReferenceTo: "Invoice__c"},
			{Name: "Quantity__c", Type: TypeDouble, Precision: 10, Scale: 2},
		}},
		{Name: "Fixed__c", KeyPrefix: "a01"},
	}
}

func TestNewOrgCatalog(t *testing.T) {
	specs := invoiceSpecs()
	cat, err := NewOrgCatalog(specs, map[string][]FieldSpec{
		"contact": {{Name: "Loyalty__c", Type: TypeInt}},
	})
	if err != nil {
		t.Fatal(err)
	}
	prefixes := map[string]string{}
	for _, n := range []string{"Invoice__c", "Invoice_Line__c", "Fixed__c"} {
		o, ok := cat.Object(strings.ToLower(n))
		if !ok {
			t.Fatalf("no %s", n)
		}
		prefixes[n] = o.KeyPrefix
	}
	// a01 is taken by Fixed__c, so the others get a00 and a02.
	if diff := cmp.Diff(map[string]string{"Invoice__c": "a00", "Invoice_Line__c": "a02", "Fixed__c": "a01"}, prefixes); diff != "" {
		t.Errorf("key prefixes (-want +got):\n%s", diff)
	}
	if specs[0].KeyPrefix != "" {
		t.Error("NewOrgCatalog changed the caller's spec")
	}

	inv, _ := cat.Object("Invoice__c")
	var names []string
	for _, f := range inv.Fields {
		names = append(names, f.Name)
	}
	want := []string{"Id", "OwnerId", "IsDeleted", "Name", "CreatedDate", "CreatedById", "LastModifiedDate",
		"LastModifiedById", "SystemModstamp", "LastViewedDate", "LastReferencedDate",
		"Account__c", "Total__c", "Status__c", "Number__c", "Notes__c", "Paid__c"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("Invoice__c fields (-want +got):\n%s", diff)
	}
	if inv.Sharing != SharingPrivate || !inv.Custom || inv.LabelPlural != "Invoices" {
		t.Errorf("Invoice__c = sharing %s custom %v plural %q", inv.Sharing, inv.Custom, inv.LabelPlural)
	}
	acc, _ := inv.Field("account__c")
	if diff := cmp.Diff(Field{Name: "Account__c", Label: "Account", Type: TypeReference, Custom: true, Createable: true,
		Updateable: true, ReferenceTo: []string{"Account"}, RelationshipName: "Account__r",
		ChildRelationshipName: "Invoices__r", RestrictedDelete: true}, *acc); diff != "" {
		t.Errorf("Account__c (-want +got):\n%s", diff)
	}
	if f, ok := inv.Relationship("Account__r"); !ok || f.Name != "Account__c" {
		t.Errorf("Relationship(Account__r) = %v, %v", f, ok)
	}
	if cr, ok := cat.ChildRelationship("Account", "invoices__r"); !ok || cr.ChildObject != "Invoice__c" || !cr.RestrictedDelete {
		t.Errorf("Account child Invoices__r = %+v, %v", cr, ok)
	}
	// The default child relationship name is the child object's plural-ish name.
	if cr, ok := cat.ChildRelationship("Invoice__c", "Invoice_Lines__r"); !ok || cr.Field != "Invoice__c" {
		t.Errorf("Invoice__c child Invoice_Lines__r = %+v, %v", cr, ok)
	}
	status, _ := inv.Field("Status__c")
	if status.DefaultValue != "Draft" || !status.DefaultedOnCreate || !status.Picklist[0].DefaultValue || status.Picklist[1].DefaultValue {
		t.Errorf("Status__c default = %+v", status)
	}
	total, _ := inv.Field("Total__c")
	if total.Precision != 18 || total.Scale != 2 || !total.Permissionable {
		t.Errorf("Total__c = %+v", total)
	}
	num, _ := inv.Field("Number__c")
	if !num.IDLookup || !num.ExternalID || !num.Unique || num.Length != 20 {
		t.Errorf("Number__c = %+v", num)
	}
	name, _ := inv.Field("Name")
	if !name.Createable || !name.Nillable || name.AutoNumber || name.Length != 80 || name.Label != "Invoice Name" {
		t.Errorf("Invoice__c.Name = %+v", name)
	}
	line, _ := cat.Object("Invoice_Line__c")
	lname, _ := line.Field("Name")
	if lname.Createable || !lname.AutoNumber || !lname.DefaultedOnCreate || lname.Nillable {
		t.Errorf("auto-number Name = %+v", lname)
	}
	if owner, _ := line.Field("OwnerId"); cmp.Diff([]string{"Group", "User"}, owner.ReferenceTo) != "" || owner.RelationshipName != "Owner" {
		t.Errorf("OwnerId = %+v", owner)
	}
	contact, _ := cat.Object("Contact")
	if f, ok := contact.Field("Loyalty__c"); !ok || !f.Custom || f.Digits != 9 {
		t.Errorf("Contact.Loyalty__c = %+v, %v", f, ok)
	}
	// A describe of the custom object renders and lists its custom child.
	d := Describe(inv, cat, "59.0", nil)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"relationshipName":"Invoice_Lines__r"`) || d["custom"] != true || d["keyPrefix"] != "a00" {
		t.Errorf("Invoice__c describe: %s", b)
	}
}

// TestStandardCatalogHasNoCustomFields: a fresh org's custom objects get standard
// Salesforce shapes and Standard() stays untouched by AddCustomFields on another copy.
func TestAddCustomFieldsDoesNotLeak(t *testing.T) {
	if _, err := NewOrgCatalog(nil, map[string][]FieldSpec{"Account": {{Name: "X__c", Type: TypeString}}}); err != nil {
		t.Fatal(err)
	}
	for _, o := range Standard() {
		if _, ok := fieldByName(o, "X__c"); ok {
			t.Fatal("custom field leaked into Standard()")
		}
	}
}

func fieldByName(o *Object, name string) (*Field, bool) {
	for i := range o.Fields {
		if strings.EqualFold(o.Fields[i].Name, name) {
			return &o.Fields[i], true
		}
	}
	return nil, false
}

func TestCustomObjectRejects(t *testing.T) {
	obj := func(mod func(*ObjectSpec)) []ObjectSpec {
		s := ObjectSpec{Name: "Thing__c", Fields: []FieldSpec{{Name: "A__c", Type: TypeString}}}
		mod(&s)
		return []ObjectSpec{s}
	}
	field := func(fs FieldSpec) []ObjectSpec {
		return []ObjectSpec{{Name: "Thing__c", Fields: []FieldSpec{fs}}}
	}
	tests := map[string][]ObjectSpec{
		"no __c":              obj(func(s *ObjectSpec) { s.Name = "Thing" }),
		"double underscore":   obj(func(s *ObjectSpec) { s.Name = "Th__ing__x__c" }),
		"starts with digit":   obj(func(s *ObjectSpec) { s.Name = "1Thing__c" }),
		"bad prefix":          obj(func(s *ObjectSpec) { s.KeyPrefix = "A0" }),
		"upper prefix":        obj(func(s *ObjectSpec) { s.KeyPrefix = "Z01" }),
		"standard prefix":     obj(func(s *ObjectSpec) { s.KeyPrefix = "001" }),
		"bad sharing":         obj(func(s *ObjectSpec) { s.Sharing = "Public" }),
		"standard name":       obj(func(s *ObjectSpec) { s.Fields = []FieldSpec{{Name: "Name", Type: TypeString}} }),
		"duplicate field":     obj(func(s *ObjectSpec) { s.Fields = append(s.Fields, FieldSpec{Name: "a__c", Type: TypeInt}) }),
		"unknown type":        field(FieldSpec{Name: "B__c", Type: "geolocation"}),
		"id type":             field(FieldSpec{Name: "B__c", Type: TypeID}),
		"string too long":     field(FieldSpec{Name: "B__c", Type: TypeString, Length: 256}),
		"textarea too long":   field(FieldSpec{Name: "B__c", Type: TypeTextArea, Length: 131073}),
		"precision 19":        field(FieldSpec{Name: "B__c", Type: TypeDouble, Precision: 19}),
		"scale > precision":   field(FieldSpec{Name: "B__c", Type: TypeDouble, Precision: 4, Scale: 5}),
		"picklist no values":  field(FieldSpec{Name: "B__c", Type: TypePicklist}),
		"picklist duplicate":  field(FieldSpec{Name: "B__c", Type: TypePicklist, Values: []string{"a", "a"}}),
		"bad default":         field(FieldSpec{Name: "B__c", Type: TypePicklist, Values: []string{"a"}, Restricted: true, Default: "b"}),
		"default wrong type":  field(FieldSpec{Name: "B__c", Type: TypeInt, Default: "many"}),
		"reference no target": field(FieldSpec{Name: "B__c", Type: TypeReference}),
		"unknown target":      field(FieldSpec{Name: "B__c", Type: TypeReference, ReferenceTo: "Nope__c"}),
		"unique boolean":      field(FieldSpec{Name: "B__c", Type: TypeBoolean, Unique: true}),
		"bad relationship":    field(FieldSpec{Name: "B__c", Type: TypeReference, ReferenceTo: "Account", RelationshipName: "Bad Name"}),
		"clashing children":   field(FieldSpec{Name: "B__c", Type: TypeReference, ReferenceTo: "Account", RelationshipName: "Contacts"}),
		"duplicate object":    append(obj(func(*ObjectSpec) {}), obj(func(*ObjectSpec) {})...),
	}
	for name, specs := range tests {
		extra := map[string][]FieldSpec(nil)
		if name == "clashing children" {
			// Thing__c.B__c and Other__c.B__c would both be Account's Contacts__r.
			specs = append(specs, ObjectSpec{Name: "Other__c", Fields: []FieldSpec{{Name: "B__c", Type: TypeReference, ReferenceTo: "Account", RelationshipName: "Contacts"}}})
		}
		if _, err := NewOrgCatalog(specs, extra); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := NewOrgCatalog(nil, map[string][]FieldSpec{"Nope": {{Name: "A__c", Type: TypeString}}}); err == nil {
		t.Error("custom fields on an unknown object accepted")
	}
}
