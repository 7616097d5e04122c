package query

import (
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
)

// cond resolves a WHERE condition, or a HAVING condition when having is the plan whose
// aggregates it may compare.
func (r *resolver) cond(sc scope, e soql.Expr, having *Plan) (Cond, error) {
	switch e := e.(type) {
	case *soql.And:
		l, err := r.cond(sc, e.Left, having)
		if err != nil {
			return nil, err
		}
		rr, err := r.cond(sc, e.Right, having)
		if err != nil {
			return nil, err
		}
		return &And{L: l, R: rr}, nil
	case *soql.Or:
		l, err := r.cond(sc, e.Left, having)
		if err != nil {
			return nil, err
		}
		rr, err := r.cond(sc, e.Right, having)
		if err != nil {
			return nil, err
		}
		return &Or{L: l, R: rr}, nil
	case *soql.Not:
		x, err := r.cond(sc, e.X, having)
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	case *soql.Comparison:
		return r.comparison(sc, e, having)
	}
	return nil, malformed(0, "unexpected condition")
}

// comparison resolves Field Op Value(s) or Field [NOT] IN (SELECT …).
func (r *resolver) comparison(sc scope, c *soql.Comparison, having *Plan) (Cond, error) {
	var path *Path
	var agg *Column
	var f *schema.Field
	if c.Distance != nil {
		if having != nil {
			return nil, malformed(c.Distance.Pos, "%s", soql.MsgNoDistance)
		}
		return sc.distanceCompare(c)
	}
	if c.Aggregate != nil {
		if having == nil {
			return nil, malformed(c.Aggregate.Pos, "Aggregate functions are not allowed in WHERE; use HAVING")
		}
		col, err := sc.aggColumn(having, c.Aggregate)
		if err != nil {
			return nil, err
		}
		agg = col
		f = aggField(col)
	} else {
		p, err := sc.path(c.Field)
		if err != nil {
			return nil, err
		}
		if having != nil && !grouped(having.GroupBy, p) {
			return nil, malformed(c.Field.Pos, "Field must be grouped or aggregated: %s", p.Name)
		}
		if p.Field.Compound() {
			return nil, errAt("INVALID_FIELD", c.Field.Pos, "%s", compoundFilterMsg(p.Field))
		}
		path, f = p, p.Field
	}
	if c.Subquery != nil {
		return r.semiJoin(sc, c, path)
	}
	name := f.Name
	switch c.Op {
	case "=", "!=", "<", "<=", ">", ">=":
		if c.Value == nil {
			return nil, malformed(c.Pos, "unexpected token: '%s'", c.Op)
		}
		if c.Value.Kind == soql.DateLiteral {
			return r.dateLiteral(path, agg, f, c.Op, *c.Value)
		}
		if c.Value.Kind == soql.Null && c.Op != "=" && c.Op != "!=" {
			return nil, malformed(c.Value.Pos, "unexpected token: 'null'")
		}
		v, err := r.value(f, name, *c.Value, c.Op)
		if err != nil {
			return nil, err
		}
		return &Compare{Path: path, Agg: agg, Op: c.Op, Values: []any{v}}, nil
	case "LIKE":
		if c.Value == nil || c.Value.Kind != soql.String {
			return nil, errAt("INVALID_FIELD", c.Pos, "value of filter criterion for field '%s' must be of type string and should be enclosed in quotes", name)
		}
		if !isText(f.Type) {
			return nil, errAt("INVALID_FIELD", c.Pos, "invalid operator on field %s: LIKE is only valid on text fields", name)
		}
		return &Compare{Path: path, Agg: agg, Op: "LIKE", Values: []any{c.Value.Str}}, nil
	case "IN", "NOT IN":
		vals := make([]any, 0, len(c.Values))
		for _, lit := range c.Values {
			if lit.Kind == soql.DateLiteral {
				return nil, malformed(lit.Pos, "Date literals are not supported in IN lists")
			}
			v, err := r.value(f, name, lit, c.Op)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
		return &Compare{Path: path, Agg: agg, Op: c.Op, Values: vals}, nil
	case "INCLUDES", "EXCLUDES":
		if f.Type != schema.TypeMultiPicklist {
			return nil, errAt("INVALID_FIELD", c.Pos, "%s operator is only valid on multi-select picklist fields: %s", c.Op, name)
		}
		vals := make([]any, 0, len(c.Values))
		for _, lit := range c.Values {
			if lit.Kind != soql.String {
				return nil, errAt("INVALID_FIELD", lit.Pos, "value of filter criterion for field '%s' must be of type string and should be enclosed in quotes", name)
			}
			vals = append(vals, lit.Str)
		}
		return &Compare{Path: path, Agg: agg, Op: c.Op, Values: vals}, nil
	}
	return nil, malformed(c.Pos, "unexpected token: '%s'", c.Op)
}

// aggField is the field an aggregate's value compares as: COUNT is an integer, SUM/AVG
// a double, MIN/MAX the aggregated field.
func aggField(c *Column) *schema.Field {
	switch c.Agg {
	case "COUNT", "COUNT_DISTINCT":
		return &schema.Field{Name: c.Agg, Type: schema.TypeInt}
	case "SUM", "AVG":
		return &schema.Field{Name: c.Agg, Type: schema.TypeDouble}
	}
	return c.AggArg.Field
}

// semiJoin resolves Field [NOT] IN (SELECT Field FROM Object WHERE …): the outer field
// must be an Id or reference, the inner SELECT exactly one Id or reference field.
func (r *resolver) semiJoin(sc scope, c *soql.Comparison, path *Path) (Cond, error) {
	if path == nil || (c.Op != "IN" && c.Op != "NOT IN") {
		return nil, malformed(c.Pos, "unexpected token: 'SELECT'")
	}
	if !isIDType(path.Field.Type) {
		return nil, malformed(c.Field.Pos, "Invalid field: %s. Semi join and anti join selections must be Id or reference fields", path.Name)
	}
	q := c.Subquery
	obj, err := r.object(q.From)
	if err != nil {
		return nil, err
	}
	if len(q.Select) != 1 {
		return nil, malformed(c.Subquery.From.Pos, "Semi join sub-selects can only select one field")
	}
	fi, ok := q.Select[0].(*soql.FieldItem)
	if !ok {
		return nil, malformed(c.Subquery.From.Pos, "Semi join sub-selects can only select one field")
	}
	inner := scope{r: r, obj: obj, alias: q.Alias}
	ipath, err := inner.path(fi.Name)
	if err != nil {
		return nil, err
	}
	if !isIDType(ipath.Field.Type) {
		return nil, malformed(fi.Name.Pos, "Invalid field: %s. Semi join and anti join selections must be Id or reference fields", ipath.Name)
	}
	sub := &Plan{Object: obj, Limit: -1, Columns: []Column{{Path: ipath}}, IncludeDeleted: false, ViewerID: r.acc.UserID()}
	if q.Where != nil {
		if sub.Where, err = r.cond(inner, q.Where, nil); err != nil {
			return nil, err
		}
	}
	if err := r.visibility(sub, inner); err != nil {
		return nil, err
	}
	return &In{Path: path, Not: c.Op == "NOT IN", Sub: sub}, nil
}

func isIDType(t schema.FieldType) bool { return t == schema.TypeID || t == schema.TypeReference }

func isText(t schema.FieldType) bool {
	switch t {
	case schema.TypeString, schema.TypeTextArea, schema.TypeEmail, schema.TypePhone, schema.TypeURL,
		schema.TypePicklist, schema.TypeMultiPicklist, schema.TypeCombobox, schema.TypeID, schema.TypeReference:
		return true
	}
	return false
}

// soqlType is the type name Salesforce's filter errors use for a field type.
func soqlType(t schema.FieldType) string {
	switch t {
	case schema.TypeInt:
		return "integer"
	case schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		return "double"
	case schema.TypeBoolean:
		return "boolean"
	case schema.TypeDate:
		return "date"
	case schema.TypeDateTime:
		return "dateTime"
	case schema.TypeID, schema.TypeReference:
		return "id"
	}
	return "string"
}
