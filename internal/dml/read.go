package dml

import (
	"context"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/soql"
)

// Reader is what Retrieve reads through: a records.Store or a records.Tx wrapped by
// TxReader.
type Reader interface {
	Get(ctx context.Context, obj *schema.Object, ids []sfid.ID, fields []string) ([]records.Record, error)
}

// StoreReader reads an org's records through a Store.
type StoreReader struct {
	Store records.Store
	OrgID sfid.ID
}

// Get implements Reader.
func (r StoreReader) Get(ctx context.Context, obj *schema.Object, ids []sfid.ID, fields []string) ([]records.Record, error) {
	return r.Store.Get(ctx, r.OrgID, obj, ids, fields)
}

// ReadableFields resolves a ?fields= list (names separated by commas, any case) to the
// fields of obj the user can read, in the order given; nil names means every readable
// field in describe order. An unknown or unreadable name is INVALID_FIELD, as SOQL says it.
func ReadableFields(env *Env, obj *schema.Object, names []string) ([]*schema.Field, error) {
	var out []*schema.Field
	if names == nil {
		for i := range obj.Fields {
			if f := &obj.Fields[i]; env.Acc.FieldReadable(obj, f) {
				out = append(out, f)
			}
		}
		return out, nil
	}
	// Bounded before any SQL runs (soql.MaxColumns); a field named twice is read and
	// rendered once.
	if len(names) > soql.MaxColumns {
		return nil, apierror.New(http.StatusBadRequest, soql.CodeQueryTooComplicated, soql.MsgTooManyColumns)
	}
	seen := make(map[*schema.Field]bool, len(names))
	for _, n := range names {
		n = strings.TrimSpace(n)
		f, ok := obj.Field(n)
		if !ok || !env.Acc.FieldReadable(obj, f) {
			return nil, apierror.New(http.StatusBadRequest, "INVALID_FIELD",
				"No such column '"+n+"' on entity '"+obj.Name+"'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.")
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, nil
}

// Retrieve reads one record of obj as the user sees it: only the fields given (resolved
// with ReadableFields). A record that is missing or that the user may not see is
// NOT_FOUND, a deleted one ENTITY_IS_DELETED.
func Retrieve(ctx context.Context, r Reader, env *Env, obj *schema.Object, id sfid.ID, fields []*schema.Field) (records.Record, error) {
	recs, err := retrieve(ctx, r, env, obj, []sfid.ID{id}, fields, false)
	if err != nil {
		return nil, err
	}
	return recs[0], nil
}

// RetrieveMany is Retrieve for several IDs (sObject Collections): missing, deleted and
// hidden records are nil entries.
func RetrieveMany(ctx context.Context, r Reader, env *Env, obj *schema.Object, ids []sfid.ID, fields []*schema.Field) ([]records.Record, error) {
	return retrieve(ctx, r, env, obj, ids, fields, true)
}

func retrieve(ctx context.Context, r Reader, env *Env, obj *schema.Object, ids []sfid.ID, fields []*schema.Field, many bool) ([]records.Record, error) {
	if err := ObjectAccess(env, obj, access.Read); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(fields)+4)
	names = append(names, "Id") // Get returns only the fields named
	var compound []*schema.Field
	for _, f := range fields {
		if f.Compound() {
			// Not stored: read the parts and build the value below.
			compound = append(compound, f)
			for _, p := range obj.CompoundParts(f) {
				names = append(names, p.Name)
			}
			continue
		}
		names = append(names, f.Name)
	}
	if !obj.Setup { // Setup views have no IsDeleted
		names = append(names, "IsDeleted")
	}
	if _, ok := obj.Field("OwnerId"); ok {
		names = append(names, "OwnerId")
	}
	if v := env.Acc.ReadVisibility(obj); v.Restricted && v.Field != "OwnerId" {
		names = append(names, v.Field)
	}
	got, err := r.Get(ctx, obj, ids, names)
	if err != nil {
		return nil, err
	}
	byID := make(map[sfid.ID]records.Record, len(got))
	for _, rec := range got {
		id, _ := rec["Id"].(string)
		byID[sfid.ID(id)] = rec
		for _, f := range compound {
			parts := obj.CompoundParts(f)
			rec[f.Name] = schema.CompoundValue(parts, func(i int) any { return rec[parts[i].Name] })
		}
	}
	out := make([]records.Record, len(ids))
	for i, id := range ids {
		rec, ok := byID[id]
		if !ok {
			if !many {
				return nil, errNotFound()
			}
			continue
		}
		owner, _ := rec["OwnerId"].(string)
		visible := env.Acc.CanReadRecord(obj, sfid.ID(owner)) && visibleSetupRow(env, obj, rec)
		switch {
		case !visible && !many:
			return nil, errNotFound()
		case rec["IsDeleted"] == true && !many:
			return nil, errDeleted()
		case !visible || rec["IsDeleted"] == true:
			continue
		}
		out[i] = rec
	}
	return out, nil
}

// visibleSetupRow applies the non-owner visibility rules (LoginHistory's UserId).
func visibleSetupRow(env *Env, obj *schema.Object, rec records.Record) bool {
	v := env.Acc.ReadVisibility(obj)
	if !v.Restricted || v.Field == "OwnerId" {
		return true
	}
	got, _ := rec[v.Field].(string)
	return sfid.ID(got) == v.UserID
}

// ForVersion leaves compound address and location fields out of fields below API 30.0,
// which did not have them (salesforce-rest-more.md §7.2).
func ForVersion(fields []*schema.Field, version string) []*schema.Field {
	if schema.HasCompound(version) {
		return fields
	}
	out := fields[:0:0]
	for _, f := range fields {
		if !f.Compound() {
			out = append(out, f)
		}
	}
	return out
}
