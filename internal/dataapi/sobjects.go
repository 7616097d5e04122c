package dataapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// sobjects serves /sobjects and everything under it (salesforce-rest.md §3):
//
//	GET  /sobjects                          describeGlobal
//	GET  /sobjects/T                        basic info; POST creates
//	GET  /sobjects/T/describe               describe
//	GET|PATCH|DELETE /sobjects/T/{id}       retrieve, update, delete
//	POST /sobjects/T/Id                     create (API 37.0+)
//	GET|PATCH|DELETE /sobjects/T/{f}/{v}    by external ID: retrieve, upsert, delete
//
// Named sub-resources (updated, listviews, describe/layouts, …) are routed through
// sobjectSubs and describeSubs (sobjects_sub.go); those not served yet answer NOT_FOUND
// (sobjects_unserved.go).
func (d *data) sobjects(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	env, err := d.env(r.Context(), c)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		if err := allow(r, http.MethodGet); err != nil {
			return err
		}
		return d.describeGlobal(w, c, env)
	}
	obj, ok := env.Cat.Object(rest[0])
	if !ok || !env.Acc.Object(obj, access.Read) {
		return apierror.ErrNotFound
	}
	if len(rest) >= 3 && rest[1] == "describe" {
		if h, ok := describeSubs[rest[2]]; ok {
			return h(d, w, r, c, env, obj, rest[3:])
		}
	}
	if len(rest) >= 2 {
		if h, ok := sobjectSubs[rest[1]]; ok {
			return h(d, w, r, c, env, obj, rest[2:])
		}
	}
	if len(rest) >= 2 && unservedSObjectResources[rest[1]] ||
		len(rest) >= 3 && rest[1] == "describe" && unservedDescribeResources[rest[2]] {
		return apierror.ErrNotFound // a sub-resource not served yet (sobjects_unserved.go)
	}
	switch len(rest) {
	case 1:
		if err := allow(r, http.MethodGet, http.MethodPost); err != nil {
			return err
		}
		if r.Method == http.MethodPost {
			return d.create(w, r, c, env, obj)
		}
		return d.basicInfo(w, r, c, env, obj)
	case 2:
		if rest[1] == "describe" {
			if err := allow(r, http.MethodGet); err != nil {
				return err
			}
			return WriteJSON(w, http.StatusOK, schema.Describe(obj, env.Cat, c.Version, func(f *schema.Field) bool {
				return env.Acc.FieldReadable(obj, f)
			}))
		}
		if strings.EqualFold(rest[1], "Id") && r.Method == http.MethodPost {
			return d.create(w, r, c, env, obj)
		}
		id, isID := recordID(obj, rest[1])
		if !isID {
			if looksLikeID(rest[1]) {
				return dml.ErrMalformedID(idLabel(obj), "Id", rest[1])
			}
			// Not an ID: Salesforce reads it as an external ID field name.
			return apierror.New(http.StatusNotFound, "NOT_FOUND",
				"Provided external ID field does not exist or is not accessible: "+rest[1])
		}
		if err := allow(r, http.MethodGet, http.MethodPatch, http.MethodDelete); err != nil {
			return err
		}
		return d.record(w, r, c, env, obj, id)
	case 3:
		if rest[1] == "describe" {
			return apierror.ErrNotFound // describe has no other sub-resource
		}
		if err := allow(r, http.MethodGet, http.MethodPatch, http.MethodDelete); err != nil {
			return err
		}
		return d.byExternalID(w, r, c, env, obj, rest[1], rest[2])
	}
	return apierror.ErrNotFound
}

// recordID parses s as the ID of a record of obj (15 or 18 characters).
func recordID(obj *schema.Object, s string) (sfid.ID, bool) {
	id, err := sfid.Parse(s)
	if err != nil || id.Prefix() != obj.KeyPrefix {
		return "", false
	}
	return id, true
}

// looksLikeID reports whether s has an ID's shape (so a wrong-type ID is MALFORMED_ID,
// not an external ID field name).
func looksLikeID(s string) bool {
	_, err := sfid.Parse(s)
	return err == nil
}

func idLabel(obj *schema.Object) string {
	if f, ok := obj.Field("Id"); ok && f.Label != "" {
		return f.Label
	}
	return obj.Label + " ID"
}

// record serves GET, PATCH and DELETE on /sobjects/T/{id}.
func (d *data) record(w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, id sfid.ID) error {
	ctx := r.Context()
	switch r.Method {
	case http.MethodPatch:
		in, err := d.input(r)
		if err != nil {
			return err
		}
		if err := d.write(ctx, c, func(tx records.Tx) error { return dml.Update(ctx, tx, env, obj, id, in) }); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	case http.MethodDelete:
		if err := d.write(ctx, c, func(tx records.Tx) error { return dml.Delete(ctx, tx, env, obj, id) }); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return d.retrieve(ctx, w, r, c, env, obj, id)
}

// retrieve renders one record, with ?fields= honoured.
func (d *data) retrieve(ctx context.Context, w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, id sfid.ID) error {
	var names []string
	if q := r.URL.Query().Get("fields"); q != "" {
		names = strings.Split(q, ",")
	}
	fields, err := dml.ReadableFields(env, obj, names)
	if err != nil {
		return err
	}
	if names == nil {
		fields = dml.ForVersion(fields, c.Version) // the full record of an API before 30.0
	}
	rec, err := dml.Retrieve(ctx, d.reader(ctx, c), env, obj, id, fields)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, renderRecord(c.Version, obj, rec, fields))
}

