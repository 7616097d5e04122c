package dataapi

// List views (salesforce-rest-more.md §4; REST API Developer Guide "List Views", "Recent
// List Views", "List View Basic Information", "List View Describe", "List View Results"):
//
//	GET /sobjects/T/listviews                   the object's views (listViewsBody)
//	GET /sobjects/T/listviews/recent            the views the user opened, newest first
//	GET /sobjects/T/listviews/{id}              one view
//	GET /sobjects/T/listviews/{id}/describe     its columns, order and SOQL
//	GET /sobjects/T/listviews/{id}/results      its rows, ?limit=1..2000 (25) &offset=
//
// The views are Salesforce's defaults (listviews_defs.go). Everything answers as the
// running user: a column on a field they cannot read is left out, a view filtering on
// one is not offered, and results run the view's SOQL through the same resolution and
// store query as /query — object and field access, record visibility and all.

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// List view results page sizes (List View Results: "between 1-2000. The default value
// is 25").
const (
	lvDefaultLimit = 25
	lvMaxLimit     = 2000
)

// listViews serves /sobjects/T/listviews[/…] (sobjectSubs).
func (d *data) listViews(w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, rest []string) error {
	views := visibleViews(c, env, obj)
	if len(rest) == 0 || len(rest) == 1 && rest[0] == "recent" {
		if err := allow(r, http.MethodGet); err != nil {
			return err
		}
		if len(rest) == 1 {
			recent, err := d.recentViews(r, c, obj, views)
			if err != nil {
				return err
			}
			views = recent
		}
		return WriteJSON(w, http.StatusOK, listViewsBody(c.Version, obj, views))
	}
	v, ok := findView(views, rest[0])
	if !ok || len(rest) > 2 || len(rest) == 2 && rest[1] != "describe" && rest[1] != "results" {
		return apierror.ErrNotFound
	}
	if err := allow(r, http.MethodGet); err != nil {
		return err
	}
	if len(rest) == 1 {
		return WriteJSON(w, http.StatusOK, listViewEntry(c.Version, v))
	}
	d.touchView(r, c, env, v)
	q := viewQuery(c, env, v)
	if rest[1] == "describe" {
		return WriteJSON(w, http.StatusOK, q.describe(v))
	}
	return d.listViewResults(w, r, c, v, q)
}

// visibleViews are obj's views the user may run: those whose filters, owner scope and
// recency test fields the user can read.
func visibleViews(c *Caller, env *dml.Env, obj *schema.Object) []listView {
	readable := func(name string) bool {
		f, ok := obj.Field(name)
		return ok && env.Acc.FieldReadable(obj, f)
	}
	var out []listView
	for _, v := range objectViews(c.Org.ID, obj) {
		ok := !v.Mine || readable("OwnerId")
		ok = ok && (!v.Recent || readable("LastViewedDate"))
		for _, f := range v.Filters {
			ok = ok && readable(f.Field)
		}
		if ok {
			out = append(out, v)
		}
	}
	return out
}

// recentViewsLimit bounds /listviews/recent (an object has few views; Salesforce documents
// no bound).
const recentViewsLimit = 200

// recentViews are the views of obj the user opened (describe or results), most recently
// used first: Salesforce's "recently used list views" (REST API Developer Guide "Recent
// List Views"). Salesforce marks a view used when it is viewed, in its UI at least
// [UNCONFIRMED that API reads count]; Forcefield has no UI, so API use is what counts.
// A store that does not record use (store.ListViewUse) has none.
func (d *data) recentViews(r *http.Request, c *Caller, obj *schema.Object, views []listView) ([]listView, error) {
	u, ok := d.store.(store.ListViewUse)
	if !ok {
		return nil, nil
	}
	ids, err := u.RecentListViews(r.Context(), c.Org.ID, c.Principal.User.ID, obj.Name, recentViewsLimit)
	if err != nil {
		return nil, err
	}
	var out []listView
	for _, id := range ids {
		if v, ok := findView(views, string(id)); ok { // still one the user may run
			out = append(out, v)
		}
	}
	return out, nil
}

