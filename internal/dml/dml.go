// Package dml writes records as the running user: it validates a REST body against the
// object's fields and the user's access, fills the fields Salesforce sets itself (Id,
// OwnerId, CreatedById, CreatedDate, LastModifiedById, LastModifiedDate, SystemModstamp,
// IsDeleted) and stores the result through a records.Tx. Every refusal is a Salesforce
// error with its code and text (the reference salesforce-rest.md §3 and §5); the same
// functions serve the single-record resources, sObject Collections, sObject Tree,
// /composite and org-file seed records, so each rule lives here once.
package dml

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Env is who writes, where and when.
type Env struct {
	OrgID  sfid.ID
	UserID sfid.ID // the running user, stamped on every change
	Cat    *schema.Catalog
	Acc    *access.Checker
	Now    time.Time

	refs map[sfid.ID]bool // reference targets checked in this request: exists?
}

// Field is one key of a request body, in body order.
type Field struct {
	Name string
	Raw  json.RawMessage
}

// Input is a record body: its keys in the order the client sent them.
type Input []Field

// Get returns the raw value of key name (case-insensitive), if present.
func (in Input) Get(name string) (json.RawMessage, bool) {
	for _, f := range in {
		if strings.EqualFold(f.Name, name) {
			return f.Raw, true
		}
	}
	return nil, false
}

// Without returns in minus the keys named.
func (in Input) Without(names ...string) Input {
	out := make(Input, 0, len(in))
next:
	for _, f := range in {
		for _, n := range names {
			if strings.EqualFold(f.Name, n) {
				continue next
			}
		}
		out = append(out, f)
	}
	return out
}

// Errors with Salesforce's texts (salesforce-rest.md §5).
func errNotFound() *apierror.Error {
	return apierror.New(http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
}

func errDeleted() *apierror.Error {
	return &apierror.Error{Status: http.StatusNotFound, Code: "ENTITY_IS_DELETED", Message: "entity is deleted", Fields: []string{}}
}

func errInsufficient() *apierror.Error {
	return &apierror.Error{Status: http.StatusBadRequest, Code: "INSUFFICIENT_ACCESS_OR_READONLY",
		Message: "insufficient access rights on object id", Fields: []string{}}
}

func errNoSuchColumn(obj *schema.Object, name string) *apierror.Error {
	return apierror.New(http.StatusBadRequest, "INVALID_FIELD",
		fmt.Sprintf("No such column '%s' on sobject of type %s", name, obj.Name))
}

func errNotWritable(fields []string, create bool) *apierror.Error {
	verb := "update"
	if create {
		verb = "create/update"
	}
	return &apierror.Error{Status: http.StatusBadRequest, Code: "INVALID_FIELD_FOR_INSERT_UPDATE",
		Message: fmt.Sprintf("Unable to %s fields: %s. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
			verb, strings.Join(fields, ", ")),
		Fields: fields}
}

func errRequired(fields []string) *apierror.Error {
	return &apierror.Error{Status: http.StatusBadRequest, Code: "REQUIRED_FIELD_MISSING",
		Message: "Required fields are missing: [" + strings.Join(fields, ", ") + "]", Fields: fields}
}

// ErrMalformedID is Salesforce's MALFORMED_ID for an ID of the wrong shape or type; label
// is the field's label ("Account ID").
func ErrMalformedID(label, field, value string) *apierror.Error {
	return &apierror.Error{Status: http.StatusBadRequest, Code: "MALFORMED_ID",
		Message: fmt.Sprintf("%s: id value of incorrect type: %s", label, value), Fields: []string{field}}
}

// ObjectAccess checks object-level access for op, answering as Salesforce does: an object
// the user cannot read does not exist for them (404 NOT_FOUND); one they read but cannot
// write is INSUFFICIENT_ACCESS_OR_READONLY.
func ObjectAccess(env *Env, obj *schema.Object, op access.Op) *apierror.Error {
	if !env.Acc.Object(obj, access.Read) {
		return errNotFound()
	}
	if op != access.Read && !env.Acc.Object(obj, op) {
		return errInsufficient()
	}
	return nil
}

// stamp sets the audit fields of a write by env's user at env's time.
func stamp(env *Env, obj *schema.Object, rec records.Record, create bool) {
	set := func(name string, v any) {
		if f, ok := obj.Field(name); ok {
			rec[f.Name] = v
		}
	}
	if create {
		set("CreatedById", string(env.UserID))
		set("CreatedDate", env.Now)
		set("IsDeleted", false)
	}
	set("LastModifiedById", string(env.UserID))
	set("LastModifiedDate", env.Now)
	set("SystemModstamp", env.Now)
}
