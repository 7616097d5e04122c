package bulk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/soql"
)

// ContentSOQLChunk is the ContentType of a query batch the engine made by PK chunking
// another (the client's batches of query jobs are "SOQL"): such a batch runs as is and is
// never chunked again.
const ContentSOQLChunk = "SOQL-PK"

// PKChunk is a Bulk 1.0 query job's PK chunking (salesforce-bulk.md §4.7): its batches are
// split into batches of Size records by ranges of Id — or, with Parent, of the reference
// field to Parent (history, share and feed objects) — from StartRow on. Job.PKChunking
// holds its String form; the adapter parses the client's header.
type PKChunk struct {
	Size     int
	StartRow string
	Parent   string
}

// String is the stored form: "chunkSize=N[; startRow=ID][; parent=Object]".
func (p PKChunk) String() string {
	s := "chunkSize=" + strconv.Itoa(p.Size)
	if p.StartRow != "" {
		s += "; startRow=" + p.StartRow
	}
	if p.Parent != "" {
		s += "; parent=" + p.Parent
	}
	return s
}

// ParsePKChunk reads the stored form back.
func ParsePKChunk(s string) (PKChunk, error) {
	var p PKChunk
	for part := range strings.SplitSeq(s, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch strings.ToLower(k) {
		case "chunksize":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return PKChunk{}, fmt.Errorf("bulk: PK chunking %q: bad chunkSize", s)
			}
			p.Size = n
		case "startrow":
			p.StartRow = v
		case "parent":
			p.Parent = v
		}
	}
	if p.Size == 0 {
		return PKChunk{}, fmt.Errorf("bulk: PK chunking %q: no chunkSize", s)
	}
	return p, nil
}

// pkChunk splits query batch b of a PK-chunked job: it reads the Ids of the query's object
// in order as the job's user (SELECT Id FROM … ORDER BY Id, deleted rows too for
// queryAll), cuts them every Size records, queues one batch per range whose SOQL is b's
// with "Id >= 'lo' AND Id < 'hi'" added to its WHERE (the last range has no upper bound,
// so no record is missed), and marks b NotProcessed: it has no results of its own, as on
// Salesforce. With no records there is one chunk, b's query as it is. A query chunking
// cannot run (it does not parse, or has ORDER BY or LIMIT, which Salesforce refuses with
// PK chunking) fails b.
func (e *Engine) pkChunk(ctx context.Context, j *Job, b *Batch) error {
	pk, err := ParsePKChunk(j.PKChunking)
	if err != nil {
		return err
	}
	p, err := e.cfg.Dir.Principal(ctx, j.CreatedByID)
	if err != nil {
		return err
	}
	q := *j
	q.Query = b.Query
	plan, err := e.planFor(ctx, p, &q)
	if err != nil {
		return queryFailure(err)
	}
	ast, err := soql.Parse(b.Query)
	if err != nil {
		return queryFailure(soqlError(b.Query, err))
	}
	if len(ast.OrderBy) > 0 || ast.Limit >= 0 {
		return &FormatError{"InvalidBatch : Failed to process query: PK chunking does not support ORDER BY or LIMIT"}
	}
	object, field := plan.Object.Name, "Id" // the query's object (the job's, for every listed client)
	if pk.Parent != "" {
		if object, field, err = e.parentKey(ctx, j, object, pk.Parent); err != nil {
			return err
		}
	}
	bounds, err := e.chunkBounds(ctx, p, j, object, pk)
	if err != nil {
		return err
	}
	var queries []string
	for i := range bounds {
		hi := ""
		if i+1 < len(bounds) {
			hi = bounds[i+1]
		}
		queries = append(queries, ChunkQuery(ast, field, bounds[i], hi))
	}
	if len(queries) == 0 {
		queries = []string{b.Query}
	}
	for _, text := range queries {
		now := e.orgNow(j.OrgID)
		c := &Batch{JobID: j.ID, State: BatchQueued, ContentType: ContentSOQLChunk, Query: text, CreatedDate: now, SystemModstamp: now}
		if err := e.cfg.Store.AddBatch(ctx, j.OrgID, c, strings.NewReader(""), UploadPartSz, 0); err != nil {
			return err
		}
		e.cfg.Usage.UseN(LimitBatches, j.OrgID, 1, DailyMax[LimitBatches]) // each chunk is a batch
	}
	e.endBatch(ctx, j, b, BatchNotProcessed,
		fmt.Sprintf("Original batch of a PK-chunked job: its query runs in %d chunk batches", len(queries)))
	e.submit(j.OrgID, j.ID) // the worker looks at the job again and runs the chunks
	return nil
}

