package dataapi

import (
	"net/http"

	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/schema"
)

// subResource serves a named sub-resource of one sObject: obj is resolved and readable
// by the caller, env is the caller's environment, and rest holds the path segments after
// the sub-resource's name (empty for /sobjects/Account/updated, ["{id}", "describe"] for
// /sobjects/Account/listviews/{id}/describe). It checks the method itself (allow).
type subResource func(d *data, w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, rest []string) error

// sobjectSubs are the sub-resources under /sobjects/{T}/{name}; their names are not record
// IDs, so the router looks them up before reading the segment as an ID or an external ID
// field. Implementing one of sobjects_unserved.go's names means adding it here and
// removing it there.
var sobjectSubs = map[string]subResource{
	"updated":   getUpdated,        // replication.go
	"deleted":   getDeleted,        // replication.go
	"listviews": (*data).listViews, // listviews.go
}

// describeSubs are the sub-resources under /sobjects/{T}/describe/{name}.
var describeSubs = map[string]subResource{
	"layouts":         describeLayouts,         // layouts.go
	"namedLayouts":    describeNamedLayouts,    // layouts.go
	"compactLayouts":  describeCompactLayouts,  // layouts.go
	"approvalLayouts": describeApprovalLayouts, // layouts.go
}
