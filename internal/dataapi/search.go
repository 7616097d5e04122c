package dataapi

// SOSL search (salesforce-rest-more.md §1; REST API Developer Guide, "Search" and
// "Parameterized Search"):
//
//	GET  /search?q=FIND {…} …           a SOSL statement
//	GET  /search/scopeOrder             the searchable objects, in search order
//	GET  /search/suggestions?q=&sobject= auto-suggest on name fields
//	GET  /parameterizedSearch?q=…&…     a plain search with its options as parameters
//	POST /parameterizedSearch           the same options as a JSON body
//
// All answer {"searchRecords":[…]}: each record is attributes, then exactly the fields
// of its RETURNING field list in order (Id only when no list is given; never an Id that
// was not asked for), relationship fields nested as in SOQL, objects in RETURNING order.
// The search runs as the caller: each RETURNING object resolves as the SOQL SELECT it is
// equivalent to (sosl.Returning.Query, package query), so an unreadable object or field
// fails as in SOQL, the owner rule of a Private object applies, and the text is looked
// for only in the fields of the IN group that the caller may read — a hidden field never
// makes a record match. Without RETURNING every searchable object the caller may read is
// searched (records with Id only).

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/soql"
	"github.com/forcefield/forcefield/internal/sosl"
)

// enableSearch registers the search resources; EnableData calls it.
func (d *data) enableSearch() {
	d.api.Handle("search", d.search)
	d.api.Handle("parameterizedSearch", d.parameterizedSearch)
}

// notNamedOnly are objects a search without RETURNING skips: "Articles, documents, feed
// items, files, products and solutions" come back only when named (RETURNING doc).
var notNamedOnly = map[string]bool{
	"KnowledgeArticleVersion": true, "Document": true, "FeedItem": true, "ContentVersion": true,
	"ContentDocument": true, "Product2": true, "Solution": true,
}

// searchSpec is a search to run, from SOSL or from parameterizedSearch.
type searchSpec struct {
	text      string // what error carets point into (the SOSL statement)
	plain     bool   // parameterizedSearch: resolution errors have no caret (no statement)
	find      sosl.Expr
	in        sosl.Group
	returning []*sosl.Returning // nil: every searchable object
	limit     int               // overall; -1: sosl.MaxLimit
	perObject int               // parameterizedSearch's defaultLimit; -1: none
}

// search serves GET /search?q= and GET /search/scopeOrder.
func (d *data) search(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	if err := allow(r, http.MethodGet); err != nil {
		return err
	}
	switch {
	case len(rest) == 1 && rest[0] == "scopeOrder":
		return d.scopeOrder(w, r, c)
	case len(rest) == 1 && rest[0] == "suggestions":
		return d.suggestions(w, r, c)
	case len(rest) > 0:
		return apierror.ErrNotFound
	}
	text := r.URL.Query().Get("q")
	if strings.TrimSpace(text) == "" {
		return apierror.New(http.StatusBadRequest, sosl.CodeMalformed, sosl.MsgEmpty)
	}
	st, err := sosl.Parse(text)
	if err != nil {
		return soslError(text, err)
	}
	return d.runSearch(w, r, c, &searchSpec{text: text, find: st.Find, in: st.In, returning: st.Returning, limit: st.Limit, perObject: -1})
}

// soslError renders a parse or resolution error of a search in the caret form.
func soslError(text string, err error) error {
	var se *soql.Error
	if errors.As(err, &se) {
		return apierror.New(http.StatusBadRequest, se.Code, sosl.Message(se, text))
	}
	return err
}

// searchTarget is one object to search, resolved.
type searchTarget struct {
	plan   *query.Plan
	fields []string
	limit  int // -1: none of its own
}

