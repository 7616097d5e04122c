package query

import (
	"strconv"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
)

// Options are the request context of a resolution.
type Options struct {
	Now      time.Time      // the instant date literals (TODAY, …) are relative to
	Location *time.Location // the running user's time zone; nil: UTC
	// IncludeDeleted is queryAll (salesforce-rest.md §4): soft-deleted rows are returned.
	IncludeDeleted bool
	// Version is the request's API version ("59.0"); "" is the newest. Compound fields
	// exist from 30.0, FIELDS() from 51.0.
	Version string
	// Bulk is a Bulk API query: FIELDS(STANDARD) leaves out compound fields, which the
	// Bulk APIs cannot select (salesforce-rest-more.md §7.3). The Bulk engine refuses
	// what remains (Plan.Unbounded, compound columns) in its own terms.
	Bulk bool
}

// maxParentDepth is how many parent relationships a path may follow (SOQL allows five
// levels: Contact.Account.Owner.Manager.Profile.Name).
const maxParentDepth = 5

// maxSubqueries bounds child subqueries: "No more than 20 parent-to-child relationships
// can be specified in a query" (SOQL and SOSL Reference, "Relationship Query
// Limitations"). Each one is a query per page of parents. The message is modelled on the
// parent-depth one; Salesforce's own wording is not confirmed.
const maxSubqueries = 20

// maxOffset is SOQL's largest OFFSET.
const maxOffset = 2000

// resolver carries what every step of one resolution needs.
type resolver struct {
	cat  *schema.Catalog
	acc  *access.Checker
	opts Options
}

// Resolve binds q to the objects of cat as the user of acc sees them and returns its
// Plan, or an *Error in Salesforce's terms.
func Resolve(q *soql.Query, cat *schema.Catalog, acc *access.Checker, opts Options) (*Plan, error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	r := &resolver{cat: cat, acc: acc, opts: opts}
	if q == nil {
		return nil, malformed(0, "SOQL statements cannot be empty or null")
	}
	obj, err := r.object(q.From)
	if err != nil {
		return nil, err
	}
	p, err := r.plan(q, obj, true)
	if err != nil {
		return nil, err
	}
	// queryAll (and ALL ROWS) include deleted rows in child subqueries too; semi-joins
	// stay on live rows.
	p.IncludeDeleted = opts.IncludeDeleted || q.AllRows
	p.ForView, p.ForReference = q.ForView, q.ForReference
	for _, s := range p.Subqueries {
		s.Plan.IncludeDeleted = p.IncludeDeleted
	}
	return p, nil
}

// object resolves a FROM object name: unknown and unreadable objects give the same
// INVALID_TYPE, so that an object the user may not see does not reveal itself.
func (r *resolver) object(n soql.Name) (*schema.Object, error) {
	name := n.String()
	obj, ok := r.cat.Object(name)
	if len(n.Parts) != 1 || !ok || !r.acc.Object(obj, access.Read) {
		return nil, errAt("INVALID_TYPE", n.Pos, msgNoType, name)
	}
	return obj, nil
}

// plan resolves one SELECT over obj. top is false for child subqueries, which cannot
// nest further.
func (r *resolver) plan(q *soql.Query, obj *schema.Object, top bool) (*Plan, error) {
	p := &Plan{Object: obj, Limit: -1, ViewerID: r.acc.UserID()}
	sc := scope{r: r, obj: obj, alias: q.Alias}
	p.Aggregate = len(q.GroupBy) > 0
	for _, it := range q.Select {
		if _, ok := it.(*soql.AggregateItem); ok {
			p.Aggregate = true
		}
	}
	if err := r.selectList(p, q, sc, top); err != nil {
		return nil, err
	}
	if q.Where != nil {
		c, err := r.cond(sc, q.Where, nil)
		if err != nil {
			return nil, err
		}
		p.Where = c
	}
	if err := r.visibility(p, sc); err != nil {
		return nil, err
	}
	if err := r.grouping(p, q, sc); err != nil {
		return nil, err
	}
	if err := r.orderBy(p, q, sc); err != nil {
		return nil, err
	}
	if q.Limit >= 0 {
		p.Limit = q.Limit
	}
	if q.Offset > maxOffset {
		// [UNCONFIRMED] code and text from memory of Salesforce's answer; no caret (the
		// syntax tree keeps no position for OFFSET).
		return nil, errAt("NUMBER_OUTSIDE_VALID_RANGE", -1, "Maximum SOQL offset allowed is %d", maxOffset)
	}
	if q.Offset > 0 {
		p.Offset = q.Offset
	}
	if !p.Aggregate && !p.CountOnly {
		addHidden(p)
	}
	// Checked on the whole plan, hidden columns included, before any SQL runs.
	if len(p.Columns) > soql.MaxColumns || len(p.GroupBy) > soql.MaxColumns || len(p.OrderBy) >= soql.MaxColumns {
		return nil, soql.TooManyColumns()
	}
	return p, nil
}