// input reads and parses a record body.
func (d *data) input(r *http.Request) (dml.Input, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	return decodeInput(body)
}

// create serves POST /sobjects/T.
func (d *data) create(w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object) error {
	in, err := d.input(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	var id sfid.ID
	err = d.write(ctx, c, func(tx records.Tx) error {
		var err error
		id, err = dml.Create(ctx, tx, env, obj, in)
		return err
	})
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusCreated, saveResult{ID: string(id), Errors: []any{}, Success: true})
}

// byExternalID serves /sobjects/T/{field}/{value}: GET retrieves, PATCH upserts, DELETE
// deletes the record whose external ID field holds value.
func (d *data) byExternalID(w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, field, value string) error {
	ctx := r.Context()
	if r.Method == http.MethodPatch {
		in, err := d.input(r)
		if err != nil {
			return err
		}
		updateOnly, _ := strconv.ParseBool(r.URL.Query().Get("updateOnly"))
		var res dml.UpsertResult
		err = d.write(ctx, c, func(tx records.Tx) error {
			var err error
			res, err = dml.Upsert(ctx, tx, env, obj, field, value, in, updateOnly)
			return err
		})
		if err != nil {
			return err
		}
		if len(res.Matches) > 0 {
			return d.multipleChoices(w, c, obj, res.Matches)
		}
		if versionAtLeast(c.Version, 46) {
			status := http.StatusOK
			if res.Created {
				status = http.StatusCreated
			}
			return WriteJSON(w, status, upsertResult{ID: string(res.ID), Success: true, Errors: []any{}, Created: res.Created})
		}
		if res.Created {
			return WriteJSON(w, http.StatusCreated, saveResult{ID: string(res.ID), Errors: []any{}, Success: true})
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	f, err := dml.ExternalIDField(env, obj, field)
	if err != nil {
		return err
	}
	var ids []sfid.ID
	err = d.findExternal(ctx, c, obj, f, value, &ids)
	if err != nil {
		return err
	}
	switch {
	case len(ids) == 0:
		return apierror.ErrNotFound
	case len(ids) > 1:
		return d.multipleChoices(w, c, obj, ids)
	}
	if r.Method == http.MethodDelete {
		if err := d.write(ctx, c, func(tx records.Tx) error { return dml.Delete(ctx, tx, env, obj, ids[0]) }); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return d.retrieve(ctx, w, r, c, env, obj, ids[0])
}

// findExternal looks up the live records whose field f equals value.
func (d *data) findExternal(ctx context.Context, c *Caller, obj *schema.Object, f *schema.Field, value string, ids *[]sfid.ID) error {
	if f.Type == schema.TypeID {
		if id, ok := recordID(obj, value); ok {
			*ids = []sfid.ID{id}
		}
		return nil
	}
	v, err := schema.DecodeValue(f, quoteForField(f, value))
	if err != nil {
		return apierror.ErrNotFound
	}
	res, err := d.store.Query(ctx, c.Org.ID, &query.Plan{
		Object:  obj,
		Columns: []query.Column{{Path: &query.Path{Field: mustField(obj, "Id"), Name: "Id"}}},
		Where:   &query.Compare{Path: &query.Path{Field: f, Name: f.Name}, Op: "=", Values: []any{v}},
		Limit:   -1,
	}, 0, 0)
	if err != nil {
		return err
	}
	for _, row := range res.Rows {
		id, _ := row.Values[0].(string)
		*ids = append(*ids, sfid.ID(id))
	}
	return nil
}

// mustField returns a field every object has (Id).
func mustField(obj *schema.Object, name string) *schema.Field {
	f, _ := obj.Field(name)
	return f
}

// quoteForField makes the JSON form of a URL value for the codec.
func quoteForField(f *schema.Field, value string) []byte {
	switch f.Type {
	case schema.TypeInt, schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		return []byte(value)
	}
	return []byte(strconv.Quote(value))
}

// multipleChoices is the 300 answer when an external ID matches several records: the
// matching records' URLs.
func (d *data) multipleChoices(w http.ResponseWriter, c *Caller, obj *schema.Object, ids []sfid.ID) error {
	urls := make([]string, len(ids))
	for i, id := range ids {
		urls[i] = sobjectURL(c.Version, obj.Name, string(id))
	}
	return WriteJSON(w, http.StatusMultipleChoices, urls)
}

// versionAtLeast compares an API version such as "59.0" with a major version.
func versionAtLeast(v string, major int) bool {
	n, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return n >= major
}
