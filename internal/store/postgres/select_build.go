package postgres

// The query compiler: a query.Plan becomes one PostgreSQL SELECT over the org's record
// tables (conventions in records_tables.go), a port of SQLite's select_build.go with the
// dialect's differences gathered in dialect.go. Parent relationships become LEFT JOINs,
// one per distinct relationship prefix (t1, t2, … with t0 the root), so that a missing or
// deleted parent gives NULL columns and the shaper renders the nested object as null.

import (
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// selectBuilder accumulates the FROM clause and arguments of one SELECT. Placeholders
// are written as ? and numbered by rebind when the statement is complete.
type selectBuilder struct {
	org    sfid.ID
	plan   *query.Plan
	prefix string // alias prefix, distinct for nested semi-join selects

	joins     strings.Builder
	joinArgs  []any
	aliases   map[string]string // relationship prefix ("Account.Owner.") → alias
	n         int               // aliases allocated
	whereArgs []any
	subs      int // nested selects allocated

	// extra is one more condition ANDed to the WHERE (the parent Ids of a child
	// subquery), with its arguments.
	extra     string
	extraArgs []any
	// anyRoot drops the root's IsDeleted filter alone (a cursor's page: records deleted
	// since its snapshot are still returned; parents and children keep the plan's rule).
	anyRoot bool
	// pos maps each SQL column of the last selectList to its entry in the deduplicated
	// list; nil when there were no repeats.
	pos []int
}

func newSelectBuilder(orgID sfid.ID, plan *query.Plan, prefix string) *selectBuilder {
	return &selectBuilder{org: orgID, plan: plan, prefix: prefix, aliases: map[string]string{}, n: 1}
}

// root is the alias of the plan's object.
func (b *selectBuilder) root() string { return b.prefix + "t0" }

// alias returns the alias of the object reached by rels, adding its LEFT JOIN on first
// use. Setup objects are views shared by every org: the join also matches _org. Deleted
// parents do not join (their fields read as null) unless the query includes deleted rows,
// nor do parents the running user may not see (query.Path.Filters: the hop's owner rule
// goes into the ON clause, so the parent reads as null rather than the row vanishing).
func (b *selectBuilder) alias(p *query.Path) string {
	rels, objs := p.Rels, p.Objects
	if len(rels) == 0 {
		return b.root()
	}
	key := ""
	prev := b.root()
	for i, rel := range rels {
		key += strings.ToLower(rel.Name) + "."
		a, ok := b.aliases[key]
		if !ok {
			a = b.prefix + "t" + strconv.Itoa(b.n)
			b.n++
			b.aliases[key] = a
			obj := objs[i]
			b.joins.WriteString(" LEFT JOIN " + quoteIdent(recordTable(b.org, obj)) + " " + a +
				" ON " + a + `."Id" = ` + prev + "." + quoteIdent(rel.Name))
			if obj.Setup {
				b.joins.WriteString(" AND " + a + "._org = ?")
				b.joinArgs = append(b.joinArgs, string(b.org))
			} else if !b.plan.IncludeDeleted {
				b.joins.WriteString(" AND NOT " + a + `."IsDeleted"`)
			}
			if hf := p.HopFilter(i); hf.Field != "" {
				b.joins.WriteString(" AND " + a + "." + quoteIdent(hf.Field) + " = ?")
				b.joinArgs = append(b.joinArgs, string(hf.UserID))
			}
		}
		prev = a
	}
	return prev
}

// col is the SQL expression of a path's column. LastViewedDate and LastReferencedDate
// are the running user's own dates (recent_records, recent.go), not the record's columns.
func (b *selectBuilder) col(p *query.Path) string {
	if e, ok := b.viewedCol(p); ok {
		return e
	}
	return b.alias(p) + "." + quoteIdent(p.Field.Name)
}

// key is the expression a path is compared, grouped and sorted on: lower(col) for a
// caseless field (the expression its index is on), the column otherwise.
func (b *selectBuilder) key(p *query.Path) string {
	c := b.col(p)
	if caseless(p.Field) {
		return "lower(" + c + ")"
	}
	return c
}

// viewedCol is the expression of LastViewedDate or LastReferencedDate for the plan's
// viewer: a lookup of the recent_records primary key. The org and user IDs are inlined
// (col has no argument list; IDs are alphanumeric, and quoted all the same).
func (b *selectBuilder) viewedCol(p *query.Path) (string, bool) {
	f := p.Field
	if b.plan.ViewerID == "" || f.Custom || f.Type != schema.TypeDateTime {
		return "", false
	}
	var col string
	switch f.Name {
	case "LastViewedDate":
		col = "viewed_at"
	case "LastReferencedDate":
		col = "referenced_at"
	default:
		return "", false
	}
	lit := func(id sfid.ID) string { return "'" + strings.ReplaceAll(string(id), "'", "''") + "'" }
	return "(SELECT rr." + col + " FROM recent_records rr WHERE rr.org_id = " + lit(b.org) +
		" AND rr.user_id = " + lit(b.plan.ViewerID) + " AND rr.record_id = " + b.alias(p) + `."Id")`, true
}

// colExpr is the SQL expression of a column in ORDER BY and HAVING: an aggregate, or a
// field's key (a group key in an aggregate query).
func (b *selectBuilder) colExpr(c *query.Column) string {
	if c.Agg == "" {
		return b.key(c.Path)
	}
	if c.AggArg == nil {
		return "COUNT(*)"
	}
	arg := b.col(c.AggArg)
	switch c.Agg {
	case "COUNT_DISTINCT":
		return "COUNT(DISTINCT " + b.key(c.AggArg) + ")"
	case "SUM", "AVG":
		return c.Agg + "(" + arg + ")::double precision"
	case "MIN", "MAX":
		if caseless(c.AggArg.Field) {
			return "(" + c.Agg + "(ARRAY[lower(" + arg + "), " + arg + "]) FILTER (WHERE " + arg + " IS NOT NULL))[2]"
		}
	}
	return c.Agg + "(" + arg + ")"
}

// valueExpr is the SQL expression of a column in the SELECT list: the field's column, or
// for a caseless group key of an aggregate query (grouped on lower(col)) one of the
// group's spellings.
func (b *selectBuilder) valueExpr(c *query.Column) string {
	if c.Agg != "" {
		return b.colExpr(c)
	}
	if b.plan.Aggregate && caseless(c.Path.Field) {
		return "min(" + b.col(c.Path) + ")"
	}
	return b.col(c.Path)
}

// baseWhere is the row filter every query of the plan has: the org of Setup views, live
// rows, the owner rule, then the plan's conditions.
func (b *selectBuilder) baseWhere() string {
	var parts []string
	p := b.plan
	if p.Object.Setup {
		parts = append(parts, b.root()+"._org = ?")
		b.whereArgs = append(b.whereArgs, string(b.org))
	} else if !p.IncludeDeleted && !b.anyRoot {
		parts = append(parts, "NOT "+b.root()+`."IsDeleted"`)
	}
	if p.OwnerID != "" {
		parts = append(parts, b.root()+`."OwnerId" = ?`)
		b.whereArgs = append(b.whereArgs, string(p.OwnerID))
	}
	if p.Where != nil {
		parts = append(parts, b.cond(p.Where, &b.whereArgs))
	}
	if b.extra != "" {
		parts = append(parts, b.extra)
		b.whereArgs = append(b.whereArgs, b.extraArgs...)
	}
	return strings.Join(parts, " AND ")
}

// from is the FROM clause with its joins; call it after every alias is allocated.
func (b *selectBuilder) from() string {
	return " FROM " + quoteIdent(recordTable(b.org, b.plan.Object)) + " " + b.root() + b.joins.String()
}

// orderBy is the ORDER BY list: the plan's items with their NULLS placement, then a
// tie-breaker so that pages of a re-run query never overlap (the root Id, or the group
// keys of an aggregate query, nulls first as SQLite places them).
func (b *selectBuilder) orderBy() string {
	var items []string
	for _, o := range b.plan.OrderBy {
		var e string
		switch {
		case o.Column != nil:
			e = b.colExpr(o.Column)
		case o.Distance != nil:
			e = b.distance(o.Distance)
		default:
			e = b.key(o.Path)
		}
		if o.Desc {
			e += " DESC"
		} else {
			e += " ASC"
		}
		if o.NullsFirst {
			e += " NULLS FIRST"
		} else {
			e += " NULLS LAST"
		}
		items = append(items, e)
	}
	switch {
	case b.plan.CountOnly:
	case b.plan.Aggregate:
		for _, g := range b.plan.GroupBy {
			items = append(items, b.key(g)+" NULLS FIRST")
		}
	default:
		items = append(items, b.root()+`."Id"`)
	}
	return strings.Join(items, ", ")
}

// groupBy is the GROUP BY list, "" when none.
func (b *selectBuilder) groupBy() string {
	var items []string
	for _, g := range b.plan.GroupBy {
		items = append(items, b.key(g))
	}
	return strings.Join(items, ", ")
}

// body compiles everything after the SELECT list: FROM, WHERE, GROUP BY, HAVING and
// ORDER BY (when order), returning the SQL (? placeholders) and its arguments in text
// order.
func (b *selectBuilder) body(order bool) (string, []any) {
	where := b.baseWhere()
	group := b.groupBy()
	var havingArgs []any
	having := ""
	if b.plan.Having != nil {
		having = b.cond(b.plan.Having, &havingArgs)
	}
	ord := ""
	if order {
		ord = b.orderBy()
	}
	var s strings.Builder
	s.WriteString(b.from())
	if where != "" {
		s.WriteString(" WHERE " + where)
	}
	if group != "" {
		s.WriteString(" GROUP BY " + group)
	}
	if having != "" {
		s.WriteString(" HAVING " + having)
	}
	if ord != "" {
		s.WriteString(" ORDER BY " + ord)
	}
	args := append(append(append([]any{}, b.joinArgs...), b.whereArgs...), havingArgs...)
	return s.String(), args
}
