package dataapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
)

// GET /limits (REST API Developer Guide, "List Organization Limits", resources_limits.htm;
// the reference salesforce-rest-more.md §5.3).
//
// The body is one object of "Name":{"Max":int,"Remaining":int}, keys sorted. The key set
// is the v66 documentation example's, the same for every edition; the values are that
// example's (an Enterprise org, Forcefield's default edition) except where the edition
// changes them (real Developer Edition captures, below) and except the limits Forcefield
// counts, whose Remaining moves with use:
//   - DailyApiRequests: the org's allocation (org.Org.APIRequestLimit: the org file's
//     dailyApiRequests, else the edition's for its licences), less the requests of the
//     last 24 hours — the figure Sforce-Limit-Info reports too;
//   - DailyBulkApiBatches, DailyBulkV2QueryJobs, DailyBulkV2QueryFileStorageMB: what the
//     Bulk API engine counts (ReportLimit);
//   - DataStorageMB: the edition's allocation less 2 KB per live record of the org's data
//     objects (Salesforce counts most records as 2 KB), rounded up to whole MB, never
//     below 0 (jsforce's own test wants Remaining >= 0; Forcefield does not refuse writes
//     past the allocation);
//   - FileStorageMB: the edition's allocation, all of it remaining (Forcefield stores no
//     files);
//   - PermissionSets and its CreateCustom: 1,500 and 1,000 less the org's permission
//     sets (all of them custom).
//
// Every other value is a constant: Forcefield has no Apex, streaming, reports, email or
// scratch orgs to count.
//
// DailyApiRequests, DailyBulkApiBatches, DailyGenericStreamingApiEvents and
// DailyStreamingApiEvents also carry one key per Connected App of the org, after Max and
// Remaining, byte-sorted, each {"Max":0,"Remaining":0}: Salesforce's shape when no
// per-app quota is set (real v49 output, the reference §5.3); an app with an
// APIRequestsPerDay quota shows it under DailyApiRequests (quotas.go).
// sf org list limits reads only the top-level Max and Remaining; jsforce wants
// DataStorageMB, FileStorageMB and DailyApiRequests with Max > 0.
//
// Salesforce documents the resource for users with View Setup and Configuration; go-
// salesforce calls it to check a token at Init, so Forcefield answers every API user.

// limitMax is the Max of every /limits key for an Enterprise org: the documentation
// example (list-org-limits, v66). DailyApiRequests, DataStorageMB and FileStorageMB are
// computed (org.EditionAllocations), the Bulk API's come from ReportLimit.
var limitMax = map[string]int{
	"ActiveScratchOrgs":                           3,
	"AnalyticsExternalDataSizeMB":                 40960,
	"ConcurrentAsyncGetReportInstances":           200,
	"ConcurrentEinsteinDataInsightsStoryCreation": 5,
	"ConcurrentEinsteinDiscoveryStoryCreation":    2,
	"ConcurrentSyncReportRuns":                    20,
	"DailyAnalyticsDataflowJobExecutions":         60,
	"DailyAnalyticsUploadedFilesSizeMB":           51200,
	"DailyApiRequests":                            0, // org.Org.APIRequestLimit
	"DailyAsyncApexExecutions":                    250000,
	"DailyAsyncApexTests":                         500,
	"DailyBulkApiBatches":                         15000, // the engine's, when it reports
	"DailyBulkV2QueryFileStorageMB":               976562,
	"DailyBulkV2QueryJobs":                        10000,
	"DailyDeliveredPlatformEvents":                10000,
	"DailyDurableGenericStreamingApiEvents":       10000,
	"DailyDurableStreamingApiEvents":              10000,
	"DailyEinsteinDataInsightsStoryCreation":      1000,
	"DailyEinsteinDiscoveryPredictAPICalls":       50000,
	"DailyEinsteinDiscoveryPredictionsByCDC":      5000000,
	"DailyEinsteinDiscoveryStoryCreation":         100,
	"DailyFunctionsApiCallLimit":                  235000,
	"DailyGenericStreamingApiEvents":              10000,
	"DailyScratchOrgs":                            6,
	"DailyStandardVolumePlatformEvents":           10000,
	"DailyStreamingApiEvents":                     10000,
	"DailyWorkflowEmails":                         100000,
	"DataStorageMB":                               0, // org.EditionAllocations
	"DurableStreamingApiConcurrentClients":        20,
	"FileStorageMB":                               0, // org.EditionAllocations
	"HourlyAsyncReportRuns":                       1200,
	"HourlyDashboardRefreshes":                    200,
	"HourlyDashboardResults":                      5000,
	"HourlyDashboardStatuses":                     999999999,
	"HourlyLongTermIdMapping":                     100000,
	"HourlyManagedContentPublicRequests":          50000,
	"HourlyODataCallout":                          20000,
	"HourlyPublishedPlatformEvents":               50000,
	"HourlyPublishedStandardVolumePlatformEvents": 1000,
	"HourlyShortTermIdMapping":                    100000,
	"HourlySyncReportRuns":                        500,
	"HourlyTimeBasedWorkflow":                     1000,
	"MassEmail":                                   5000,
	"MonthlyEinsteinDiscoveryStoryCreation":       500,
	"Package2VersionCreates":                      6,
	"Package2VersionCreatesWithoutValidation":     500,
	"PermissionSets":                              1500,
	"PlatformEventTriggersWithParallelProcessing": 5,
	"PrivateConnectOutboundCalloutHourlyLimitMB":  0,
	"SingleEmail":                                 5000,
	"StreamingApiConcurrentClients":               20,
}

