package schema

import (
	"sort"
	"strings"
)

// Describe rendering (salesforce-rest.md §3 "GET /sobjects", "GET /sobjects/{Type}" and
// "GET /sobjects/{Type}/describe"). Bodies are map[string]any so that encoding/json writes
// their keys in alphabetical order, which is the order real payloads have (see
// testdata/*.describe.json).

// masterRecordTypeID is the ID of the "Master" record type, the same in every org
// (salesforce-objects.md §1).
const masterRecordTypeID = "012000000000000AAA"

// sobjectURL is "/services/data/v<version>/sobjects/<name>".
func sobjectURL(o *Object, version string) string {
	return "/services/data/v" + version + "/sobjects/" + o.Name
}

// globalURLs are the urls of a describeGlobal entry. Which ones an object has follows the
// recorded describeGlobal (testdata/describeGlobal.json): every object has sobject,
// describe and rowTemplate; layoutable objects add layouts, compactLayouts and
// quickActions; layoutable data objects add approvalLayouts and listviews; User adds
// namedLayouts and passwordUtilities.
func globalURLs(o *Object, version string) map[string]any {
	base := sobjectURL(o, version)
	u := map[string]any{
		"sobject":     base,
		"describe":    base + "/describe",
		"rowTemplate": base + "/{ID}",
	}
	if o.Layoutable {
		u["layouts"] = base + "/describe/layouts"
		u["compactLayouts"] = base + "/describe/compactLayouts"
		u["quickActions"] = base + "/quickActions"
		if !o.Setup {
			u["approvalLayouts"] = base + "/describe/approvalLayouts"
			u["listviews"] = base + "/listviews"
		}
	}
	if o.Name == "User" {
		u["namedLayouts"] = base + "/describe/namedLayouts/{LayoutName}"
		u["passwordUtilities"] = base + "/{ID}/password"
	}
	return u
}

// DescribeGlobalEntry is one entry of GET /sobjects "sobjects" (salesforce-rest.md §3
// "GET /sobjects").
func DescribeGlobalEntry(o *Object, version string) map[string]any {
	return map[string]any{
		"activateable":          false,
		"associateEntityType":   nil,
		"associateParentEntity": nil,
		"createable":            o.Createable,
		"custom":                o.Custom,
		"customSetting":         false,
		"deepCloneable":         o.DeepCloneable,
		"deletable":             o.Deletable,
		"deprecatedAndHidden":   false,
		"feedEnabled":           o.FeedEnabled,
		"hasSubtypes":           false,
		"isInterface":           false,
		"isSubtype":             false,
		"keyPrefix":             o.KeyPrefix,
		"label":                 o.Label,
		"labelPlural":           o.LabelPlural,
		"layoutable":            o.Layoutable,
		"mergeable":             o.Mergeable,
		"mruEnabled":            o.MruEnabled,
		"name":                  o.Name,
		"queryable":             o.Queryable,
		"replicateable":         o.Replicateable,
		"retrieveable":          o.Retrieveable,
		"searchable":            o.Searchable,
		"triggerable":           o.Triggerable,
		"undeletable":           o.Undeletable,
		"updateable":            o.Updateable,
		"urls":                  globalURLs(o, version),
	}
}

// BasicInfo is the "objectDescribe" of GET /sobjects/{Type}: the same keys as a
// describeGlobal entry (salesforce-rest.md §3 "GET /sobjects/{Type}").
func BasicInfo(o *Object, version string) map[string]any {
	return DescribeGlobalEntry(o, version)
}

// DescribeGlobal is the body of GET /sobjects: every object of the catalog in definition
// order.
func DescribeGlobal(cat *Catalog, version string) map[string]any {
	objs := cat.Objects()
	list := make([]any, 0, len(objs))
	for _, o := range objs {
		list = append(list, DescribeGlobalEntry(o, version))
	}
	return map[string]any{"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": list}
}

