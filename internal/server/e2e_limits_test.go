package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// devOrgFile is a Developer Edition org: an admin with View Setup and Configuration, a
// user without it, an inactive user, two permission sets, three connected apps (one
// lower-case, to check the per-app keys' byte order) and seed records, one of an object
// the admin may not read (Case).
const devOrgFile = `
orgs:
  - name: Dev
    edition: Developer
    profiles:
      - name: Admin
        permissions: [ApiEnabled, ViewSetup]
        objects:
          Account: [Read, Create, Edit, Delete]
          Contact: [Read, Create, Edit, Delete]
          Lead: [Read]
        fields:
          Account.*: [Read, Edit]
          Contact.*: [Read, Edit]
      - name: No Setup
        permissions: [ApiEnabled]
        objects:
          Account: [Read]
    permissionSets:
      - {name: Extra, permissions: [ViewSetup]}
      - {name: More, permissions: []}
    users:
      - {username: admin@dev.example, lastName: Admin, email: admin@dev.example, profile: Admin}
      - {username: nosetup@dev.example, lastName: NoSetup, email: nosetup@dev.example, profile: No Setup}
      - {username: gone@dev.example, lastName: Gone, email: gone@dev.example, profile: No Setup, active: false}
    connectedApps:
      - {name: Dev App, scopes: [api], consumerKey: DevKey0001, consumerSecret: DevSecret0001, clientCredentials: {enabled: true, runAs: admin@dev.example}}
      - {name: NoSetup App, scopes: [api], consumerKey: NoSetupKey0001, consumerSecret: NoSetupSecret0001, clientCredentials: {enabled: true, runAs: nosetup@dev.example}}
      - {name: aardvark, scopes: [api]}
    records:
      - {object: Account, ref: a1, fields: {Name: One}}
      - {object: Account, ref: a2, fields: {Name: Two}}
      - {object: Account, ref: a3, fields: {Name: Three}}
      - {object: Contact, fields: {LastName: Ada, AccountId: "@a1"}}
      - {object: Contact, fields: {LastName: Bob, AccountId: "@a2"}}
      - {object: Case, fields: {Subject: Hidden}}
`

// devApps are the per-app entries of the Developer org: its Connected Apps, byte order.
// The server's built-in "Salesforce CLI" app (the sf CLI's PlatformCLI, docs/web-flow.md)
// lives in the first org, so it is one of the org's apps here.
const devApps = `"Dev App":{"Max":0,"Remaining":0},"NoSetup App":{"Max":0,"Remaining":0},"Salesforce CLI":{"Max":0,"Remaining":0},"aardvark":{"Max":0,"Remaining":0}`