// runSearch resolves every object first (any error before any search), then searches
// them in order, the overall limit shared out in that order.
func (d *data) runSearch(w http.ResponseWriter, r *http.Request, c *Caller, sp *searchSpec) error {
	env, err := d.env(r.Context(), c)
	if err != nil {
		return err
	}
	specs := sp.returning
	if specs == nil {
		for _, obj := range env.Cat.Objects() {
			if sosl.SearchableObject(obj) && !notNamedOnly[obj.Name] && env.Acc.Object(obj, access.Read) {
				specs = append(specs, &sosl.Returning{Object: soql.Name{Parts: []string{obj.Name}}, Limit: -1, Offset: -1})
			}
		}
	}
	opts := query.Options{Now: env.Now, Location: time.UTC}
	if tz := c.Principal.User.TimeZone; tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			opts.Location = l // date literals in WHERE, as in SOQL (resolve in query.go)
		}
	}
	var targets []searchTarget
	for _, rs := range specs {
		plan, err := query.Resolve(rs.Query(), env.Cat, env.Acc, opts)
		if err != nil {
			if se := (*soql.Error)(nil); sp.plain && errors.As(err, &se) {
				return apierror.New(http.StatusBadRequest, se.Code, se.Msg)
			}
			return soslError(sp.text, err)
		}
		if !sosl.SearchableObject(plan.Object) {
			// Salesforce's text for a search on an object that has no search index.
			e := soql.ErrorAt("INVALID_TYPE", rs.Object.Pos, "entity type "+plan.Object.Name+" does not support search")
			e.Plain = sp.plain
			return soslError(sp.text, e)
		}
		var fields []string
		for _, f := range sosl.SearchFields(plan.Object) {
			if sosl.InGroup(plan.Object, f, sp.in) && env.Acc.FieldReadable(plan.Object, f) {
				fields = append(fields, f.Name)
			}
		}
		limit := rs.Limit
		if limit < 0 {
			limit = sp.perObject
		}
		targets = append(targets, searchTarget{plan: plan, fields: fields, limit: limit})
	}
	remaining := sosl.MaxLimit
	if sp.limit >= 0 {
		remaining = min(sp.limit, sosl.MaxLimit)
	}
	out := []any{}
	for _, t := range targets {
		if remaining == 0 {
			break
		}
		t.plan.Limit = remaining
		if t.limit >= 0 {
			t.plan.Limit = min(t.limit, remaining)
		}
		rows, err := d.store.Search(r.Context(), c.Org.ID, t.plan, records.Match{Expr: sp.find, Fields: t.fields})
		if err != nil {
			return soslError(sp.text, err)
		}
		for _, row := range rows {
			out = append(out, shapeRow(c.Version, env.Cat, t.plan, row))
		}
		remaining -= len(rows)
	}
	return WriteJSON(w, http.StatusOK, object{{"searchRecords", out}})
}

// scopeOrder serves GET /search/scopeOrder: the searchable objects the caller may read,
// each {"type","url"} with its describe URL (REST API Developer Guide, "Search Scope and
// Order"). Forcefield keeps no per-user search history, so the order is the catalog's.
func (d *data) scopeOrder(w http.ResponseWriter, r *http.Request, c *Caller) error {
	env, err := d.env(r.Context(), c)
	if err != nil {
		return err
	}
	out := []any{}
	for _, obj := range env.Cat.Objects() {
		if sosl.SearchableObject(obj) && env.Acc.Object(obj, access.Read) {
			out = append(out, object{{"type", obj.Name}, {"url", "/services/data/v" + c.Version + "/sobjects/" + obj.Name + "/describe"}})
		}
	}
	return WriteJSON(w, http.StatusOK, out)
}

// paramSearch is parameterizedSearch's options, from the query string or a JSON body
// (REST API Developer Guide, "Parameterized Search"; salesforce-rest-more.md §1.6).
type paramSearch struct {
	Q            string        `json:"q"`
	Fields       []string      `json:"fields"`
	In           string        `json:"in"`
	OverallLimit *int          `json:"overallLimit"`
	DefaultLimit *int          `json:"defaultLimit"`
	Offset       *int          `json:"offset"`
	Sobjects     []paramObject `json:"sobjects"`
}

