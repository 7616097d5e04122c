package dataapi

import (
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

func TestLVValue(t *testing.T) {
	pick := &schema.Field{Name: "Stage__c", Type: schema.TypePicklist, Picklist: []schema.PicklistValue{
		{Value: "new", Label: "New"}, {Value: "won", Label: "Closed Won"}}}
	multi := &schema.Field{Name: "Tags__c", Type: schema.TypeMultiPicklist, Picklist: pick.Picklist}
	text := &schema.Field{Name: "Name", Type: schema.TypeString}
	for _, tc := range []struct {
		name  string
		field *schema.Field
		in    any
		want  any
	}{
		{"null", text, nil, nil},
		{"text", text, "Acme", "Acme"},
		// The guide's example: "Fri Aug 01 21:15:46 GMT 2014".
		{"datetime", &schema.Field{Type: schema.TypeDateTime}, time.Date(2014, 8, 1, 21, 15, 46, 0, time.UTC), "Fri Aug 01 21:15:46 GMT 2014"},
		{"datetime not in UTC", &schema.Field{Type: schema.TypeDateTime}, time.Date(2014, 8, 2, 1, 15, 46, 0, time.FixedZone("X", 4*3600)), "Fri Aug 01 21:15:46 GMT 2014"},
		{"date", &schema.Field{Type: schema.TypeDate}, "2026-11-22", "2026-11-22"},
		{"picklist label", pick, "won", "Closed Won"},
		{"picklist value not in the list", pick, "lost", "lost"},
		{"multi-select labels", multi, "new;won", "New;Closed Won"},
		{"boolean", &schema.Field{Type: schema.TypeBoolean}, true, "true"},
		{"int", &schema.Field{Type: schema.TypeInt}, int64(42), "42"},
		{"currency", &schema.Field{Type: schema.TypeCurrency}, 1234.5, "1234.5"},
		{"large double", &schema.Field{Type: schema.TypeDouble}, 1e21, "1000000000000000000000"},
	} {
		if got := lvValue(lvCol{Field: tc.field}, tc.in); got != tc.want {
			t.Errorf("%s: lvValue(%v) = %#v, want %#v", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestSortLabels(t *testing.T) {
	for typ, want := range map[schema.FieldType][2]string{
		schema.TypeString:   {"Z-A", "A-Z"}, // reversed, as in the guide
		schema.TypePhone:    {"9-0", "0-9"},
		schema.TypePicklist: {"Low to High", "High to Low"},
		schema.TypeCurrency: {"Low to High", "High to Low"},
		schema.TypeDateTime: {"Old to New", "New to Old"},
	} {
		if a, d := sortLabels(typ); a != want[0] || d != want[1] {
			t.Errorf("sortLabels(%s) = %q, %q; want %q", typ, a, d, want)
		}
	}
}

func TestWhereCondition(t *testing.T) {
	for _, tc := range []struct {
		name string
		def  lvDef
		want string
	}{
		{"none", lvDef{}, `{"conditions":[],"conjunction":"and"}`},
		{"one", lvDef{Filters: []lvFilter{equalsFilter("CreatedDate", "THIS_WEEK")}},
			`{"field":"CreatedDate","operator":"equals","values":["THIS_WEEK"]}`},
		{"recent", lvDef{Recent: true}, `{"field":"LastViewedDate","operator":"notEqual","values":["null"]}`},
		{"two", lvDef{Filters: []lvFilter{equalsFilter("IsUnreadByOwner", "true"), equalsFilter("CreatedDate", "TODAY")}},
			`{"conditions":[{"field":"IsUnreadByOwner","operator":"equals","values":["true"]},{"field":"CreatedDate","operator":"equals","values":["TODAY"]}],"conjunction":"and"}`},
	} {
		b, err := whereCondition(listView{lvDef: tc.def}).MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("%s: whereCondition = %s, want %s", tc.name, b, tc.want)
		}
	}
}

// The default views: deterministic IDs per org and object, in ascending ID order, a
// harmless first view (jsforce's test runs listviews[0]), none for Setup objects.
func TestObjectViews(t *testing.T) {
	custom, err := schema.CustomObject(schema.ObjectSpec{Name: "Ticket__c", Label: "Ticket", LabelPlural: "Tickets", KeyPrefix: "a05"})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := schema.NewCatalog(append(schema.Standard(), custom))
	if err != nil {
		t.Fatal(err)
	}
	org1, org2 := sfid.New("00D", "5F", 1), sfid.New("00D", "5F", 2)
	names := func(vs []listView) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.DevName)
		}
		return out
	}
	for obj, want := range map[string][]string{
		"Account":     {"NewThisWeek", "NewLastWeek", "RecentlyViewedAccounts", "AllAccounts", "MyAccounts"},
		"Contact":     {"AllContacts", "MyContacts", "NewThisWeek", "RecentlyViewedContacts"},
		"Lead":        {"AllOpenLeads", "MyUnreadLeads", "TodaysLeads", "RecentlyViewedLeads"},
		"Opportunity": {"AllOpportunities", "MyOpportunities", "ClosingNextMonth", "ClosingThisMonth", "NewThisWeek", "Won", "RecentlyViewedOpportunities"},
		"Ticket__c":   {"All", "RecentlyViewedTickets"},
		"User":        nil,
	} {
		o, ok := cat.Object(obj)
		if !ok {
			t.Fatalf("no object %s", obj)
		}
		views := objectViews(org1, o)
		if diff := cmp.Diff(want, names(views)); diff != "" {
			t.Errorf("%s views (-want +got):\n%s", obj, diff)
		}
		var ids []string
		for _, v := range views {
			ids = append(ids, string(v.ID))
			if v.ID.Prefix() != "00B" {
				t.Errorf("%s %s: ID %s", obj, v.DevName, v.ID)
			}
		}
		if !sort.StringsAreSorted(ids) {
			t.Errorf("%s views not in ID order: %v", obj, ids)
		}
		again := objectViews(org1, o)
		other := objectViews(org2, o)
		for i := range views {
			if again[i].ID != views[i].ID {
				t.Errorf("%s %s: ID %s then %s", obj, views[i].DevName, views[i].ID, again[i].ID)
			}
			if other[i].ID == views[i].ID {
				t.Errorf("%s %s: same ID %s in two orgs", obj, views[i].DevName, views[i].ID)
			}
		}
		if len(views) > 0 && (views[0].Mine || views[0].Recent) {
			t.Errorf("%s: first view %s depends on the user", obj, views[0].DevName)
		}
	}
}

func TestLVUses(t *testing.T) {
	var u lvUses
	alice, bob := sfid.New("005", "5F", 1), sfid.New("005", "5F", 2)
	v1, v2 := sfid.New("00B", "5F", 1), sfid.New("00B", "5F", 2)
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	if u.same(alice, v1, t0) {
		t.Error("zero value remembers a use")
	}
	u.set(alice, v1, t0)
	for _, tc := range []struct {
		user, view sfid.ID
		at         time.Time
		want       bool
	}{
		{alice, v1, t0.Add(30 * time.Second), true},
		{alice, v1, t0.Add(lvUseTTL), false},     // stale: write again
		{alice, v1, t0.Add(-time.Second), false}, // the clock went back
		{alice, v2, t0.Add(time.Second), false},  // another view
		{bob, v1, t0.Add(time.Second), false},    // another user
	} {
		if got := u.same(tc.user, tc.view, tc.at); got != tc.want {
			t.Errorf("same(%s, %s, %s) = %v, want %v", tc.user, tc.view, tc.at, got, tc.want)
		}
	}
	u.set(alice, v2, t0.Add(time.Second))
	if u.same(alice, v1, t0.Add(2*time.Second)) {
		t.Error("after v2, v1 is not the most recent")
	}
}
