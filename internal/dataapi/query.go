package dataapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/soql"
)

// Page sizes (salesforce-rest.md §4): 2000 by default; Sforce-Query-Options: batchSize=N
// asks for 200–2000.
const (
	defaultBatch = 2000
	minBatch     = 200
)

// query serves /query and /queryAll (all: soft-deleted rows included):
//
//	GET /query?q=SOQL[&columns=true]    the first page (or the column metadata)
//	GET /query/{locator}                 a next page (also under /queryAll)
func (d *data) query(all bool) Handler {
	return func(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
		if err := allow(r, http.MethodGet); err != nil {
			return err
		}
		switch len(rest) {
		case 0:
		case 1:
			return d.nextPage(w, r, c, rest[0])
		default:
			return apierror.ErrNotFound
		}
		params := r.URL.Query()
		if params.Has("explain") {
			return d.explain(w, r, c, params.Get("explain"), all) // explain.go
		}
		text := params.Get("q")
		if strings.TrimSpace(text) == "" {
			return apierror.New(http.StatusBadRequest, "MALFORMED_QUERY", "SOQL statements cannot be empty or null")
		}
		at := d.at(c.Org.ID)
		plan, err := d.resolveAt(r, c, text, all, at)
		if err != nil {
			return err
		}
		if b, _ := strconv.ParseBool(params.Get("columns")); b {
			return WriteJSON(w, http.StatusOK, columnMetadata(plan))
		}
		return d.firstPage(w, r, c, text, all, at, plan)
	}
}

// resolve parses and resolves a query for the caller.
func (d *data) resolve(r *http.Request, c *Caller, text string, all bool) (*query.Plan, error) {
	return d.resolveAt(r, c, text, all, time.Time{})
}

// resolveAt is resolve with date literals relative to at (the request's time when zero).
func (d *data) resolveAt(r *http.Request, c *Caller, text string, all bool, at time.Time) (*query.Plan, error) {
	ast, err := soql.Parse(text)
	if err != nil {
		return nil, soqlError(text, err)
	}
	env, err := d.env(r.Context(), c)
	if err != nil {
		return nil, err
	}
	if !at.IsZero() {
		env.Now = at
	}
	loc := time.UTC
	if tz := c.Principal.User.TimeZone; tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	plan, err := query.Resolve(ast, env.Cat, env.Acc, query.Options{Now: env.Now, Location: loc, IncludeDeleted: all, Version: c.Version})
	if err != nil {
		return nil, soqlError(text, err)
	}
	return plan, nil
}

// soqlError renders a parse or resolution error in Salesforce's caret form.
func soqlError(text string, err error) error {
	var se *soql.Error
	if errors.As(err, &se) {
		return apierror.New(http.StatusBadRequest, se.Code, se.Message(text))
	}
	return err
}

// batchSize reads Sforce-Query-Options: batchSize=N, clamped to 200–2000.
func batchSize(r *http.Request) int {
	for _, opt := range strings.Split(r.Header.Get("Sforce-Query-Options"), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(opt), "=")
		if !strings.EqualFold(strings.TrimSpace(k), "batchSize") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			break
		}
		return min(max(n, minBatch), defaultBatch)
	}
	return defaultBatch
}

// nextPage serves GET /query/{locator}.
func (d *data) nextPage(w http.ResponseWriter, r *http.Request, c *Caller, locator string) error {
	cur, offset, ok, err := d.cursors.get(r.Context(), locator, c.Org.ID, c.Principal.User.ID)
	if err != nil {
		return err
	}
	if !ok {
		return apierror.New(http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")
	}
	// The query is resolved again as the caller stands now (a field whose read access was
	// taken away since is not returned), at the instant of its first page.
	plan, err := d.resolveAt(r, c, cur.Query, cur.All, cur.Now)
	if err != nil {
		return err
	}
	var rows []records.Row
	if cur.Snapshot {
		rows, err = d.store.CursorRows(r.Context(), c.Org.ID, cur.Key, plan, offset, cur.Batch)
	} else {
		// An aggregate query's rows have no IDs to hold: its pages run it again from their
		// offset (Salesforce does not page GROUP BY results with queryMore at all).
		var res *records.Result
		if res, err = d.store.Query(r.Context(), c.Org.ID, plan, offset, cur.Batch); err == nil {
			rows = res.Rows
		}
	}
	if err != nil {
		return soqlError("", err)
	}
	return d.writePage(w, r, c, plan, cur, offset+cur.Batch, rows)
}

// firstPage runs a query's first page. A result of one page is written as it is; a
// longer one opens a cursor — for rows, a snapshot of the whole result's IDs — and the
// first page is read from the cursor, so that it belongs to the same result as the next.
func (d *data) firstPage(w http.ResponseWriter, r *http.Request, c *Caller, text string, all bool, at time.Time, plan *query.Plan) error {
	batch := batchSize(r)
	res, err := d.store.Query(r.Context(), c.Org.ID, plan, 0, batch)
	if err != nil {
		return soqlError("", err) // the store's QUERY_TOO_COMPLICATED is a client error
	}
	if plan.CountOnly || len(res.Rows) == 0 || len(res.Rows) >= res.Total {
		return d.writePage(w, r, c, plan, &records.Cursor{Total: res.Total}, res.Total, res.Rows)
	}
	cur := &records.Cursor{OrgID: c.Org.ID, UserID: c.Principal.User.ID, Query: text, All: all, Batch: batch,
		Now: at, Snapshot: !plan.Aggregate, Total: res.Total}
	if err := d.cursors.open(r.Context(), cur, plan); err != nil {
		return soqlError("", err)
	}
	rows := res.Rows
	if cur.Snapshot {
		if rows, err = d.store.CursorRows(r.Context(), c.Org.ID, cur.Key, plan, 0, batch); err != nil {
			return soqlError("", err)
		}
	}
	return d.writePage(w, r, c, plan, cur, batch, rows)
}

// writePage writes one page whose next page starts at position next, closing the
// cursor after its last page. done is never false without a nextRecordsUrl.
func (d *data) writePage(w http.ResponseWriter, r *http.Request, c *Caller, plan *query.Plan, cur *records.Cursor, next int, rows []records.Row) error {
	if err := d.markRecent(r.Context(), c, plan, rows); err != nil { // FOR VIEW, FOR REFERENCE (recent.go)
		return err
	}
	recs, err := d.shapeRows(r.Context(), c, plan, rows)
	if err != nil {
		return err
	}
	done := cur.Key == "" || next >= cur.Total
	out := object{{"totalSize", cur.Total}, {"done", done}}
	if !done {
		out = append(out, member{"nextRecordsUrl", "/services/data/v" + c.Version + "/query/" + cur.Key + "-" + strconv.Itoa(next)})
	} else if cur.Key != "" {
		if err := d.cursors.close(r.Context(), cur.Key); err != nil {
			return err
		}
	}
	out = append(out, member{"records", recs})
	return WriteJSON(w, http.StatusOK, out)
}
