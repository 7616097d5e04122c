package dml

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// target loads the record a write addresses and checks the user may change it: a record
// that does not exist is NOT_FOUND, a deleted one ENTITY_IS_DELETED, one the user may not
// modify (not theirs under a Private or Read org-wide default, no Modify All)
// INSUFFICIENT_ACCESS_OR_READONLY.
func target(ctx context.Context, tx records.Tx, env *Env, obj *schema.Object, id sfid.ID, op access.Op) (records.Record, error) {
	if err := ObjectAccess(env, obj, op); err != nil {
		return nil, err
	}
	fields := []string{"Id", "IsDeleted"}
	if _, ok := obj.Field("OwnerId"); ok {
		fields = append(fields, "OwnerId")
	}
	for _, n := range []string{"FirstName", "LastName"} {
		if _, ok := obj.Field(n); ok {
			fields = append(fields, n)
		}
	}
	recs, err := tx.Get(ctx, obj, []sfid.ID{id}, fields)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errNotFound()
	}
	old := recs[0]
	if old["IsDeleted"] == true {
		return nil, errDeleted()
	}
	owner, _ := old["OwnerId"].(string)
	if !env.Acc.CanModifyRecord(obj, sfid.ID(owner)) {
		return nil, errInsufficient()
	}
	return old, nil
}

// Update validates in and changes record id of obj.
func Update(ctx context.Context, tx records.Tx, env *Env, obj *schema.Object, id sfid.ID, in Input) error {
	old, err := target(ctx, tx, env, obj, id, access.Edit)
	if err != nil {
		return err
	}
	changes, err := convert(ctx, tx, env, obj, in, false)
	if err != nil {
		return err
	}
	if err := checkUnique(ctx, tx, obj, changes, id); err != nil {
		return err
	}
	fillCompoundName(obj, changes, old)
	stamp(env, obj, changes, false)
	if err := tx.Update(ctx, obj, id, changes); err != nil {
		return storeError(err)
	}
	return nil
}

// Delete soft-deletes record id of obj and, as Salesforce does, the children of
// cascade-delete relationships (an Account's Contacts and Opportunities). Live children
// of a restricted-delete relationship (an Account's or a Contact's Cases) make it
// DELETE_FAILED (checkRestricted).
func Delete(ctx context.Context, tx records.Tx, env *Env, obj *schema.Object, id sfid.ID) error {
	if _, err := target(ctx, tx, env, obj, id, access.Delete); err != nil {
		return err
	}
	if err := checkRestricted(ctx, tx, env, obj, id); err != nil {
		return err
	}
	if err := tx.Delete(ctx, obj, []sfid.ID{id}, env.Now); err != nil {
		return err
	}
	for _, cr := range env.Cat.Children(obj.Name) {
		if !cr.CascadeDelete {
			continue
		}
		child, ok := env.Cat.Object(cr.ChildObject)
		if !ok || child.Setup {
			continue
		}
		ids, err := tx.Find(ctx, child, cr.Field, string(id))
		if err != nil {
			return fmt.Errorf("cascading delete to %s: %w", child.Name, err)
		}
		if len(ids) > 0 {
			if err := tx.Delete(ctx, child, ids, env.Now); err != nil {
				return fmt.Errorf("cascading delete to %s: %w", child.Name, err)
			}
		}
	}
	return nil
}

// UpsertResult is the outcome of an upsert by external ID.
type UpsertResult struct {
	ID      sfid.ID
	Created bool
	Matches []sfid.ID // several records hold the value: nothing was written (HTTP 300)
}

// ExternalIDField returns the field of obj an upsert or a GET may match on: an external ID
// field or Id. Anything else is Salesforce's 404 "Provided external ID field does not exist
// or is not accessible".
func ExternalIDField(env *Env, obj *schema.Object, name string) (*schema.Field, error) {
	f, ok := obj.Field(name)
	if !ok || !env.Acc.FieldReadable(obj, f) || !(f.ExternalID || f.Type == schema.TypeID) {
		return nil, apierror.New(http.StatusNotFound, "NOT_FOUND",
			"Provided external ID field does not exist or is not accessible: "+name)
	}
	return f, nil
}

// Upsert creates or updates the record of obj whose field equals value (the URL's
// external ID), from in. updateOnly refuses to create.
func Upsert(ctx context.Context, tx records.Tx, env *Env, obj *schema.Object, field, value string, in Input, updateOnly bool) (UpsertResult, error) {
	f, err := ExternalIDField(env, obj, field)
	if err != nil {
		return UpsertResult{}, err
	}
	var matches []sfid.ID
	if f.Type == schema.TypeID {
		if value != "" {
			id, perr := sfid.Parse(value)
			if perr != nil || id.Prefix() != obj.KeyPrefix {
				return UpsertResult{}, ErrMalformedID(f.Label, f.Name, value)
			}
			matches = []sfid.ID{id}
		}
	} else {
		v, err := externalValue(f, value)
		if err != nil {
			return UpsertResult{}, err
		}
		if matches, err = tx.Find(ctx, obj, f.Name, v); err != nil {
			return UpsertResult{}, err
		}
		in = append(in.Without(f.Name), Field{Name: f.Name, Raw: mustJSON(v)})
	}
	switch {
	case len(matches) > 1:
		return UpsertResult{Matches: matches}, nil
	case len(matches) == 1:
		if f.Type != schema.TypeID {
			in = in.Without(f.Name) // the value is already the record's
		}
		return UpsertResult{ID: matches[0]}, Update(ctx, tx, env, obj, matches[0], in)
	case updateOnly:
		return UpsertResult{}, errNotFound()
	}
	id, err := Create(ctx, tx, env, obj, in)
	return UpsertResult{ID: id, Created: true}, err
}

// externalValue converts the URL form of an external ID to the field's storage form.
func externalValue(f *schema.Field, value string) (any, error) {
	raw := mustJSON(value)
	switch f.Type {
	case schema.TypeInt, schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		raw = json.RawMessage(strings.TrimSpace(value))
	}
	v, err := schema.DecodeValue(f, raw)
	if err != nil {
		return nil, valueError(f, err)
	}
	return v, nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("dml: encoding %T: %v", v, err)) // storage forms always encode
	}
	return b
}
