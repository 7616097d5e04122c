package org

import (
	"fmt"
	"strings"
)

// Edition is a Salesforce edition: what an org is allowed (API Only User) and how large
// its allocations are (DailyApiRequests, data and file storage). The zero value is
// Enterprise, Forcefield's default.
type Edition string

// The editions an org file may name.
const (
	EditionDeveloper   Edition = "Developer"
	EditionEnterprise  Edition = "Enterprise"
	EditionUnlimited   Edition = "Unlimited"
	EditionPerformance Edition = "Performance"
)

// Editions lists the editions in the order the docs and errors name them.
var Editions = []Edition{EditionDeveloper, EditionEnterprise, EditionUnlimited, EditionPerformance}

// ParseEdition returns the edition named s, spelled exactly as the constants are; "" is
// Enterprise.
func ParseEdition(s string) (Edition, error) {
	if s == "" {
		return EditionEnterprise, nil
	}
	for _, e := range Editions {
		if s == string(e) {
			return e, nil
		}
	}
	names := make([]string, len(Editions))
	for i, e := range Editions {
		names[i] = string(e)
	}
	return "", fmt.Errorf("%q is not an edition: use %s", s, strings.Join(names, ", "))
}

// OrDefault is e with the default (Enterprise) applied.
func (e Edition) OrDefault() Edition {
	if e == "" {
		return EditionEnterprise
	}
	return e
}

// OrganizationType is the edition as the Organization object's OrganizationType field
// spells it, e.g. "Developer Edition" (salesforce-objects.md, Organization).
func (e Edition) OrganizationType() string { return string(e.OrDefault()) + " Edition" }

// AllowsAPIOnlyUser reports whether the edition has the API Only User permission
// (PermissionsApiUserOnly): Enterprise Edition and above. Developer Edition orgs do not
// offer it (seed 000; salesforce-oauth.md §11: "API Only User is available in Enterprise
// Edition and above").
func (e Edition) AllowsAPIOnlyUser() bool { return e.OrDefault() != EditionDeveloper }

// APIOnlyUserRefusal is the error for an ApiUserOnly permission in an edition without it.
// Salesforce's Metadata API refuses a user permission the org does not have with
// "Unknown user permission: <name>" (deploys of profiles to Developer Edition orgs,
// e.g. trailheadapps/coral-cloud#130); no capture of the exact words for ApiUserOnly was
// found, so the reason is added in the words of seed 000's finding.
func APIOnlyUserRefusal(e Edition) error {
	return fmt.Errorf("Unknown user permission: %s: the API Only User permission is only available for "+
		"Enterprise Edition and above orgs and sandboxes. It is not available for %s non-sandbox orgs",
		PermAPIUserOnly, e.OrDefault().OrganizationType())
}

// Allocations are the org-wide limits that depend on the edition and the number of user
// licences (Forcefield counts one Salesforce licence per active user).
//
// Sources (see docs/data-api.md, "Limits"):
//   - DailyApiRequests: "API Request Limits and Allocations" (Salesforce Developer Limits
//     and Allocations Quick Reference, salesforce_app_limits_platform_api.htm): Developer
//     Edition 15,000; Enterprise 100,000 + 1,000 per Salesforce licence; Unlimited and
//     Performance 100,000 + 5,000 per Salesforce licence.
//   - Data storage: Developer Edition 5 MB (Bulk API 2.0 quick start: "Developer Edition
//     orgs have a data storage maximum of 5 MB"; real DE /limits captures show Max 5);
//     Enterprise 10 GB + 20 MB per licence; Unlimited and Performance 10 GB + 120 MB per
//     licence (help "Data and File Storage Allocations" as quoted by third parties —
//     UNCONFIRMED against the help page itself).
//   - File storage: Developer Edition 20 MB (DE captures: Max 20); Enterprise, Unlimited
//     and Performance 10 GB + 2 GB per licence (same help topic, UNCONFIRMED).
type Allocations struct {
	DailyAPIRequests int
	DataStorageMB    int
	FileStorageMB    int
}

// EditionAllocations returns the allocations of edition e for an org with licences user
// licences.
func EditionAllocations(e Edition, licences int) Allocations {
	if licences < 0 {
		licences = 0
	}
	switch e.OrDefault() {
	case EditionDeveloper:
		return Allocations{DailyAPIRequests: DefaultDailyAPIRequests, DataStorageMB: 5, FileStorageMB: 20}
	case EditionUnlimited, EditionPerformance:
		return Allocations{DailyAPIRequests: 100000 + 5000*licences, DataStorageMB: 10240 + 120*licences, FileStorageMB: 10240 + 2048*licences}
	default:
		return Allocations{DailyAPIRequests: 100000 + 1000*licences, DataStorageMB: 10240 + 20*licences, FileStorageMB: 10240 + 2048*licences}
	}
}
