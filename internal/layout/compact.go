package layout

import (
	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/schema"
)

// Compact layouts (salesforce-rest-more.md §3.4). An org that defined none has the system
// default compact layout, whose ID is null (DOC sObject CompactLayouts: "If you haven't
// defined any compact layouts for an object, the compactLayoutId returns as Null"), so
// defaultCompactLayoutId and the Master mapping's compactLayoutId are null too. Its name
// and label, SYSTEM and "System Default", are [UNCONFIRMED].
const (
	systemCompactName  = "SYSTEM"
	systemCompactLabel = "System Default"
)

// maxCompactFields bounds the system default's fields (a compact layout shows the first
// few in the highlights panel).
const maxCompactFields = 4

// Compacts is the body of GET /sobjects/{T}/describe/compactLayouts/.
func Compacts(obj *schema.Object, version string, acc *access.Checker) *CompactResult {
	b := newBuilder(obj, nil, version, acc)
	c := b.compact()
	base := b.base() + "/describe/compactLayouts/"
	return &CompactResult{
		CompactLayouts: []*Compact{c},
		RecordTypeCompactLayoutMappings: []CompactMapping{{
			Available: true, CompactLayoutName: c.Name, RecordTypeID: schema.MasterRecordTypeID,
			RecordTypeName: "Master", URLs: map[string]string{"compactLayout": base + schema.MasterRecordTypeID},
		}},
		URLs: map[string]string{"primary": base + "primary"},
	}
}

// PrimaryCompact is the body of GET /describe/compactLayouts/primary and the value of
// each object in GET /compactLayouts?q=: the object's primary compact layout.
func PrimaryCompact(obj *schema.Object, version string, acc *access.Checker) *Compact {
	return newBuilder(obj, nil, version, acc).compact()
}

// CompactForRecordType is the body of GET /describe/compactLayouts/{recordTypeId}: the
// compact layout the record type maps to; false for an ID other than Master's.
func CompactForRecordType(obj *schema.Object, version string, acc *access.Checker, recordTypeID string) (*Compact, bool) {
	if !isMaster(recordTypeID) {
		return nil, false
	}
	return PrimaryCompact(obj, version, acc), true
}

// compact derives the system default compact layout: the name field, the first phone
// and the first email field, and OwnerId, those the user reads, at most
// maxCompactFields. No actions (Forcefield has no quick actions) and no image items.
func (b *builder) compact() *Compact {
	g := b.groups()
	var fields []*schema.Field
	add := func(f *schema.Field, ok bool) {
		if ok && b.readable(f) && len(fields) < maxCompactFields {
			fields = append(fields, f)
		}
	}
	add(b.obj.NameField())
	for _, t := range []schema.FieldType{schema.TypePhone, schema.TypeEmail} {
		for i := range b.obj.Fields {
			f := &b.obj.Fields[i]
			if f.Type == t && !g.inGroup[f.Name] && b.readable(f) {
				add(f, true)
				break
			}
		}
	}
	add(b.obj.Field("OwnerId"))
	items := []CompactItem{}
	for i, f := range fields {
		it := b.fieldItem(f, g.parts[f.Name])
		it.LayoutComponents[0].TabOrder = i + 1
		items = append(items, CompactItem{
			Editable: it.EditableForUpdate, Label: it.Label, LayoutComponents: it.LayoutComponents,
			Placeholder: false, Required: it.Required,
		})
	}
	return &Compact{
		Actions: []Button{}, FieldItems: items, ImageItems: []CompactItem{},
		Label: systemCompactLabel, Name: systemCompactName, ObjectType: b.obj.Name,
	}
}

// Approvals is the body of GET /sobjects/{T}/describe/approvalLayouts/: Forcefield has no
// approval processes, so the list is empty (salesforce-rest-more.md §3.5).
func Approvals() *ApprovalResult {
	return &ApprovalResult{ApprovalLayouts: []struct{}{}}
}
