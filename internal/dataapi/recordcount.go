package dataapi

import (
	"net/http"
	"sort"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
)

// errNoViewSetup answers a user without View Setup and Configuration (see recordCount).
var errNoViewSetup = apierror.New(http.StatusForbidden, "INSUFFICIENT_ACCESS",
	"Insufficient Privileges: You do not have the level of access necessary to perform the operation you requested. "+
		"This resource requires the View Setup and Configuration permission.")

// viewSetup reports whether p holds View Setup and Configuration or a permission that
// implies it.
func viewSetup(p org.Principal) bool {
	return p.Has("ViewSetup") || p.Has("ViewAllData") || p.Has("ModifyAllData")
}

type recordCountItem struct {
	Count int64  `json:"count"`
	Name  string `json:"name"`
}

type recordCountBody struct {
	SObjects []recordCountItem `json:"sObjects"`
}

// recordCount is GET /limits/recordCount?sObjects=Account,Contact (v40.0+; REST API
// Developer Guide, resources_record_count.htm and responses_record_count.htm; the
// reference salesforce-rest-more.md §5.4):
//
//	{"sObjects":[{"count":3,"name":"Account"},{"count":10,"name":"Contact"}]}
//
// Rules:
//   - sObjects names objects, comma-separated, in any case; the answer lists them in the
//     order asked, once each, by their canonical names. A name that is not an object of
//     the org, a Setup object (User, Profile, …: not record storage), or an object the
//     running user may not read is ignored, as Salesforce ignores unknown names.
//   - sObjects absent or empty (sf org list sobject record-counts without -s sends
//     "?sObjects") means every data object the user may read, by name, those with no
//     records left out (whether Salesforce lists empty objects is UNCONFIRMED; sf only
//     shows what is returned). An object named explicitly is listed even at 0.
//   - Counts are exact, of live records: soft-deleted ones (the Recycle Bin) excluded, as
//     Salesforce excludes deleted and archived rows; they come from indexes
//     (records.Store.Count), not from reading the records, and see no sharing: the
//     resource reports storage, as Salesforce's cached counts do.
//   - Salesforce requires "View Setup and Configuration". Forcefield's equivalent is the
//     ViewSetup user permission; ViewAllData and ModifyAllData also pass, since Salesforce
//     turns View Setup and Configuration on with them. Without any: 403
//     INSUFFICIENT_ACCESS with the generic "Insufficient Privileges" text (Salesforce's
//     exact answer here is not documented or captured; this is Forcefield's choice).
func (a *API) recordCount(w http.ResponseWriter, r *http.Request, c *Caller) error {
	if !versionAtLeast(c.Version, 40) || a.data == nil {
		return apierror.ErrNotFound
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return apierror.MethodNotAllowed(r.Method, "GET,HEAD")
	}
	if !viewSetup(c.Principal) {
		return errNoViewSetup
	}
	cat, err := a.data.catalog(r.Context(), c.Org.ID)
	if err != nil {
		return err
	}
	if c.access == nil {
		c.access = access.New(c.Principal)
	}
	countable := func(obj *schema.Object) bool { return !obj.Setup && c.access.Object(obj, access.Read) }

	var objs []*schema.Object
	var names []string
	for _, v := range r.URL.Query()["sObjects"] {
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				names = append(names, n)
			}
		}
	}
	all := len(names) == 0
	if all {
		for _, obj := range cat.Objects() {
			if countable(obj) {
				objs = append(objs, obj)
			}
		}
		sort.Slice(objs, func(i, j int) bool { return objs[i].Name < objs[j].Name })
	} else {
		seen := map[string]bool{}
		for _, n := range names {
			obj, ok := cat.Object(n)
			if !ok || seen[obj.Name] || !countable(obj) {
				continue
			}
			seen[obj.Name] = true
			objs = append(objs, obj)
		}
	}
	counts, err := a.data.store.Count(r.Context(), c.Org.ID, objs)
	if err != nil {
		return err
	}
	body := recordCountBody{SObjects: make([]recordCountItem, 0, len(objs))}
	for i, obj := range objs {
		if all && counts[i] == 0 {
			continue
		}
		body.SObjects = append(body.SObjects, recordCountItem{Count: counts[i], Name: obj.Name})
	}
	return WriteJSON(w, http.StatusOK, body)
}
