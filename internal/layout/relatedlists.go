package layout

// The detail page's buttons and its related lists (layout.go builds the sections).
import (
	"sort"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/schema"
)

// buttons are the standard detail buttons the user may use: Edit, Delete, Clone (a copy is
// a create). Setup objects are read-only through the API, so they have none.
func (b *builder) buttons() []Button {
	out := []Button{}
	for _, bt := range []struct {
		name string
		op   access.Op
	}{{"Edit", access.Edit}, {"Delete", access.Delete}, {"Clone", access.Create}} {
		if b.acc.Object(b.obj, bt.op) {
			out = append(out, Button{Label: bt.name, Name: bt.name})
		}
	}
	return out
}

// relatedLists are one list per named child relationship (describe childRelationships
// order: child object, then field) whose child object is layoutable and readable by the
// user and whose lookup field the user reads; the column is the child's name field.
func (b *builder) relatedLists() []RelatedList {
	out := []RelatedList{}
	if b.cat == nil {
		return out
	}
	crs := append([]schema.ChildRelationship(nil), b.cat.Children(b.obj.Name)...)
	sort.SliceStable(crs, func(i, j int) bool {
		if crs[i].ChildObject != crs[j].ChildObject {
			return crs[i].ChildObject < crs[j].ChildObject
		}
		return crs[i].Field < crs[j].Field
	})
	for _, cr := range crs {
		if cr.RelationshipName == "" {
			continue
		}
		child, ok := b.cat.Object(cr.ChildObject)
		if !ok || !child.Layoutable || !b.acc.Object(child, access.Read) {
			continue
		}
		lookup, ok := child.Field(cr.Field)
		if !ok || !b.acc.FieldReadable(child, lookup) {
			continue
		}
		rl := RelatedList{
			Buttons: []Button{}, Columns: []RelatedColumn{}, Custom: child.Custom || lookup.Custom,
			Field: lookup.Name, Label: child.LabelPlural, LimitRows: 5, Name: cr.RelationshipName,
			Sobject: child.Name, Sort: []RelatedSort{},
		}
		if nf, ok := child.NameField(); ok && b.acc.FieldReadable(child, nf) {
			d := b.detail(nf)
			sortable, _ := d["sortable"].(bool)
			lookupID := "Id"
			rl.Columns = append(rl.Columns, RelatedColumn{
				Field: child.Name + "." + nf.Name, FieldAPIName: nf.Name, Label: nf.Label,
				LookupID: &lookupID, Name: nf.Name, Sortable: sortable,
			})
			if sortable {
				rl.Sort = append(rl.Sort, RelatedSort{Ascending: true, Column: nf.Name})
			}
		}
		out = append(out, rl)
	}
	return out
}
