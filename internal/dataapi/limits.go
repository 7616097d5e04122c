package dataapi

import (
	"net/http"

	"github.com/forcefield/forcefield/internal/apierror"
)

// limitValue is one entry of GET /limits; Salesforce returns integers (the 29.0 pilot's
// strings are long gone).
type limitValue struct {
	Max       int `json:"Max"`
	Remaining int `json:"Remaining"`
}

// limits is GET /services/data/vNN.0/limits. It reports the limits Forcefield enforces —
// DailyApiRequests and the allocations other packages report (ReportLimit) — and no
// invented figures for the ones it does not.
// go-salesforce calls it to validate a token at Init.
func (a *API) limits(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	if len(rest) > 0 {
		return apierror.ErrNotFound
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return apierror.MethodNotAllowed(r.Method, "GET,HEAD")
	}
	max := c.Org.APIRequestLimit()
	out := map[string]limitValue{
		"DailyApiRequests": {Max: max, Remaining: max - a.usage.Used(c.Org.ID)},
	}
	for name, max := range a.extraLimits {
		out[name] = limitValue{Max: max, Remaining: max - a.usage.UsedN(name, c.Org.ID)}
	}
	return WriteJSON(w, http.StatusOK, out)
}

// ReportLimit adds a daily allocation counted in the API's limits.Counter under name
// (the Bulk API's DailyBulkApiBatches, …) to GET /limits.
func (a *API) ReportLimit(name string, max int) {
	if a.extraLimits == nil {
		a.extraLimits = map[string]int{}
	}
	a.extraLimits[name] = max
}