// touchView records that the user opened v. Inside a /composite transaction, which holds
// the store's writer, the use is not recorded; a failure to record it is logged, not
// answered: the view itself was served.
func (d *data) touchView(r *http.Request, c *Caller, env *dml.Env, v listView) {
	u, ok := d.store.(store.ListViewUse)
	if !ok {
		return
	}
	if _, inTx := r.Context().Value(txKey{}).(records.Tx); inTx {
		return
	}
	if d.lvUses.same(c.Principal.User.ID, v.ID, env.Now) {
		return // already the user's most recent view: the order of recent is unchanged
	}
	if err := u.TouchListView(r.Context(), c.Org.ID, c.Principal.User.ID, v.Obj.Name, v.ID, env.Now); err != nil {
		d.api.log.ErrorContext(r.Context(), "recording list view use", "err", err, "view", v.ID)
		return
	}
	d.lvUses.set(c.Principal.User.ID, v.ID, env.Now)
}

// lvUseTTL bounds how long a remembered use saves writes: another node may have recorded
// another view of the user meanwhile.
const lvUseTTL = time.Minute

// lvUses remembers, per user, the view whose use this server recorded last, so that a
// client paging through one view's results writes once, not once a page: the stored
// time of that use goes stale by up to lvUseTTL, the order of /listviews/recent does
// not. The zero value is ready to use.
type lvUses struct {
	mu   sync.Mutex
	last map[sfid.ID]lvUse // by user
}

type lvUse struct {
	view sfid.ID
	at   time.Time
}

func (u *lvUses) same(user, view sfid.ID, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	l, ok := u.last[user]
	return ok && l.view == view && now.Sub(l.at) < lvUseTTL && !now.Before(l.at)
}

func (u *lvUses) set(user, view sfid.ID, now time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.last == nil {
		u.last = map[sfid.ID]lvUse{}
	}
	if len(u.last) >= 100_000 {
		clear(u.last) // bounded: forgetting only costs a write
	}
	u.last[user] = lvUse{view: view, at: now}
}

// findView finds the view with ID s (15 or 18 characters).
func findView(views []listView, s string) (listView, bool) {
	id, err := sfid.Parse(s)
	if err != nil {
		return listView{}, false
	}
	for _, v := range views {
		if v.ID == id {
			return v, true
		}
	}
	return listView{}, false
}

// listViewEntry is one view as /listviews lists it and /listviews/{id} returns it.
func listViewEntry(version string, v listView) object {
	base := "/services/data/v" + version + "/sobjects/" + v.Obj.Name + "/listviews/" + string(v.ID)
	return object{
		{"describeUrl", base + "/describe"},
		{"developerName", v.DevName},
		{"id", string(v.ID)},
		{"label", v.Label},
		{"resultsUrl", base + "/results"},
		{"soqlCompatible", true},
		{"url", base},
	}
}

// listViewsBody is the /listviews wrapper: every view on one page.
func listViewsBody(version string, obj *schema.Object, views []listView) object {
	entries := make([]any, len(views))
	for i, v := range views {
		entries[i] = listViewEntry(version, v)
	}
	return object{
		{"done", true},
		{"listviews", entries},
		{"nextRecordsUrl", nil},
		{"size", len(views)},
		{"sobjectType", obj.Name},
	}
}

// lvCol is a column of a view as the running user gets it.
type lvCol struct {
	Path   string
	Label  string
	Field  *schema.Field // the leaf field
	Hidden bool
	Sort   int // 0: not sorted; 1: the view's first sort key
}

// toLabel reports whether the column selects the label of a picklist.
func (c lvCol) toLabel() bool {
	return c.Field.Type == schema.TypePicklist || c.Field.Type == schema.TypeMultiPicklist
}

// selectItem is the column's SELECT item: toLabel(Type) for a picklist.
func (c lvCol) selectItem() string {
	if c.toLabel() {
		return "toLabel(" + c.Path + ")"
	}
	return c.Path
}

// lvOrder is one ORDER BY key of a view.
type lvOrder struct {
	Path       string
	Desc       bool
	NullsFirst bool
}

func (o lvOrder) soql() string {
	s := o.Path + " ASC"
	if o.Desc {
		s = o.Path + " DESC"
	}
	if o.NullsFirst {
		return s + " NULLS FIRST"
	}
	return s + " NULLS LAST"
}

