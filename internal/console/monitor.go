package console

// Connected Apps OAuth Usage, Login History, Session Management, View Setup Audit Trail, API Usage.

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// monitorRoutes are the pages an admin watches (the setup reference §4–§6). Reads need
// View Setup (Login History and Session Management: Manage Users, as in Salesforce);
// every POST checks the permission its change needs again.
func (c *Console) monitorRoutes() []route {
	return []route{
		{"GET " + Prefix + "ConnectedAppsUsage/home", AccessView, c.usageList},
		{"POST " + Prefix + "ConnectedAppsUsage/{app}/block", AccessCustomize, c.usageBlock},
		{"GET " + Prefix + "ConnectedAppsUsage/{app}/users", AccessView, c.usageUsers},
		{"POST " + Prefix + "ConnectedAppsUsage/{app}/revoke", AccessManageUsers, c.usageRevoke},
		{"GET " + Prefix + "OrgLoginHistory/home", AccessManageUsers, c.loginHistory},
		{"GET " + Prefix + "SessionManagementPage/home", AccessManageUsers, c.sessionList},
		{"POST " + Prefix + "SessionManagementPage/remove", AccessManageUsers, c.sessionRemove},
		{"GET " + Prefix + "SecurityEvents/home", AccessView, c.auditTrail},
		{"GET " + Prefix + "ApiUsage/home", AccessView, c.apiUsage},
	}
}

// orgNames resolves an org's user and app IDs to usernames and app names for a page.
type orgNames struct {
	users map[sfid.ID]string
	apps  map[sfid.ID]string
	// userList and appList are the org's users and apps in the store's order (filters).
	userList []org.User
	appList  []org.ConnectedApp
}

func (c *Console) orgNames(ctx context.Context, orgID sfid.ID) (*orgNames, error) {
	st := c.cfg.Setup.Store()
	n := &orgNames{users: map[sfid.ID]string{}, apps: map[sfid.ID]string{}}
	var err error
	if n.userList, err = st.Users(ctx, orgID); err != nil {
		return nil, err
	}
	for _, u := range n.userList {
		n.users[u.ID] = u.Username
	}
	if n.appList, err = st.ConnectedApps(ctx, orgID); err != nil {
		return nil, err
	}
	for _, a := range n.appList {
		n.apps[a.ID] = a.Name
	}
	return n, nil
}

// parseID parses an ID from a form or path; a malformed one is a 404 naming what.
func parseID(v, what string) (sfid.ID, error) {
	id, err := sfid.Parse(v)
	if err != nil {
		return "", notFound(what)
	}
	return id, nil
}

// writeCSV sends rows as a CSV download named file. Every value is made safe for
// spreadsheets: one starting with = + - @ (or a tab or carriage return) gets a leading
// apostrophe, so that a spreadsheet shows it as text instead of running it as a formula
// (OWASP "CSV Injection"). encoding/csv does the quoting.
func writeCSV(w http.ResponseWriter, file string, header []string, rows [][]string) error {
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return nil // the client went away; nothing to render
	}
	for _, r := range rows {
		for i := range r {
			r[i] = csvSafe(r[i])
		}
		if err := cw.Write(r); err != nil {
			return nil
		}
	}
	cw.Flush()
	return nil
}

// csvSafe neutralises a spreadsheet formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