// queryFailure is a query's error as a failed batch's stateMessage.
func queryFailure(err error) error {
	var be *Error
	if errors.As(err, &be) {
		code := be.V2Code
		if code == "" {
			code = be.Code
		}
		return &FormatError{"InvalidBatch : Failed to process query: " + code + ": " + be.Message}
	}
	return err
}

// parentKey is the object whose Ids chunk a query on object with parent=P, and the
// field of object that holds them: ParentId when it references P, else the first
// reference field to P (AccountId of AccountHistory).
func (e *Engine) parentKey(ctx context.Context, j *Job, object, parent string) (string, string, error) {
	cat, err := e.cfg.Catalogs.Catalog(ctx, j.OrgID)
	if err != nil {
		return "", "", err
	}
	obj, ok1 := cat.Object(object)
	par, ok2 := cat.Object(parent)
	if !ok1 || !ok2 {
		return "", "", &FormatError{"InvalidBatch : Failed to process query: PK chunking parent not found: " + parent}
	}
	found := ""
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if f.Type != schema.TypeReference || len(f.ReferenceTo) == 0 || !strings.EqualFold(f.ReferenceTo[0], par.Name) {
			continue
		}
		if found == "" || strings.EqualFold(f.Name, "ParentId") {
			found = f.Name
		}
	}
	if found == "" {
		return "", "", &FormatError{"InvalidBatch : Failed to process query: " + obj.Name + " has no field referencing the PK chunking parent " + par.Name}
	}
	return par.Name, found, nil
}

// chunkBounds reads the Ids of object in order and returns the first of every Size.
func (e *Engine) chunkBounds(ctx context.Context, p org.Principal, j *Job, object string, pk PKChunk) ([]string, error) {
	text := "SELECT Id FROM " + object
	if pk.StartRow != "" {
		text += " WHERE Id >= '" + strings.ReplaceAll(pk.StartRow, "'", "") + "'"
	}
	q := *j
	q.Query = text + " ORDER BY Id"
	plan, err := e.planFor(ctx, p, &q)
	if err != nil {
		return nil, queryFailure(err)
	}
	var bounds []string
	var n int
	err = e.cfg.Records.Scan(ctx, j.OrgID, plan, func(r records.Row) error {
		if n%pk.Size == 0 {
			id, _ := r.Values[0].(string)
			bounds = append(bounds, id)
		}
		n++
		return nil
	})
	return bounds, err
}

// ChunkQuery is q with "field >= 'lo'" and, when hi is set, "field < 'hi'" added to its
// WHERE (ANDed after the original condition, which the printer parenthesises when it is
// an OR), printed by soql's printer. q is not changed.
func ChunkQuery(q *soql.Query, field, lo, hi string) string {
	c := *q
	add := func(op, v string) {
		cmp := &soql.Comparison{Field: soql.Name{Parts: []string{field}}, Op: op,
			Value: &soql.Value{Kind: soql.String, Str: v}}
		if c.Where == nil {
			c.Where = cmp
		} else {
			c.Where = &soql.And{Left: c.Where, Right: cmp}
		}
	}
	add(">=", lo)
	if hi != "" {
		add("<", hi)
	}
	return c.String()
}