// lvQuery is a view's columns, filter and order for the running user, with its SOQL.
type lvQuery struct {
	Cols  []lvCol
	Where []string // SOQL conditions, ANDed
	Order []lvOrder
	// Display is the query as List View Describe shows it: Salesforce writes the SELECT
	// list in lower case, picklists as tolabel(…).
	Display string
	// Exec is the query Forcefield runs for a page of rows: the columns of the view's
	// own object, its filter and order. toLabel() is not in Forcefield's SOQL, so the
	// results turn picklist values into labels themselves (lvValue). Columns through a
	// parent (Owner.Alias) are read by Parents, a second query on the page's Ids:
	// joining them into the page query made SQLite sort the whole table rather than read
	// the order's index (EXPLAIN QUERY PLAN: 1.6 s against 1.7 ms for a first page of
	// 100,000 Accounts), and a page has at most 2000 rows to look up.
	Exec string
	// Parents is "SELECT Id, <parent columns> FROM T WHERE Id IN " (the page's Ids are
	// appended), "" when the view has no parent column.
	Parents string
}

// viewQuery builds v's query for the caller: the columns they can read (a relationship
// column needs every hop and the parent object readable, as in SOQL), the hidden system
// columns, the view's filters, the owner rule of a "My" view and its order.
func viewQuery(c *Caller, env *dml.Env, v listView) lvQuery {
	var q lvQuery
	for _, col := range viewColumns(v.Obj) {
		if f, ok := readablePath(env, v.Obj, col.Path); ok {
			label := col.Label
			if label == "" {
				label = f.Label
			}
			q.Cols = append(q.Cols, lvCol{Path: col.Path, Label: label, Field: f})
		}
	}
	for _, name := range hiddenColumns {
		if f, ok := readablePath(env, v.Obj, name); ok {
			q.Cols = append(q.Cols, lvCol{Path: f.Name, Label: f.Label, Field: f, Hidden: true})
		}
	}
	for _, f := range v.Filters {
		q.Where = append(q.Where, f.SOQL)
	}
	if v.Mine {
		q.Where = append(q.Where, "OwnerId = '"+string(c.Principal.User.ID)+"'")
	}
	if v.Recent {
		q.Where = append(q.Where, "LastViewedDate != null")
		q.Order = append(q.Order, lvOrder{Path: "LastViewedDate", Desc: true})
	} else if len(q.Cols) > 0 && !q.Cols[0].Hidden && q.Cols[0].Field.Type != schema.TypeID {
		q.Cols[0].Sort = 1
		q.Order = append(q.Order, lvOrder{Path: q.Cols[0].Path, NullsFirst: true})
	}
	q.Order = append(q.Order, lvOrder{Path: "Id", NullsFirst: true})

	var display, exec, parents []string
	for _, col := range q.Cols {
		display = append(display, strings.ToLower(col.selectItem()))
		if strings.Contains(col.Path, ".") {
			parents = append(parents, col.Path)
		} else {
			exec = append(exec, col.Path)
		}
	}
	if len(parents) > 0 {
		q.Parents = "SELECT Id, " + strings.Join(parents, ", ") + " FROM " + v.Obj.Name + " WHERE Id IN "
	}
	tail := " FROM " + v.Obj.Name
	if len(q.Where) > 0 {
		tail += " WHERE " + strings.Join(q.Where, " AND ")
	}
	var order []string
	for _, o := range q.Order {
		order = append(order, o.soql())
	}
	q.Display = "SELECT " + strings.Join(display, ", ") + tail + " ORDER BY " + strings.Join(order, ", ")
	// The store ends every ORDER BY with the Id already (records.Store.Query pages by
	// it); a second Id term made SQLite sort the whole table instead of reading the
	// name index in order (EXPLAIN QUERY PLAN), so Exec leaves it out: same rows, same
	// order.
	q.Exec = "SELECT " + strings.Join(exec, ", ") + tail
	if len(order) > 1 {
		q.Exec += " ORDER BY " + strings.Join(order[:len(order)-1], ", ")
	}
	return q
}

