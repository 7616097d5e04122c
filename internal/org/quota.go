package org

import "fmt"

// AppQuotas are a connected app's per-app quotas (issue 14 §4): what Forcefield lets one
// app take of its org, beyond the org's own limits. Salesforce has per-app API request
// quotas only as the "Max" of the per-app entries of GET /limits (the REST reference
// salesforce-rest-more.md §5.3) and no token-request quota at all; Forcefield adds both so
// that a client that does not cache its tokens is visible and stoppable (docs/quotas.md).
// Zero means no quota.
type AppQuotas struct {
	// TokenRequestsPerHour is the tokens the token endpoint may grant the app in the last
	// 60 minutes, every grant type counted.
	TokenRequestsPerHour int
	// TokenRequestsPerDay is the same over the last 24 hours.
	TokenRequestsPerDay int
	// APIRequestsPerDay is the app's share of its org's DailyApiRequests: the REST, Bulk
	// and composite requests made with the app's sessions in the last 24 hours.
	APIRequestsPerDay int
}

// MaxQuota is the largest quota Forcefield accepts: far above any org's DailyApiRequests
// (Unlimited Edition allocates 5,000,000 a day with its maximum licences), low enough that
// no count can overflow.
const MaxQuota = 100_000_000

// Any reports whether any quota is set.
func (q AppQuotas) Any() bool {
	return q.TokenRequestsPerHour > 0 || q.TokenRequestsPerDay > 0 || q.APIRequestsPerDay > 0
}

// QuotaError is a quota value Validate refused; Field is its JSON / org file key.
type QuotaError struct {
	Field   string
	Message string
}

func (e *QuotaError) Error() string { return e.Field + ": " + e.Message }

// Validate checks every quota is 0 (none) to MaxQuota, and that a per-hour token quota is
// not above the per-day one when both are set (it could never be reached: a typo).
func (q AppQuotas) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"tokenRequestsPerHour", q.TokenRequestsPerHour}, {"tokenRequestsPerDay", q.TokenRequestsPerDay},
		{"apiRequestsPerDay", q.APIRequestsPerDay}} {
		if f.v < 0 || f.v > MaxQuota {
			return &QuotaError{f.name, fmt.Sprintf("%d is out of range: a quota is 0 (none) to %d", f.v, MaxQuota)}
		}
	}
	if q.TokenRequestsPerHour > 0 && q.TokenRequestsPerDay > 0 && q.TokenRequestsPerHour > q.TokenRequestsPerDay {
		return &QuotaError{"tokenRequestsPerHour", fmt.Sprintf("%d per hour is more than the %d per day: it could never be reached",
			q.TokenRequestsPerHour, q.TokenRequestsPerDay)}
	}
	return nil
}
