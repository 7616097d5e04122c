package dataapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/versions"
)

// composite serves /composite (subrequests with references), /composite/batch,
// /composite/tree/{Type} and /composite/sobjects (salesforce-rest.md §7).
func (d *data) composite(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	if len(rest) > 0 {
		switch rest[0] {
		case "sobjects":
			return d.collectionsRoute(w, r, c, rest[1:])
		case "batch":
			if len(rest) == 1 {
				return d.batch(w, r, c)
			}
		case "tree":
			if len(rest) == 2 {
				return d.tree(w, r, c, rest[1])
			}
		}
		return apierror.ErrNotFound
	}
	if err := allow(r, http.MethodPost); err != nil {
		return err
	}
	return d.compositeRequest(w, r, c)
}

// maxSubrequests bounds /composite and /composite/batch.
const maxSubrequests = 25

// batch serves /composite/batch: independent subrequests, each committed on its own;
// with haltOnError the ones after the first failure answer 412 BATCH_PROCESSING_HALTED.
func (d *data) batch(w http.ResponseWriter, r *http.Request, c *Caller) error {
	if err := allow(r, http.MethodPost); err != nil {
		return err
	}
	if nestedComposite(r.Context()) {
		return errNested
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var req struct {
		BatchRequests []struct {
			Method    string          `json:"method"`
			URL       string          `json:"url"`
			RichInput json.RawMessage `json:"richInput"`
		} `json:"batchRequests"`
		HaltOnError bool `json:"haltOnError"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return syntaxError(body, err)
	}
	if len(req.BatchRequests) > maxSubrequests {
		return apierror.New(http.StatusBadRequest, "INVALID_BATCH_REQUEST", "A batch cannot contain more than 25 requests")
	}
	type result struct {
		StatusCode int `json:"statusCode"`
		Result     any `json:"result"`
	}
	out := make([]result, len(req.BatchRequests))
	hasErrors, halted := false, false
	for i, br := range req.BatchRequests {
		if halted {
			out[i] = result{http.StatusPreconditionFailed, []any{map[string]string{
				"errorCode": "BATCH_PROCESSING_HALTED", "message": "Batch processing halted per request"}}}
			continue
		}
		var in []byte
		if len(br.RichInput) > 0 && string(br.RichInput) != "null" {
			in = br.RichInput
		}
		rec := d.subrequest(context.WithValue(r.Context(), batchKey{}, true), r, c, strings.ToUpper(br.Method), br.URL, in)
		out[i] = result{rec.status, rec.result()}
		if rec.status >= 400 {
			hasErrors = true
			halted = req.HaltOnError
		}
	}
	return WriteJSON(w, http.StatusOK, object{{"hasErrors", hasErrors}, {"results", out}})
}

type compositeSub struct {
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	ReferenceID string            `json:"referenceId"`
	Body        json.RawMessage   `json:"body"`
	HTTPHeaders map[string]string `json:"httpHeaders"`
}

type compositeResult struct {
	Body           any               `json:"body"`
	HTTPHeaders    map[string]string `json:"httpHeaders"`
	HTTPStatusCode int               `json:"httpStatusCode"`
	ReferenceID    string            `json:"referenceId"`
}

// refPattern is a composite reference: @{referenceId.field}, @{ref.records[0].Id}.
var refPattern = regexp.MustCompile(`@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[[0-9]+\])*)\}`)

// refStep is one step of a reference path: .field or [n].
var refStep = regexp.MustCompile(`\.[A-Za-z0-9_]+|\[[0-9]+\]`)

// compositeRequest serves POST /composite: subrequests run in order in ONE transaction,
// later ones referring to earlier results with @{ref.path}. With allOrNone, a failure
// rolls everything back and every subrequest answers PROCESSING_HALTED but the failing
// one; without, the successful ones are kept.
func (d *data) compositeRequest(w http.ResponseWriter, r *http.Request, c *Caller) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var req struct {
		AllOrNone        bool           `json:"allOrNone"`
		CompositeRequest []compositeSub `json:"compositeRequest"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return syntaxError(body, err)
	}
	if n := len(req.CompositeRequest); n == 0 || n > maxSubrequests {
		return apierror.New(http.StatusBadRequest, "INVALID_INPUT", "compositeRequest must contain between 1 and 25 subrequests")
	}
	seen := map[string]bool{}
	for _, sub := range req.CompositeRequest {
		if sub.ReferenceID == "" || seen[sub.ReferenceID] {
			return apierror.New(http.StatusBadRequest, "INVALID_INPUT", fmt.Sprintf("Duplicate or missing referenceId: '%s'", sub.ReferenceID))
		}
		seen[sub.ReferenceID] = true
	}
	if heavy := heavySubrequests(req.CompositeRequest); heavy > maxHeavySubrequests {
		return apierror.New(http.StatusBadRequest, "INVALID_INPUT", "A composite request can contain at most 5 query or sObject Collections subrequests")
	}
	if nestedComposite(r.Context()) {
		return errNested
	}
	results := make([]compositeResult, len(req.CompositeRequest))
	failedAt := -1
	err = d.store.Write(r.Context(), c.Org.ID, func(tx records.Tx) error {
		ctx := context.WithValue(r.Context(), txKey{}, tx)
		values := map[string]any{}
		for i, sub := range req.CompositeRequest {
			res := d.runComposite(ctx, r, c, sub, values)
			results[i] = res
			if res.HTTPStatusCode >= 400 && failedAt < 0 {
				failedAt = i
				if req.AllOrNone {
					return errRollback
				}
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return err
	}
	if errors.Is(err, errRollback) {
		halted := []any{map[string]string{"errorCode": "PROCESSING_HALTED",
			"message": "The transaction was rolled back since another operation in the same transaction failed."}}
		for i := range results {
			if i != failedAt {
				results[i] = compositeResult{Body: halted, HTTPHeaders: map[string]string{}, HTTPStatusCode: http.StatusBadRequest,
					ReferenceID: req.CompositeRequest[i].ReferenceID}
			}
		}
	}
	return WriteJSON(w, http.StatusOK, object{{"compositeResponse", results}})
}

// runComposite substitutes references into one subrequest and runs it.
func (d *data) runComposite(ctx context.Context, r *http.Request, c *Caller, sub compositeSub, values map[string]any) compositeResult {
	fail := func(msg string) compositeResult {
		return compositeResult{Body: []any{map[string]string{"errorCode": "PROCESSING_HALTED", "message": msg}},
			HTTPHeaders: map[string]string{}, HTTPStatusCode: http.StatusBadRequest, ReferenceID: sub.ReferenceID}
	}
	u, err := substitute(sub.URL, values, false)
	if err != nil {
		return fail(err.Error())
	}
	var body []byte
	if len(sub.Body) > 0 && string(sub.Body) != "null" {
		s, err := substitute(string(sub.Body), values, true)
		if err != nil {
			return fail(err.Error())
		}
		body = []byte(s)
	}
	rec := d.subrequest(ctx, r, c, strings.ToUpper(sub.Method), u, body)
	res := compositeResult{Body: rec.result(), HTTPHeaders: map[string]string{}, HTTPStatusCode: rec.status, ReferenceID: sub.ReferenceID}
	decoded := rec.decoded()
	if rec.status == http.StatusCreated {
		if m, ok := decoded.(map[string]any); ok {
			if id, ok := m["id"].(string); ok {
				segs := splitPath(strings.TrimPrefix(strings.TrimPrefix(u, "/services/data"), "services/data"))
				if version, ok := versions.FromPath(segs[0]); ok {
					res.HTTPHeaders["Location"] = sobjectURL(version, objectOfURL(u), id)
				}
			}
		}
	}
	if rec.status < 400 {
		values[sub.ReferenceID] = decoded
	}
	return res
}

// batchKey marks the context of a /composite/batch subrequest.
type batchKey struct{}

// errNested answers a /composite or /composite/batch inside another one: neither lists
// the composite resources among those its subrequests may call (REST API Developer
// Guide, "Composite" and "Composite Batch"), and nesting them would multiply the work
// of one call.
var errNested = apierror.New(http.StatusBadRequest, "INVALID_INPUT", "A composite request cannot contain another composite request")

// nestedComposite reports whether ctx is a /composite or /composite/batch subrequest's.
func nestedComposite(ctx context.Context) bool {
	_, inTx := ctx.Value(txKey{}).(records.Tx)
	inBatch, _ := ctx.Value(batchKey{}).(bool)
	return inTx || inBatch
}

// maxHeavySubrequests bounds the costly subrequests of one /composite call: "You can have
// up to 25 subrequests in a single call. Up to 5 of these subrequests can be sObject
// Collections or query operations, including Query and QueryAll requests" (REST API
// Developer Guide, "Composite"). Without it one call could write 25 × 200 records.
const maxHeavySubrequests = 5

// heavySubrequests counts the query, queryAll and sObject Collections subrequests.
func heavySubrequests(subs []compositeSub) int {
	n := 0
	for _, sub := range subs {
		path, _, _ := strings.Cut(sub.URL, "?")
		segs := splitPath(strings.TrimPrefix(strings.TrimPrefix(path, "/"), "services/data/"))
		if len(segs) >= 2 && (segs[1] == "query" || segs[1] == "queryAll" ||
			len(segs) >= 3 && segs[1] == "composite" && segs[2] == "sobjects") {
			n++
		}
	}
	return n
}

// objectOfURL is the object name of a …/sobjects/T… URL.
func objectOfURL(u string) string {
	_, after, ok := strings.Cut(u, "/sobjects/")
	if !ok {
		return ""
	}
	obj, _, _ := strings.Cut(after, "/")
	obj, _, _ = strings.Cut(obj, "?")
	return obj
}

// substitute replaces @{ref.path} in s with values from earlier results; inJSON escapes
// the value for a JSON string.
func substitute(s string, values map[string]any, inJSON bool) (string, error) {
	var firstErr error
	out := refPattern.ReplaceAllStringFunc(s, func(m string) string {
		parts := refPattern.FindStringSubmatch(m)
		v, ok := values[parts[1]]
		if !ok {
			if firstErr == nil {
				firstErr = fmt.Errorf("Invalid reference specified. No value for %s found in %s. Provided referenceId ('%s') must be a referenceId of a previous successful request.", m, parts[1], parts[1])
			}
			return m
		}
		for _, step := range refStep.FindAllString(parts[2], -1) {
			switch {
			case strings.HasPrefix(step, "."):
				obj, _ := v.(map[string]any)
				v = obj[step[1:]]
			default:
				n, _ := strconv.Atoi(step[1 : len(step)-1])
				arr, _ := v.([]any)
				if n < len(arr) {
					v = arr[n]
				} else {
					v = nil
				}
			}
		}
		if v == nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("Invalid reference specified. No value for %s found in %s.", m, parts[1])
			}
			return m
		}
		str := fmt.Sprint(v)
		if inJSON {
			b, _ := json.Marshal(str)
			str = string(b[1 : len(b)-1])
		}
		return str
	})
	return out, firstErr
}
