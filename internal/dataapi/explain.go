package dataapi

// Query plans: GET /query/?explain=<SOQL | list view ID> (salesforce-rest-more.md §6, §4.4;
// REST API Developer Guide "Get Feedback on Query Performance"). The plans come from the
// store's real plan (records.Store.Explain: SQLite's EXPLAIN QUERY PLAN), in Salesforce's
// shape:
//
//   - the first plan is the access path the database chose (the one that runs); the
//     other usable indexes and a table scan follow, cheapest first;
//   - leadingOperationType is Index (a search in the index of the fields listed),
//     Sharing (the index of OwnerId, used only for the user's record visibility), Other
//     (a scan in the query's order that stops after its LIMIT) or TableScan;
//   - cardinality is the rows the leading operation yields (counted, not sampled);
//     sobjectCardinality the object's live rows;
//   - relativeCost is the rows the operation reads divided by Salesforce's selectivity
//     threshold ("Query Plan" and "Make SOQL query selective": 30% of the first million
//     rows and 15% of the rest, at most 1,000,000, for a standard index; 10% and 5%, at
//     most 333,333, for a custom one): below 1 is selective. A table scan reads every row
//     against the standard threshold. Salesforce's own cost formula is not public; this
//     one reproduces the captured Other plan of the reference (10 rows of 1001: 0.0333).
//   - notes name the filter fields no index serves (IsDeleted always, as Salesforce's
//     captures show), one note per field.

import (
	"net/http"
	"sort"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
)

// explainPlan is one entry of "plans".
type explainPlan struct {
	Cardinality          int           `json:"cardinality"`
	Fields               []string      `json:"fields"`
	LeadingOperationType string        `json:"leadingOperationType"`
	Notes                []explainNote `json:"notes"`
	RelativeCost         float64       `json:"relativeCost"`
	SobjectCardinality   int           `json:"sobjectCardinality"`
	SobjectType          string        `json:"sobjectType"`
}

type explainNote struct {
	Description   string   `json:"description"`
	Fields        []string `json:"fields"`
	TableEnumOrID string   `json:"tableEnumOrId"`
}

// explain serves /query?explain=: a list view ID, or SOQL as /query takes it (all: from
// /queryAll). An ID that is no list view of the user's is INVALID_ID (reports are not
// served).
func (d *data) explain(w http.ResponseWriter, r *http.Request, c *Caller, text string, all bool) error {
	text = strings.TrimSpace(text)
	var plan *query.Plan
	var source string
	if idShaped(text) {
		env, err := d.env(r.Context(), c)
		if err != nil {
			return err
		}
		v, ok := listViewByID(c, env, text)
		if !ok {
			// The wording is not documented [UNCONFIRMED]; the code is (§6).
			return apierror.New(http.StatusBadRequest, "INVALID_ID", "Invalid ID: "+text)
		}
		q := viewQuery(c, env, v)
		if plan, err = d.resolve(r, c, q.Exec, false); err != nil {
			return err
		}
		source = q.Display
	} else {
		if text == "" {
			return apierror.New(http.StatusBadRequest, "MALFORMED_QUERY", "SOQL statements cannot be empty or null")
		}
		var err error
		if plan, err = d.resolve(r, c, text, all); err != nil {
			return err
		}
		source = text
	}
	ex, err := d.store.Explain(r.Context(), c.Org.ID, plan)
	if err != nil {
		return soqlError("", err)
	}
	return WriteJSON(w, http.StatusOK, object{
		{"plans", explainPlans(plan, ex)},
		{"sourceQuery", source},
	})
}

// listViewByID finds a list view of any object the user can read.
func listViewByID(c *Caller, env *dml.Env, id string) (listView, bool) {
	for _, obj := range env.Cat.Objects() {
		if !env.Acc.Object(obj, access.Read) {
			continue
		}
		if v, ok := findView(visibleViews(c, env, obj), id); ok {
			return v, true
		}
	}
	return listView{}, false
}

// explainPlans maps a store's explanation to Salesforce's plans: the chosen path first,
// the others by relativeCost.
func explainPlans(plan *query.Plan, ex *records.Explanation) []explainPlan {
	obj := plan.Object
	notes := []explainNote{}
	for _, f := range ex.Unindexed {
		notes = append(notes, explainNote{Description: "Not considering filter for optimization because unindexed",
			Fields: []string{f}, TableEnumOrID: obj.Name})
	}
	n := ex.ObjectRows
	out := make([]explainPlan, 0, len(ex.Paths))
	for i, p := range ex.Paths {
		e := explainPlan{Fields: []string{}, Notes: notes, SobjectCardinality: n, SobjectType: obj.Name, Cardinality: p.Rows}
		switch {
		case p.Index != "" && p.Sharing:
			e.LeadingOperationType = "Sharing"
			e.RelativeCost = cost(p.Rows, standardThreshold(n))
		case p.Index != "":
			e.LeadingOperationType = "Index"
			e.Fields = append([]string{p.Index}, p.Union...)
			threshold := standardThreshold(n)
			if f, ok := obj.Field(p.Index); ok && f.Custom {
				threshold = customThreshold(n)
			}
			e.RelativeCost = cost(p.Rows, threshold)
		case i == 0 && p.Ordered && plan.Limit >= 0:
			// A scan in the query's order ends after LIMIT (+ OFFSET) rows.
			e.LeadingOperationType = "Other"
			e.Cardinality = min(p.Rows, plan.Limit+plan.Offset)
			e.RelativeCost = cost(e.Cardinality, standardThreshold(n))
		default:
			e.LeadingOperationType = "TableScan"
			e.RelativeCost = cost(n, standardThreshold(n))
		}
		out = append(out, e)
		if e.LeadingOperationType == "Other" {
			// The same scan without the early stop: every match read (the reference's
			// capture lists both).
			out = append(out, explainPlan{Fields: []string{}, Notes: notes, SobjectCardinality: n, SobjectType: obj.Name,
				Cardinality: p.Rows, LeadingOperationType: "TableScan", RelativeCost: cost(n, standardThreshold(n))})
		}
	}
	if len(out) > 1 {
		rest := out[1:]
		sort.SliceStable(rest, func(i, j int) bool { return rest[i].RelativeCost < rest[j].RelativeCost })
	}
	return out
}

// standardThreshold is the selectivity threshold of a standard index on n rows.
func standardThreshold(n int) float64 {
	return threshold(n, 0.30, 0.15, 1_000_000)
}

// customThreshold is the selectivity threshold of a custom index on n rows.
func customThreshold(n int) float64 {
	return threshold(n, 0.10, 0.05, 333_333)
}

func threshold(n int, first, rest, most float64) float64 {
	const million = 1_000_000
	t := first * float64(min(n, million))
	if n > million {
		t += rest * float64(n-million)
	}
	return min(t, most)
}

// cost is rows read over the threshold (0 for an empty object).
func cost(rows int, threshold float64) float64 {
	if threshold <= 0 {
		return 0
	}
	return float64(rows) / threshold
}

// idShaped reports whether s has the shape of a record ID (15 or 18 letters and digits):
// no SOQL statement does, so it is read as a list view (or report) ID, and one that is
// not a list view is INVALID_ID rather than a SOQL syntax error.
func idShaped(s string) bool {
	if len(s) != 15 && len(s) != 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}
