package sqlite

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/schema"
)

// Compound address and location fields (salesforce-rest-more.md §7) have no column: a
// query reads their parts and SQLite builds the value as one JSON object,
//
//	CASE WHEN t0."BillingCity" IS NULL AND … THEN NULL
//	     ELSE json_object('city', t0."BillingCity", …) END
//
// keyed by each part's CompoundKey, so that a compound stays one result column (paging,
// child subqueries and parent joins treat it as any other). The value is null when every
// part is null. Numbers (latitude, longitude) stay JSON numbers.

// compoundExpr is the SQL expression of a compound field whose parts are columns of the
// table aliased a.
func compoundExpr(a string, parts []*schema.Field) string {
	sorted := slices.Clone(parts)
	slices.SortFunc(sorted, func(x, y *schema.Field) int { return strings.Compare(x.CompoundKey, y.CompoundKey) })
	var nulls, pairs []string
	for _, p := range sorted {
		col := a + "." + quoteIdent(p.Name)
		nulls = append(nulls, col+" IS NULL")
		pairs = append(pairs, "'"+strings.ReplaceAll(p.CompoundKey, "'", "''")+"', "+col)
	}
	return "CASE WHEN " + strings.Join(nulls, " AND ") + " THEN NULL ELSE json_object(" + strings.Join(pairs, ", ") + ") END"
}

// compoundFromSQL decodes the JSON object compoundExpr built into the storage form of a
// compound value: a map from part key to the part's value (string, float64 or nil).
// encoding/json writes a map's keys in sorted order, which is the order Salesforce gives
// them (lower-case keys, alphabetical).
func compoundFromSQL(v any) any {
	var text []byte
	switch x := v.(type) {
	case string:
		text = []byte(x)
	case []byte:
		text = x
	default:
		return v
	}
	var m map[string]any
	if err := json.Unmarshal(text, &m); err != nil {
		return nil
	}
	return m
}