// devLimits is the whole /limits body of the Developer org with DailyApiRequests and
// DataStorageMB Remaining left as %d: the key set of the documentation example
// (salesforce-rest-more.md §5.3), sorted, with a Developer Edition's values (real DE
// captures: DataStorageMB 5, FileStorageMB 20, MassEmail 10, SingleEmail 15, …).
var devLimits = strings.ReplaceAll(`{"ActiveScratchOrgs":{"Max":3,"Remaining":3},
	"AnalyticsExternalDataSizeMB":{"Max":40960,"Remaining":40960},
	"ConcurrentAsyncGetReportInstances":{"Max":200,"Remaining":200},
	"ConcurrentEinsteinDataInsightsStoryCreation":{"Max":5,"Remaining":5},
	"ConcurrentEinsteinDiscoveryStoryCreation":{"Max":2,"Remaining":2},
	"ConcurrentSyncReportRuns":{"Max":20,"Remaining":20},
	"DailyAnalyticsDataflowJobExecutions":{"Max":60,"Remaining":60},
	"DailyAnalyticsUploadedFilesSizeMB":{"Max":51200,"Remaining":51200},
	"DailyApiRequests":{"Max":15000,"Remaining":%d,`+devApps+`},
	"DailyAsyncApexExecutions":{"Max":250000,"Remaining":250000},
	"DailyAsyncApexTests":{"Max":500,"Remaining":500},
	"DailyBulkApiBatches":{"Max":15000,"Remaining":15000,`+devApps+`},
	"DailyBulkV2QueryFileStorageMB":{"Max":976562,"Remaining":976562},
	"DailyBulkV2QueryJobs":{"Max":10000,"Remaining":10000},
	"DailyDeliveredPlatformEvents":{"Max":10000,"Remaining":10000},
	"DailyDurableGenericStreamingApiEvents":{"Max":10000,"Remaining":10000},
	"DailyDurableStreamingApiEvents":{"Max":10000,"Remaining":10000},
	"DailyEinsteinDataInsightsStoryCreation":{"Max":1000,"Remaining":1000},
	"DailyEinsteinDiscoveryPredictAPICalls":{"Max":50000,"Remaining":50000},
	"DailyEinsteinDiscoveryPredictionsByCDC":{"Max":500000,"Remaining":500000},
	"DailyEinsteinDiscoveryStoryCreation":{"Max":20,"Remaining":20},
	"DailyFunctionsApiCallLimit":{"Max":235000,"Remaining":235000},
	"DailyGenericStreamingApiEvents":{"Max":10000,"Remaining":10000,`+devApps+`},
	"DailyScratchOrgs":{"Max":6,"Remaining":6},
	"DailyStandardVolumePlatformEvents":{"Max":10000,"Remaining":10000},
	"DailyStreamingApiEvents":{"Max":10000,"Remaining":10000,`+devApps+`},
	"DailyWorkflowEmails":{"Max":390,"Remaining":390},
	"DataStorageMB":{"Max":5,"Remaining":%d},
	"DurableStreamingApiConcurrentClients":{"Max":20,"Remaining":20},
	"FileStorageMB":{"Max":20,"Remaining":20},
	"HourlyAsyncReportRuns":{"Max":1200,"Remaining":1200},
	"HourlyDashboardRefreshes":{"Max":200,"Remaining":200},
	"HourlyDashboardResults":{"Max":5000,"Remaining":5000},
	"HourlyDashboardStatuses":{"Max":999999999,"Remaining":999999999},
	"HourlyLongTermIdMapping":{"Max":100000,"Remaining":100000},
	"HourlyManagedContentPublicRequests":{"Max":50000,"Remaining":50000},
	"HourlyODataCallout":{"Max":1000,"Remaining":1000},
	"HourlyPublishedPlatformEvents":{"Max":50000,"Remaining":50000},
	"HourlyPublishedStandardVolumePlatformEvents":{"Max":1000,"Remaining":1000},
	"HourlyShortTermIdMapping":{"Max":100000,"Remaining":100000},
	"HourlySyncReportRuns":{"Max":500,"Remaining":500},
	"HourlyTimeBasedWorkflow":{"Max":50,"Remaining":50},
	"MassEmail":{"Max":10,"Remaining":10},
	"MonthlyEinsteinDiscoveryStoryCreation":{"Max":500,"Remaining":500},
	"Package2VersionCreates":{"Max":6,"Remaining":6},
	"Package2VersionCreatesWithoutValidation":{"Max":500,"Remaining":500},
	"PermissionSets":{"Max":1500,"Remaining":1498,"CreateCustom":{"Max":1000,"Remaining":998}},
	"PlatformEventTriggersWithParallelProcessing":{"Max":5,"Remaining":5},
	"PrivateConnectOutboundCalloutHourlyLimitMB":{"Max":0,"Remaining":0},
	"SingleEmail":{"Max":15,"Remaining":15},
	"StreamingApiConcurrentClients":{"Max":20,"Remaining":20}}`, "\n\t", "")

