package console

import (
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/svgchart"
)

// API Usage: the org's DailyApiRequests over the rolling 24 hours against its limit (what
// GET /limits and the Sforce-Limit-Info header report) and the requests per connected app
// per hour as a stacked chart (package limits counts both where the data API counts a
// request). Counts live in memory: a restart starts them again (package limits). Requests
// made with a UI session have no app and are shown as "(no connected app)". Salesforce's
// own page is a report ("API Requests, Last 24 Hours" on System Overview / Company
// Information and the "API Usage Last 7 Days" report); this page is Forcefield's.

var appColors = []string{"#0176d3", "#2e844a", "#dd7a01", "#9050e9", "#ba0517", "#06a59a", "#706e6b"}

type apiAppRow struct {
	Name  string
	Total int
	Color string
}

type apiUsageData struct {
	Used, Limit int
	Percent     int
	Apps        []apiAppRow
	Chart       template.HTML
}

func (c *Console) apiUsage(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	names, err := c.orgNames(r.Context(), v.Org.ID)
	if err != nil {
		return err
	}
	d := apiUsageData{Limit: v.Org.APIRequestLimit()}
	var groups []string
	var series []svgchart.Series
	if c.cfg.Usage != nil {
		d.Used = c.cfg.Usage.Used(v.Org.ID)
		byApp, start := c.cfg.Usage.HourlyByApp(v.Org.ID)
		for i := range 24 {
			groups = append(groups, start.Add(time.Duration(i)*time.Hour).Format("15:00"))
		}
		type named struct {
			name  string
			hours []int
			total int
		}
		var apps []named
		for _, a := range byApp {
			n := names.apps[a.AppID]
			switch {
			case a.AppID.IsZero():
				n = "(no connected app)"
			case n == "":
				n = "(deleted app " + a.AppID.String() + ")"
			}
			apps = append(apps, named{n, a.Hours[:], a.Total})
		}
		slices.SortFunc(apps, func(a, b named) int { return strings.Compare(a.name, b.name) })
		for i, a := range apps {
			color := appColors[i%len(appColors)]
			series = append(series, svgchart.Series{Name: a.name, Class: "app", Color: color, Counts: a.hours})
			d.Apps = append(d.Apps, apiAppRow{Name: a.name, Total: a.total, Color: color})
		}
	}
	if d.Limit > 0 {
		d.Percent = d.Used * 100 / d.Limit
	}
	d.Chart = svgchart.Chart{Title: "API requests per hour by connected app, last 24 hours (UTC)", Groups: groups,
		Series: series, LabelEvery: 3}.SVG()
	c.render(w, r, v, http.StatusOK, "apiusage", Page{Title: "API Usage", Nav: "ApiUsage", Data: d})
	return nil
}
