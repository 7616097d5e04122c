package console

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
	"github.com/forcefield/forcefield/internal/svgchart"
)

// Login History (the setup reference §5): the org's login attempts — UI logins and every
// token request, refused or not — newest first, filtered by user, app, status, login
// type, source IP and time; a CSV download of the filtered rows (…/home?format=csv) and a
// chart of the last 24 hours' logins per hour, Success and Failure stacked. Salesforce
// shows up to 20,000 attempts of the last six months; Forcefield reads at most the
// newest 20,000 rows and shows the first 200 of the filtered ones on the page.

const (
	loginHistoryMax  = 20000
	loginHistoryPage = 200
	// filterTime is the form's datetime-local format; times are UTC.
	filterTime = "2006-01-02T15:04"
)

// loginFilter is the page's filter form.
type loginFilter struct {
	User, App, Status, Type, IP, From, To string
	from, to                              time.Time
	userID, appID                         sfid.ID
}

// Query is the filter as a query string (for the CSV link).
func (f loginFilter) Query() string {
	v := url.Values{}
	for k, s := range map[string]string{"user": f.User, "app": f.App, "status": f.Status, "type": f.Type, "ip": f.IP, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	v.Set("format", "csv")
	return v.Encode()
}

func (f loginFilter) match(e org.LoginEvent) bool {
	switch {
	case f.Status == "Success" && e.Status != org.LoginStatusSuccess,
		f.Status == "Failed" && e.Status == org.LoginStatusSuccess,
		f.Type != "" && e.LoginType != f.Type,
		f.IP != "" && !strings.Contains(e.SourceIP, f.IP),
		!f.from.IsZero() && e.Time.Before(f.from),
		!f.to.IsZero() && !e.Time.Before(f.to):
		return false
	}
	return true
}

type loginRow struct {
	org.LoginEvent
	Username string
}

// Success reports whether the attempt succeeded.
func (r loginRow) Success() bool { return r.Status == org.LoginStatusSuccess }

type loginData struct {
	Filter     loginFilter
	Users      []org.User
	Apps       []org.ConnectedApp
	Types      []string
	Rows       []loginRow
	Total      int // filtered rows (the page shows the first loginHistoryPage)
	Chart      template.HTML
	ChartTotal [2]int // successes, failures in the chart
}

func (c *Console) loginHistory(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ctx := r.Context()
	names, err := c.orgNames(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := loginFilter{User: q.Get("user"), App: q.Get("app"), Status: q.Get("status"), Type: q.Get("type"),
		IP: strings.TrimSpace(q.Get("ip")), From: q.Get("from"), To: q.Get("to")}
	d := loginData{Filter: f, Users: names.userList, Apps: names.appList,
		Types: []string{org.LoginTypeApplication, org.LoginTypeRemoteAccess2}}
	fieldErrs := map[string]string{}
	for _, u := range names.userList {
		if u.Username == f.User {
			f.userID = u.ID
		}
	}
	for _, a := range names.appList {
		if a.ID.String() == f.App {
			f.appID = a.ID
		}
	}
	if f.User != "" && f.userID.IsZero() {
		fieldErrs["user"] = "No such user in this org."
	}
	if f.App != "" && f.appID.IsZero() {
		fieldErrs["app"] = "No such connected app in this org."
	}
	if f.Status != "" && f.Status != "Success" && f.Status != "Failed" {
		fieldErrs["status"] = "Choose Success or Failed."
	}
	for name, p := range map[string]*time.Time{"from": &f.from, "to": &f.to} {
		s := q.Get(name)
		if s == "" {
			continue
		}
		t, err := time.Parse(filterTime, s)
		if err != nil {
			fieldErrs[name] = "Enter a date and time (YYYY-MM-DDThh:mm, UTC)."
		}
		*p = t
	}
	if len(fieldErrs) > 0 {
		c.render(w, r, v, http.StatusBadRequest, "loginhistory", Page{Title: "Login History", Nav: "OrgLoginHistory", Data: d,
			Error: "Correct the filter.", FieldErrors: fieldErrs})
		return nil
	}
	d.Filter = f
	events, err := c.cfg.Setup.Store().LoginHistory(ctx, store.LoginFilter{OrgID: v.Org.ID, UserID: f.userID, AppID: f.appID, Limit: loginHistoryMax})
	if err != nil {
		return err
	}
	var rows []loginRow
	for _, e := range events {
		if f.match(e) {
			rows = append(rows, loginRow{LoginEvent: e, Username: names.users[e.UserID]})
		}
	}
	if q.Get("format") == "csv" {
		return writeLoginCSV(w, c.now(), rows)
	}
	d.Total = len(rows)
	d.Chart, d.ChartTotal = loginChart(c.now(), rows)
	d.Rows = rows[:min(len(rows), loginHistoryPage)]
	c.render(w, r, v, http.StatusOK, "loginhistory", Page{Title: "Login History", Nav: "OrgLoginHistory", Data: d})
	return nil
}

// loginChart draws the last 24 hours of rows (the current hour last) per hour, Success
// and Failure stacked.
func loginChart(now time.Time, rows []loginRow) (template.HTML, [2]int) {
	end := now.UTC().Truncate(time.Hour).Add(time.Hour)
	start := end.Add(-24 * time.Hour)
	ok, fail := make([]int, 24), make([]int, 24)
	groups := make([]string, 24)
	for i := range groups {
		groups[i] = start.Add(time.Duration(i) * time.Hour).Format("15:00")
	}
	var totals [2]int
	for _, e := range rows {
		if e.Time.Before(start) || !e.Time.Before(end) {
			continue
		}
		i := int(e.Time.Sub(start) / time.Hour)
		if e.Success() {
			ok[i]++
			totals[0]++
		} else {
			fail[i]++
			totals[1]++
		}
	}
	ch := svgchart.Chart{Title: "Logins per hour, last 24 hours (UTC)", Groups: groups, LabelEvery: 3,
		Series: []svgchart.Series{{Name: "Success", Class: "ok", Color: "#2e844a", Counts: ok}, {Name: "Failure", Class: "fail", Color: "#ba0517", Counts: fail}}}
	return ch.SVG(), totals
}

// loginCSVHeader is the download's header: Salesforce's LoginHistory field labels. The
// column order of Salesforce's own file is UNCONFIRMED (the setup reference §5).
var loginCSVHeader = []string{"Username", "Login Time", "Login Type", "Login Subtype", "Source IP", "Status", "Browser",
	"Platform", "Application", "API Type", "API Version", "Login URL"}

func writeLoginCSV(w http.ResponseWriter, now time.Time, rows []loginRow) error {
	out := make([][]string, 0, len(rows))
	for _, e := range rows {
		out = append(out, []string{e.Username, e.Time.UTC().Format(time.RFC3339), e.LoginType, e.LoginSubType, e.SourceIP,
			e.Status, e.Browser, e.Platform, e.Application, e.APIType, e.APIVersion, e.LoginURL})
	}
	return writeCSV(w, "LoginHistory-"+strconv.FormatInt(now.Unix(), 10)+".csv", loginCSVHeader, out)
}