// enterpriseLimits is the /limits body of an Enterprise Edition org (the default) with
// its per-app entries as apps and, as %d in order, DailyApiRequests Max and Remaining,
// DataStorageMB Max and Remaining, FileStorageMB Max and Remaining: the documentation
// example's values (salesforce-rest-more.md §5.3).
func enterpriseLimits(apps string) string {
	return strings.ReplaceAll(`{"ActiveScratchOrgs":{"Max":3,"Remaining":3},
	"AnalyticsExternalDataSizeMB":{"Max":40960,"Remaining":40960},
	"ConcurrentAsyncGetReportInstances":{"Max":200,"Remaining":200},
	"ConcurrentEinsteinDataInsightsStoryCreation":{"Max":5,"Remaining":5},
	"ConcurrentEinsteinDiscoveryStoryCreation":{"Max":2,"Remaining":2},
	"ConcurrentSyncReportRuns":{"Max":20,"Remaining":20},
	"DailyAnalyticsDataflowJobExecutions":{"Max":60,"Remaining":60},
	"DailyAnalyticsUploadedFilesSizeMB":{"Max":51200,"Remaining":51200},
	"DailyApiRequests":{"Max":%d,"Remaining":%d,`+apps+`},
	"DailyAsyncApexExecutions":{"Max":250000,"Remaining":250000},
	"DailyAsyncApexTests":{"Max":500,"Remaining":500},
	"DailyBulkApiBatches":{"Max":15000,"Remaining":15000,`+apps+`},
	"DailyBulkV2QueryFileStorageMB":{"Max":976562,"Remaining":976562},
	"DailyBulkV2QueryJobs":{"Max":10000,"Remaining":10000},
	"DailyDeliveredPlatformEvents":{"Max":10000,"Remaining":10000},
	"DailyDurableGenericStreamingApiEvents":{"Max":10000,"Remaining":10000},
	"DailyDurableStreamingApiEvents":{"Max":10000,"Remaining":10000},
	"DailyEinsteinDataInsightsStoryCreation":{"Max":1000,"Remaining":1000},
	"DailyEinsteinDiscoveryPredictAPICalls":{"Max":50000,"Remaining":50000},
	"DailyEinsteinDiscoveryPredictionsByCDC":{"Max":5000000,"Remaining":5000000},
	"DailyEinsteinDiscoveryStoryCreation":{"Max":100,"Remaining":100},
	"DailyFunctionsApiCallLimit":{"Max":235000,"Remaining":235000},
	"DailyGenericStreamingApiEvents":{"Max":10000,"Remaining":10000,`+apps+`},
	"DailyScratchOrgs":{"Max":6,"Remaining":6},
	"DailyStandardVolumePlatformEvents":{"Max":10000,"Remaining":10000},
	"DailyStreamingApiEvents":{"Max":10000,"Remaining":10000,`+apps+`},
	"DailyWorkflowEmails":{"Max":100000,"Remaining":100000},
	"DataStorageMB":{"Max":%d,"Remaining":%d},
	"DurableStreamingApiConcurrentClients":{"Max":20,"Remaining":20},
	"FileStorageMB":{"Max":%d,"Remaining":%d},
	"HourlyAsyncReportRuns":{"Max":1200,"Remaining":1200},
	"HourlyDashboardRefreshes":{"Max":200,"Remaining":200},
	"HourlyDashboardResults":{"Max":5000,"Remaining":5000},
	"HourlyDashboardStatuses":{"Max":999999999,"Remaining":999999999},
	"HourlyLongTermIdMapping":{"Max":100000,"Remaining":100000},
	"HourlyManagedContentPublicRequests":{"Max":50000,"Remaining":50000},
	"HourlyODataCallout":{"Max":20000,"Remaining":20000},
	"HourlyPublishedPlatformEvents":{"Max":50000,"Remaining":50000},
	"HourlyPublishedStandardVolumePlatformEvents":{"Max":1000,"Remaining":1000},
	"HourlyShortTermIdMapping":{"Max":100000,"Remaining":100000},
	"HourlySyncReportRuns":{"Max":500,"Remaining":500},
	"HourlyTimeBasedWorkflow":{"Max":1000,"Remaining":1000},
	"MassEmail":{"Max":5000,"Remaining":5000},
	"MonthlyEinsteinDiscoveryStoryCreation":{"Max":500,"Remaining":500},
	"Package2VersionCreates":{"Max":6,"Remaining":6},
	"Package2VersionCreatesWithoutValidation":{"Max":500,"Remaining":500},
	"PermissionSets":{"Max":1500,"Remaining":1500,"CreateCustom":{"Max":1000,"Remaining":1000}},
	"PlatformEventTriggersWithParallelProcessing":{"Max":5,"Remaining":5},
	"PrivateConnectOutboundCalloutHourlyLimitMB":{"Max":0,"Remaining":0},
	"SingleEmail":{"Max":5000,"Remaining":5000},
	"StreamingApiConcurrentClients":{"Max":20,"Remaining":20}}`, "\n\t", "")
}