// Describe is the body of GET /sobjects/{Type}/describe. Fields visible rejects are left
// out (nil visible keeps every field); childRelationships lists only references from
// objects of cat.
func Describe(o *Object, cat *Catalog, version string, visible func(*Field) bool) map[string]any {
	d := DescribeGlobalEntry(o, version)
	base := sobjectURL(o, version)
	fields := make([]any, 0, len(o.Fields))
	for i := range o.Fields {
		f := &o.Fields[i]
		if visible != nil && !visible(f) || f.Compound() && !HasCompound(version) {
			continue
		}
		fields = append(fields, DescribeField(f))
	}
	urls := globalURLs(o, version)
	d["fields"] = fields
	d["childRelationships"] = childRelationships(o, cat)
	d["actionOverrides"] = []any{}
	d["compactLayoutable"] = o.Layoutable
	d["defaultImplementation"] = nil
	d["extendedBy"] = nil
	d["extendsInterfaces"] = nil
	d["implementedBy"] = nil
	d["implementsInterfaces"] = nil
	d["listviewable"] = nil
	d["lookupLayoutable"] = nil
	d["namedLayoutInfos"] = namedLayoutInfos(o, version)
	d["networkScopeFieldName"] = nil
	d["searchLayoutable"] = o.Searchable
	d["sobjectDescribeOption"] = "FULL"
	d["supportedScopes"] = supportedScopes(o)
	d["urls"] = urls
	d["recordTypeInfos"] = []any{map[string]any{
		"active": true, "available": true, "defaultRecordTypeMapping": true,
		"developerName": "Master", "master": true, "name": "Master",
		"recordTypeId": masterRecordTypeID,
		"urls":         map[string]any{"layout": base + "/describe/layouts/" + masterRecordTypeID},
	}}
	return d
}

// childRelationships renders cat's references to o, sorted by child object then field as
// real describes are.
func childRelationships(o *Object, cat *Catalog) []any {
	var crs []ChildRelationship
	if cat != nil {
		crs = append(crs, cat.Children(o.Name)...)
	}
	sort.SliceStable(crs, func(i, j int) bool {
		if crs[i].ChildObject != crs[j].ChildObject {
			return crs[i].ChildObject < crs[j].ChildObject
		}
		return crs[i].Field < crs[j].Field
	})
	out := make([]any, 0, len(crs))
	for _, cr := range crs {
		if cr.Field == "MasterRecordId" {
			continue // the merge pointer is never listed (recorded Account/Contact/Lead/Case describes)
		}
		var rel any
		if cr.RelationshipName != "" {
			rel = cr.RelationshipName
		}
		out = append(out, map[string]any{
			"cascadeDelete": cr.CascadeDelete, "childSObject": cr.ChildObject,
			"deprecatedAndHidden": false, "field": cr.Field,
			"junctionIdListNames": []any{}, "junctionReferenceTo": []any{},
			"relationshipName": rel, "restrictedDelete": cr.RestrictedDelete,
		})
	}
	return out
}

// supportedScopes are the list-view scopes of describe "supportedScopes", as the recorded
// describes give them for the standard objects; other objects with an owner get
// everything/mine (plus queue_owned/user_owned when queues may own them).
func supportedScopes(o *Object) []any {
	scope := func(name, label string) any { return map[string]any{"label": label, "name": name} }
	plural := strings.ToLower(o.LabelPlural)
	all, mine := scope("everything", "All "+plural), scope("mine", "My "+plural)
	team := scope("team", "My team's "+plural)
	byScope := scope("scopingRule", "Filter by scope")
	switch o.Name {
	case "Account":
		return []any{all, mine, team}
	case "Contact", "Opportunity":
		return []any{all, mine, byScope, team}
	case "Lead":
		return []any{all, mine, scope("queue_owned", "Queue owned "+plural), byScope, team, scope("user_owned", "User owned "+plural)}
	case "Case":
		return []any{all, scope("genericteam", "My case teams cases"), mine, scope("queue_owned", "Queue owned "+plural),
			scope("team_by_role", "My role-based team's cases"), scope("user_owned", "User owned "+plural)}
	}
	owner, ok := o.Field("OwnerId")
	if !ok {
		return []any{}
	}
	if len(owner.ReferenceTo) > 1 {
		return []any{all, mine, scope("queue_owned", "Queue owned "+plural), scope("user_owned", "User owned "+plural)}
	}
	return []any{all, mine}
}
