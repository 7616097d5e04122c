package dml

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// maxRestrictNames is how many blocking children a DELETE_FAILED message names.
const maxRestrictNames = 10

// checkRestricted refuses to delete record id of obj while live children reference it
// through a restricted-delete relationship (describe childRelationships
// restrictedDelete: true, e.g. Account → Cases and Contact → Cases in the fixtures;
// a required custom lookup). Salesforce Help, "Considerations for Deleting Accounts":
// an account with associated cases cannot be deleted.
//
// [UNCONFIRMED] the message text is from memory of Salesforce's DELETE_FAILED answer
// ("Your attempt to delete X could not be completed because it is associated with the
// following cases.: 00001026").
func checkRestricted(ctx context.Context, tx records.Tx, env *Env, obj *schema.Object, id sfid.ID) error {
	for _, cr := range env.Cat.Children(obj.Name) {
		if !cr.RestrictedDelete || cr.CascadeDelete {
			continue
		}
		child, ok := env.Cat.Object(cr.ChildObject)
		if !ok || child.Setup {
			continue
		}
		ids, err := tx.Find(ctx, child, cr.Field, string(id))
		if err != nil {
			return fmt.Errorf("checking %s children: %w", child.Name, err)
		}
		if len(ids) == 0 {
			continue
		}
		names := recordNames(ctx, tx, child, ids[:min(len(ids), maxRestrictNames)])
		parent := string(id)
		if n := recordNames(ctx, tx, obj, []sfid.ID{id}); len(n) == 1 {
			parent = n[0]
		}
		return &apierror.Error{Status: http.StatusBadRequest, Code: "DELETE_FAILED", Fields: []string{},
			Message: fmt.Sprintf("Your attempt to delete %s could not be completed because it is associated with the following %s.: %s",
				parent, strings.ToLower(child.LabelPlural), strings.Join(names, ", "))}
	}
	return nil
}

// recordNames returns the name field values of ids (their Ids when obj has no name
// field or a value is empty).
func recordNames(ctx context.Context, tx records.Tx, obj *schema.Object, ids []sfid.ID) []string {
	nf, ok := obj.NameField()
	if !ok {
		return idStrings(ids)
	}
	recs, err := tx.Get(ctx, obj, ids, []string{"Id", nf.Name})
	if err != nil || len(recs) == 0 {
		return idStrings(ids)
	}
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		s, _ := r[nf.Name].(string)
		if s == "" {
			s, _ = r["Id"].(string)
		}
		out = append(out, s)
	}
	return out
}

func idStrings(ids []sfid.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}
