package dataapi

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/soql"
	"github.com/forcefield/forcefield/internal/sosl"
)

// Search suggestions (REST API Developer Guide, "Search Suggested Records";
// salesforce-rest-more.md §1.7): GET /search/suggestions?q=<text>&sobject=A[,B][&limit=n].
//
// The text's words are looked for in the objects' NAME FIELDS, the last word as a prefix
// ("national u" behaves as "national u*"); quotes and wildcards are dropped. A q shorter
// than 3 characters (2 when it holds CJK) gives no suggestions. Each result is attributes,
// Id and the object's name field; limit (default 5) caps them all, and hasMoreResults
// says whether there were more. The wrapper key autoSuggestResults is [UNCONFIRMED]
// (hasMoreResults is documented). The fields, dynamicFields, type, where and
// ignoreUnsupportedSObjects parameters are not applied.

const (
	suggestDefaultLimit = 5
	suggestMaxObjects   = 10
	suggestMaxQuery     = 255
)

func (d *data) suggestions(w http.ResponseWriter, r *http.Request, c *Caller) error {
	v := r.URL.Query()
	q := v.Get("q")
	var objects []string
	for _, s := range v["sobject"] {
		for _, o := range strings.Split(s, ",") {
			if o = strings.TrimSpace(o); o != "" {
				objects = append(objects, o)
			}
		}
	}
	if len(objects) == 0 {
		// [UNCONFIRMED] code and text: sobject is documented as required.
		return apierror.New(http.StatusBadRequest, "MISSING_ARGUMENT", "sobject is required")
	}
	if len(objects) > suggestMaxObjects {
		return badParam("sobject", strings.Join(objects, ","))
	}
	limit := suggestDefaultLimit
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > sosl.MaxLimit {
			return badParam("limit", s)
		}
		limit = n
	}
	empty := object{{"autoSuggestResults", []any{}}, {"hasMoreResults", false}}
	text := strings.Map(func(r rune) rune {
		if r == '*' || r == '?' || r == '"' {
			return ' '
		}
		return r
	}, q)
	words := sosl.Words(text)
	if utf8.RuneCountInString(strings.TrimSpace(q)) < minSuggest(q) || utf8.RuneCountInString(q) > suggestMaxQuery || len(words) == 0 {
		return WriteJSON(w, http.StatusOK, empty)
	}
	var find sosl.Expr
	for i, word := range words {
		if i == len(words)-1 {
			word += "*"
		}
		var m sosl.Expr = &sosl.Match{Words: []string{word}, Text: word}
		if find == nil {
			find = m
		} else {
			find = &sosl.And{L: find, R: m}
		}
	}
	env, err := d.env(r.Context(), c)
	if err != nil {
		return err
	}
	out := []any{}
	more := false
	for _, name := range objects {
		obj, ok := env.Cat.Object(name)
		if !ok {
			continue // as ignoreUnsupportedSObjects: an unknown object has no suggestions
		}
		nf, ok := obj.NameField()
		if !ok || !sosl.SearchableObject(obj) {
			continue
		}
		sel := []soql.SelectItem{&soql.FieldItem{Name: soql.Name{Parts: []string{"Id"}}}, &soql.FieldItem{Name: soql.Name{Parts: []string{nf.Name}}}}
		plan, err := query.Resolve(&soql.Query{Select: sel, From: soql.Name{Parts: []string{obj.Name}}, Limit: -1, Offset: -1}, env.Cat, env.Acc, query.Options{Now: env.Now})
		if err != nil {
			continue // an object or name field the user may not read suggests nothing
		}
		var fields []string
		for _, f := range sosl.SearchFields(obj) {
			if sosl.InGroup(obj, f, sosl.GroupName) && env.Acc.FieldReadable(obj, f) {
				fields = append(fields, f.Name)
			}
		}
		plan.Limit = limit + 1 - len(out)
		rows, err := d.store.Search(r.Context(), c.Org.ID, plan, records.Match{Expr: find, Fields: fields})
		if err != nil {
			return soslError(q, err)
		}
		for _, row := range rows {
			if len(out) == limit {
				more = true
				break
			}
			out = append(out, shapeRow(c.Version, env.Cat, plan, row))
		}
		if more {
			break
		}
	}
	return WriteJSON(w, http.StatusOK, object{{"autoSuggestResults", out}, {"hasMoreResults", more}})
}

// minSuggest is the shortest q that gets suggestions: 3 characters, 2 with CJK.
func minSuggest(q string) int {
	for _, r := range q {
		if r >= 0x2E80 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7AF || r >= 0xF900 && r <= 0xFAFF {
			return 2
		}
	}
	return 3
}
