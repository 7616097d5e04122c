package console

import (
	"net/http"
	"strconv"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// View Setup Audit Trail (Salesforce's SetupAuditTrail): who changed what in Setup,
// newest first — the console's changes carry the logged-in user's username, the admin
// API's "admin token", the org file's "org file NAME at start". Salesforce shows the last
// 20 changes and downloads six months (180 days) as CSV; Forcefield shows 100 a page,
// with older pages, and the same 180-day download (…/home?format=csv). Forcefield has no
// managed packages and no "login as": Source Namespace Prefix and Delegate User are blank.

const (
	auditPageSize = 100
	auditDownload = 180 * 24 * time.Hour
)

type auditData struct {
	Rows     []org.SetupAuditEvent
	Page     int // 1-based
	Prev     int // 0: none
	Next     int // 0: none
	PageSize int
}

func (c *Console) auditTrail(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ctx := r.Context()
	st := c.cfg.Setup.Store()
	if r.URL.Query().Get("format") == "csv" {
		rows, err := st.SetupAuditTrail(ctx, store.AuditFilter{OrgID: v.Org.ID})
		if err != nil {
			return err
		}
		since := c.now().Add(-auditDownload)
		out := make([][]string, 0, len(rows))
		for _, e := range rows {
			if e.CreatedDate.Before(since) {
				break // newest first
			}
			out = append(out, []string{e.CreatedDate.UTC().Format(time.RFC3339), e.CreatedBy, "", e.Display, e.Section, e.DelegateUser})
		}
		return writeCSV(w, "SetupAuditTrail-"+strconv.FormatInt(c.now().Unix(), 10)+".csv",
			[]string{"Date", "User", "Source Namespace Prefix", "Action", "Section", "Delegate User"}, out)
	}
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 10000 {
			return &pageError{http.StatusBadRequest, "Invalid Request", "page must be a number from 1 to 10000."}
		}
		page = n
	}
	rows, err := st.SetupAuditTrail(ctx, store.AuditFilter{OrgID: v.Org.ID, Limit: page*auditPageSize + 1})
	if err != nil {
		return err
	}
	d := auditData{Page: page, PageSize: auditPageSize}
	if page > 1 {
		d.Prev = page - 1
	}
	if len(rows) > page*auditPageSize {
		d.Next = page + 1
		rows = rows[:page*auditPageSize]
	}
	if lo := (page - 1) * auditPageSize; lo < len(rows) {
		d.Rows = rows[lo:]
	}
	c.render(w, r, v, http.StatusOK, "audittrail", Page{Title: "View Setup Audit Trail", Nav: "SecurityEvents", Data: d})
	return nil
}
