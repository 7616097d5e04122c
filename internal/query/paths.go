package query

import (
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
)

// scope is the object names are resolved against, with the FROM alias.
type scope struct {
	r     *resolver
	obj   *schema.Object
	alias string
}

// path resolves a dotted field name (salesforce-rest.md §4 "relationship queries"):
// an optional FROM alias or object name prefix, up to five parent relationships, then a
// field. Every hop is checked for read access; a hidden field or relationship answers as
// one that does not exist. A parent object the user cannot read at all is an
// INVALID_FIELD relationship; a parent record the user cannot see is recorded in
// Path.Filters and reads as null.
//
// Polymorphic references (several ReferenceTo, e.g. Owner → User or Group) follow the
// first target the catalog has; Salesforce allows only the fields common to every target
// there (Name, …), which the first target has.
func (sc scope) path(n soql.Name) (*Path, error) {
	parts := n.Parts
	if len(parts) > 1 {
		first := parts[0]
		_, isRel := sc.obj.Relationship(first)
		if (sc.alias != "" && strings.EqualFold(first, sc.alias)) || (!isRel && strings.EqualFold(first, sc.obj.Name)) {
			parts = parts[1:]
		}
	}
	if len(parts) == 0 {
		return nil, malformed(n.Pos, "unexpected token: '%s'", n.String())
	}
	if len(parts)-1 > maxParentDepth {
		return nil, malformed(n.Pos, "SOQL statements cannot query more than %d levels of parent relationships", maxParentDepth)
	}
	p := &Path{}
	cur := sc.obj
	var name strings.Builder
	var filters []HopFilter
	restricted := false
	for _, rel := range parts[:len(parts)-1] {
		f, ok := cur.Relationship(rel)
		if !ok || !sc.r.acc.FieldReadable(cur, f) {
			return nil, errAt("INVALID_FIELD", n.Pos, msgNoRel, rel)
		}
		target, ok := sc.r.referenceTarget(f)
		if !ok || !sc.r.acc.Object(target, access.Read) {
			return nil, errAt("INVALID_FIELD", n.Pos, msgNoRel, rel)
		}
		p.Rels = append(p.Rels, f)
		p.Objects = append(p.Objects, target)
		// A parent the user may not see reads as null (Path.Filters).
		var hf HopFilter
		if v := sc.r.acc.ReadVisibility(target); v.Restricted {
			hf = HopFilter{Field: v.Field, UserID: v.UserID}
			restricted = true
		}
		filters = append(filters, hf)
		name.WriteString(f.RelationshipName)
		name.WriteByte('.')
		cur = target
	}
	last := parts[len(parts)-1]
	f, ok := cur.Field(last)
	if !ok || !sc.r.acc.FieldReadable(cur, f) || f.Compound() && !schema.HasCompound(sc.r.opts.Version) {
		return nil, noField(n.Pos, last, cur.Name)
	}
	p.Field = f
	p.Parts = cur.CompoundParts(f)
	if restricted {
		p.Filters = filters
	}
	name.WriteString(f.Name)
	p.Name = name.String()
	return p, nil
}

// referenceTarget is the object a reference field leads to: its first target present in
// the catalog.
func (r *resolver) referenceTarget(f *schema.Field) (*schema.Object, bool) {
	for _, t := range f.ReferenceTo {
		if o, ok := r.cat.Object(t); ok {
			return o, true
		}
	}
	return nil, false
}

// aggregate resolves an aggregate function with an argument.
func (sc scope) aggregate(it *soql.AggregateItem) (*Column, error) {
	if it.Arg == nil {
		return nil, malformed(it.Pos, "COUNT() and COUNT(fieldname) or other fields cannot be used together; COUNT() must be the only item selected")
	}
	path, err := sc.path(*it.Arg)
	if err != nil {
		return nil, err
	}
	if path.Field.Compound() {
		return nil, errAt("INVALID_FIELD", it.Arg.Pos, "field %s does not support aggregate operator %s", path.Field.Name, it.Func)
	}
	switch it.Func {
	case "COUNT", "COUNT_DISTINCT", "MIN", "MAX":
		if it.Func != "COUNT" && (path.Field.Type == schema.TypeMultiPicklist || path.Field.Type == schema.TypeTextArea) {
			return nil, errAt("INVALID_FIELD", it.Arg.Pos, "field %s does not support aggregate operator %s", path.Field.Name, it.Func)
		}
	case "SUM", "AVG":
		if !isNumeric(path.Field.Type) {
			return nil, errAt("INVALID_FIELD", it.Arg.Pos, "field %s does not support aggregate operator %s", path.Field.Name, it.Func)
		}
	default:
		return nil, malformed(it.Pos, "unexpected token: '%s'", it.Func)
	}
	return &Column{Agg: it.Func, AggArg: path, Alias: it.Alias}, nil
}

func isNumeric(t schema.FieldType) bool {
	switch t {
	case schema.TypeInt, schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		return true
	}
	return false
}

// sameAggregate reports whether c computes the aggregate it (HAVING and ORDER BY
// reuse the SELECT list's columns).
func sameAggregate(c *Column, it *soql.AggregateItem, arg *Path) bool {
	if c.Agg != it.Func {
		return false
	}
	if c.AggArg == nil || arg == nil {
		return c.AggArg == nil && arg == nil
	}
	return strings.EqualFold(c.AggArg.Name, arg.Name)
}