type devServer struct {
	*dataServer
	adm, nosetup string // tokens
}

func startDev(t *testing.T) *devServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, devOrgFile)
	s := startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile})
	return &devServer{dataServer: &dataServer{testServer: s},
		adm: s.token(t, "DevKey0001", "DevSecret0001"), nosetup: s.token(t, "NoSetupKey0001", "NoSetupSecret0001")}
}

// TestLimitsDeveloperEdition: the exact /limits body of a Developer Edition org, its
// counted values moving with use, Sforce-Limit-Info agreeing.
func TestLimitsDeveloperEdition(t *testing.T) {
	s := startDev(t)
	r := s.call(t, s.adm, http.MethodGet, "/limits", "")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /limits: %d %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != restContentType {
		t.Errorf("Content-Type = %q", ct)
	}
	// One request so far; 5 records of 2 KB: 1 MB used (rounded up) of 5.
	if want := fmt.Sprintf(devLimits, 14999, 4); r.Body != want {
		t.Errorf("body:\n%s\nwant\n%s", r.Body, want)
	}
	if got := r.Header.Get("Sforce-Limit-Info"); got != "api-usage=1/15000" {
		t.Errorf("Sforce-Limit-Info = %q", got)
	}

	// 520 more Accounts: 525 records, 1,050 KB: 2 MB used. Three collection requests.
	for _, n := range []int{200, 200, 120} {
		var recs []string
		for i := range n {
			recs = append(recs, fmt.Sprintf(`{"attributes":{"type":"Account"},"Name":"Bulk %d"}`, i))
		}
		r := s.call(t, s.adm, http.MethodPost, "/composite/sobjects", `{"allOrNone":true,"records":[`+strings.Join(recs, ",")+`]}`)
		if r.Status != http.StatusOK || strings.Contains(r.Body, `"success":false`) {
			t.Fatalf("create accounts: %d %s", r.Status, r.Body)
		}
	}
	r = s.call(t, s.adm, http.MethodGet, "/limits/", "")
	if want := fmt.Sprintf(devLimits, 14995, 3); r.Body != want {
		t.Errorf("body after 4 more requests and 520 records:\n%s\nwant\n%s", r.Body, want)
	}
	if got := r.Header.Get("Sforce-Limit-Info"); got != "api-usage=5/15000" {
		t.Errorf("Sforce-Limit-Info = %q", got)
	}

	// Every user of the org sees the org's limits; HEAD has the headers and no body.
	r = s.call(t, s.nosetup, http.MethodGet, "/limits", "")
	if got := topLimits(t, r.Body)["DailyApiRequests"]; got != (limitPair{15000, 14994}) {
		t.Errorf("DailyApiRequests for the other user = %v", got)
	}
	r = s.call(t, s.adm, http.MethodHead, "/limits", "")
	if r.Status != http.StatusOK || r.Body != "" || r.Header.Get("Sforce-Limit-Info") != "api-usage=7/15000" {
		t.Errorf("HEAD /limits: %d %q %q", r.Status, r.Body, r.Header.Get("Sforce-Limit-Info"))
	}

	// Organization.OrganizationType follows the edition.
	if got := s.query(t, s.adm, "SELECT OrganizationType FROM Organization").Records; len(got) != 1 || got[0]["OrganizationType"] != "Developer Edition" {
		t.Errorf("OrganizationType = %v", got)
	}
}

