// Package layout derives the describe-layout resources of an sObject — its page layout,
// compact layout, record type mappings and (empty) approval layouts — from the object's
// describe, as the running user sees it. Forcefield has no page layout editor: every
// layoutable object, standard or custom, gets the one layout a fresh org would show,
// built by the recipe of salesforce-rest-more.md §3.1 ("Emulator: a plausible default
// layout from describe"):
//
//   - "<Label> Information": the name field, OwnerId, then every other createable or
//     updateable non-system field in describe order (every non-system field of a Setup
//     object), two columns filled top to bottom, padded with a placeholder;
//   - "Address Information": one item per address (BillingAddress, MailingAddress, …),
//     its parts Street, City, State, PostalCode and Country as the components of the
//     compound field, or as items of their own when the object has no compound field;
//   - "System Information": CreatedById and LastModifiedById, read-only;
//   - the edit layout is the detail layout without the system section;
//   - related lists from describe's childRelationships (limitRows 5, the child's name
//     field as the column), buttons Edit, Delete and Clone, no quick actions;
//   - one record type, Master (012000000000000AAA), mapped to the layout.
//
// Field-level security applies as in describe: a field the user may not read appears
// nowhere (not in sections, related list columns, compact layouts nor picklists), a
// child object the user may not read gives no related list, and "editable" follows the
// user's edit access. A field component's "details" is schema.DescribeField of the field,
// byte-for-byte the entry /describe gives in fields[].
//
// The package knows nothing of HTTP; internal/dataapi serves it (layouts.go).
package layout