type paramObject struct {
	Name    string   `json:"name"`
	Fields  []string `json:"fields"`
	Where   string   `json:"where"`
	Limit   *int     `json:"limit"`
	OrderBy string   `json:"orderBy"` // [UNCONFIRMED] key, as the GET parameter
}

// parameterizedSearch serves GET and POST /parameterizedSearch.
func (d *data) parameterizedSearch(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	if err := allow(r, http.MethodGet, http.MethodPost); err != nil {
		return err
	}
	if len(rest) > 0 {
		return apierror.ErrNotFound
	}
	var ps paramSearch
	var err error
	if r.Method == http.MethodPost {
		body, rerr := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if rerr != nil {
			return rerr
		}
		if len(body) > maxBody {
			return apierror.New(http.StatusRequestEntityTooLarge, "JSON_PARSER_ERROR", "request body too large")
		}
		if err := json.Unmarshal(body, &ps); err != nil {
			return syntaxError(body, err)
		}
	} else if ps, err = paramsFromQuery(r); err != nil {
		return err
	}
	sp, err := ps.spec()
	if err != nil {
		return err
	}
	return d.runSearch(w, r, c, sp)
}

// paramsFromQuery reads the GET form: q, sobject (repeatable), fields, in, overallLimit,
// defaultLimit, offset, and per object <Object>.fields, .limit, .where, .orderBy. The
// other documented parameters (spellCorrection, metadata, division, dataCategory,
// netWorkIds, pricebookId, snippet, updateTracking, updateViewStat) change nothing here.
func paramsFromQuery(r *http.Request) (paramSearch, error) {
	v := r.URL.Query()
	ps := paramSearch{Q: v.Get("q"), In: v.Get("in")}
	if f := v.Get("fields"); f != "" {
		ps.Fields = strings.Split(f, ",")
	}
	for _, p := range []struct {
		name string
		dst  **int
	}{{"overallLimit", &ps.OverallLimit}, {"defaultLimit", &ps.DefaultLimit}, {"offset", &ps.Offset}} {
		if s := v.Get(p.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return ps, badParam(p.name, s)
			}
			*p.dst = &n
		}
	}
	for _, name := range v["sobject"] {
		o := paramObject{Name: name, Where: v.Get(name + ".where"), OrderBy: v.Get(name + ".orderBy")}
		if f := v.Get(name + ".fields"); f != "" {
			o.Fields = strings.Split(f, ",")
		}
		if s := v.Get(name + ".limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				return ps, badParam(name+".limit", s)
			}
			o.Limit = &n
		}
		ps.Sobjects = append(ps.Sobjects, o)
	}
	return ps, nil
}

// badParam answers a parameter that is not a valid value. [UNCONFIRMED] code and text.
func badParam(name, value string) error {
	return apierror.New(http.StatusBadRequest, sosl.CodeMalformed, "Invalid value for parameter "+name+": "+value)
}