// developerMax are the values a Developer Edition org reports differently: real DE
// captures (the reference §5.3's v49 output; a v48+ DE response kept as a client's test
// fixture). DailyWorkflowEmails differs between captures (195, 390, 405): 390 is taken,
// UNCONFIRMED.
var developerMax = map[string]int{
	"DailyEinsteinDiscoveryPredictionsByCDC": 500000,
	"DailyEinsteinDiscoveryStoryCreation":    20,
	"DailyWorkflowEmails":                    390,
	"HourlyODataCallout":                     1000,
	"HourlyTimeBasedWorkflow":                50,
	"MassEmail":                              10,
	"SingleEmail":                            15,
}

// perAppLimits are the limits that list the org's Connected Apps (the reference §5.3).
var perAppLimits = []string{"DailyApiRequests", "DailyBulkApiBatches", "DailyGenericStreamingApiEvents", "DailyStreamingApiEvents"}

// Custom permission sets an org may have (PermissionSets.CreateCustom).
const maxCustomPermissionSets = 1000

// bytesPerRecord is the data storage Salesforce counts for most records (help "Data and
// File Storage Allocations": "most records use 2 KB").
const bytesPerRecord = 2 << 10

// limitEntry is one /limits value; Sub are the nested objects written after Max and
// Remaining, in order.
type limitEntry struct {
	Name           string
	Max, Remaining int
	Sub            []limitEntry
}

// limitsBody is the /limits object, its entries in key order. Its MarshalJSON keeps that
// order, and within an entry Max and Remaining first (a Go map would sort the sub-keys
// among them).
type limitsBody []limitEntry

func (b limitsBody) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, e := range b {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := e.write(&buf); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func (e limitEntry) write(buf *bytes.Buffer) error {
	name, err := json.Marshal(e.Name)
	if err != nil {
		return err
	}
	buf.Write(name)
	fmt.Fprintf(buf, `:{"Max":%d,"Remaining":%d`, e.Max, e.Remaining)
	for _, s := range e.Sub {
		buf.WriteByte(',')
		if err := s.write(buf); err != nil {
			return err
		}
	}
	buf.WriteByte('}')
	return nil
}

// limits is GET /services/data/vNN.0/limits, and routes /limits/recordCount.
func (a *API) limits(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	if len(rest) == 1 && rest[0] == "recordCount" {
		return a.recordCount(w, r, c)
	}
	if len(rest) > 0 {
		return apierror.ErrNotFound
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return apierror.MethodNotAllowed(r.Method, "GET,HEAD")
	}
	body, err := a.orgLimits(r.Context(), c.Org)
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, body)
}

// orgLimits computes the /limits body of o.
func (a *API) orgLimits(ctx context.Context, o org.Org) (limitsBody, error) {
	alloc := o.Allocations()
	maxes := map[string]int{}
	for k, v := range limitMax {
		maxes[k] = v
	}
	if o.Edition.OrDefault() == org.EditionDeveloper {
		for k, v := range developerMax {
			maxes[k] = v
		}
	}
	maxes["DailyApiRequests"] = alloc.DailyAPIRequests
	maxes["DataStorageMB"] = alloc.DataStorageMB
	maxes["FileStorageMB"] = alloc.FileStorageMB
	for name, m := range a.extraLimits {
		maxes[name] = m
	}
	used := map[string]int{"DailyApiRequests": a.usage.Used(o.ID)}
	for name := range a.extraLimits {
		used[name] = a.usage.UsedN(name, o.ID)
	}
	storageMB, err := a.dataStorageUsedMB(ctx, o)
	if err != nil {
		return nil, err
	}
	used["DataStorageMB"] = storageMB
	st := a.dir.Store()
	sets, err := st.PermissionSets(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("permission sets of org %s: %w", o.ID, err)
	}
	used["PermissionSets"] = len(sets)
	apps, err := st.ConnectedApps(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("connected apps of org %s: %w", o.ID, err)
	}
	perApp, apiPerApp := a.perAppLimits(o, apps) // quotas.go

	names := make([]string, 0, len(maxes))
	for k := range maxes {
		names = append(names, k)
	}
	sort.Strings(names)
	body := make(limitsBody, 0, len(names))
	for _, k := range names {
		e := limitEntry{Name: k, Max: maxes[k], Remaining: max(0, maxes[k]-used[k])}
		switch {
		case k == "PermissionSets":
			e.Sub = []limitEntry{{Name: "CreateCustom", Max: maxCustomPermissionSets,
				Remaining: max(0, maxCustomPermissionSets-len(sets))}}
		case k == "DailyApiRequests":
			e.Sub = apiPerApp
		case slices.Contains(perAppLimits, k):
			e.Sub = perApp
		}
		body = append(body, e)
	}
	return body, nil
}

// dataStorageUsedMB is the data storage o's records take, in whole MB rounded up: 2 KB
// per live record of every data object (Setup objects are not data storage).
func (a *API) dataStorageUsedMB(ctx context.Context, o org.Org) (int, error) {
	if a.data == nil {
		return 0, nil
	}
	cat, err := a.data.catalog(ctx, o.ID)
	if err != nil {
		return 0, err
	}
	var objs []*schema.Object
	for _, obj := range cat.Objects() {
		if !obj.Setup {
			objs = append(objs, obj)
		}
	}
	counts, err := a.data.store.Count(ctx, o.ID, objs)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, c := range counts {
		n += c
	}
	const mb = 1 << 20
	return int((n*bytesPerRecord + mb - 1) / mb), nil
}

// ReportLimit adds a daily allocation counted in the API's limits.Counter under name
// (the Bulk API's DailyBulkApiBatches, …) to GET /limits.
func (a *API) ReportLimit(name string, max int) {
	if a.extraLimits == nil {
		a.extraLimits = map[string]int{}
	}
	a.extraLimits[name] = max
}
