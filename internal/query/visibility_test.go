package query_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/query"
	. "github.com/forcefield/forcefield/internal/query/querytest"
	"github.com/forcefield/forcefield/internal/schema"
)

// visCatalog: Kid__c (Read/Write) → Parent__c (Private) → Account (Read/Write).
func visCatalog(t *testing.T) *schema.Catalog {
	t.Helper()
	id := schema.Field{Name: "Id", Type: schema.TypeID, System: true}
	del := schema.Field{Name: "IsDeleted", Type: schema.TypeBoolean, System: true}
	name := schema.Field{Name: "Name", Type: schema.TypeString, Nillable: true, Length: 80, NameField: true}
	ref := func(n, rel, child, to string) schema.Field {
		return schema.Field{Name: n, Type: schema.TypeReference, Nillable: true, ReferenceTo: []string{to}, RelationshipName: rel, ChildRelationshipName: child}
	}
	owner := ref("OwnerId", "Owner", "", "User")
	cat, err := schema.NewCatalog([]*schema.Object{
		{Name: "Account", KeyPrefix: "001", Sharing: schema.SharingReadWrite, Queryable: true, Fields: []schema.Field{id, del, name, owner}},
		{Name: "User", KeyPrefix: "005", Setup: true, Queryable: true, Fields: []schema.Field{id, name}},
		{Name: "Parent__c", KeyPrefix: "a01", Custom: true, Sharing: schema.SharingPrivate, Queryable: true, Fields: []schema.Field{
			id, del, name, owner, ref("Account__c", "Account__r", "Parents__r", "Account")}},
		{Name: "Kid__c", KeyPrefix: "a02", Custom: true, Sharing: schema.SharingReadWrite, Queryable: true, Fields: []schema.Field{
			id, del, name, owner, ref("Parent__c", "Parent__r", "Kids__r", "Parent__c")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func visChecker(viewAll bool) *access.Checker {
	return access.New(org.Principal{User: org.User{ID: UserID}, Profile: org.Profile{
		ObjectPermissions: []org.ObjectPermission{
			{Object: "Account", Read: true}, {Object: "Kid__c", Read: true}, {Object: "Parent__c", Read: true, ViewAll: viewAll},
		},
	}})
}

// Every hop of a path records the visibility rule of the parent it reaches; hidden
// columns (parent Ids) carry the rule of their prefix.
func TestPathFilters(t *testing.T) {
	cat := visCatalog(t)
	q := Q("Kid__c", F("Parent__r.Account__r.Name"), F("Parent__r.Name"), F("Name"))
	p, err := query.Resolve(q, cat, visChecker(false), query.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	mine := query.HopFilter{Field: "OwnerId", UserID: UserID}
	got := map[string][]query.HopFilter{}
	for _, c := range p.Columns {
		got[c.Path.Name] = c.Path.Filters
	}
	want := map[string][]query.HopFilter{
		"Parent__r.Account__r.Name": {mine, {}},
		"Parent__r.Name":            {mine},
		"Name":                      nil,
		"Id":                        nil,
		"Parent__r.Id":              {mine},
		"Parent__r.Account__r.Id":   {mine, {}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("filters (-want +got):\n%s", diff)
	}
	if f := p.Columns[0].Path.HopFilter(5); f != (query.HopFilter{}) {
		t.Errorf("HopFilter out of range = %+v", f)
	}

	// View All on the parent: no rule.
	p, err = query.Resolve(q, cat, visChecker(true), query.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Columns {
		if c.Path.Filters != nil {
			t.Errorf("View All: %s has filters %+v", c.Path.Name, c.Path.Filters)
		}
	}

	// The semi-join's inner plan: its own paths carry rules, its root the owner rule.
	q = Q("Account", F("Id"))
	q.Where = Semi("Id", "IN", Q("Parent__c", F("Account__c")))
	p, err = query.Resolve(q, cat, visChecker(false), query.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	in, ok := p.Where.(*query.In)
	if !ok || in.Sub.OwnerID != UserID {
		t.Errorf("semi-join inner plan = %+v, want OwnerID %s", p.Where, UserID)
	}
}
