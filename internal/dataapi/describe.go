package dataapi

import (
	"net/http"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/schema"
)

// describeGlobal is GET /sobjects: the objects the user can see (salesforce-rest.md §3).
func (d *data) describeGlobal(w http.ResponseWriter, c *Caller, env *dml.Env) error {
	var objs []any
	for _, o := range env.Cat.Objects() {
		if env.Acc.Object(o, access.Read) {
			objs = append(objs, schema.DescribeGlobalEntry(o, c.Version))
		}
	}
	return WriteJSON(w, http.StatusOK, object{
		{"encoding", "UTF-8"},
		{"maxBatchSize", 200},
		{"sobjects", objs},
	})
}

// recentLimit bounds recentItems.
const recentLimit = 25

// basicInfo is GET /sobjects/T: the object's describeGlobal entry and recentItems.
// Forcefield has no user interface to view records in, so "recent" is what the running
// user last created or changed through the API (most recent first) — the records an
// integration user's recently-viewed list would hold in a real org.
func (d *data) basicInfo(w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object) error {
	recent := []any{}
	idf, _ := obj.Field("Id")
	by, hasBy := obj.Field("LastModifiedById")
	at, hasAt := obj.Field("LastModifiedDate")
	name, hasName := obj.NameField()
	if !obj.Setup && hasBy && hasAt {
		cols := []query.Column{{Path: &query.Path{Field: idf, Name: "Id"}}}
		if hasName && env.Acc.FieldReadable(obj, name) {
			cols = append(cols, query.Column{Path: &query.Path{Field: name, Name: name.Name}})
		}
		plan := &query.Plan{
			Object:  obj,
			Columns: cols,
			Where:   &query.Compare{Path: &query.Path{Field: by, Name: by.Name}, Op: "=", Values: []any{string(c.Principal.User.ID)}},
			OrderBy: []query.OrderItem{{Path: &query.Path{Field: at, Name: at.Name}, Desc: true}},
			Limit:   recentLimit,
		}
		if v := env.Acc.ReadVisibility(obj); v.Restricted && v.Field == "OwnerId" {
			plan.OwnerID = v.UserID
		}
		res, err := d.store.Query(r.Context(), c.Org.ID, plan, 0, 0)
		if err != nil {
			return err
		}
		for _, row := range res.Rows {
			id, _ := row.Values[0].(string)
			item := object{{"attributes", attributes(c.Version, obj.Name, id)}, {"Id", id}}
			if len(cols) > 1 {
				item = append(item, member{name.Name, schema.EncodeValue(name, row.Values[1])})
			}
			recent = append(recent, item)
		}
	}
	return WriteJSON(w, http.StatusOK, object{
		{"objectDescribe", schema.BasicInfo(obj, c.Version)},
		{"recentItems", recent},
	})
}
