package dataapi

import (
	"context"
	"strings"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
)

// shapeRows renders query rows as Salesforce does (salesforce-rest.md §4): each record
// starts with attributes {type, url}; a parent path (Account.Owner.Name) nests objects
// with their own attributes, or null when there is no parent; a child subquery is
// {totalSize, done, records}, or null when there are no children; aggregate rows are
// AggregateResult records keyed by alias (expr0, …) and grouped field name.
func (d *data) shapeRows(ctx context.Context, c *Caller, plan *query.Plan, rows []records.Row) ([]any, error) {
	env, err := d.env(ctx, c)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, row := range rows {
		out[i] = shapeRow(c.Version, env.Cat, plan, row)
	}
	return out, nil
}

func shapeRow(version string, cat *schema.Catalog, plan *query.Plan, row records.Row) *object {
	if plan.Aggregate {
		rec := object{{"attributes", object{{"type", "AggregateResult"}}}}
		for i, col := range plan.Columns {
			if col.Hidden {
				continue
			}
			if col.Agg != "" {
				rec = append(rec, member{col.Alias, aggregateValue(col, row.Values[i])})
			} else {
				// A grouped field is keyed by its alias, or its own name (SOQL and SOSL
				// Reference, "Using Aliases with GROUP BY").
				key := col.Path.Field.Name
				if col.Alias != "" {
					key = col.Alias
				}
				rec = append(rec, member{key, schema.EncodeValue(col.Path.Field, row.Values[i])})
			}
		}
		return &rec
	}
	// Ids of the root and of every parent reached, by path prefix ("" is the root).
	ids := map[string]string{}
	for i, col := range plan.Columns {
		if col.Path != nil && col.Path.Field.Type == schema.TypeID {
			id, _ := row.Values[i].(string)
			ids[prefixOf(col.Path)] = id
		}
	}
	rec := &object{{"attributes", attributes(version, plan.Object.Name, ids[""])}}
	nested := map[string]*object{"": rec}
	for i, col := range plan.Columns {
		if col.Hidden || col.Path == nil {
			continue
		}
		parent := rec
		prefix := ""
		for h, rel := range col.Path.Rels {
			if prefix != "" {
				prefix += "."
			}
			prefix += rel.RelationshipName
			next, seen := nested[prefix]
			if !seen {
				next = nil
				if id := ids[prefix]; id != "" {
					typ := col.Path.Objects[h].Name
					if o, ok := cat.ByPrefix(id[:min(3, len(id))]); ok {
						typ = o.Name // polymorphic: the ID says which
					}
					next = &object{{"attributes", attributes(version, typ, id)}}
				}
				nested[prefix] = next
				*parent = append(*parent, member{rel.RelationshipName, nullable(next)})
			}
			if next == nil {
				parent = nil
				break
			}
			parent = next
		}
		if parent != nil {
			*parent = append(*parent, member{col.Path.Field.Name, schema.EncodeValue(col.Path.Field, row.Values[i])})
		}
	}
	for i, sq := range plan.Subqueries {
		var children []records.Row
		if i < len(row.Children) {
			children = row.Children[i]
		}
		if len(children) == 0 {
			*rec = append(*rec, member{sq.Relationship.RelationshipName, nil})
			continue
		}
		recs := make([]any, len(children))
		for j, ch := range children {
			recs[j] = shapeRow(version, cat, sq.Plan, ch)
		}
		*rec = append(*rec, member{sq.Relationship.RelationshipName, object{
			{"totalSize", len(children)}, {"done", true}, {"records", recs},
		}})
	}
	return rec
}

// nullable keeps a nil *object a JSON null.
func nullable(o *object) any {
	if o == nil {
		return nil
	}
	return o
}

// prefixOf is the relationship path of a column: "Account.Owner" for
// Account.Owner.Name, "" for a field of the root.
func prefixOf(p *query.Path) string {
	names := make([]string, len(p.Rels))
	for i, r := range p.Rels {
		names[i] = r.RelationshipName
	}
	return strings.Join(names, ".")
}

// aggregateValue renders an aggregate: counts as integers, SUM/AVG as numbers, MIN/MAX in
// the aggregated field's own form (a date stays a date).
func aggregateValue(col query.Column, v any) any {
	switch col.Agg {
	case "MIN", "MAX":
		if col.AggArg != nil {
			return schema.EncodeValue(col.AggArg.Field, v)
		}
	}
	return v
}
