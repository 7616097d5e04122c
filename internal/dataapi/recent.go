package dataapi

// Recently viewed records (salesforce-rest-more.md §5.1; REST API Developer Guide,
// "Recently Viewed Items" resources_recent_items.htm and "sObject Basic Information"):
//
//	GET /recent?limit=n      the running user's recently viewed records, most recent first
//	GET /sobjects/{T}        recentItems: the same, of T only
//
// A record becomes recent only through SOQL: FOR VIEW sets its LastViewedDate and
// LastReferencedDate for the running user, FOR REFERENCE its LastReferencedDate
// (markRecent, called for every page a query returns). Creating or updating a record does
// not (jsforce's own suite asserts that every conn.recent() row is an Account it read
// FOR VIEW while other tests create Contacts). Salesforce keeps these per user, and so
// does Forcefield (records.Recent): SOQL reads LastViewedDate and LastReferencedDate as
// the running user's own dates (query.Plan.ViewerID; the sqlite compiler looks them up).
// Retrieving a record by ID (/sobjects/T/{id}) still shows the stored columns, which
// nothing sets: null.
//
// Decisions (UNCONFIRMED in the reference): the order is the later of the two dates,
// newest first, ties by ID descending; a missing or invalid limit is 200 and a larger one
// 200 (Salesforce: "maximum 200"); the name key is the object's name field (CaseNumber
// for Case, Title for Note and Idea, Name elsewhere), omitted when the user cannot read
// it; records since deleted, of objects the user cannot read, or hidden by a Private
// default are left out.

import (
	"context"
	"net/http"
	"strconv"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// maxRecent is the most /recent returns (and its default).
const maxRecent = 200

// markRecent records the root records of rows as viewed (FOR VIEW) or referenced (FOR
// REFERENCE) by the caller, inside the request's /composite transaction if it has one.
func (d *data) markRecent(ctx context.Context, c *Caller, plan *query.Plan, rows []records.Row) error {
	if !plan.ForView && !plan.ForReference || plan.Aggregate || plan.CountOnly || !plan.Object.MruEnabled || len(rows) == 0 {
		return nil
	}
	col := -1
	for i, cl := range plan.Columns {
		if cl.Agg == "" && cl.Path != nil && len(cl.Path.Rels) == 0 && cl.Path.Field.Type == schema.TypeID {
			col = i
			break
		}
	}
	if col < 0 {
		return nil
	}
	ids := make([]sfid.ID, 0, len(rows))
	for _, row := range rows {
		if id, ok := row.Values[col].(string); ok {
			ids = append(ids, sfid.ID(id))
		}
	}
	at := d.at(c.Org.ID)
	if tx, ok := ctx.Value(txKey{}).(records.Tx); ok {
		if rt, ok := tx.(records.RecentTx); ok {
			return rt.MarkRecent(ctx, c.Principal.User.ID, plan.Object, ids, at, plan.ForView)
		}
		return nil
	}
	return d.store.MarkRecent(ctx, c.Org.ID, c.Principal.User.ID, plan.Object, ids, at, plan.ForView)
}

// recent serves GET /recent.
func (d *data) recent(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	if len(rest) != 0 {
		return apierror.ErrNotFound
	}
	if err := allow(r, http.MethodGet); err != nil {
		return err
	}
	env, err := d.env(r.Context(), c)
	if err != nil {
		return err
	}
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 || limit > maxRecent {
		limit = maxRecent
	}
	items, err := d.recentItems(r.Context(), c, env, nil, limit)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, items)
}

// recentItems returns up to limit of the caller's recent records (of obj, or of every
// object when nil) that they may still read, rendered {attributes, Id, <name field>}.
func (d *data) recentItems(ctx context.Context, c *Caller, env *dml.Env, obj *schema.Object, limit int) ([]any, error) {
	out := []any{}
	// Entries that are left out (deleted, hidden) make room for older ones: ask for more
	// until limit is reached or the user's list is exhausted.
	for n := limit; ; n *= 4 {
		views, err := d.store.Recent(ctx, c.Org.ID, c.Principal.User.ID, obj, n)
		if err != nil {
			return nil, err
		}
		out, err = d.renderRecent(ctx, c, env, views, limit)
		if err != nil || len(out) >= limit || len(views) < n || n >= 64*limit {
			return out, err
		}
	}
}

// renderRecent reads the records of views and renders those the caller may read, in
// views' order, at most limit.
func (d *data) renderRecent(ctx context.Context, c *Caller, env *dml.Env, views []records.RecentView, limit int) ([]any, error) {
	byObject := map[string][]sfid.ID{}
	for _, v := range views {
		byObject[v.Object] = append(byObject[v.Object], v.ID)
	}
	type seen struct {
		obj  *schema.Object
		name *schema.Field // nil: not readable or none
		rec  records.Record
	}
	found := map[sfid.ID]seen{}
	for objName, ids := range byObject {
		obj, ok := env.Cat.Object(objName)
		if !ok || !env.Acc.Object(obj, access.Read) {
			continue
		}
		fields := []string{"Id"}
		var name *schema.Field
		if f, ok := obj.NameField(); ok && env.Acc.FieldReadable(obj, f) {
			name = f
			fields = append(fields, f.Name)
		}
		_, hasDeleted := obj.Field("IsDeleted")
		_, hasOwner := obj.Field("OwnerId")
		if hasDeleted {
			fields = append(fields, "IsDeleted")
		}
		if hasOwner {
			fields = append(fields, "OwnerId")
		}
		recs, err := d.store.Get(ctx, c.Org.ID, obj, ids, fields)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			if del, _ := rec["IsDeleted"].(bool); del {
				continue
			}
			if owner, _ := rec["OwnerId"].(string); hasOwner && !env.Acc.CanReadRecord(obj, sfid.ID(owner)) {
				continue
			}
			id, _ := rec["Id"].(string)
			found[sfid.ID(id)] = seen{obj: obj, name: name, rec: rec}
		}
	}
	out := []any{}
	for _, v := range views {
		s, ok := found[v.ID]
		if !ok {
			continue
		}
		item := object{{"attributes", attributes(c.Version, s.obj.Name, string(v.ID))}, {"Id", string(v.ID)}}
		if s.name != nil {
			item = append(item, member{s.name.Name, schema.EncodeValue(s.name, s.rec[s.name.Name])})
		}
		out = append(out, item)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