// spec turns the options into a search, parsing q as the inside of FIND {…} and each
// object's fields, where and orderBy with SOQL's parsers (errors point into the
// parameter's own text).
func (ps *paramSearch) spec() (*searchSpec, error) {
	if strings.TrimSpace(ps.Q) == "" {
		return nil, apierror.New(http.StatusBadRequest, sosl.CodeMalformed, sosl.MsgEmpty)
	}
	find, err := sosl.ParseExpr(ps.Q)
	if err != nil {
		return nil, soslError(ps.Q, err)
	}
	sp := &searchSpec{text: ps.Q, plain: true, find: find, limit: -1, perObject: -1}
	if ps.In != "" {
		g, ok := sosl.ParseGroup(ps.In)
		if !ok {
			return nil, badParam("in", ps.In)
		}
		sp.in = g
	}
	if ps.OverallLimit != nil {
		if *ps.OverallLimit > sosl.MaxLimit || *ps.OverallLimit < 0 {
			return nil, badParam("overallLimit", strconv.Itoa(*ps.OverallLimit))
		}
		sp.limit = *ps.OverallLimit
	}
	if ps.DefaultLimit != nil {
		if *ps.DefaultLimit > sosl.MaxLimit || *ps.DefaultLimit < 0 {
			return nil, badParam("defaultLimit", strconv.Itoa(*ps.DefaultLimit))
		}
		sp.perObject = *ps.DefaultLimit
	}
	if len(ps.Fields) > 0 && len(ps.Sobjects) == 0 {
		// "fields … requires at least one sobject" (parameterized search doc); the
		// answer's text is [UNCONFIRMED].
		return nil, apierror.New(http.StatusBadRequest, sosl.CodeMalformed, "The fields parameter requires at least one sobject")
	}
	if ps.Offset != nil && (len(ps.Sobjects) != 1 || *ps.Offset > sosl.MaxLimit || *ps.Offset < 0) {
		return nil, badParam("offset", strconv.Itoa(*ps.Offset))
	}
	seen := map[string]bool{}
	for _, o := range ps.Sobjects {
		if strings.TrimSpace(o.Name) == "" || seen[strings.ToLower(o.Name)] {
			return nil, badParam("sobject", o.Name)
		}
		seen[strings.ToLower(o.Name)] = true
		rs := &sosl.Returning{Object: soql.Name{Parts: []string{strings.TrimSpace(o.Name)}}, Limit: -1, Offset: -1}
		fields := o.Fields
		if len(fields) == 0 {
			fields = ps.Fields
		}
		for _, f := range fields {
			n, err := parseNameParam(o.Name+".fields", f)
			if err != nil {
				return nil, err
			}
			rs.Fields = append(rs.Fields, n)
		}
		if strings.TrimSpace(o.Where) != "" {
			t := soql.NewTail(o.Where, 0)
			if err := t.CheckNesting(); err != nil {
				return nil, soqlError(o.Where, err)
			}
			if rs.Where, err = t.Condition(); err == nil && t.Peek().Kind != "eof" {
				err = soql.Unexpected(t.Peek())
			}
			if err != nil {
				return nil, soqlError(o.Where, err)
			}
		}
		if strings.TrimSpace(o.OrderBy) != "" {
			// The doc's example writes NULLS_LAST; SOQL's NULLS LAST has the same length,
			// so error offsets stay right.
			text := strings.NewReplacer("NULLS_FIRST", "NULLS FIRST", "NULLS_LAST", "NULLS LAST",
				"nulls_first", "nulls first", "nulls_last", "nulls last").Replace(o.OrderBy)
			t := soql.NewTail(text, 0)
			if rs.OrderBy, err = t.OrderBy(); err == nil && t.Peek().Kind != "eof" {
				err = soql.Unexpected(t.Peek())
			}
			if err != nil {
				return nil, soqlError(o.OrderBy, err)
			}
		}
		if o.Limit != nil {
			if *o.Limit < 0 || *o.Limit > sosl.MaxLimit {
				return nil, badParam(o.Name+".limit", strconv.Itoa(*o.Limit))
			}
			rs.Limit = *o.Limit
		}
		if ps.Offset != nil {
			rs.Offset = *ps.Offset
		}
		sp.returning = append(sp.returning, rs)
	}
	return sp, nil
}

// parseNameParam parses one field name of a fields parameter.
func parseNameParam(param, text string) (soql.Name, error) {
	text = strings.TrimSpace(text)
	t := soql.NewTail(text, 0)
	n, err := t.Name()
	if err == nil && t.Peek().Kind != "eof" {
		err = soql.Unexpected(t.Peek())
	}
	if err != nil {
		return soql.Name{}, badParam(param, text)
	}
	return n, nil
}
