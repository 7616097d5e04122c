package postgres

import (
	"strconv"

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
	exprs := b.columnExprs(cols)
	// A column named twice is selected once: PostgreSQL allows 1,664 entries in a target
	// list (MaxTupleAttributeNumber) where SOQL's bound is 1,900 columns
	// (soql.MaxColumns, reached only by repeating fields). b.pos maps every column's SQL
	// position to its place in the list; eachRow expands the rows back (expandRow).
	seen := make(map[string]int, len(exprs))
	uniq := exprs[:0:0]
	b.pos = make([]int, len(exprs))
	for i, e := range exprs {
		j, ok := seen[e]
		if !ok {
			j = len(uniq)
			seen[e] = j
			uniq = append(uniq, e)
		}
		b.pos[i] = j
	}
	if len(uniq) == len(exprs) {
		b.pos = nil // no repeats: rows need no expanding
	}
	return uniq
}

// columnExprs is the SQL expression of every column, a compound one's parts each.
func (b *selectBuilder) columnExprs(cols []query.Column) []string {
	exprs := make([]string, 0, len(cols))
	for i := range cols {
		c := &cols[i]
		parts := columnParts(c)
		if parts == nil {
			exprs = append(exprs, b.valueExpr(c))
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

// Earth's mean radius in the units of DISTANCE() [UNCONFIRMED: Salesforce documents the
// haversine formula, not the radius it uses]; the same as SQLite's.
const (
	earthRadiusKm = 6371.0
	earthRadiusMi = 3958.8
)

// distance is the SQL of DISTANCE(…): the haversine great-circle distance between the
// field's point and the fixed one, NULL when the field's latitude or longitude is. The
// fixed point is inlined as double precision literals (resolved float64s, never text).
// least(1, …) keeps asin's argument in range against rounding (SQLite's min(1, …)).
// PostgreSQL's least ignores a NULL argument (least(1, NULL) is 1), so a null point is
// tested first.
func (b *selectBuilder) distance(d *query.DistanceExpr) string {
	lat, lon := b.col(d.Lat), b.col(d.Lon)
	r := earthRadiusMi
	if d.Km {
		r = earthRadiusKm
	}
	lat0, lon0 := sqlFloat(d.FromLat), sqlFloat(d.FromLon)
	return "(CASE WHEN " + lat + " IS NULL OR " + lon + " IS NULL THEN NULL ELSE " + sqlFloat(2*r) +
		" * asin(least(1, sqrt(power(sin(radians(" + lat + " - " + lat0 + ") / 2), 2) + cos(radians(" +
		lat0 + ")) * cos(radians(" + lat + ")) * power(sin(radians(" + lon + " - " + lon0 + ") / 2), 2)))) END)"
}

// sqlFloat is a float64 as a double precision literal.
func sqlFloat(f float64) string {
	return "float8 '" + strconv.FormatFloat(f, 'g', -1, 64) + "'"
}
