package dataapi

import (
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/layout"
	"github.com/forcefield/forcefield/internal/schema"
)

// The describe-layout resources (salesforce-rest-more.md §3), derived by internal/layout
// from the object's describe as the running user sees it:
//
//	GET /sobjects/T/describe/layouts/                   DescribeLayoutResult
//	GET /sobjects/T/describe/layouts/{recordTypeId}     one DescribeLayout
//	GET /sobjects/T/describe/namedLayouts/{name}        DescribeLayoutResult (User: UserAlt)
//	GET /sobjects/T/describe/compactLayouts/            DescribeCompactLayoutsResult
//	GET /sobjects/T/describe/compactLayouts/primary     one compact layout
//	GET /sobjects/T/describe/compactLayouts/{rtId}      one compact layout
//	GET /sobjects/T/describe/approvalLayouts/[{name}]   {"approvalLayouts":[]}
//	GET /compactLayouts?q=Account,Contact               {"Account":{…},"Contact":{…}}
//
// Objects that are not layoutable (Profile, PermissionSet, Organization, LoginHistory)
// answer 404 NOT_FOUND, as do unknown record types, layout names and approval processes:
// describeGlobal advertises these URLs only where they exist (schema.DescribeGlobalEntry).
// Wrong methods answer 405 "Allowed are GET,HEAD".

// describeLayouts serves …/describe/layouts[/{recordTypeId}].
func describeLayouts(d *data, w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, rest []string) error {
	if !layout.Available(obj) || len(rest) > 1 {
		return apierror.ErrNotFound
	}
	if err := allow(r, http.MethodGet); err != nil {
		return err
	}
	if len(rest) == 0 {
		return WriteJSON(w, http.StatusOK, layout.Layouts(obj, env.Cat, c.Version, env.Acc))
	}
	l, ok := layout.ForRecordType(obj, env.Cat, c.Version, env.Acc, rest[0])
	if !ok {
		return apierror.ErrNotFound
	}
	return WriteJSON(w, http.StatusOK, l)
}

// describeNamedLayouts serves …/describe/namedLayouts/{name}.
func describeNamedLayouts(d *data, w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, rest []string) error {
	if !layout.Available(obj) || len(rest) != 1 {
		return apierror.ErrNotFound
	}
	if err := allow(r, http.MethodGet); err != nil {
		return err
	}
	res, ok := layout.Named(obj, env.Cat, c.Version, env.Acc, rest[0])
	if !ok {
		return apierror.ErrNotFound
	}
	return WriteJSON(w, http.StatusOK, res)
}

// describeCompactLayouts serves …/describe/compactLayouts[/primary|/{recordTypeId}].
func describeCompactLayouts(d *data, w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, rest []string) error {
	if !layout.Available(obj) || len(rest) > 1 {
		return apierror.ErrNotFound
	}
	if err := allow(r, http.MethodGet); err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return WriteJSON(w, http.StatusOK, layout.Compacts(obj, c.Version, env.Acc))
	case rest[0] == "primary":
		return WriteJSON(w, http.StatusOK, layout.PrimaryCompact(obj, c.Version, env.Acc))
	}
	cl, ok := layout.CompactForRecordType(obj, c.Version, env.Acc, rest[0])
	if !ok {
		return apierror.ErrNotFound
	}
	return WriteJSON(w, http.StatusOK, cl)
}

// describeApprovalLayouts serves …/describe/approvalLayouts[/{processName}]. There are no
// approval processes: the list is empty and any process name is unknown (404)
// [UNCONFIRMED: the answer for an unknown process name].
func describeApprovalLayouts(d *data, w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, rest []string) error {
	if !layout.HasApprovalLayouts(obj) || len(rest) > 0 {
		return apierror.ErrNotFound
	}
	if err := allow(r, http.MethodGet); err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, layout.Approvals())
}

// maxCompactObjects is how many objects /compactLayouts?q= takes at once (DOC Compact
// Layouts: "Up to 100 objects can be queried at once").
const maxCompactObjects = 100

// compactLayoutsGlobal serves GET /compactLayouts?q=A,B: each object's primary compact
// layout keyed by its name as the catalog spells it, in the order asked (repeats once).
// A missing or empty q, or more than 100 objects, is 400 INVALID_PARAMETER_VALUE; an
// object that does not exist, that the user may not read or that has no layouts is 404
// NOT_FOUND, as its /describe/compactLayouts would be [UNCONFIRMED: errorCodes and
// messages of these refusals].
func (d *data) compactLayoutsGlobal(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	if len(rest) > 0 {
		return apierror.ErrNotFound
	}
	if err := allow(r, http.MethodGet); err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return apierror.New(http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required parameter: q")
	}
	names := strings.Split(q, ",")
	if len(names) > maxCompactObjects {
		return apierror.New(http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Too many objects in q: at most 100 are allowed")
	}
	env, err := d.env(r.Context(), c)
	if err != nil {
		return err
	}
	out := make(object, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		obj, ok := env.Cat.Object(strings.TrimSpace(n))
		if !ok || !env.Acc.Object(obj, access.Read) || !layout.Available(obj) {
			return apierror.ErrNotFound
		}
		if seen[obj.Name] {
			continue
		}
		seen[obj.Name] = true
		out = append(out, member{obj.Name, layout.PrimaryCompact(obj, c.Version, env.Acc)})
	}
	return WriteJSON(w, http.StatusOK, out)
}
