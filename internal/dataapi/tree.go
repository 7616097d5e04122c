package dataapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
)

// sObject Tree (salesforce-rest.md §7): POST /composite/tree/{Type} creates up to 200
// records, parents with their children nested under child relationship names up to five
// levels deep, all or nothing. 201 with every referenceId's new Id, or 400 with the
// failing records' errors (the 400 is the reference's best belief, §11).
const (
	maxTreeRecords = 200
	maxTreeDepth   = 5
)

type treeResult struct {
	ReferenceID string        `json:"referenceId"`
	ID          string        `json:"id,omitempty"`
	Errors      []recordError `json:"errors,omitempty"`
}

// treeNode is one record of the request.
type treeNode struct {
	obj      *schema.Object
	ref      string
	in       dml.Input
	parent   *treeNode
	relField string // the child's reference field to its parent
	id       string
}

func (d *data) tree(w http.ResponseWriter, r *http.Request, c *Caller, typeName string) error {
	if err := allow(r, http.MethodPost); err != nil {
		return err
	}
	env, err := d.env(r.Context(), c)
	if err != nil {
		return err
	}
	root, ok := env.Cat.Object(typeName)
	if !ok || dml.ObjectAccess(env, root, access.Read) != nil {
		return apierror.ErrNotFound
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var req struct {
		Records []json.RawMessage `json:"records"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return syntaxError(body, err)
	}
	var nodes []*treeNode
	for _, raw := range req.Records {
		if err := flattenTree(env, root, raw, nil, "", 1, &nodes); err != nil {
			return err
		}
	}
	if len(nodes) > maxTreeRecords {
		return errTooMany(maxTreeRecords)
	}
	ctx := r.Context()
	var failures []treeResult
	err = d.write(ctx, c, func(tx records.Tx) error {
		for _, n := range nodes {
			if err := createNode(ctx, tx, env, n); err != nil {
				re, ok := asRecordError(err)
				if !ok {
					return err
				}
				failures = append(failures, treeResult{ReferenceID: n.ref, Errors: []recordError{re}})
			}
		}
		if len(failures) > 0 {
			return errRollback
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		return WriteJSON(w, http.StatusBadRequest, object{{"hasErrors", true}, {"results", failures}})
	}
	if err != nil {
		return err
	}
	results := make([]treeResult, len(nodes))
	for i, n := range nodes {
		results[i] = treeResult{ReferenceID: n.ref, ID: n.id}
	}
	return WriteJSON(w, http.StatusCreated, object{{"hasErrors", false}, {"results", results}})
}

// createNode inserts one tree record, pointing it at its parent's new Id.
func createNode(ctx context.Context, tx records.Tx, env *dml.Env, n *treeNode) error {
	in := n.in
	if n.parent != nil {
		if n.parent.id == "" {
			return nil // the parent failed; its error is reported, the transaction rolls back
		}
		raw, _ := json.Marshal(n.parent.id)
		in = append(in.Without(n.relField), dml.Field{Name: n.relField, Raw: raw})
	}
	id, err := dml.Create(ctx, tx, env, n.obj, in)
	n.id = string(id)
	return err
}

// flattenTree reads one record of the tree (and its children) in creation order.
func flattenTree(env *dml.Env, obj *schema.Object, raw json.RawMessage, parent *treeNode, relField string, depth int, out *[]*treeNode) error {
	if depth > maxTreeDepth {
		return apierror.New(http.StatusBadRequest, "INVALID_INPUT", "Too many levels of nesting: the maximum is 5")
	}
	in, err := decodeInput(raw)
	if err != nil {
		return err
	}
	var attrs struct {
		Type        string `json:"type"`
		ReferenceID string `json:"referenceId"`
	}
	if a, ok := in.Get("attributes"); ok {
		json.Unmarshal(a, &attrs)
	}
	if attrs.ReferenceID == "" {
		return apierror.New(http.StatusBadRequest, "INVALID_INPUT", "Include a reference ID for each record in the request.")
	}
	if attrs.Type != "" && !strings.EqualFold(attrs.Type, obj.Name) {
		return apierror.New(http.StatusBadRequest, "INVALID_INPUT", "The type "+attrs.Type+" does not match the expected "+obj.Name)
	}
	n := &treeNode{obj: obj, ref: attrs.ReferenceID, parent: parent, relField: relField}
	*out = append(*out, n)
	var children []struct {
		rel schema.ChildRelationship
		raw []json.RawMessage
	}
	for _, f := range in {
		if f.Name == "attributes" {
			continue
		}
		rel, ok := env.Cat.ChildRelationship(obj.Name, f.Name)
		if !ok {
			n.in = append(n.in, f)
			continue
		}
		var nested struct {
			Records []json.RawMessage `json:"records"`
		}
		if err := json.Unmarshal(f.Raw, &nested); err != nil {
			return parserError("Expected {\"records\": [...]} for the child relationship " + f.Name)
		}
		children = append(children, struct {
			rel schema.ChildRelationship
			raw []json.RawMessage
		}{rel, nested.Records})
	}
	for _, ch := range children {
		child, ok := env.Cat.Object(ch.rel.ChildObject)
		if !ok {
			continue
		}
		for _, raw := range ch.raw {
			if err := flattenTree(env, child, raw, n, ch.rel.Field, depth+1, out); err != nil {
				return err
			}
		}
	}
	return nil
}