// TestLimitsEnterpriseEdition: the default edition's allocations follow the org's
// licences (active users) unless the org file sets dailyApiRequests.
func TestLimitsEnterpriseEdition(t *testing.T) {
	s := startData(t)
	// Acme: dailyApiRequests 100000 set; 5 active users, 2 records (1 MB).
	r := s.call(t, s.int, http.MethodGet, "/limits", "")
	const acmeApps = `"Auditor":{"Max":0,"Remaining":0},"Int":{"Max":0,"Remaining":0},"NoAPI":{"Max":0,"Remaining":0},` +
		`"Peer":{"Max":0,"Remaining":0},"Reader":{"Max":0,"Remaining":0},"Salesforce CLI":{"Max":0,"Remaining":0}`
	if want := fmt.Sprintf(enterpriseLimits(acmeApps), 100000, 99999, 10340, 10339, 20480, 20480); r.Body != want {
		t.Errorf("Acme body:\n%s\nwant\n%s", r.Body, want)
	}
	acme := topLimits(t, r.Body)
	// Globex: no dailyApiRequests, 1 active user: 100,000 + 1,000.
	globex := topLimits(t, s.call(t, s.globex, http.MethodGet, "/limits", "").Body)
	for _, tc := range []struct {
		name string
		got  map[string]limitPair
		want map[string]limitPair
	}{
		{"Acme", acme, map[string]limitPair{
			"DailyApiRequests": {100000, 100000 - 1}, "DataStorageMB": {10240 + 5*20, 10240 + 5*20 - 1},
			"FileStorageMB": {10240 + 5*2048, 10240 + 5*2048}, "MassEmail": {5000, 5000}, "SingleEmail": {5000, 5000},
			"PermissionSets": {1500, 1500}}},
		{"Globex", globex, map[string]limitPair{
			"DailyApiRequests": {101000, 101000 - 1}, "DataStorageMB": {10240 + 20, 10240 + 20},
			"FileStorageMB": {10240 + 2048, 10240 + 2048}, "MassEmail": {5000, 5000}, "SingleEmail": {5000, 5000},
			"PermissionSets": {1500, 1500}}},
	} {
		got := map[string]limitPair{}
		for k := range tc.want {
			got[k] = tc.got[k]
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s limits (-want +got):\n%s", tc.name, diff)
		}
		if len(tc.got) != 51 {
			t.Errorf("%s: %d limits, want the 51 keys of the documentation example", tc.name, len(tc.got))
		}
	}
	r = s.call(t, s.globex, http.MethodGet, "/limits", "")
	if got := r.Header.Get("Sforce-Limit-Info"); got != "api-usage=2/101000" {
		t.Errorf("Sforce-Limit-Info = %q, want api-usage=2/101000", got)
	}
}