// readablePath resolves a column path (Name, Owner.Alias) as SOQL would for the user:
// every relationship hop readable, its parent object readable, the leaf field readable.
func readablePath(env *dml.Env, obj *schema.Object, path string) (*schema.Field, bool) {
	parts := strings.Split(path, ".")
	cur := obj
	for _, rel := range parts[:len(parts)-1] {
		f, ok := cur.Relationship(rel)
		if !ok || !env.Acc.FieldReadable(cur, f) {
			return nil, false
		}
		var target *schema.Object
		for _, t := range f.ReferenceTo {
			if o, ok := env.Cat.Object(t); ok {
				target = o
				break
			}
		}
		if target == nil || !env.Acc.Object(target, access.Read) {
			return nil, false
		}
		cur = target
	}
	f, ok := cur.Field(parts[len(parts)-1])
	if !ok || !env.Acc.FieldReadable(cur, f) {
		return nil, false
	}
	return f, true
}

// sortLabels are the labels of sorting a column up and down. The guide's example has
// them reversed for text ("ascendingLabel":"Z-A") and phone ("9-0"), not for picklists
// ("Low to High"); they are copied as they are. Numbers, dates and booleans are not in
// the example [UNCONFIRMED].
func sortLabels(t schema.FieldType) (string, string) {
	switch t {
	case schema.TypePhone:
		return "9-0", "0-9"
	case schema.TypePicklist, schema.TypeMultiPicklist, schema.TypeInt, schema.TypeDouble,
		schema.TypeCurrency, schema.TypePercent, schema.TypeBoolean:
		return "Low to High", "High to Low"
	case schema.TypeDate, schema.TypeDateTime:
		return "Old to New", "New to Old"
	}
	return "Z-A", "A-Z"
}

// columns renders the columns as describe and results give them.
func (q lvQuery) columns() []any {
	out := make([]any, len(q.Cols))
	for i, col := range q.Cols {
		var asc, desc, dir, idx any
		sortable := !col.Hidden
		if sortable {
			asc, desc = sortLabels(col.Field.Type)
		}
		if col.Sort > 0 {
			dir, idx = "ascending", col.Sort-1
		}
		out[i] = object{
			{"ascendingLabel", asc},
			{"descendingLabel", desc},
			{"fieldNameOrPath", col.Path},
			{"hidden", col.Hidden},
			{"label", col.Label},
			{"selectListItem", col.selectItem()},
			{"sortDirection", dir},
			{"sortIndex", idx},
			{"sortable", sortable},
			{"type", string(col.Field.Type)},
		}
	}
	return out
}

// describe is the body of List View Describe: id in its 15-character form.
func (q lvQuery) describe(v listView) object {
	orderBy := make([]any, len(q.Order))
	for i, o := range q.Order {
		dir, nulls := "ascending", "last"
		if o.Desc {
			dir = "descending"
		}
		if o.NullsFirst {
			nulls = "first"
		}
		orderBy[i] = object{{"fieldNameOrPath", o.Path}, {"nullsPosition", nulls}, {"sortDirection", dir}}
	}
	var scope any
	if v.Mine {
		scope = "mine" // [UNCONFIRMED] the reference §4.2
	}
	return object{
		{"columns", q.columns()},
		{"id", v.ID.Short()},
		{"orderBy", orderBy},
		{"query", q.Display},
		{"scope", scope},
		{"sobjectType", v.Obj.Name},
		{"whereCondition", whereCondition(v)},
	}
}

// whereCondition is a view's filter in describe's form: one condition as itself,
// several (or none) under "conditions" with "conjunction":"and" [UNCONFIRMED shape for
// several and none]. A "Recently Viewed" view's condition is LastViewedDate != null.
func whereCondition(v listView) object {
	filters := v.Filters
	if v.Recent {
		filters = append(filters, lvFilter{Field: "LastViewedDate", Operator: "notEqual", Values: []string{"null"}})
	}
	conds := make([]any, len(filters))
	for i, f := range filters {
		values := make([]any, len(f.Values))
		for j, s := range f.Values {
			values[j] = s
		}
		conds[i] = object{{"field", f.Field}, {"operator", f.Operator}, {"values", values}}
	}
	if len(conds) == 1 {
		return conds[0].(object)
	}
	return object{{"conditions", conds}, {"conjunction", "and"}}
}
