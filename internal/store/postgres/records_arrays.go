package postgres

// Array parameters of the record statements: one Go slice per column, sent as one
// PostgreSQL array (unnest in Insert, = ANY in reads). Slices of pointers carry NULLs.

import (
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// arrayColumn collects the values of one column of a multi-row Insert.
type arrayColumn struct {
	field   *schema.Field
	sqlType string // the array's element type: text, bigint, double precision, boolean
	vals    any    // []*string, []*int64, []*float64 or []*bool
}

func newArrayColumn(f *schema.Field, n int) arrayColumn {
	c := arrayColumn{field: f, sqlType: baseType(columnType(f))}
	switch c.sqlType {
	case "bigint":
		c.vals = make([]*int64, 0, n)
	case "double precision":
		c.vals = make([]*float64, 0, n)
	case "boolean":
		c.vals = make([]*bool, 0, n)
	default:
		c.vals = make([]*string, 0, n)
	}
	return c
}

// add appends v (storage form, package records) converted to the column's type.
func (c *arrayColumn) add(v any) error {
	sv, err := toSQL(c.field, v)
	if err != nil {
		return err
	}
	switch s := c.vals.(type) {
	case []*int64:
		var p *int64
		if sv != nil {
			x := sv.(int64)
			p = &x
		}
		c.vals = append(s, p)
	case []*float64:
		var p *float64
		if sv != nil {
			x := sv.(float64)
			p = &x
		}
		c.vals = append(s, p)
	case []*bool:
		var p *bool
		if sv != nil {
			x := sv.(bool)
			p = &x
		}
		c.vals = append(s, p)
	case []*string:
		var p *string
		if sv != nil {
			x := sv.(string)
			p = &x
		}
		c.vals = append(s, p)
	}
	return nil
}

// slice is the column's values of rows start … end-1.
func (c *arrayColumn) slice(start, end int) any {
	switch s := c.vals.(type) {
	case []*int64:
		return s[start:end]
	case []*float64:
		return s[start:end]
	case []*bool:
		return s[start:end]
	case []*string:
		return s[start:end]
	}
	return nil
}

// idArray is ids as a text[] parameter.
func idArray(ids []sfid.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// uniqueIDs returns ids without repeats (and without empty IDs), in order.
func uniqueIDs(ids []sfid.ID) []sfid.ID {
	seen := make(map[sfid.ID]bool, len(ids))
	out := make([]sfid.ID, 0, len(ids))
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}
