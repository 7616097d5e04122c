package schema

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCompoundParts: every compound address field lists its parts with their value keys,
// and each part names its compound (salesforce-rest-more.md §7.1).
func TestCompoundParts(t *testing.T) {
	cat := standardCatalog(t)
	keys := []string{"street", "city", "state", "postalCode", "country", "latitude", "longitude", "geocodeAccuracy"}
	for _, tc := range []struct{ obj, field, prefix string }{
		{"Account", "BillingAddress", "Billing"}, {"Account", "ShippingAddress", "Shipping"},
		{"Contact", "MailingAddress", "Mailing"}, {"Contact", "OtherAddress", "Other"},
		{"Lead", "Address", ""}, {"User", "Address", ""}, {"Organization", "Address", ""},
	} {
		o, _ := cat.Object(tc.obj)
		f, ok := o.Field(tc.field)
		if !ok || f.Type != TypeAddress {
			t.Fatalf("%s.%s: %v, type %v", tc.obj, tc.field, ok, f)
		}
		var gotKeys, gotNames []string
		for _, p := range o.CompoundParts(f) {
			gotKeys = append(gotKeys, p.CompoundKey)
			gotNames = append(gotNames, p.Name)
			if p.CompoundName() != tc.field {
				t.Errorf("%s.%s: compound %q", tc.obj, p.Name, p.CompoundName())
			}
		}
		wantNames := []string{tc.prefix + "Street", tc.prefix + "City", tc.prefix + "State", tc.prefix + "PostalCode",
			tc.prefix + "Country", tc.prefix + "Latitude", tc.prefix + "Longitude", tc.prefix + "GeocodeAccuracy"}
		if diff := cmp.Diff(keys, gotKeys); diff != "" {
			t.Errorf("%s.%s keys (-want +got):\n%s", tc.obj, tc.field, diff)
		}
		if diff := cmp.Diff(wantNames, gotNames); diff != "" {
			t.Errorf("%s.%s parts (-want +got):\n%s", tc.obj, tc.field, diff)
		}
	}
	// Name's parts (FirstName, …) carry compoundFieldName "Name" but are not a compound
	// value: Name is a plain string.
	c, _ := cat.Object("Contact")
	name, _ := c.Field("Name")
	if name.Compound() || c.CompoundParts(name) != nil {
		t.Error("Contact.Name is not a compound address")
	}
}

// TestDescribeCompoundByVersion: address fields exist from API 30.0 on; below, describe
// leaves them out and keeps their parts.
func TestDescribeCompoundByVersion(t *testing.T) {
	cat := standardCatalog(t)
	o, _ := cat.Object("Account")
	names := func(version string) map[string]bool {
		m := map[string]bool{}
		for _, f := range Describe(o, cat, version, nil)["fields"].([]any) {
			m[f.(map[string]any)["name"].(string)] = true
		}
		return m
	}
	for _, tc := range []struct {
		version string
		want    bool
	}{{"29.0", false}, {"30.0", true}, {"59.0", true}, {"", true}} {
		got := names(tc.version)
		if got["BillingAddress"] != tc.want || got["ShippingAddress"] != tc.want || !got["BillingCity"] {
			t.Errorf("v%s: BillingAddress %v ShippingAddress %v BillingCity %v, want address %v", tc.version,
				got["BillingAddress"], got["ShippingAddress"], got["BillingCity"], tc.want)
		}
	}
}

// TestLocationField: a custom location field is the compound Loc__c (type location,
// read-only) over two stored doubles Loc__Latitude__s and Loc__Longitude__s.
func TestLocationField(t *testing.T) {
	o, err := CustomObject(ObjectSpec{Name: "Site__c", KeyPrefix: "a07", Fields: []FieldSpec{
		{Name: "Loc__c", Label: "Loc", Type: TypeLocation, Scale: 6},
	}})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := NewCatalog(append(Standard(), o))
	if err != nil {
		t.Fatal(err)
	}
	o, _ = cat.Object("Site__c")
	loc, _ := o.Field("Loc__c")
	var names, keys []string
	for _, p := range o.CompoundParts(loc) {
		names = append(names, p.Name)
		keys = append(keys, p.CompoundKey)
	}
	if diff := cmp.Diff([]string{"Loc__Latitude__s", "Loc__Longitude__s"}, names); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"latitude", "longitude"}, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	d := DescribeField(loc)
	for k, want := range map[string]any{"type": "location", "soapType": "urn:location", "createable": false, "updateable": false,
		"nillable": true, "sortable": false, "groupable": false, "filterable": true, "compoundFieldName": nil, "scale": 6, "custom": true} {
		if !cmp.Equal(d[k], want) {
			t.Errorf("Loc__c %s = %v, want %v", k, d[k], want)
		}
	}
	lat, _ := o.Field("Loc__Latitude__s")
	d = DescribeField(lat)
	for k, want := range map[string]any{"type": "double", "createable": true, "compoundFieldName": "Loc__c", "scale": 6, "precision": 18} {
		if !cmp.Equal(d[k], want) {
			t.Errorf("Loc__Latitude__s %s = %v, want %v", k, d[k], want)
		}
	}
	for _, bad := range []FieldSpec{
		{Name: "Loc__c", Type: TypeLocation, Scale: 16},
		{Name: "Loc__c", Type: TypeLocation, Required: true},
	} {
		if _, err := CustomObject(ObjectSpec{Name: "Site__c", KeyPrefix: "a07", Fields: []FieldSpec{bad}}); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
