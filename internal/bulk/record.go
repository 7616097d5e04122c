package bulk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/bulkcsv"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Cell is one value of an uploaded record: Text for CSV and XML data (an empty Text
// means "no value": the field is left out), Raw for JSON data (Bulk 1.0 JSON batches).
// Null is an explicit null (#N/A in CSV, xsi:nil in XML).
type Cell struct {
	Name string
	Text string
	Raw  json.RawMessage
	Null bool
}

// input turns an uploaded record into a dml.Input: each value converted by its field's
// type (bulkcsv.ToJSON), relationship columns such as Account.ExtId__c resolved to the
// parent's Id through its external ID. Columns that name no field are passed on, so that
// dml answers INVALID_FIELD for them as for any write.
func input(ctx context.Context, tx records.Tx, env *dml.Env, obj *schema.Object, cells []Cell) (dml.Input, error) {
	in := make(dml.Input, 0, len(cells))
	for i, c := range cells {
		if c.Raw == nil && !c.Null && c.Text == "" {
			continue
		}
		if rel, ext, ok := strings.Cut(c.Name, "."); ok {
			f, id, err := resolveParent(ctx, tx, env, obj, rel, ext, c)
			if err != nil {
				return nil, err
			}
			in = append(in, dml.Field{Name: f, Raw: id})
			continue
		}
		raw, err := cellJSON(obj, c, i+1)
		if err != nil {
			return nil, err
		}
		in = append(in, dml.Field{Name: c.Name, Raw: raw})
	}
	return in, nil
}

// cellJSON is a cell's value as the JSON dml decodes; col is its 1-based column, which
// Salesforce names in the error for a value of the wrong type.
func cellJSON(obj *schema.Object, c Cell, col int) (json.RawMessage, error) {
	switch {
	case c.Null:
		return json.RawMessage("null"), nil
	case c.Raw != nil:
		return c.Raw, nil
	}
	f, ok := obj.Field(c.Name)
	if !ok {
		return mustString(c.Text), nil // dml refuses the name
	}
	raw, null, err := bulkcsv.ToJSON(f, c.Text)
	if err != nil {
		var be *bulkcsv.ValueError
		if errors.As(err, &be) {
			be.Column = col
		}
		return nil, valueError(err)
	}
	if null {
		return json.RawMessage("null"), nil
	}
	return raw, nil
}

func valueError(err error) error {
	var be *bulkcsv.ValueError
	if errors.As(err, &be) {
		err = be.Schema()
	}
	var ve *schema.ValueError
	if errors.As(err, &ve) {
		return &apierror.Error{Status: http.StatusBadRequest, Code: ve.Code, Message: ve.Message, Fields: ve.Fields}
	}
	return err
}

func mustString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// ParentField finds the reference field of obj whose relationship name is rel and the
// external ID (or Id) field ext of its target: the two halves of a column such as
// Account.ExtId__c (salesforce-bulk.md §2.5). ok is false when either does not exist
// or the user may not read it.
func ParentField(env *dml.Env, obj *schema.Object, rel, ext string) (ref *schema.Field, target *schema.Object, key *schema.Field, ok bool) {
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if f.Type != schema.TypeReference || !strings.EqualFold(f.RelationshipName, rel) || len(f.ReferenceTo) == 0 {
			continue
		}
		t, found := env.Cat.Object(f.ReferenceTo[0])
		if !found {
			return nil, nil, nil, false
		}
		k, found := t.Field(ext)
		if !found || !(k.ExternalID || k.Type == schema.TypeID) || !env.Acc.FieldReadable(t, k) {
			return nil, nil, nil, false
		}
		return f, t, k, true
	}
	return nil, nil, nil, false
}

// resolveParent looks up the parent record a relationship column names by its external
// ID and returns the reference field and the parent's Id as JSON.
func resolveParent(ctx context.Context, tx records.Tx, env *dml.Env, obj *schema.Object, rel, ext string, c Cell) (string, json.RawMessage, error) {
	ref, target, key, ok := ParentField(env, obj, rel, ext)
	if !ok {
		return "", nil, &apierror.Error{Status: http.StatusBadRequest, Code: "INVALID_FIELD",
			Message: fmt.Sprintf("No such column '%s' on sobject of type %s", c.Name, obj.Name), Fields: []string{}}
	}
	if c.Null {
		return ref.Name, json.RawMessage("null"), nil
	}
	text := c.Text
	if c.Raw != nil {
		var s any
		if json.Unmarshal(c.Raw, &s) == nil {
			text = fmt.Sprint(s)
		}
	}
	raw, null, err := bulkcsv.ToJSON(key, text)
	if err != nil {
		return "", nil, valueError(err)
	}
	if null {
		return ref.Name, json.RawMessage("null"), nil
	}
	v, err := schema.DecodeValue(key, raw)
	if err != nil {
		return "", nil, valueError(err)
	}
	var ids []sfid.ID
	if key.Type == schema.TypeID {
		if id, perr := sfid.Parse(text); perr == nil {
			ids = []sfid.ID{id}
		}
	} else if ids, err = tx.Find(ctx, target, key.Name, v); err != nil {
		return "", nil, err
	}
	switch len(ids) {
	case 0:
		return "", nil, &apierror.Error{Status: http.StatusBadRequest, Code: "INVALID_FIELD",
			Message: fmt.Sprintf("Foreign key external ID: %s not found for field %s in entity %s", text, key.Name, target.Name),
			Fields:  []string{}}
	case 1:
		return ref.Name, mustString(string(ids[0])), nil
	}
	return "", nil, &apierror.Error{Status: http.StatusBadRequest, Code: "INVALID_FIELD",
		Message: fmt.Sprintf("Foreign key external ID: %s matched more than one record for field %s in entity %s", text, key.Name, target.Name),
		Fields:  []string{}}
}