// TestRecordCount: /limits/recordCount as sf and simple-salesforce call it.
func TestRecordCount(t *testing.T) {
	s := startDev(t)
	for _, tc := range []struct {
		name, path string
		want       string
	}{
		{"two objects", "/limits/recordCount?sObjects=Account,Contact",
			`{"sObjects":[{"count":3,"name":"Account"},{"count":2,"name":"Contact"}]}`},
		{"order asked, canonical names, once each, spaces",
			"/limits/recordCount?sObjects=contact,%20ACCOUNT%20,Account", `{"sObjects":[{"count":2,"name":"Contact"},{"count":3,"name":"Account"}]}`},
		{"unknown names ignored", "/limits/recordCount?sObjects=NoSuch__c,Account,,Bogus",
			`{"sObjects":[{"count":3,"name":"Account"}]}`},
		{"named and empty: listed at 0", "/limits/recordCount?sObjects=Lead", `{"sObjects":[{"count":0,"name":"Lead"}]}`},
		{"unreadable object ignored (Case)", "/limits/recordCount?sObjects=Case,Contact", `{"sObjects":[{"count":2,"name":"Contact"}]}`},
		{"Setup objects are not record storage", "/limits/recordCount?sObjects=User,Organization", `{"sObjects":[]}`},
		{"repeated parameters", "/limits/recordCount?sObjects=Account&sObjects=Contact",
			`{"sObjects":[{"count":3,"name":"Account"},{"count":2,"name":"Contact"}]}`},
		{"sObjects with no value (sf without -s): every readable object with records",
			"/limits/recordCount?sObjects", `{"sObjects":[{"count":3,"name":"Account"},{"count":2,"name":"Contact"}]}`},
		{"no parameter", "/limits/recordCount", `{"sObjects":[{"count":3,"name":"Account"},{"count":2,"name":"Contact"}]}`},
		{"trailing slash, v40.0", "/services/data/v40.0/limits/recordCount/?sObjects=Account", `{"sObjects":[{"count":3,"name":"Account"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.call(t, s.adm, http.MethodGet, tc.path, "")
			if r.Status != http.StatusOK || r.Body != tc.want {
				t.Errorf("GET %s: %d %s\nwant 200 %s", tc.path, r.Status, r.Body, tc.want)
			}
			if ct := r.Header.Get("Content-Type"); ct != restContentType {
				t.Errorf("Content-Type = %q", ct)
			}
			if r.Header.Get("Sforce-Limit-Info") == "" {
				t.Error("no Sforce-Limit-Info")
			}
		})
	}

	// Soft-deleted records are not counted; undeleting is not possible over REST, so
	// deleting is the change checked.
	id := s.query(t, s.adm, "SELECT Id FROM Account WHERE Name = 'One'").Records[0]["Id"].(string)
	if r := s.call(t, s.adm, http.MethodDelete, "/sobjects/Account/"+id, ""); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := s.call(t, s.adm, http.MethodGet, "/limits/recordCount?sObjects=Account", ""); r.Body != `{"sObjects":[{"count":2,"name":"Account"}]}` {
		t.Errorf("after a delete: %s", r.Body)
	}

	for _, tc := range []struct {
		name, token, method, path string
		status                    int
		code, msg                 string
	}{
		{"without View Setup and Configuration", s.nosetup, "GET", "/limits/recordCount?sObjects=Account", 403, "INSUFFICIENT_ACCESS",
			"Insufficient Privileges: You do not have the level of access necessary to perform the operation you requested. " +
				"This resource requires the View Setup and Configuration permission."},
		{"before v40.0", s.adm, "GET", "/services/data/v39.0/limits/recordCount?sObjects=Account", 404, "NOT_FOUND", "The requested resource does not exist"},
		{"POST", s.adm, "POST", "/limits/recordCount", 405, "METHOD_NOT_ALLOWED", "HTTP Method 'POST' not allowed. Allowed are GET,HEAD"},
		{"unknown sub-resource", s.adm, "GET", "/limits/recordCounts", 404, "NOT_FOUND", "The requested resource does not exist"},
		{"too deep", s.adm, "GET", "/limits/recordCount/Account", 404, "NOT_FOUND", "The requested resource does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantRESTError(t, s.call(t, tc.token, tc.method, tc.path, ""), tc.status, tc.code, tc.msg)
		})
	}
}

// TestEditionAdminApplyRefusesAPIOnlyUser: the admin API's apply refuses a Developer
// Edition org file that enables ApiUserOnly, with the same words as at startup.
func TestEditionAdminApplyRefusesAPIOnlyUser(t *testing.T) {
	s := startDev(t)
	bad := strings.Replace(devOrgFile, "permissions: [ApiEnabled, ViewSetup]", "permissions: [ApiEnabled, ApiUserOnly]", 1)
	r := s.admin(t, http.MethodPost, "/apply?name=dev.yaml", bad)
	want := restError("INVALID_INPUT", "dev.yaml:7: orgs[0].profiles[0].permissions[1]: Unknown user permission: ApiUserOnly: "+
		"the API Only User permission is only available for Enterprise Edition and above orgs and sandboxes. "+
		"It is not available for Developer Edition non-sandbox orgs")
	if r.Status != http.StatusBadRequest || r.Body != want {
		t.Errorf("apply: %d %s\nwant 400 %s", r.Status, r.Body, want)
	}
	// The same file as an Enterprise org applies.
	ent := strings.Replace(bad, "edition: Developer", "edition: Enterprise", 1)
	if r := s.admin(t, http.MethodPost, "/apply?name=dev.yaml", ent); r.Status != http.StatusOK {
		t.Errorf("apply as Enterprise: %d %s", r.Status, r.Body)
	}
	var orgs []struct{ Edition string }
	if err := json.Unmarshal([]byte(s.admin(t, http.MethodGet, "/orgs", "").Body), &orgs); err != nil || len(orgs) != 1 || orgs[0].Edition != "Enterprise" {
		t.Errorf("orgs after the apply: %v %v", orgs, err)
	}
}
