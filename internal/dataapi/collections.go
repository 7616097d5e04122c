package dataapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// sObject Collections (salesforce-rest.md §7): up to 200 records per call, one database
// transaction per call, per-record results whose errors carry statusCode (not errorCode).
const maxCollection = 200

// maxRetrieve bounds the IDs of a collection retrieve (Salesforce: 2000).
const maxRetrieve = 2000

// errRollback ends a write transaction whose results are already decided (allOrNone).
var errRollback = errors.New("rolled back")

// collectionResult is one element of a collection answer.
type collectionResult struct {
	ID      string        `json:"id,omitempty"`
	Success bool          `json:"success"`
	Errors  []recordError `json:"errors"`
	Created *bool         `json:"created,omitempty"`
}

// recordError is an error inside a collection or tree result.
type recordError struct {
	StatusCode string   `json:"statusCode"`
	Message    string   `json:"message"`
	Fields     []string `json:"fields"`
}

// asRecordError turns a DML refusal into a per-record error; other errors stay errors.
func asRecordError(err error) (recordError, bool) {
	var e *apierror.Error
	if !errors.As(err, &e) {
		return recordError{}, false
	}
	fields := e.Fields
	if fields == nil {
		fields = []string{}
	}
	return recordError{StatusCode: e.Code, Message: e.Message, Fields: fields}, true
}

var rolledBack = recordError{StatusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
	Message: "Record rolled back because not all records were valid and the request was using AllOrNone header", Fields: []string{}}

