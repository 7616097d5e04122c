package sqlite

import (
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/schema"
)

// Compound address and location fields (salesforce-rest-more.md §7) have no column of
// their own: a compound result column compiles to its part columns, one SQL column each
// (BillingStreet, BillingCity, …, read through the same parent joins), and the scan builds
// the value, a map keyed by part (schema.CompoundValue), nil when every part is null. The
// rest of the plan (paging, child subqueries, the shaper) sees one column.

// columnParts are the parts a result column reads, nil for a column that is not a
// compound field.
func columnParts(c *query.Column) []*schema.Field {
	if !c.Compound() {
		return nil
	}
	return c.Path.Parts
}

// selectList is the SQL SELECT list of cols: one expression per column, one per part for
// a compound column.
func (b *selectBuilder) selectList(cols []query.Column) []string {
	exprs := make([]string, 0, len(cols))
	for i := range cols {
		c := &cols[i]
		parts := columnParts(c)
		if parts == nil {
			exprs = append(exprs, b.colExpr(c))
			continue
		}
		a := b.alias(c.Path)
		for _, p := range parts {
			exprs = append(exprs, a+"."+quoteIdent(p.Name))
		}
	}
	return exprs
}

// compoundValue decodes the part columns of a compound field and builds its value.
func compoundValue(parts []*schema.Field, raw []any) any {
	return schema.CompoundValue(parts, func(i int) any { return fromSQL(parts[i], raw[i]) })
}
