package dml

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// convert validates a body for a create (or an update) of obj and returns the values to
// store. Checks, in Salesforce's order: unknown or unreadable fields (INVALID_FIELD),
// fields the user may not write (INVALID_FIELD_FOR_INSERT_UPDATE, all of them at once),
// values (the schema codec's codes), references (MALFORMED_ID, INVALID_CROSS_REFERENCE_KEY),
// then, on create, required fields (REQUIRED_FIELD_MISSING).
func convert(ctx context.Context, tx records.Tx, env *Env, obj *schema.Object, in Input, create bool) (records.Record, error) {
	rec := records.Record{}
	var notWritable []string
	type pending struct {
		f   *schema.Field
		raw json.RawMessage
	}
	var values []pending
	for _, kv := range in {
		if kv.Name == "attributes" {
			continue // clients send {"attributes":{"type":…}}; Salesforce ignores it
		}
		if strings.EqualFold(kv.Name, "Id") {
			if create {
				return nil, apierror.New(http.StatusBadRequest, "INVALID_FIELD", "The Id field should not be specified in the sobject data.")
			}
			continue // an update's Id is the target, checked by the caller
		}
		f, ok := obj.Field(kv.Name)
		if !ok || !env.Acc.FieldReadable(obj, f) {
			return nil, errNoSuchColumn(obj, kv.Name)
		}
		writable := f.Updateable
		if create {
			writable = f.Createable
		}
		if !writable || !env.Acc.FieldEditable(obj, f) {
			notWritable = append(notWritable, f.Name)
			continue
		}
		values = append(values, pending{f, kv.Raw})
	}
	if len(notWritable) > 0 {
		return nil, errNotWritable(notWritable, create)
	}
	for _, p := range values {
		v, err := schema.DecodeValue(p.f, p.raw)
		if err != nil {
			return nil, valueError(p.f, err)
		}
		if p.f.Type == schema.TypeReference && v != nil {
			id, err := checkReference(ctx, tx, env, p.f, v.(string))
			if err != nil {
				return nil, err
			}
			v = string(id)
		}
		rec[p.f.Name] = v
	}
	if create {
		applyDefaults(env, obj, rec)
		if missing := missingRequired(obj, rec); len(missing) > 0 {
			return nil, errRequired(missing)
		}
	} else {
		var nulled []string
		for name, v := range rec {
			if f, _ := obj.Field(name); v == nil && f.Required() {
				nulled = append(nulled, f.Name)
			}
		}
		if len(nulled) > 0 {
			slices.Sort(nulled)
			return nil, errRequired(nulled)
		}
	}
	if err := checkUnique(ctx, tx, obj, rec, ""); err != nil {
		return nil, err
	}
	return rec, nil
}

// valueError turns a codec error into the REST error.
func valueError(f *schema.Field, err error) error {
	var ve *schema.ValueError
	if errors.As(err, &ve) {
		fields := ve.Fields
		if fields == nil {
			fields = []string{}
		}
		return &apierror.Error{Status: http.StatusBadRequest, Code: ve.Code, Message: ve.Message, Fields: fields}
	}
	return &apierror.Error{Status: http.StatusBadRequest, Code: "JSON_PARSER_ERROR", Message: err.Error(), Fields: []string{}}
}

// checkReference validates a reference value: an ID (15 or 18 characters) of one of the
// field's target objects, naming a live record of the org. Existence answers are cached in
// env for the rest of the request (a collection of 200 contacts of one account checks the
// account once).
func checkReference(ctx context.Context, tx records.Tx, env *Env, f *schema.Field, v string) (sfid.ID, error) {
	id, err := sfid.Parse(v)
	var target *schema.Object
	if err == nil {
		for _, name := range f.ReferenceTo {
			if o, ok := env.Cat.Object(name); ok && o.KeyPrefix == id.Prefix() {
				target = o
			}
		}
	}
	if target == nil {
		return "", ErrMalformedID(f.Label, f.Name, v)
	}
	if env.refs == nil {
		env.refs = map[sfid.ID]bool{}
	}
	ok, seen := env.refs[id]
	if !seen {
		var found []sfid.ID
		if target.Setup { // Setup rows are never deleted
			recs, err := tx.Get(ctx, target, []sfid.ID{id}, []string{"Id"})
			if err != nil {
				return "", fmt.Errorf("checking reference %s: %w", id, err)
			}
			if len(recs) == 1 {
				found = []sfid.ID{id}
			}
		} else if found, err = tx.Find(ctx, target, "Id", string(id)); err != nil {
			return "", fmt.Errorf("checking reference %s: %w", id, err)
		}
		ok = len(found) == 1
		env.refs[id] = ok
	}
	if !ok {
		return "", &apierror.Error{Status: http.StatusBadRequest, Code: "INVALID_CROSS_REFERENCE_KEY",
			Message: "invalid cross reference id", Fields: []string{}}
	}
	return id, nil
}

