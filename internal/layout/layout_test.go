package layout

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// catalog is the standard objects plus two custom objects: Invoice__c (a lookup to
// Account, a picklist with an inactive value added below) and Line__c (master of nothing,
// child of Invoice__c).
func catalog(t testing.TB) *schema.Catalog {
	t.Helper()
	cat, err := schema.NewOrgCatalog([]schema.ObjectSpec{
		{Name: "Invoice__c", Label: "Invoice", Fields: []schema.FieldSpec{
			{Name: "Account__c", Type: schema.TypeReference, ReferenceTo: "Account", RelationshipName: "Invoices", Required: true},
			{Name: "Status__c", Type: schema.TypePicklist, Values: []string{"Draft", "Paid"}},
			{Name: "Notes__c", Type: schema.TypeTextArea, Length: 32768},
		}},
		{Name: "Line__c", Label: "Line", NameAutoNumber: true, Fields: []schema.FieldSpec{
			{Name: "Invoice__c", Type: schema.TypeReference, ReferenceTo: "Invoice__c", RelationshipName: "Lines"},
		}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// admin reads and edits everything.
func admin() *access.Checker {
	return access.New(org.Principal{Profile: org.Profile{Permissions: []string{"ModifyAllData"}}})
}

// restricted reads and edits Account and Invoice__c, but not Line__c nor Contact; it
// may not read Account.Rating, and reads Account.AnnualRevenue without editing it.
func restricted() *access.Checker {
	return access.New(org.Principal{Profile: org.Profile{
		ObjectPermissions: []org.ObjectPermission{
			{Object: "Account", Read: true, Create: true, Edit: true},
			{Object: "Invoice__c", Read: true},
		},
		FieldPermissions: []org.FieldPermission{
			{Field: "Account.*", Read: true, Edit: true},
			{Field: "Account.AnnualRevenue", Read: true},
			{Field: "Account.Rating"},
			{Field: "Invoice__c.*", Read: true},
		},
	}})
}

// jsonEqual compares the JSON encodings of a and b: byte-identical output is what
// clients see (and much cheaper to compare than deep structures of maps).
func jsonEqual(t testing.TB, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(ja) == string(jb)
}

// checkLayout checks the invariants every derived layout keeps, whatever the object and
// the user: IDs, the two-column grid, tab orders, every field component naming a field
// the user reads with its describe entry as details, the edit layout being the detail
// layout without the system section, and related lists naming readable children.
func checkLayout(t *testing.T, obj *schema.Object, cat *schema.Catalog, acc *access.Checker, l *Layout) {
	t.Helper()
	if l.ID != LayoutID(obj, "") && !strings.HasPrefix(l.ID, prefixLayout) {
		t.Errorf("%s: layout id %q", obj.Name, l.ID)
	}
	if _, err := sfid.Parse(l.ID); err != nil {
		t.Errorf("%s: layout id %q: %v", obj.Name, l.ID, err)
	}
	var headings []string
	for _, s := range l.DetailLayoutSections {
		headings = append(headings, s.Heading)
		if s.ParentLayoutID != l.ID || s.Columns != 2 || s.Rows != len(s.LayoutRows) || s.TabOrder != "TopToBottom" {
			t.Errorf("%s %q: parent %s columns %d rows %d/%d tabOrder %s", obj.Name, s.Heading, s.ParentLayoutID, s.Columns, s.Rows, len(s.LayoutRows), s.TabOrder)
		}
		if id, err := sfid.Parse(s.LayoutSectionID); err != nil || id.Prefix() != prefixSection {
			t.Errorf("%s %q: section id %q", obj.Name, s.Heading, s.LayoutSectionID)
		}
		tabs := map[int]bool{}
		for _, r := range s.LayoutRows {
			if r.NumItems != 2 || len(r.LayoutItems) != 2 {
				t.Errorf("%s %q: row of %d/%d items", obj.Name, s.Heading, r.NumItems, len(r.LayoutItems))
			}
			for _, it := range r.LayoutItems {
				if len(it.LayoutComponents) != 1 {
					t.Fatalf("%s %q: item %q has %d components", obj.Name, s.Heading, it.Label, len(it.LayoutComponents))
				}
				c := it.LayoutComponents[0]
				if tabs[c.TabOrder] {
					t.Errorf("%s %q: tab order %d twice", obj.Name, s.Heading, c.TabOrder)
				}
				tabs[c.TabOrder] = true
				if it.Placeholder != (c.Type == "EmptySpace") {
					t.Errorf("%s %q: item %q placeholder %v type %s", obj.Name, s.Heading, it.Label, it.Placeholder, c.Type)
				}
				if !it.Placeholder {
					checkComponent(t, obj, acc, c)
				}
				if s.Heading == "System Information" && (it.EditableForNew || it.EditableForUpdate) {
					t.Errorf("%s: system item %q editable", obj.Name, it.Label)
				}
			}
		}
		for i := 1; i <= len(tabs); i++ {
			if !tabs[i] {
				t.Errorf("%s %q: tab orders %v are not 1..%d", obj.Name, s.Heading, tabs, len(tabs))
			}
		}
	}
	if len(headings) == 0 || headings[0] != obj.Label+" Information" {
		t.Errorf("%s: sections %v", obj.Name, headings)
	}
	wantEdit := l.DetailLayoutSections
	if n := len(wantEdit); n > 0 && wantEdit[n-1].Heading == "System Information" {
		wantEdit = wantEdit[:n-1]
	}
	if !jsonEqual(t, l.EditLayoutSections, wantEdit) {
		t.Errorf("%s: edit sections are not the detail sections without System Information", obj.Name)
	}
	for _, rl := range l.RelatedLists {
		child, ok := cat.Object(rl.Sobject)
		if !ok || !acc.Object(child, access.Read) || rl.LimitRows != 5 {
			t.Errorf("%s: related list %+v", obj.Name, rl)
			continue
		}
		if f, ok := child.Field(rl.Field); !ok || !acc.FieldReadable(child, f) || len(f.ReferenceTo) == 0 {
			t.Errorf("%s: related list %s field %s", obj.Name, rl.Name, rl.Field)
		}
		for _, col := range rl.Columns {
			if f, ok := child.Field(col.FieldAPIName); !ok || !acc.FieldReadable(child, f) || col.Field != child.Name+"."+f.Name {
				t.Errorf("%s: related list %s column %+v", obj.Name, rl.Name, col)
			}
		}
	}
}

// checkComponent checks a Field component and its parts.
func checkComponent(t *testing.T, obj *schema.Object, acc *access.Checker, c Component) {
	t.Helper()
	f, ok := obj.Field(c.Value)
	if c.Type != "Field" || !ok || f.Name != c.Value || !acc.FieldReadable(obj, f) {
		t.Errorf("%s: component %s %q is not a readable field", obj.Name, c.Type, c.Value)
		return
	}
	if !jsonEqual(t, c.Details, schema.DescribeField(f)) {
		t.Errorf("%s.%s: details differ from the describe entry", obj.Name, f.Name)
	}
	if c.Components == nil {
		t.Errorf("%s.%s: components is not an array", obj.Name, f.Name)
	}
	if (len(c.Components) > 0) != (c.FieldType != "") {
		t.Errorf("%s.%s: %d parts with fieldType %q", obj.Name, f.Name, len(c.Components), c.FieldType)
	}
	for _, p := range c.Components {
		checkComponent(t, obj, acc, p)
	}
}

// TestEveryObject derives the layouts of every standard and custom object for an
// administrator and a restricted user and checks their invariants; objects without
// layouts are refused.
func TestEveryObject(t *testing.T) {
	cat := catalog(t)
	for _, u := range []struct {
		name string
		acc  *access.Checker
	}{{"admin", admin()}, {"restricted", restricted()}} {
		for _, obj := range cat.Objects() {
			t.Run(u.name+"/"+obj.Name, func(t *testing.T) {
				if !Available(obj) {
					if obj.Name != "Profile" && obj.Name != "PermissionSet" && obj.Name != "Organization" && obj.Name != "LoginHistory" {
						t.Errorf("%s has no layouts", obj.Name)
					}
					return
				}
				res := Layouts(obj, cat, "59.0", u.acc)
				if len(res.Layouts) != 1 || res.Layouts[0].ID != LayoutID(obj, "") {
					t.Fatalf("layouts %d", len(res.Layouts))
				}
				checkLayout(t, obj, cat, u.acc, res.Layouts[0])
				if !cmp.Equal(res.RecordTypeSelectorRequired, []bool{false}) || len(res.RecordTypeMappings) != 1 {
					t.Errorf("selector %v mappings %d", res.RecordTypeSelectorRequired, len(res.RecordTypeMappings))
				}
				m := res.RecordTypeMappings[0]
				if m.RecordTypeID != schema.MasterRecordTypeID || !m.Master || m.LayoutID != res.Layouts[0].ID ||
					m.URLs["layout"] != "/services/data/v59.0/sobjects/"+obj.Name+"/describe/layouts/012000000000000AAA" {
					t.Errorf("mapping %+v", m)
				}
				for _, p := range m.PicklistsForRecordType {
					f, ok := obj.Field(p.PicklistName)
					if !ok || !u.acc.FieldReadable(obj, f) {
						t.Errorf("picklist %s is not a readable field", p.PicklistName)
					}
				}
				// By record type: the same layout, unwrapped.
				l, ok := ForRecordType(obj, cat, "59.0", u.acc, "012000000000000")
				if !ok || !jsonEqual(t, l, res.Layouts[0]) {
					t.Errorf("layout of the Master record type (15 characters) differs: %v", ok)
				}
				cl := Compacts(obj, "59.0", u.acc)
				if len(cl.CompactLayouts) != 1 || cl.CompactLayouts[0].ID != nil || cl.CompactLayouts[0].ObjectType != obj.Name ||
					cl.DefaultCompactLayoutID != nil || len(cl.RecordTypeCompactLayoutMappings) != 1 {
					t.Errorf("compact layouts %+v", cl)
				}
				for _, it := range cl.CompactLayouts[0].FieldItems {
					checkComponent(t, obj, u.acc, it.LayoutComponents[0])
				}
			})
		}
	}
}

// componentValues lists the field names a layout's sections show (parts included), by
// section heading.
func componentValues(l *Layout) map[string][]string {
	out := map[string][]string{}
	var walk func(h string, cs []Component)
	walk = func(h string, cs []Component) {
		for _, c := range cs {
			if c.Type == "Field" {
				out[h] = append(out[h], c.Value)
			}
			walk(h, c.Components)
		}
	}
	for _, s := range l.DetailLayoutSections {
		for _, r := range s.LayoutRows {
			for _, it := range r.LayoutItems {
				walk(s.Heading, it.LayoutComponents)
			}
		}
	}
	return out
}

// TestFieldLevelSecurity: a field the user may not read appears nowhere; one they read
// but may not edit is shown not editable; children they may not read have no related
// list; buttons follow object permissions.
func TestFieldLevelSecurity(t *testing.T) {
	cat := catalog(t)
	acct, _ := cat.Object("Account")
	res := Layouts(acct, cat, "59.0", restricted())
	l := res.Layouts[0]
	body, _ := json.Marshal(res)
	if strings.Contains(string(body), `"Rating"`) {
		t.Error("Account.Rating, unreadable, appears in the layout")
	}
	cl, _ := json.Marshal(Compacts(acct, "59.0", restricted()))
	if strings.Contains(string(cl), `"Rating"`) {
		t.Error("Account.Rating appears in the compact layout")
	}
	var revenue *Item
	for _, r := range l.DetailLayoutSections[0].LayoutRows {
		for i := range r.LayoutItems {
			if c := r.LayoutItems[i].LayoutComponents[0]; c.Value == "AnnualRevenue" {
				revenue = &r.LayoutItems[i]
			}
		}
	}
	if revenue == nil || revenue.EditableForNew || revenue.EditableForUpdate {
		t.Errorf("AnnualRevenue (read-only by FLS): %+v", revenue)
	}
	var related []string
	for _, rl := range l.RelatedLists {
		related = append(related, rl.Name)
	}
	// Admin sees ChildAccounts, Cases, Contacts, Invoices, Opportunities, Tasks, Users;
	// restricted reads Account, Invoice__c and the Setup object User only.
	if diff := cmp.Diff([]string{"ChildAccounts", "Invoices__r", "Users"}, related); diff != "" {
		t.Errorf("related lists (-want +got):\n%s", diff)
	}
	var buttons []string
	for _, b := range l.ButtonLayoutSection.DetailButtons {
		buttons = append(buttons, b.Name)
	}
	if diff := cmp.Diff([]string{"Edit", "Clone"}, buttons); diff != "" { // no Delete permission
		t.Errorf("buttons (-want +got):\n%s", diff)
	}
	// Invoice__c is read-only to restricted: Name, outside field-level security, is still
	// not editable, for want of the Create and Edit object permissions.
	inv, _ := cat.Object("Invoice__c")
	name := Layouts(inv, cat, "59.0", restricted()).Layouts[0].DetailLayoutSections[0].LayoutRows[0].LayoutItems[0]
	if name.LayoutComponents[0].Value != "Name" || name.EditableForNew || name.EditableForUpdate {
		t.Errorf("Invoice__c Name for a reader: %s editable %v/%v", name.LayoutComponents[0].Value, name.EditableForNew, name.EditableForUpdate)
	}
	all := Layouts(acct, cat, "59.0", admin()).Layouts[0]
	if n := len(all.ButtonLayoutSection.DetailButtons); n != 3 {
		t.Errorf("admin has %d buttons", n)
	}
}

// TestSections pins the derived sections of objects with compound fields: Contact's name
// (Salutation, FirstName, LastName inside Name), addresses without a compound field (parts
// one by one), and an object whose address has its compound field (one item, fieldType
// address).
func TestSections(t *testing.T) {
	cat := catalog(t)
	withCompound := &schema.Object{Name: "Site__c", Label: "Site", LabelPlural: "Sites", KeyPrefix: "a09", Custom: true, Layoutable: true,
		Createable: true, Updateable: true, Queryable: true,
		Fields: []schema.Field{
			{Name: "Id", Label: "Record ID", Type: schema.TypeID, System: true},
			{Name: "Name", Label: "Site Name", Type: schema.TypeString, Length: 80, Createable: true, Updateable: true, NameField: true},
			{Name: "MainStreet", Label: "Main Street", Type: schema.TypeTextArea, Length: 255, Nillable: true, Createable: true, Updateable: true, CompoundKey: "street", Extra: map[string]any{"compoundFieldName": "MainAddress"}},
			{Name: "MainCity", Label: "Main City", Type: schema.TypeString, Length: 40, Nillable: true, Createable: true, Updateable: true, CompoundKey: "city", Extra: map[string]any{"compoundFieldName": "MainAddress"}},
			{Name: "MainLatitude", Label: "Main Latitude", Type: schema.TypeDouble, Nillable: true, Createable: true, Updateable: true, CompoundKey: "latitude", Extra: map[string]any{"compoundFieldName": "MainAddress"}},
			{Name: "MainAddress", Label: "Main Address", Type: schema.FieldType("address"), Nillable: true},
			{Name: "Code__c", Label: "Code", Type: schema.TypeString, Length: 10, Nillable: true, Createable: true, Custom: true},
			{Name: "Fixed__c", Label: "Fixed", Type: schema.TypeString, Length: 10, Nillable: true, Custom: true},
			{Name: "CreatedById", Label: "Created By ID", Type: schema.TypeReference, ReferenceTo: []string{"User"}, System: true},
		}}
	siteCat, err := schema.NewCatalog(append(schema.Standard(), withCompound))
	if err != nil {
		t.Fatal(err)
	}
	contact, _ := cat.Object("Contact")
	lead, _ := cat.Object("Lead")
	site, _ := siteCat.Object("Site__c")
	for _, tc := range []struct {
		obj  *schema.Object
		cat  *schema.Catalog
		want map[string][]string
	}{
		{contact, cat, map[string][]string{
			"Contact Information": {"Name", "LastName", "FirstName", "Salutation", "OwnerId", "AccountId", "Phone", "Fax", "MobilePhone",
				"HomePhone", "OtherPhone", "AssistantPhone", "ReportsToId", "Email", "Title", "Department", "AssistantName",
				"LeadSource", "Birthdate", "Description", "EmailBouncedReason", "EmailBouncedDate", "IndividualId"},
			"Address Information": {"OtherAddress", "OtherStreet", "OtherCity", "OtherState", "OtherPostalCode", "OtherCountry",
				"MailingAddress", "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry"},
			"System Information": {"CreatedById", "LastModifiedById"},
		}},
		{site, siteCat, map[string][]string{
			// Fixed__c is neither createable nor updateable; MainLatitude is a hidden part.
			"Site Information":    {"Name", "Code__c"},
			"Address Information": {"MainAddress", "MainStreet", "MainCity"},
			"System Information":  {"CreatedById"},
		}},
	} {
		t.Run(tc.obj.Name, func(t *testing.T) {
			l := Layouts(tc.obj, tc.cat, "59.0", admin()).Layouts[0]
			// Column-major order back to item order: left column then right column.
			got := map[string][]string{}
			for _, s := range l.DetailLayoutSections {
				var left, right []Item
				for _, r := range s.LayoutRows {
					left = append(left, r.LayoutItems[0])
					if !r.LayoutItems[1].Placeholder {
						right = append(right, r.LayoutItems[1])
					}
				}
				got[s.Heading] = componentValues(&Layout{DetailLayoutSections: []Section{{Heading: s.Heading,
					LayoutRows: []Row{{LayoutItems: append(left, right...)}}}}})[s.Heading]
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("compound address item", func(t *testing.T) {
		l := Layouts(site, siteCat, "59.0", admin()).Layouts[0]
		it := l.DetailLayoutSections[1].LayoutRows[0].LayoutItems[0]
		c := it.LayoutComponents[0]
		if it.Label != "Main Address" || c.FieldType != "address" || len(c.Components) != 2 || !it.EditableForNew || !it.EditableForUpdate {
			t.Errorf("address item %q fieldType %q parts %d editable %v/%v", it.Label, c.FieldType, len(c.Components), it.EditableForNew, it.EditableForUpdate)
		}
	})
	t.Run("Lead name is required through LastName", func(t *testing.T) {
		it := Layouts(lead, cat, "59.0", admin()).Layouts[0].DetailLayoutSections[0].LayoutRows[0].LayoutItems[0]
		if it.LayoutComponents[0].Value != "Name" || !it.Required || !it.EditableForNew {
			t.Errorf("Lead name item: %+v", it)
		}
	})
}

// TestGrid pins the two-column, top-to-bottom placement and the placeholder.
func TestGrid(t *testing.T) {
	b := newBuilder(&schema.Object{Name: "X"}, nil, "59.0", admin())
	item := func(n string) Item {
		return Item{Label: n, LayoutComponents: []Component{{Type: "Field", Value: n}}}
	}
	for _, tc := range []struct {
		n    int
		want [][2]string // labels per row; "" is the placeholder
	}{
		{0, nil},
		{1, [][2]string{{"a", ""}}},
		{2, [][2]string{{"a", "b"}}},
		{3, [][2]string{{"a", "c"}, {"b", ""}}},
		{5, [][2]string{{"a", "d"}, {"b", "e"}, {"c", ""}}},
	} {
		var items []Item
		for i := 0; i < tc.n; i++ {
			items = append(items, item(string(rune('a'+i))))
		}
		s := b.section("00h000000000000AAA", "H", true, items)
		var got [][2]string
		for _, r := range s.LayoutRows {
			got = append(got, [2]string{r.LayoutItems[0].Label, r.LayoutItems[1].Label})
		}
		if diff := cmp.Diff(tc.want, got); diff != "" || s.Rows != len(tc.want) {
			t.Errorf("%d items: rows %d (-want +got):\n%s", tc.n, s.Rows, diff)
		}
		if tc.n%2 == 1 {
			last := s.LayoutRows[len(s.LayoutRows)-1].LayoutItems[1]
			want := placeholder(tc.n + 1)
			if !cmp.Equal(last, want) {
				t.Errorf("%d items: placeholder %+v", tc.n, last)
			}
		}
	}
}

// TestLookups covers named layouts, record type IDs and deterministic IDs.
func TestLookups(t *testing.T) {
	cat := catalog(t)
	user, _ := cat.Object("User")
	acct, _ := cat.Object("Account")
	for _, tc := range []struct {
		obj  *schema.Object
		name string
		ok   bool
	}{{user, "UserAlt", true}, {user, "useralt", true}, {user, "Other", false}, {acct, "UserAlt", false}, {user, "", false}} {
		res, ok := Named(tc.obj, cat, "59.0", admin(), tc.name)
		if ok != tc.ok {
			t.Errorf("Named(%s, %q) = %v", tc.obj.Name, tc.name, ok)
		}
		if ok && (res.Layouts[0].ID != LayoutID(user, "UserAlt") || res.Layouts[0].ID == LayoutID(user, "")) {
			t.Errorf("UserAlt id %s", res.Layouts[0].ID)
		}
	}
	for _, tc := range []struct {
		id string
		ok bool
	}{
		{"012000000000000AAA", true}, {"012000000000000aaa", true}, {"012000000000000", true},
		{"012000000000001AAA", false}, {"012000000000000AAB", false}, {"001000000000000AAA", false}, {"x", false}, {"", false},
	} {
		if _, ok := ForRecordType(acct, cat, "59.0", admin(), tc.id); ok != tc.ok {
			t.Errorf("ForRecordType(%q) = %v", tc.id, ok)
		}
		if _, ok := CompactForRecordType(acct, "59.0", admin(), tc.id); ok != tc.ok {
			t.Errorf("CompactForRecordType(%q) = %v", tc.id, ok)
		}
	}
	seen := map[string]string{}
	for _, o := range cat.Objects() {
		id := LayoutID(o, "")
		if id != LayoutID(o, "") || sfid.ID(id).Prefix() != "00h" {
			t.Errorf("%s: id %s", o.Name, id)
		}
		if other, dup := seen[id]; dup {
			t.Errorf("%s and %s share layout id %s", o.Name, other, id)
		}
		seen[id] = o.Name
	}
	if got := LayoutID(acct, ""); got != "00h5F0rSVAvpLYKQ22" {
		t.Errorf("Account layout id %s changed: clients may have stored it", got)
	}
}

// TestCompactFields pins the system default compact layout's fields per object.
func TestCompactFields(t *testing.T) {
	cat := catalog(t)
	for _, tc := range []struct {
		obj  string
		acc  *access.Checker
		want []string
	}{
		{"Account", admin(), []string{"Name", "Phone", "OwnerId"}},
		{"Contact", admin(), []string{"Name", "Phone", "Email", "OwnerId"}},
		{"Invoice__c", admin(), []string{"Name", "OwnerId"}},
		{"Invoice__c", restricted(), []string{"Name", "OwnerId"}},
		{"Task", admin(), []string{"OwnerId"}},
		{"User", admin(), []string{"Name", "Phone", "Email"}},
	} {
		obj, _ := cat.Object(tc.obj)
		c := PrimaryCompact(obj, "59.0", tc.acc)
		var got []string
		for i, it := range c.FieldItems {
			lc := it.LayoutComponents[0]
			got = append(got, lc.Value)
			if lc.TabOrder != i+1 {
				t.Errorf("%s %s: tabOrder %d", tc.obj, lc.Value, lc.TabOrder)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s compact fields (-want +got):\n%s", tc.obj, diff)
		}
	}
}

// TestApprovals: no approval processes.
func TestApprovals(t *testing.T) {
	b, _ := json.Marshal(Approvals())
	if string(b) != `{"approvalLayouts":[]}` {
		t.Errorf("approval layouts %s", b)
	}
}