func errTooMany(max int) error {
	return apierror.New(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", fmt.Sprintf("record limit reached. cannot submit more than %d records into this call", max))
}

// collectionBody is the request of create, update and upsert.
type collectionBody struct {
	AllOrNone bool              `json:"allOrNone"`
	Records   []json.RawMessage `json:"records"`
}

// collectionsRoute serves /composite/sobjects[/T[/Field]].
func (d *data) collectionsRoute(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	env, err := d.env(r.Context(), c)
	if err != nil {
		return err
	}
	switch len(rest) {
	case 0:
		if err := allow(r, http.MethodPost, http.MethodPatch, http.MethodDelete); err != nil {
			return err
		}
		if r.Method == http.MethodDelete {
			return d.collectionDelete(w, r, c, env)
		}
		return d.collectionWrite(w, r, c, env, nil, "")
	case 1, 2:
		obj, ok := env.Cat.Object(rest[0])
		if !ok || dml.ObjectAccess(env, obj, access.Read) != nil {
			return apierror.ErrNotFound
		}
		if len(rest) == 2 {
			if err := allow(r, http.MethodPatch); err != nil {
				return err
			}
			return d.collectionWrite(w, r, c, env, obj, rest[1])
		}
		if err := allow(r, http.MethodGet, http.MethodPost); err != nil {
			return err
		}
		return d.collectionRetrieve(w, r, c, env, obj)
	}
	return apierror.ErrNotFound
}

// recordType reads attributes.type of a collection record.
func recordType(env *dml.Env, in dml.Input) (*schema.Object, error) {
	raw, ok := in.Get("attributes")
	var attrs struct {
		Type string `json:"type"`
	}
	if ok {
		json.Unmarshal(raw, &attrs)
	}
	if attrs.Type == "" {
		return nil, apierror.New(http.StatusBadRequest, "INVALID_TYPE", "Must send a concrete entity type.")
	}
	obj, found := env.Cat.Object(attrs.Type)
	if !found || dml.ObjectAccess(env, obj, access.Read) != nil {
		return nil, apierror.New(http.StatusBadRequest, "INVALID_TYPE", "sObject type '"+attrs.Type+"' is not supported.")
	}
	return obj, nil
}

// collectionWrite serves create (POST), update (PATCH) and upsert (PATCH …/T/Field).
func (d *data) collectionWrite(w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, upsertObj *schema.Object, extField string) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var req collectionBody
	if err := json.Unmarshal(body, &req); err != nil {
		return syntaxError(body, err)
	}
	if len(req.Records) > maxCollection {
		return errTooMany(maxCollection)
	}
	inputs := make([]dml.Input, len(req.Records))
	for i, raw := range req.Records {
		if inputs[i], err = decodeInput(raw); err != nil {
			return err
		}
	}
	ctx := r.Context()
	results := make([]collectionResult, len(inputs))
	err = d.write(ctx, c, func(tx records.Tx) error {
		if r.Method == http.MethodPost && upsertObj == nil {
			if done, err := d.createAll(ctx, tx, env, inputs, results); done || err != nil {
				return err
			}
		}
		failed := false
		for i, in := range inputs {
			res, err := d.writeOne(ctx, tx, r.Method, env, in, upsertObj, extField)
			if err != nil {
				re, ok := asRecordError(err)
				if !ok {
					return err
				}
				res = collectionResult{ID: res.ID, Errors: []recordError{re}}
				if upsertObj != nil {
					res.Created = new(bool) // an UpsertResult always says created (false here)
				}
				failed = true
			}
			results[i] = res
		}
		if failed && req.AllOrNone {
			return errRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return err
	}
	if errors.Is(err, errRollback) {
		for i := range results {
			if results[i].Success {
				// A rolled-back create reports no ID: the record no longer exists, and its
				// ID may be given to the next record created. An upsert's result keeps
				// created (true: the record would have been created), as every
				// UpsertResult carries it and clients read it (issue 13 §2).
				id, created := results[i].ID, results[i].Created
				if r.Method == http.MethodPost || created != nil && *created {
					id = ""
				}
				results[i] = collectionResult{ID: id, Errors: []recordError{rolledBack}, Created: created}
			}
		}
	}
	return WriteJSON(w, http.StatusOK, results)
}

// writeOne creates, updates or upserts one collection record.
func (d *data) writeOne(ctx context.Context, tx records.Tx, method string, env *dml.Env, in dml.Input, upsertObj *schema.Object, extField string) (collectionResult, error) {
	obj := upsertObj
	if obj == nil {
		var err error
		if obj, err = recordType(env, in); err != nil {
			return collectionResult{}, err
		}
	}
	ok := func(id sfid.ID) collectionResult {
		return collectionResult{ID: string(id), Success: true, Errors: []recordError{}}
	}
	switch {
	case upsertObj != nil:
		f, err := dml.ExternalIDField(env, obj, extField)
		if err != nil {
			return collectionResult{}, err
		}
		raw, _ := in.Get(f.Name)
		var value string
		if err := json.Unmarshal(raw, &value); err != nil {
			value = strings.TrimSpace(string(raw))
		}
		res, err := dml.Upsert(ctx, tx, env, obj, f.Name, value, in, false)
		if err != nil {
			return collectionResult{}, err
		}
		if len(res.Matches) > 1 {
			return collectionResult{}, apierror.New(http.StatusMultipleChoices, "DUPLICATE_EXTERNAL_ID",
				f.Name+": more than one record found for external id field: "+strings.Join(idStrings(res.Matches), ", "))
		}
		out := ok(res.ID)
		out.Created = &res.Created
		return out, nil
	case method == http.MethodPatch:
		raw, found := in.Get("Id")
		var s string
		json.Unmarshal(raw, &s)
		id, isID := recordID(obj, s)
		if !found || !isID {
			return collectionResult{ID: s}, dml.ErrMalformedID(idLabel(obj), "Id", s)
		}
		if err := dml.Update(ctx, tx, env, obj, id, in); err != nil {
			return collectionResult{ID: string(id)}, err
		}
		return ok(id), nil
	}
	id, err := dml.Create(ctx, tx, env, obj, in)
	if err != nil {
		return collectionResult{}, err
	}
	return ok(id), nil
}

func idStrings(ids []sfid.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// collectionDelete serves DELETE /composite/sobjects?ids=…&allOrNone=….
func (d *data) collectionDelete(w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env) error {
	q := r.URL.Query()
	var ids []string
	for _, s := range strings.Split(q.Get("ids"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			ids = append(ids, s)
		}
	}
	if len(ids) > maxCollection {
		return errTooMany(maxCollection)
	}
	allOrNone, _ := strconv.ParseBool(q.Get("allOrNone"))
	ctx := r.Context()
	results := make([]collectionResult, len(ids))
	err := d.write(ctx, c, func(tx records.Tx) error {
		failed := false
		for i, s := range ids {
			err := deleteByID(ctx, tx, env, s)
			if err != nil {
				re, ok := asRecordError(err)
				if !ok {
					return err
				}
				results[i] = collectionResult{ID: s, Errors: []recordError{re}}
				failed = true
				continue
			}
			id, _ := sfid.Parse(s)
			results[i] = collectionResult{ID: string(id), Success: true, Errors: []recordError{}}
		}
		if failed && allOrNone {
			return errRollback
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		for i := range results {
			if results[i].Success {
				results[i] = collectionResult{ID: results[i].ID, Errors: []recordError{rolledBack}}
			}
		}
	} else if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, results)
}

// deleteByID deletes the record an ID names, whatever its object.
func deleteByID(ctx context.Context, tx records.Tx, env *dml.Env, s string) error {
	id, err := sfid.Parse(s)
	if err != nil {
		return &apierror.Error{Status: http.StatusBadRequest, Code: "MALFORMED_ID", Message: "malformed id " + s, Fields: []string{}}
	}
	obj, ok := env.Cat.ByPrefix(id.Prefix())
	if !ok || dml.ObjectAccess(env, obj, access.Read) != nil {
		return &apierror.Error{Status: http.StatusNotFound, Code: "INVALID_CROSS_REFERENCE_KEY", Message: "invalid cross reference id", Fields: []string{}}
	}
	return dml.Delete(ctx, tx, env, obj, id)
}

// collectionRetrieve serves GET /composite/sobjects/T?ids=…&fields=… and the POST form
// with {"ids":[…],"fields":[…]} (jsforce's): records in the order asked, null for IDs
// not found or not visible.
func (d *data) collectionRetrieve(w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object) error {
	var req struct {
		IDs    []string `json:"ids"`
		Fields []string `json:"fields"`
	}
	if r.Method == http.MethodPost {
		body, err := readBody(r)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return syntaxError(body, err)
		}
	} else {
		q := r.URL.Query()
		req.IDs = splitList(q.Get("ids"))
		req.Fields = splitList(q.Get("fields"))
	}
	if len(req.IDs) > maxRetrieve {
		return errTooMany(maxRetrieve)
	}
	if len(req.Fields) == 0 {
		return apierror.New(http.StatusBadRequest, "INVALID_FIELD", "The fields parameter is required")
	}
	fields, err := dml.ReadableFields(env, obj, req.Fields)
	if err != nil {
		return err
	}
	ids := make([]sfid.ID, len(req.IDs))
	for i, s := range req.IDs {
		id, ok := recordID(obj, s)
		if !ok {
			return dml.ErrMalformedID(idLabel(obj), "Id", s)
		}
		ids[i] = id
	}
	recs, err := dml.RetrieveMany(r.Context(), d.reader(r.Context(), c), env, obj, ids, fields)
	if err != nil {
		return err
	}
	out := make([]any, len(ids))
	for i := range ids {
		if recs[i] != nil {
			out[i] = renderRecord(c.Version, obj, recs[i], fields)
		}
	}
	return WriteJSON(w, http.StatusOK, out)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
