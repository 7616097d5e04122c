package query

import (
	"strings"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
)

// FIELDS() (SOQL and SOSL Reference, "FIELDS()"; salesforce-rest-more.md §8.1).

// fieldsSince is the first API version with FIELDS().
const fieldsSince = 51

// maxFieldsRows is the row bound FIELDS(ALL) and FIELDS(CUSTOM) need: LIMIT n with
// n ≤ 200, or a WHERE on at most 200 Ids.
const maxFieldsRows = 200

// msgFieldsLimit is Salesforce's text for FIELDS(ALL|CUSTOM) without that bound, as many
// independent clients quote it; it has no caret part.
const msgFieldsLimit = "The SOQL FIELDS function must have a LIMIT of at most 200"

// fieldsFunction expands FIELDS(ALL|STANDARD|CUSTOM) into field columns at its place in
// the SELECT list: the object's fields in describe order that the running user may read
// (field-level security), STANDARD those with custom false, CUSTOM those with custom
// true, ALL both.
//
// Compound address and location fields are included, after their parts, as describe
// lists them: Salesforce's documentation does not say (UNCONFIRMED,
// salesforce-rest-more.md §7.3), and including them gives what a client that reads the
// describe and names every field gets; simple-salesforce and jsforce pass the nested
// object through. A Bulk query leaves them out, as the Bulk APIs cannot select them.
func (r *resolver) fieldsFunction(p *Plan, q *soql.Query, sc scope, it *soql.FieldsItem) error {
	if schema.MajorVersion(r.opts.Version) < fieldsSince {
		// Before 51.0 FIELDS is a field name followed by an unexpected "(", which is what
		// the parser said of it then [UNCONFIRMED].
		return malformed(it.ParenPos, "unexpected token: '('")
	}
	p.usesFields = true
	if it.Kind != "STANDARD" {
		p.Unbounded = true
		if !(q.Limit >= 0 && q.Limit <= maxFieldsRows) && !sc.boundedByIDs(q.Where) {
			return errAt("MALFORMED_QUERY", -1, msgFieldsLimit)
		}
	}
	obj := sc.obj
	for i := range obj.Fields {
		f := &obj.Fields[i]
		switch {
		case it.Kind == "STANDARD" && f.Custom, it.Kind == "CUSTOM" && !f.Custom:
			continue
		case !r.acc.FieldReadable(obj, f):
			continue
		case f.Compound() && r.opts.Bulk:
			continue
		}
		if p.Aggregate {
			return malformed(it.Pos, "Field must be grouped or aggregated: %s", f.Name)
		}
		p.Columns = append(p.Columns, Column{Path: &Path{Field: f, Name: f.Name, Parts: obj.CompoundParts(f)}})
	}
	return nil
}

// boundedByIDs reports whether where bounds the rows to at most 200 Ids of the object:
// Id IN (…) with at most 200 values, or Id = … [OR Id = …] with at most 200 tests.
func (sc scope) boundedByIDs(where soql.Expr) bool {
	if c, ok := where.(*soql.Comparison); ok && c.Op == "IN" && c.Subquery == nil {
		return sc.isID(c.Field) && len(c.Values) <= maxFieldsRows
	}
	n := 0
	var walk func(e soql.Expr) bool
	walk = func(e soql.Expr) bool {
		switch e := e.(type) {
		case *soql.Or:
			return walk(e.Left) && walk(e.Right)
		case *soql.Comparison:
			n++
			return e.Op == "=" && e.Aggregate == nil && e.Value != nil && e.Value.Kind == soql.String && sc.isID(e.Field)
		}
		return false
	}
	return where != nil && walk(where) && n <= maxFieldsRows
}

// isID reports whether n names the Id of the scope's object (Id, a.Id, Account.Id).
func (sc scope) isID(n soql.Name) bool {
	if len(n.Parts) == 0 || len(n.Parts) > 2 {
		return false
	}
	if len(n.Parts) == 2 && !strings.EqualFold(n.Parts[0], sc.obj.Name) && !(sc.alias != "" && strings.EqualFold(n.Parts[0], sc.alias)) {
		return false
	}
	return strings.EqualFold(n.Parts[len(n.Parts)-1], "Id")
}

// duplicateFields refuses a SELECT list with FIELDS() that names a field twice:
// SELECT Id, FIELDS(ALL) FROM User LIMIT 200 gives "duplicate field selected: Id"
// (SOQL and SOSL Reference, "FIELDS()"; salesforce-rest-more.md §8.1). Salesforce refuses
// SELECT Name, Name as well; Forcefield has long answered it (one key per name), and
// keeps doing so outside FIELDS().
func duplicateFields(cols []Column) error {
	seen := make(map[string]bool, len(cols))
	for _, c := range cols {
		if c.Path == nil || c.Agg != "" || c.Hidden {
			continue
		}
		k := strings.ToLower(c.Path.Name)
		if seen[k] {
			return errAt("INVALID_FIELD", -1, "duplicate field selected: %s", c.Path.Name)
		}
		seen[k] = true
	}
	return nil
}

// compoundFilterMsg is Salesforce's refusal of a compound field in WHERE: only
// DISTANCE(…) < n or > n may filter on it (salesforce-rest-more.md §7.4, quoted as
// reproduced live for address fields; the location wording is modelled on it).
func compoundFilterMsg(f *schema.Field) string {
	if f.Type == schema.TypeLocation {
		return "Location fields can only be filtered using Distance expressions"
	}
	return "Address fields can only be filtered using Distance expressions"
}
