package dataapi

// List view results: the view's query run as the user, a page at a time, every value
// rendered as the string Salesforce shows (listviews.go routes here).
import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/schema"
)

// listViewResults runs a view's query as the caller and renders a page of rows.
func (d *data) listViewResults(w http.ResponseWriter, r *http.Request, c *Caller, v listView, q lvQuery) error {
	params := r.URL.Query()
	limit, err := intParam(params.Get("limit"), lvDefaultLimit, 1, lvMaxLimit, "limit")
	if err != nil {
		return err
	}
	offset, err := intParam(params.Get("offset"), 0, 0, maxOffset, "offset")
	if err != nil {
		return err
	}
	plan, err := d.resolve(r, c, q.Exec, false)
	if err != nil {
		return err
	}
	res, err := d.store.Query(r.Context(), c.Org.ID, plan, offset, limit)
	if err != nil {
		return soqlError("", err)
	}
	// The page's own columns by path, then its parent columns by Id (lvQuery.Parents).
	idCol := -1
	for j, col := range plan.Columns {
		if !col.Hidden && col.Path != nil && len(col.Path.Rels) == 0 && col.Path.Field.Type == schema.TypeID {
			idCol = j
			break
		}
	}
	parents := map[string][]any{}
	var parentPaths []string
	if q.Parents != "" && len(res.Rows) > 0 && idCol >= 0 {
		ids := make([]string, len(res.Rows))
		for i, row := range res.Rows {
			id, _ := row.Values[idCol].(string)
			ids[i] = "'" + id + "'"
		}
		pplan, err := d.resolve(r, c, q.Parents+"("+strings.Join(ids, ", ")+")", false)
		if err != nil {
			return err
		}
		pres, err := d.store.Query(r.Context(), c.Org.ID, pplan, 0, 0)
		if err != nil {
			return soqlError("", err)
		}
		for _, col := range pplan.Columns[1:] {
			if !col.Hidden {
				parentPaths = append(parentPaths, col.Path.Name)
			}
		}
		for _, row := range pres.Rows {
			id, _ := row.Values[0].(string)
			parents[id] = row.Values[1 : 1+len(parentPaths)]
		}
	}
	recs := make([]any, len(res.Rows))
	for i, row := range res.Rows {
		var id string
		if idCol >= 0 {
			id, _ = row.Values[idCol].(string)
		}
		cols := make([]any, len(q.Cols))
		own, up := 0, 0
		for j, col := range q.Cols {
			var val any
			if strings.Contains(col.Path, ".") {
				if vals, ok := parents[id]; ok && up < len(vals) {
					val = vals[up]
				}
				up++
			} else {
				val = row.Values[own]
				own++
			}
			cols[j] = object{{"fieldNameOrPath", col.Path}, {"value", lvValue(col, val)}}
		}
		recs[i] = object{{"columns", cols}}
	}
	return WriteJSON(w, http.StatusOK, object{
		{"columns", q.columns()},
		{"developerName", v.DevName},
		{"done", offset+len(res.Rows) >= res.Total},
		{"id", v.ID.Short()},
		{"label", v.Label},
		{"records", recs},
		{"size", res.Total},
	})
}

// maxOffset bounds ?offset= of list view results (Salesforce does not document one;
// SOQL's OFFSET stops at 2000, but list views page further in its UI).
const maxOffset = 1 << 30

// intParam reads an integer query parameter in [lo, hi], def when absent. Salesforce's
// error for a bad value is not documented [UNCONFIRMED]: 400 INVALID_INPUT.
func intParam(s string, def, lo, hi int, name string) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, apierror.New(http.StatusBadRequest, "INVALID_INPUT",
			name+" must be an integer between "+strconv.Itoa(lo)+" and "+strconv.Itoa(hi)+": "+s)
	}
	return n, nil
}

// gmt is the zone list view results print datetimes in.
var gmt = time.FixedZone("GMT", 0)

// lvValue renders a value of a list view row: every value is a string or null (List
// View Results), datetimes in Java's Date.toString() form ("Fri Aug 01 21:15:46 GMT
// 2014"), picklists as their labels, dates as 2006-01-02 and numbers in their plain
// decimal form [UNCONFIRMED: the guide's example has neither].
func lvValue(col lvCol, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if col.toLabel() {
			return picklistLabels(col.Field, x)
		}
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.In(gmt).Format("Mon Jan 02 15:04:05 MST 2006")
	}
	return nil
}

// picklistLabels turns a picklist value (or ;-joined values) into its label(s); a value
// that is not in the picklist stays as it is, as toLabel() leaves it.
func picklistLabels(f *schema.Field, s string) string {
	parts := strings.Split(s, ";")
	for i, p := range parts {
		for _, pv := range f.Picklist {
			if pv.Value == p && pv.Label != "" {
				parts[i] = pv.Label
				break
			}
		}
	}
	return strings.Join(parts, ";")
}
