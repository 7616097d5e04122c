package query

import (
	"strings"

	"github.com/forcefield/forcefield/internal/soql"
)

// grouping resolves GROUP BY and HAVING and checks that every selected field of an
// aggregate query is grouped (salesforce-rest.md §4 aggregate queries).
func (r *resolver) grouping(p *Plan, q *soql.Query, sc scope) error {
	for _, n := range q.GroupBy {
		path, err := sc.path(n)
		if err != nil {
			return err
		}
		if path.Field.Compound() {
			// [UNCONFIRMED] modelled on the ORDER BY text Salesforce gives for a field that
			// cannot be sorted (salesforce-rest-more.md §7.4).
			return malformed(n.Pos, "field '%s' can not be grouped in a query call", path.Field.Name)
		}
		p.GroupBy = append(p.GroupBy, path)
	}
	if p.Aggregate {
		for _, c := range p.Columns {
			if c.Agg == "" && c.Path != nil && !grouped(p.GroupBy, c.Path) {
				return malformed(selectPos(q, c.Path), "Field must be grouped or aggregated: %s", c.Path.Name)
			}
		}
	}
	if q.Having != nil {
		if !p.Aggregate {
			return malformed(0, "HAVING clause requires a GROUP BY or an aggregate function")
		}
		c, err := r.cond(sc, q.Having, p)
		if err != nil {
			return err
		}
		p.Having = c
	}
	return nil
}

// aggColumn returns the column computing it: the SELECT list's when there is one, else
// a new one that is not selected.
func (sc scope) aggColumn(p *Plan, it *soql.AggregateItem) (*Column, error) {
	var arg *Path
	if it.Arg != nil {
		var err error
		if arg, err = sc.path(*it.Arg); err != nil {
			return nil, err
		}
	}
	if p != nil {
		for i := range p.Columns {
			if sameAggregate(&p.Columns[i], it, arg) {
				return &p.Columns[i], nil
			}
		}
	}
	if it.Func == "COUNT" && it.Arg == nil {
		return &Column{Agg: "COUNT"}, nil
	}
	return sc.aggregate(it)
}

func grouped(groups []*Path, p *Path) bool {
	for _, g := range groups {
		if strings.EqualFold(g.Name, p.Name) {
			return true
		}
	}
	return false
}

// selectPos is the position of the SELECT item that resolved to path, for carets.
func selectPos(q *soql.Query, path *Path) soql.Pos {
	for _, it := range q.Select {
		if f, ok := it.(*soql.FieldItem); ok {
			if strings.EqualFold(f.Name.Parts[len(f.Name.Parts)-1], path.Field.Name) {
				return f.Name.Pos
			}
		}
	}
	return 0
}

// orderBy resolves ORDER BY. NULLS defaults to FIRST for ascending and LAST for
// descending order (SOQL's rule, salesforce-rest.md §4).
func (r *resolver) orderBy(p *Plan, q *soql.Query, sc scope) error {
	for _, o := range q.OrderBy {
		it := OrderItem{Desc: o.Desc}
		switch o.Nulls {
		case soql.NullsFirst:
			it.NullsFirst = true
		case soql.NullsLast:
		default:
			it.NullsFirst = !o.Desc
		}
		if o.Aggregate != nil {
			if !p.Aggregate {
				return malformed(o.Aggregate.Pos, "Aggregate functions are not allowed in ORDER BY without GROUP BY or aggregates in SELECT")
			}
			c, err := sc.aggColumn(p, o.Aggregate)
			if err != nil {
				return err
			}
			it.Column = c
		} else if o.Distance != nil {
			if p.Aggregate || p.CountOnly {
				return malformed(o.Distance.Pos, "%s", soql.MsgNoDistance)
			}
			d, err := sc.distance(o.Distance)
			if err != nil {
				return err
			}
			it.Distance = d
		} else {
			path, err := sc.path(o.Field)
			if err != nil {
				return err
			}
			if path.Field.Compound() {
				// Salesforce's text for a field that cannot be sorted (salesforce-rest-more.md
				// §7.4); only ORDER BY DISTANCE(…) sorts by an address.
				return malformed(o.Field.Pos, "field '%s' can not be sorted in a query call", path.Field.Name)
			}
			if p.Aggregate && !grouped(p.GroupBy, path) {
				return malformed(o.Field.Pos, "Ordered field must be grouped or aggregated: %s", path.Name)
			}
			if p.CountOnly {
				return malformed(o.Field.Pos, "ORDER BY is not supported with COUNT()")
			}
			it.Path = path
		}
		p.OrderBy = append(p.OrderBy, it)
	}
	return nil
}
