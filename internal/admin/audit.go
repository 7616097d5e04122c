package admin

import (
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// auditView is one setup audit trail row, with Salesforce's SetupAuditTrail field names.
type auditView struct {
	ID           sfid.ID   `json:"id"`
	OrgID        sfid.ID   `json:"orgId,omitempty"`
	CreatedDate  time.Time `json:"createdDate"`
	CreatedBy    string    `json:"createdBy"`
	Action       string    `json:"action"`
	Section      string    `json:"section"`
	ObjectID     sfid.ID   `json:"objectId,omitempty"`
	Display      string    `json:"display"`
	DelegateUser string    `json:"delegateUser,omitempty"`
}

func viewAudit(e org.SetupAuditEvent) auditView {
	return auditView{e.ID, e.OrgID, e.CreatedDate, e.CreatedBy, e.Action, e.Section, e.ObjectID, e.Display, e.DelegateUser}
}

// auditTrail is GET /forcefield/admin/audit-trail?org=ID&limit=N, newest first.
func (a *API) auditTrail(w http.ResponseWriter, r *http.Request) error {
	var f store.AuditFilter
	var err error
	if f.OrgID, err = optionalID(r, "org"); err != nil {
		return err
	}
	if f.Limit, err = limitParam(r, 100); err != nil {
		return err
	}
	rows, err := a.st.SetupAuditTrail(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]auditView, 0, len(rows))
	for _, e := range rows {
		out = append(out, viewAudit(e))
	}
	return writeJSON(w, http.StatusOK, out)
}
