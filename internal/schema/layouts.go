package schema

// MasterRecordTypeID is the ID of the "Master" record type, the same in every org: the
// only record type Forcefield has (internal/layout maps it to the derived layout).
const MasterRecordTypeID = masterRecordTypeID

// NamedLayouts are the named layouts of o besides its default page layout: "UserAlt" on
// User, the alternate User layout a real org has (salesforce-rest-more.md §3.3; jsforce's
// integration suite fetches it), none elsewhere. Describe advertises them in
// namedLayoutInfos, /describe/namedLayouts/{name} serves them (internal/layout).
func NamedLayouts(o *Object) []string {
	if o.Name == "User" {
		return []string{"UserAlt"}
	}
	return nil
}

// namedLayoutInfos renders describe's namedLayoutInfos: {name, urls.layout} per named
// layout [UNCONFIRMED shape, salesforce-rest-more.md §11 item 4; clients read only name].
func namedLayoutInfos(o *Object, version string) []any {
	out := []any{}
	for _, n := range NamedLayouts(o) {
		out = append(out, map[string]any{
			"name": n,
			"urls": map[string]any{"layout": sobjectURL(o, version) + "/describe/namedLayouts/" + n},
		})
	}
	return out
}
