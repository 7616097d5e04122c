package admin

import (
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// bulkJobView is one Bulk API job in the admin list: what Setup's "Bulk Data Load Jobs"
// page shows (state, counts, who ran it).
type bulkJobView struct {
	ID               sfid.ID `json:"id"`
	OrgID            sfid.ID `json:"orgId"`
	JobType          string  `json:"jobType"`
	Operation        string  `json:"operation"`
	Object           string  `json:"object"`
	State            string  `json:"state"`
	CreatedByID      sfid.ID `json:"createdById"`
	CreatedDate      string  `json:"createdDate"`
	Batches          int     `json:"batches"`
	RecordsProcessed int64   `json:"recordsProcessed"`
	RecordsFailed    int64   `json:"recordsFailed"`
	ErrorMessage     string  `json:"errorMessage,omitempty"`
}

// listBulkJobs is GET /forcefield/admin/bulk-jobs[?org=&limit=]: every org's Bulk API
// jobs (or one org's), oldest first, with counts added up from their batches.
func (a *API) listBulkJobs(w http.ResponseWriter, r *http.Request) error {
	orgID, err := optionalID(r, "org")
	if err != nil {
		return err
	}
	limit, err := limitParam(r, 1000)
	if err != nil {
		return err
	}
	var orgs []org.Org
	if orgID != "" {
		orgs = []org.Org{{ID: orgID}}
	} else if orgs, err = a.st.Orgs(r.Context()); err != nil {
		return err
	}
	out := []bulkJobView{}
	for _, o := range orgs {
		if a.Bulk == nil {
			break
		}
		jobs, err := a.Bulk.Jobs(r.Context(), o.ID, bulk.JobFilter{Limit: limit})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			v := bulkJobView{ID: j.ID, OrgID: j.OrgID, JobType: j.Type, Operation: j.Operation, Object: j.Object,
				State: j.State, CreatedByID: j.CreatedByID, CreatedDate: j.CreatedDate.UTC().Format(time.RFC3339),
				RecordsProcessed: j.RecordsProcessed, RecordsFailed: j.RecordsFailed, ErrorMessage: j.ErrorMessage}
			batches, err := a.Bulk.Batches(r.Context(), o.ID, j.ID)
			if err != nil {
				return err
			}
			v.Batches = len(batches)
			if j.State != bulk.StateJobComplete {
				v.RecordsProcessed, v.RecordsFailed = 0, 0
				for _, b := range batches {
					v.RecordsProcessed += b.RecordsProcessed
					v.RecordsFailed += b.RecordsFailed
				}
			}
			out = append(out, v)
		}
	}
	return writeJSON(w, http.StatusOK, out)
}
