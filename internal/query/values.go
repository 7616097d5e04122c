package query

import (
	"math"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/soql"
)

// value converts a literal to the storage form of field f (package records), or answers
// Salesforce's type-mismatch error, e.g. "value of filter criterion for field 'Amount'
// must be of type double and should not be enclosed in quotes".
func (r *resolver) value(f *schema.Field, name string, v soql.Value, op string) (any, error) {
	if v.Kind == soql.Null {
		return nil, nil
	}
	mismatch := func() error {
		t := soqlType(f.Type)
		quoted := "should not be enclosed in quotes"
		if t == "string" || t == "id" {
			quoted = "should be enclosed in quotes"
		}
		return errAt("INVALID_FIELD", v.Pos, "value of filter criterion for field '%s' must be of type %s and %s", name, t, quoted)
	}
	switch f.Type {
	case schema.TypeID, schema.TypeReference:
		if v.Kind != soql.String {
			return nil, mismatch()
		}
		id, err := sfid.Parse(v.Str)
		if err != nil {
			if op == "=" || op == "!=" || op == "IN" || op == "NOT IN" {
				// [UNCONFIRMED] Salesforce's answer to a malformed ID literal, from memory.
				return nil, errAt("INVALID_QUERY_FILTER_OPERATOR", v.Pos, "invalid ID field: %s", v.Str)
			}
			return v.Str, nil
		}
		return string(id), nil
	case schema.TypeBoolean:
		if v.Kind != soql.Bool {
			return nil, mismatch()
		}
		return v.Bool, nil
	case schema.TypeInt:
		if v.Kind != soql.Number {
			return nil, mismatch()
		}
		if v.Num == math.Trunc(v.Num) && math.Abs(v.Num) < 1<<53 {
			return int64(v.Num), nil
		}
		return v.Num, nil
	case schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		if v.Kind != soql.Number {
			return nil, mismatch()
		}
		return v.Num, nil
	case schema.TypeDate:
		if v.Kind != soql.Date {
			return nil, mismatch()
		}
		return v.Time.UTC().Format("2006-01-02"), nil
	case schema.TypeDateTime:
		if v.Kind != soql.DateTime {
			return nil, mismatch()
		}
		return v.Time.UTC().Truncate(1e6), nil
	}
	if v.Kind != soql.String {
		return nil, mismatch()
	}
	return v.Str, nil
}

// dateLiteral rewrites a comparison with a date literal into range comparisons
// (salesforce-rest.md §4 date literals): with [start, end) the literal's range,
// f = L ⇒ f >= start AND f < end; f > L ⇒ f >= end; f < L ⇒ f < start;
// f >= L ⇒ f >= start; f <= L ⇒ f < end; f != L ⇒ f < start OR f >= end OR f = null
// (SOQL's != keeps nulls). Date fields compare with "2006-01-02" strings, datetime fields
// with instants.
func (r *resolver) dateLiteral(path *Path, agg *Column, f *schema.Field, op string, v soql.Value) (Cond, error) {
	if f.Type != schema.TypeDate && f.Type != schema.TypeDateTime {
		return nil, errAt("INVALID_FIELD", v.Pos, "value of filter criterion for field '%s' must be of type %s and should not be enclosed in quotes", f.Name, soqlType(f.Type))
	}
	start, end, ok := dateRange(v.Literal, v.N, r.opts.Now, r.opts.Location)
	if !ok {
		return nil, malformed(v.Pos, "unexpected token: '%s'", v.Text)
	}
	var s, e any = start.UTC(), end.UTC()
	if f.Type == schema.TypeDate {
		s, e = start.Format("2006-01-02"), end.Format("2006-01-02")
	}
	cmp := func(op string, x any) *Compare { return &Compare{Path: path, Agg: agg, Op: op, Values: []any{x}} }
	switch op {
	case "=":
		return &And{L: cmp(">=", s), R: cmp("<", e)}, nil
	case "!=":
		return &Or{L: &Or{L: cmp("<", s), R: cmp(">=", e)}, R: cmp("=", nil)}, nil
	case ">":
		return cmp(">=", e), nil
	case ">=":
		return cmp(">=", s), nil
	case "<":
		return cmp("<", s), nil
	case "<=":
		return cmp("<", e), nil
	}
	return nil, malformed(v.Pos, "unexpected token: '%s'", v.Text)
}