// selectList resolves the SELECT items into Columns and Subqueries.
func (r *resolver) selectList(p *Plan, q *soql.Query, sc scope, top bool) error {
	exprN := 0
	for _, it := range q.Select {
		switch it := it.(type) {
		case *soql.FieldItem:
			path, err := sc.path(it.Name)
			if err != nil {
				return err
			}
			// A grouped field's alias (GROUP BY queries only) is its key in the result.
			p.Columns = append(p.Columns, Column{Path: path, Alias: it.Alias})
		case *soql.FieldsItem:
			if err := r.fieldsFunction(p, q, sc, it); err != nil {
				return err
			}
		case *soql.AggregateItem:
			if it.Func == "COUNT" && it.Arg == nil {
				if len(q.Select) != 1 || len(q.GroupBy) > 0 {
					return malformed(it.Pos, "COUNT() and COUNT(fieldname) or other fields cannot be used together; COUNT() must be the only item selected")
				}
				p.CountOnly = true
				continue
			}
			col, err := sc.aggregate(it)
			if err != nil {
				return err
			}
			if col.Alias == "" {
				col.Alias = "expr" + strconv.Itoa(exprN)
				exprN++
			}
			p.Columns = append(p.Columns, *col)
		case *soql.SubqueryItem:
			if !top || p.Aggregate {
				return malformed(it.Pos, "Nesting of child relationship queries is not supported here")
			}
			sub, err := r.subquery(p.Object, sc, it)
			if err != nil {
				return err
			}
			p.Subqueries = append(p.Subqueries, sub)
			if len(p.Subqueries) > maxSubqueries {
				return malformed(it.Pos, "SOQL statements cannot query more than %d child relationships", maxSubqueries)
			}
		}
	}
	if len(p.Columns) == 0 && !p.CountOnly && len(p.Subqueries) == 0 {
		return malformed(0, "unexpected token: 'FROM'")
	}
	if p.usesFields && !p.Aggregate {
		if err := duplicateFields(p.Columns); err != nil {
			return err
		}
	}
	if p.CountOnly {
		p.Aggregate = false
	}
	return nil
}

// subquery resolves (SELECT … FROM Contacts) under parent.
func (r *resolver) subquery(parent *schema.Object, sc scope, it *soql.SubqueryItem) (*Subquery, error) {
	q := it.Query
	parts := q.From.Parts
	if len(parts) == 2 && (strings.EqualFold(parts[0], parent.Name) || (sc.alias != "" && strings.EqualFold(parts[0], sc.alias))) {
		parts = parts[1:]
	}
	rel := strings.Join(parts, ".")
	cr, ok := r.cat.ChildRelationship(parent.Name, rel)
	var child *schema.Object
	if ok {
		child, ok = r.cat.Object(cr.ChildObject)
	}
	if !ok || len(parts) != 1 || !r.acc.Object(child, access.Read) {
		return nil, errAt("INVALID_TYPE", q.From.Pos, msgNoChildRel, rel)
	}
	if f, fok := child.Field(cr.Field); !fok || !r.acc.FieldReadable(child, f) {
		return nil, errAt("INVALID_TYPE", q.From.Pos, msgNoChildRel, rel)
	}
	p, err := r.plan(q, child, false)
	if err != nil {
		return nil, err
	}
	if p.Aggregate || p.CountOnly {
		return nil, malformed(it.Pos, "Aggregate functions are not supported in child relationship queries")
	}
	// The relationship field groups the child rows by parent.
	f, _ := child.Field(cr.Field)
	if findColumn(p.Columns, f.Name) < 0 {
		p.Columns = append(p.Columns, Column{Path: &Path{Field: f, Name: f.Name}, Hidden: true})
	}
	return &Subquery{Relationship: cr, Plan: p}, nil
}

// visibility applies the record-level rule of the running user (access.ReadVisibility):
// under a Private default only the user's own rows. Parent records reached through a
// relationship path carry their own rule in Path.Filters (they read as null when
// hidden); child subqueries get theirs here, as they are plans of their own.
func (r *resolver) visibility(p *Plan, sc scope) error {
	v := r.acc.ReadVisibility(p.Object)
	if !v.Restricted {
		return nil
	}
	if v.Field == "OwnerId" {
		p.OwnerID = v.UserID
		return nil
	}
	f, ok := p.Object.Field(v.Field)
	if !ok {
		return nil
	}
	c := &Compare{Path: &Path{Field: f, Name: f.Name}, Op: "=", Values: []any{string(v.UserID)}}
	if p.Where == nil {
		p.Where = c
	} else {
		p.Where = &And{L: p.Where, R: c}
	}
	return nil
}

// addHidden appends the root Id and the Id of every parent reached, when not selected.
func addHidden(p *Plan) {
	if id, ok := p.Object.Field("Id"); ok && findColumn(p.Columns, "Id") < 0 {
		p.Columns = append(p.Columns, Column{Path: &Path{Field: id, Name: id.Name}, Hidden: true})
	}
	n := len(p.Columns)
	for i := 0; i < n; i++ {
		path := p.Columns[i].Path
		if path == nil {
			continue
		}
		for h := range path.Rels {
			id, ok := path.Objects[h].Field("Id")
			if !ok {
				continue
			}
			name := relPrefix(path.Rels[:h+1]) + id.Name
			if findColumn(p.Columns, name) >= 0 {
				continue
			}
			hp := &Path{Rels: path.Rels[:h+1], Objects: path.Objects[:h+1], Field: id, Name: name}
			if path.Filters != nil {
				hp.Filters = path.Filters[:h+1]
			}
			p.Columns = append(p.Columns, Column{Path: hp, Hidden: true})
		}
	}
}

// findColumn returns the index of the field column named name (ignoring case), or -1.
func findColumn(cols []Column, name string) int {
	for i, c := range cols {
		if c.Path != nil && c.Agg == "" && strings.EqualFold(c.Path.Name, name) {
			return i
		}
	}
	return -1
}

// relPrefix is "Account.Owner." for the relationships followed.
func relPrefix(rels []*schema.Field) string {
	var b strings.Builder
	for _, f := range rels {
		b.WriteString(f.RelationshipName)
		b.WriteByte('.')
	}
	return b.String()
}