// applyDefaults fills what a create leaves out: the owner (the running user), boolean
// fields (false) and picklist default values.
func applyDefaults(env *Env, obj *schema.Object, rec records.Record) {
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if _, set := rec[f.Name]; set || f.System {
			continue
		}
		switch {
		case f.Name == "OwnerId" && f.Type == schema.TypeReference:
			rec[f.Name] = string(env.UserID)
		case f.Type == schema.TypeBoolean:
			b, _ := f.DefaultValue.(bool)
			rec[f.Name] = b
		case f.Type == schema.TypePicklist || f.Type == schema.TypeMultiPicklist:
			for _, pv := range f.Picklist {
				if pv.DefaultValue && pv.Active {
					rec[f.Name] = pv.Value
				}
			}
		}
	}
	fillCompoundName(obj, rec, nil)
}

// missingRequired lists, in field order, the required fields rec leaves empty.
func missingRequired(obj *schema.Object, rec records.Record) []string {
	var missing []string
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if !f.Required() || f.AutoNumber || f.Name == "OwnerId" {
			continue
		}
		if v, ok := rec[f.Name]; !ok || v == nil || v == "" {
			missing = append(missing, f.Name)
		}
	}
	return missing
}

// fillCompoundName keeps Contact's and Lead's Name (not writable, "FirstName LastName")
// in step with its parts; old holds the stored parts on an update.
func fillCompoundName(obj *schema.Object, rec, old records.Record) {
	name, ok := obj.Field("Name")
	if !ok || name.Createable || name.Updateable || name.Calculated && name.Type != schema.TypeString {
		return
	}
	if _, ok := obj.Field("LastName"); !ok {
		return
	}
	_, fok := rec["FirstName"]
	_, lok := rec["LastName"]
	if !fok && !lok {
		return
	}
	part := func(k string) string {
		if v, ok := rec[k]; ok {
			s, _ := v.(string)
			return s
		}
		s, _ := old[k].(string)
		return s
	}
	rec[name.Name] = strings.TrimSpace(part("FirstName") + " " + part("LastName"))
}

// checkUnique answers DUPLICATE_VALUE before the store would: rec's values for unique and
// external ID fields must not be held by another live record (self is the record being
// updated).
func checkUnique(ctx context.Context, tx records.Tx, obj *schema.Object, rec records.Record, self sfid.ID) error {
	for name, v := range rec {
		f, _ := obj.Field(name)
		if !f.Unique || v == nil || v == "" {
			continue
		}
		ids, err := tx.Find(ctx, obj, f.Name, v)
		if err != nil {
			return fmt.Errorf("checking %s.%s is unique: %w", obj.Name, f.Name, err)
		}
		for _, id := range ids {
			if id != self {
				return duplicate(f.Name, id)
			}
		}
	}
	return nil
}

func duplicate(field string, id sfid.ID) *apierror.Error {
	return &apierror.Error{Status: http.StatusBadRequest, Code: "DUPLICATE_VALUE",
		Message: fmt.Sprintf("duplicate value found: %s duplicates value on record with id: %s", field, id), Fields: []string{}}
}

// storeError maps the store's errors to REST errors; anything else stays internal.
func storeError(err error) error {
	var dup *records.DuplicateError
	if errors.As(err, &dup) {
		return duplicate(dup.Field, dup.ExistingID)
	}
	return err
}