import (
	"encoding/json"
	"hash/fnv"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Prefixes of the IDs this package makes (salesforce-objects.md key prefixes): Layout and
// layout sections.
const (
	prefixLayout  = "00h"
	prefixSection = "01B"
)

// idPod is the instance part of layout IDs.
const idPod = "5F"

// Available reports whether obj has layouts at all: layoutable objects only, as
// describeGlobal advertises the layouts URLs (schema.DescribeGlobalEntry).
func Available(obj *schema.Object) bool { return obj.Layoutable }

// HasApprovalLayouts reports whether obj advertises approvalLayouts: layoutable data
// objects, not Setup objects (the recorded describeGlobal).
func HasApprovalLayouts(obj *schema.Object) bool { return obj.Layoutable && !obj.Setup }

// ID returns the deterministic ID with the given key prefix for key: the same object
// (and layout name) always gets the same ID, in every org.
func ID(prefix, key string) string {
	h := fnv.New64a()
	h.Write([]byte(key))
	const space = 62 * 62 * 62 * 62 * 62 * 62 * 62 * 62 * 62 // 9 base-62 digits
	return string(sfid.New(prefix, idPod, h.Sum64()%space))
}

// LayoutID is the ID of obj's layout named name ("" for the default page layout).
func LayoutID(obj *schema.Object, name string) string {
	key := obj.Name
	if name != "" {
		key += "/" + name
	}
	return ID(prefixLayout, key)
}

// builder derives the layouts of one object for one user.
type builder struct {
	obj     *schema.Object
	cat     *schema.Catalog
	version string
	acc     *access.Checker
	details map[*schema.Field]map[string]any
	encoded map[*schema.Field]json.RawMessage
}

func newBuilder(obj *schema.Object, cat *schema.Catalog, version string, acc *access.Checker) *builder {
	return &builder{obj: obj, cat: cat, version: version, acc: acc, details: map[*schema.Field]map[string]any{},
		encoded: map[*schema.Field]json.RawMessage{}}
}

// Layouts is the body of GET /sobjects/{T}/describe/layouts/: the default page layout and
// the Master record type mapping.
func Layouts(obj *schema.Object, cat *schema.Catalog, version string, acc *access.Checker) *Result {
	b := newBuilder(obj, cat, version, acc)
	l := b.layout(LayoutID(obj, ""))
	return b.result(l)
}

// Named is the body of GET /sobjects/{T}/describe/namedLayouts/{name}: the same wrapper as
// Layouts around the named layout, derived by the same recipe with its own ID; false when
// obj has no layout of that name (schema.NamedLayouts; names compare ignoring case).
func Named(obj *schema.Object, cat *schema.Catalog, version string, acc *access.Checker, name string) (*Result, bool) {
	for _, n := range schema.NamedLayouts(obj) {
		if strings.EqualFold(n, name) {
			b := newBuilder(obj, cat, version, acc)
			return b.result(b.layout(LayoutID(obj, n))), true
		}
	}
	return nil, false
}

// ForRecordType is the body of GET /sobjects/{T}/describe/layouts/{recordTypeId}: the
// layout the record type maps to, unwrapped [UNCONFIRMED, salesforce-rest-more.md §3.2].
// Only the Master record type exists; false for any other ID.
func ForRecordType(obj *schema.Object, cat *schema.Catalog, version string, acc *access.Checker, recordTypeID string) (*Layout, bool) {
	if !isMaster(recordTypeID) {
		return nil, false
	}
	return newBuilder(obj, cat, version, acc).layout(LayoutID(obj, "")), true
}

// isMaster reports whether s is the Master record type's ID, in its 15- or 18-character
// form.
func isMaster(s string) bool {
	id, err := sfid.Parse(s)
	return err == nil && string(id) == schema.MasterRecordTypeID
}

// result wraps l with the record type mappings. recordTypeSelectorRequired is [false]: a
// single available record type needs no selector (salesforce-rest-more.md §3.1 item 9).
func (b *builder) result(l *Layout) *Result {
	return &Result{
		Layouts:                    []*Layout{l},
		RecordTypeMappings:         []RecordTypeMapping{b.masterMapping(LayoutID(b.obj, ""))},
		RecordTypeSelectorRequired: []bool{false},
	}
}

func (b *builder) base() string {
	return "/services/data/v" + b.version + "/sobjects/" + b.obj.Name
}

// masterMapping is the Master record type's mapping to layoutID, with the active values
// of every picklist the user may read.
func (b *builder) masterMapping(layoutID string) RecordTypeMapping {
	picklists := []PicklistForRecord{}
	for i := range b.obj.Fields {
		f := &b.obj.Fields[i]
		if (f.Type != schema.TypePicklist && f.Type != schema.TypeMultiPicklist) || !b.readable(f) {
			continue
		}
		values := []any{}
		all, _ := b.detail(f)["picklistValues"].([]any)
		for j, v := range all {
			if f.Picklist[j].Active {
				values = append(values, v)
			}
		}
		picklists = append(picklists, PicklistForRecord{PicklistName: f.Name, PicklistValues: values})
	}
	return RecordTypeMapping{
		Active: true, Available: true, DefaultRecordTypeMapping: true, DeveloperName: "Master",
		LayoutID: layoutID, Master: true, Name: "Master", PicklistsForRecordType: picklists,
		RecordTypeID: schema.MasterRecordTypeID,
		URLs:         map[string]string{"layout": b.base() + "/describe/layouts/" + schema.MasterRecordTypeID},
	}
}

// readable reports whether the user sees f (field-level security, as describe).
func (b *builder) readable(f *schema.Field) bool { return b.acc.FieldReadable(b.obj, f) }

// detail is f's describe entry, computed once per build.
func (b *builder) detail(f *schema.Field) map[string]any {
	d, ok := b.details[f]
	if !ok {
		d = schema.DescribeField(f)
		b.details[f] = d
	}
	return d
}

// encodedDetail is f's describe entry encoded, once per build: a field appears in the
// detail and the edit sections, and encoding the entry (a map, its keys sorted on every
// encoding) is most of a layout's cost (docs/performance.md "Describe layouts").
// encoding/json writes the same bytes as it would for the map.
func (b *builder) encodedDetail(f *schema.Field) json.RawMessage {
	e, ok := b.encoded[f]
	if !ok {
		var err error
		if e, err = json.Marshal(b.detail(f)); err != nil {
			panic("layout: describe entry of " + f.Name + ": " + err.Error()) // values are JSON scalars, lists and maps
		}
		b.encoded[f] = e
	}
	return e
}

// layout derives the page layout with the given ID.
func (b *builder) layout(id string) *Layout {
	g := b.groups()
	info := b.section(id, b.obj.Label+" Information", false, b.infoItems(g))
	sections := []Section{info}
	if items := b.addressItems(g); len(items) > 0 {
		sections = append(sections, b.section(id, "Address Information", true, items))
	}
	edit := sections
	if items := b.systemItems(); len(items) > 0 {
		detail := make([]Section, len(sections), len(sections)+1)
		copy(detail, sections)
		sections = append(detail, b.section(id, "System Information", true, items))
	}
	return &Layout{
		ButtonLayoutSection:        ButtonSection{DetailButtons: b.buttons()},
		DetailLayoutSections:       sections,
		EditLayoutSections:         edit,
		ID:                         id,
		MultirowEditLayoutSections: []Section{},
		OfflineLinks:               []struct{}{},
		QuickActionList:            QuickActionList{QuickActionListItems: []struct{}{}},
		RelatedLists:               b.relatedLists(),
		SaveOptions:                []struct{}{},
	}
}

// groups sorts the object's compound fields out of its simple ones.
type groups struct {
	addresses []address
	// parts maps a compound field that exists on the object (other than an address) to
	// its readable parts, e.g. Contact Name → Salutation, FirstName, LastName.
	parts map[string][]*schema.Field
	// inGroup holds every field shown inside another item or in the address section.
	inGroup map[string]bool
}

// address is one address of the object: prefix+Street, prefix+City, … and, when the
// object has it, the compound field prefix+"Address" (type address).
type address struct {
	prefix   string
	compound *schema.Field   // nil when the object has no readable compound field
	parts    []*schema.Field // the readable Street, City, State, PostalCode, Country
}

// addressParts are the parts a layout shows, in order; the others (Latitude, Longitude,
// GeocodeAccuracy, StateCode, CountryCode) belong to the address but are not shown.
var addressParts = []string{"Street", "City", "State", "PostalCode", "Country"}
var hiddenAddressParts = []string{"Latitude", "Longitude", "GeocodeAccuracy", "StateCode", "CountryCode"}

// groups finds the addresses (a prefix+"Street" text area beside a prefix+"City") and the
// compound fields named by other fields' compoundFieldName.
func (b *builder) groups() groups {
	g := groups{parts: map[string][]*schema.Field{}, inGroup: map[string]bool{}}
	for i := range b.obj.Fields {
		f := &b.obj.Fields[i]
		prefix, ok := strings.CutSuffix(f.Name, "Street")
		if !ok || f.Type != schema.TypeTextArea {
			continue
		}
		if _, ok := b.obj.Field(prefix + "City"); !ok {
			continue
		}
		a := address{prefix: prefix}
		if c, ok := b.obj.Field(prefix + "Address"); ok {
			g.inGroup[c.Name] = true
			if b.readable(c) {
				a.compound = c
			}
		}
		for _, p := range addressParts {
			if pf, ok := b.obj.Field(prefix + p); ok {
				g.inGroup[pf.Name] = true
				if b.readable(pf) {
					a.parts = append(a.parts, pf)
				}
			}
		}
		for _, p := range hiddenAddressParts {
			if pf, ok := b.obj.Field(prefix + p); ok {
				g.inGroup[pf.Name] = true
			}
		}
		g.addresses = append(g.addresses, a)
	}
	for i := range b.obj.Fields {
		f := &b.obj.Fields[i]
		cn := compoundName(f)
		if cn == "" || cn == f.Name || g.inGroup[f.Name] || g.inGroup[cn] {
			continue
		}
		c, ok := b.obj.Field(cn)
		if !ok {
			continue // e.g. Opportunity's Fiscal: no such field, the parts stand alone
		}
		g.inGroup[f.Name] = true
		if _, seen := g.parts[c.Name]; !seen {
			g.parts[c.Name] = []*schema.Field{}
		}
		if b.readable(f) {
			g.parts[c.Name] = append(g.parts[c.Name], f)
		}
	}
	return g
}

// compoundName is f's describe compoundFieldName, "" for none.
func compoundName(f *schema.Field) string {
	s, _ := f.Extra["compoundFieldName"].(string)
	return s
}

// infoItems are the items of the first section: the name field, OwnerId, then the other
// createable or updateable fields the user reads, in describe order. Setup objects (User)
// are read-only through the API, so none of their fields is createable: their section
// holds every non-system field the user reads.
func (b *builder) infoItems(g groups) []Item {
	var items []Item
	used := map[string]bool{}
	add := func(f *schema.Field) {
		if used[f.Name] || !b.readable(f) {
			return
		}
		used[f.Name] = true
		items = append(items, b.fieldItem(f, g.parts[f.Name]))
	}
	if name, ok := b.obj.NameField(); ok {
		add(name)
	}
	if owner, ok := b.obj.Field("OwnerId"); ok {
		add(owner)
	}
	for i := range b.obj.Fields {
		f := &b.obj.Fields[i]
		if f.System || g.inGroup[f.Name] || !b.obj.Setup && !writable(f, g.parts[f.Name]) {
			continue
		}
		add(f)
	}
	return items
}

// writable reports whether f, or one of its parts, can be written at all.
func writable(f *schema.Field, parts []*schema.Field) bool {
	if f.Createable || f.Updateable {
		return true
	}
	for _, p := range parts {
		if p.Createable || p.Updateable {
			return true
		}
	}
	return false
}

// addressItems are the items of the address section: one per address whose compound field
// the user reads, or its readable parts one by one when there is no compound field.
func (b *builder) addressItems(g groups) []Item {
	var items []Item
	for _, a := range g.addresses {
		if a.compound != nil {
			items = append(items, b.fieldItem(a.compound, a.parts))
			continue
		}
		for _, p := range a.parts {
			items = append(items, b.fieldItem(p, nil))
		}
	}
	return items
}

// systemItems are CreatedById and LastModifiedById, read-only.
func (b *builder) systemItems() []Item {
	var items []Item
	for _, n := range []string{"CreatedById", "LastModifiedById"} {
		if f, ok := b.obj.Field(n); ok && b.readable(f) {
			it := b.fieldItem(f, nil)
			it.EditableForNew, it.EditableForUpdate = false, false
			items = append(items, it)
		}
	}
	return items
}

// fieldItem is the item showing f, with parts as the components of a compound field.
// editableForNew/Update follow the field's createable/updateable, the user's edit access
// to the field (of any part, for a compound field) and their Create/Edit permission on
// the object; required is !nillable && createable &&
// !defaultedOnCreate (salesforce-rest-more.md §3.1 item 5), of any part for a compound.
// Component tab orders are set by section.
func (b *builder) fieldItem(f *schema.Field, parts []*schema.Field) Item {
	it := Item{Label: itemLabel(f)}
	c := b.component(f)
	fields := []*schema.Field{f}
	if len(parts) > 0 {
		c.FieldType = string(f.Type)
		for i, p := range parts {
			pc := b.component(p)
			pc.TabOrder = i + 1
			c.Components = append(c.Components, pc)
		}
		fields = parts
		if f.Createable || f.Updateable {
			fields = append([]*schema.Field{f}, parts...)
		}
	}
	canCreate, canEdit := b.acc.Object(b.obj, access.Create), b.acc.Object(b.obj, access.Edit)
	for _, p := range fields {
		editable := b.acc.FieldEditable(b.obj, p)
		it.EditableForNew = it.EditableForNew || canCreate && p.Createable && editable
		it.EditableForUpdate = it.EditableForUpdate || canEdit && p.Updateable && editable
		it.Required = it.Required || required(p)
	}
	it.LayoutComponents = []Component{c}
	return it
}

// required is the layout's required rule (salesforce-rest-more.md §3.1 item 5).
func required(f *schema.Field) bool { return !f.Nillable && f.Createable && !f.DefaultedOnCreate }

// component is the Field component of f, without a tab order.
func (b *builder) component(f *schema.Field) Component {
	return Component{Components: []Component{}, Details: b.encodedDetail(f), DisplayLines: 1, Type: "Field", Value: f.Name}
}

// itemLabel is the label a layout gives f: describe's label, without the " ID" of a
// lookup ("Owner ID" → "Owner", "Parent Account ID" → "Parent Account"), as layouts
// name lookups by what they point to.
func itemLabel(f *schema.Field) string {
	if f.Type == schema.TypeReference {
		if s, ok := strings.CutSuffix(f.Label, " ID"); ok && s != "" {
			return s
		}
	}
	return f.Label
}

// section lays items out in two columns filled top to bottom (tabOrder TopToBottom): the
// first half of the items in the left column, the rest in the right, an odd count padded
// with a placeholder. Components are numbered in tab order: down the left column, then
// down the right, the placeholder last. The first section has no heading shown
// [UNCONFIRMED useHeading, salesforce-rest-more.md §3.1 item 2].
func (b *builder) section(layoutID string, heading string, useHeading bool, items []Item) Section {
	rows := (len(items) + 1) / 2
	for i := range items {
		items[i].LayoutComponents[0].TabOrder = i + 1
	}
	s := Section{
		Columns: 2, Heading: heading, LayoutRows: make([]Row, 0, rows),
		LayoutSectionID: ID(prefixSection, layoutID+"/"+heading), ParentLayoutID: layoutID,
		Rows: rows, TabOrder: "TopToBottom", UseHeading: useHeading,
	}
	for r := 0; r < rows; r++ {
		right := placeholder(len(items) + 1)
		if rows+r < len(items) {
			right = items[rows+r]
		}
		s.LayoutRows = append(s.LayoutRows, Row{LayoutItems: []Item{items[r], right}, NumItems: 2})
	}
	return s
}

// placeholder is a blank cell [UNCONFIRMED exact shape, salesforce-rest-more.md §3.1].
func placeholder(tab int) Item {
	return Item{Label: "", Placeholder: true,
		LayoutComponents: []Component{{DisplayLines: 1, TabOrder: tab, Type: "EmptySpace"}}}
}
