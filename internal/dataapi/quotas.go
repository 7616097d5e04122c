package dataapi

// Per-app API request quotas (issue 14 §4; limits.AppQuotas; docs/quotas.md): a request
// made with a session of a connected app that has an APIRequestsPerDay quota counts
// against it as well as against the org's DailyApiRequests, and is refused when either is
// spent, with the org limit's own answer — 403 [{"message":"TotalRequests Limit
// exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}] (the reference salesforce-rest.md §5)
// — which every client already handles. Sforce-Limit-Info then carries Salesforce's
// app-scoped form, api-usage=25/5000; per-app-api-usage=17/250(appName=NAME) (the
// reference §6), and GET /limits the app's Max and Remaining under DailyApiRequests.
//
// The app's count goes first: a request the app's quota refuses is not counted for the
// org, and one the org's limit refuses is given back to the app, so each counts only what
// it let through.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// EnableQuotas makes the API count and enforce the apps' API request quotas through q.
func (a *API) EnableQuotas(q *limits.AppQuotas) { a.quotas = q }

// useRequest counts one request of a session of app (zero: none) for the org and the app,
// and returns the Sforce-Limit-Info value and whether both let it through.
func (a *API) useRequest(ctx context.Context, o org.Org, appID sfid.ID) (limitInfo string, ok bool, err error) {
	max := o.APIRequestLimit()
	if a.quotas == nil || appID.IsZero() {
		used, ok := a.usage.UseApp(o.ID, appID, max)
		return fmt.Sprintf("api-usage=%d/%d", used, max), ok, nil
	}
	app, err := a.dir.App(ctx, appID)
	if errors.Is(err, store.ErrNotFound) {
		app, err = org.ConnectedApp{ID: appID}, nil // deleted while its session ran: no quota
	}
	if err != nil {
		return "", false, fmt.Errorf("loading the session's app: %w", err)
	}
	taken, appUsed, refusal := a.quotas.TakeAPI(o.ID, appID, app.AppQuotas)
	var used int
	if refusal == nil {
		if used, ok = a.usage.UseApp(o.ID, appID, max); !ok {
			a.quotas.Return(taken)
			appUsed--
		}
	} else {
		used = a.usage.Used(o.ID)
	}
	limitInfo = fmt.Sprintf("api-usage=%d/%d", used, max)
	if q := app.APIRequestsPerDay; q > 0 {
		limitInfo += fmt.Sprintf("; per-app-api-usage=%d/%d(appName=%s)", appUsed, q, app.Name)
	}
	return limitInfo, ok, nil
}

// perAppLimits are the per-app entries of GET /limits (limits.go), byte-sorted by app
// name: {"Max":0,"Remaining":0} for every app, except under DailyApiRequests (api) an app
// with an APIRequestsPerDay quota: Max the quota, Remaining the quota less what the app
// used in the last 24 hours (the reference salesforce-rest-more.md §5.3, "Per-app
// sub-objects"). An app named Max or Remaining is left out: it would repeat a key.
func (a *API) perAppLimits(o org.Org, apps []org.ConnectedApp) (all, api []limitEntry) {
	for _, app := range apps {
		if app.Name == "Max" || app.Name == "Remaining" {
			continue
		}
		all = append(all, limitEntry{Name: app.Name})
		e := limitEntry{Name: app.Name}
		if q := app.APIRequestsPerDay; q > 0 && a.quotas != nil {
			e.Max = q
			e.Remaining = max(0, q-a.quotas.Used(o.ID, app.ID, limits.APIPerDay, app.AppQuotas))
		}
		api = append(api, e)
	}
	byName := func(x, y limitEntry) int { return strings.Compare(x.Name, y.Name) }
	slices.SortFunc(all, byName)
	slices.SortFunc(api, byName)
	return all, api
}
