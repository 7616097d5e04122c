package dataapi

import (
	"net/http"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/dml"
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

// basicInfo is GET /sobjects/T: the object's describeGlobal entry and recentItems, the
// running user's recently viewed records of T (recent.go).
func (d *data) basicInfo(w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object) error {
	recent, err := d.recentItems(r.Context(), c, env, obj, recentLimit)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, object{
		{"objectDescribe", schema.BasicInfo(obj, c.Version)},
		{"recentItems", recent},
	})
}
