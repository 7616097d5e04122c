package dataapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/query"
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
		plan, err := d.resolve(r, c, text, all)
		if err != nil {
			return err
		}
		if b, _ := strconv.ParseBool(params.Get("columns")); b {
			return WriteJSON(w, http.StatusOK, columnMetadata(plan))
		}
		cur := &cursor{orgID: c.Org.ID, userID: c.Principal.User.ID, plan: plan, batch: batchSize(r), version: c.Version}
		return d.page(w, r, c, cur, "", 0)
	}
}

// resolve parses and resolves a query for the caller.
func (d *data) resolve(r *http.Request, c *Caller, text string, all bool) (*query.Plan, error) {
	ast, err := soql.Parse(text)
	if err != nil {
		return nil, soqlError(text, err)
	}
	env, err := d.env(r.Context(), c)
	if err != nil {
		return nil, err
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
	cur, key, offset, ok := d.cursors.get(locator, c.Org.ID, c.Principal.User.ID)
	if !ok {
		return apierror.New(http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator")
	}
	return d.page(w, r, c, cur, key, offset)
}

// page runs one page of a cursor's plan and writes it, opening (or closing) the cursor
// as more pages remain (or none do). done is never false without a nextRecordsUrl.
func (d *data) page(w http.ResponseWriter, r *http.Request, c *Caller, cur *cursor, key string, offset int) error {
	res, err := d.store.Query(r.Context(), c.Org.ID, cur.plan, offset, cur.batch)
	if err != nil {
		return soqlError("", err) // the store's QUERY_TOO_COMPLICATED is a client error
	}
	recs, err := d.shapeRows(r.Context(), c, cur.plan, res.Rows)
	if err != nil {
		return err
	}
	if err := d.markRecent(r.Context(), c, cur.plan, res.Rows); err != nil { // FOR VIEW, FOR REFERENCE (recent.go)
		return err
	}
	next := offset + len(res.Rows)
	done := cur.plan.CountOnly || len(res.Rows) == 0 || next >= res.Total
	out := object{{"totalSize", res.Total}, {"done", done}}
	if !done {
		if key == "" {
			key = d.cursors.open(cur)
		}
		out = append(out, member{"nextRecordsUrl", "/services/data/v" + c.Version + "/query/" + key + "-" + strconv.Itoa(next)})
	} else if key != "" {
		d.cursors.close(key)
	}
	out = append(out, member{"records", recs})
	return WriteJSON(w, http.StatusOK, out)
}
