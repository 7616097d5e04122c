package dataapi

import (
	"context"
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Catalogs gives an org's objects, their storage synced (records.Catalogs).
type Catalogs interface {
	Catalog(ctx context.Context, orgID sfid.ID) (*schema.Catalog, error)
}

// data serves the record resources: sobjects, query, queryAll and composite.
type data struct {
	api   *API
	store records.Store
	cats  Catalogs
	now   func() time.Time
	// orgNow is an org's time (time travel, SetClock): records are stamped with it and
	// SOQL's date literals resolve against it.
	orgNow  func(sfid.ID) time.Time
	cursors *cursors
	lvUses  lvUses // the view each user last opened (listviews.go)
}

// EnableData registers the record resources over st; cats must sync st's storage with
// every catalog it returns (records.NewCatalogs).
func (a *API) EnableData(st records.Store, cats Catalogs, now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	orgNow := func(sfid.ID) time.Time { return now() }
	d := &data{api: a, store: st, cats: cats, now: now, orgNow: orgNow, cursors: newCursors(st, now, orgNow)}
	a.data = d
	a.Handle("sobjects", d.sobjects)
	a.Handle("query", d.query(false))
	a.Handle("queryAll", d.query(true))
	a.Handle("composite", d.composite)
	a.Handle("compactLayouts", d.compactLayoutsGlobal) // layouts.go
	d.enableSearch()                                   // search.go
	a.Handle("recent", d.recent)                       // recent.go
	a.Handle("tabs", d.tabs)                           // tabs.go
	a.Handle("theme", d.theme)                         // tabs.go
}

// SetClock puts each org's records, SOQL date literals and query cursors on the org's
// time (time travel). Call it after EnableData, before serving.
func (a *API) SetClock(clock *orgclock.Clock) {
	a.data.orgNow = clock.Org
	a.data.cursors.orgNow = clock.Org
}

// at is org orgID's time now, as records store it (UTC, milliseconds).
func (d *data) at(orgID sfid.ID) time.Time { return d.orgNow(orgID).UTC().Truncate(time.Millisecond) }

// catalog returns the org's objects.
func (d *data) catalog(ctx context.Context, orgID sfid.ID) (*schema.Catalog, error) {
	return d.cats.Catalog(ctx, orgID)
}

// env is the write environment of a request: the caller's org, user, objects and access.
func (d *data) env(ctx context.Context, c *Caller) (*dml.Env, error) {
	cat, err := d.catalog(ctx, c.Org.ID)
	if err != nil {
		return nil, err
	}
	if c.access == nil {
		c.access = access.New(c.Principal)
	}
	return &dml.Env{OrgID: c.Org.ID, UserID: c.Principal.User.ID, Cat: cat, Acc: c.access,
		Now: d.at(c.Org.ID)}, nil
}

type txKey struct{}

// write runs fn in a write transaction of the caller's org — the one a /composite request
// already holds, if any, so that its subrequests commit or roll back together.
func (d *data) write(ctx context.Context, c *Caller, fn func(records.Tx) error) error {
	if tx, ok := ctx.Value(txKey{}).(records.Tx); ok {
		return fn(tx)
	}
	return d.store.Write(ctx, c.Org.ID, fn)
}

// reader reads records: inside a /composite transaction through it (seeing the
// subrequests' writes), otherwise from the store.
func (d *data) reader(ctx context.Context, c *Caller) dml.Reader {
	if tx, ok := ctx.Value(txKey{}).(records.Tx); ok {
		return tx
	}
	return dml.StoreReader{Store: d.store, OrgID: c.Org.ID}
}

// allow answers 405 unless r's method is one of methods.
func allow(r *http.Request, methods ...string) error {
	for _, m := range methods {
		if r.Method == m || (m == http.MethodGet && r.Method == http.MethodHead) {
			return nil
		}
	}
	list := ""
	for i, m := range methods {
		if i > 0 {
			list += ","
		}
		list += m
		if m == http.MethodGet {
			list += ",HEAD"
		}
	}
	return apierror.MethodNotAllowed(r.Method, list)
}
