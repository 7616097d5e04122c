package bulk

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/bulkcsv"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/soql"
)

// Result parts: a part is stored when it holds partRows rows or partBytes bytes.
const (
	partRows  = 10000
	partBytes = 1 << 20
)

// planFor parses and resolves a Bulk query as p would run it through /query — the
// same parser, the same access rules, the same errors — then refuses what the Bulk APIs
// do not run (salesforce-bulk.md §3.3): aggregates and GROUP BY, COUNT(), OFFSET and
// parent-to-child subqueries. ORDER BY and LIMIT are allowed.
func (e *Engine) planFor(ctx context.Context, p org.Principal, j *Job) (*query.Plan, error) {
	ast, err := soql.Parse(j.Query)
	if err != nil {
		return nil, soqlError(j.Query, err)
	}
	cat, err := e.cfg.Catalogs.Catalog(ctx, j.OrgID)
	if err != nil {
		return nil, err
	}
	loc := time.UTC
	if tz := p.User.TimeZone; tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	plan, err := query.Resolve(ast, cat, access.New(p), query.Options{Now: e.orgNow(j.OrgID), Location: loc,
		IncludeDeleted: j.Operation == OpQueryAll, Version: j.APIVersion, Bulk: true})
	if err != nil {
		return nil, soqlError(j.Query, err)
	}
	if err := bulkRefusesFields(plan); err != nil {
		return nil, err
	}
	switch {
	case plan.Aggregate || plan.CountOnly:
		return nil, &Error{Code: CodeInvalidBatch, V2Code: "API_ERROR", Status: http.StatusBadRequest,
			Message: "Implementation restriction: Aggregate queries are not supported by the Bulk API"}
	case len(plan.Subqueries) > 0:
		return nil, &Error{Code: CodeInvalidBatch, V2Code: "API_ERROR", Status: http.StatusBadRequest,
			Message: "Implementation restriction: Aggregate Relationships not supported in Bulk Query"}
	case plan.Offset > 0:
		return nil, &Error{Code: CodeInvalidBatch, V2Code: "API_ERROR", Status: http.StatusBadRequest,
			Message: "Implementation restriction: OFFSET is not supported by the Bulk API"}
	}
	return plan, nil
}

// soqlError is a parse or resolution error as the Bulk APIs report it: REST's code and
// caret message (MALFORMED_QUERY, INVALID_FIELD, …).
func soqlError(text string, err error) error {
	var se *soql.Error
	if errors.As(err, &se) {
		return &Error{Code: CodeInvalidBatch, V2Code: se.Code, Status: http.StatusBadRequest, Message: se.Message(text)}
	}
	return err
}

// Header is the result columns of plan: the SELECT list's paths (Account.Name for a
// parent field), hidden columns left out.
func Header(plan *query.Plan) []string {
	var h []string
	for _, c := range plan.Columns {
		if !c.Hidden {
			h = append(h, c.Path.Name)
		}
	}
	return h
}

// RowEncoder renders query rows into result parts.
type RowEncoder interface {
	// Row appends row index (0-based) of the result, given the plan's values.
	Row(dst []byte, index int64, plan *query.Plan, vals []any) []byte
}

// JobRowEncoder is a RowEncoder whose output depends on the job it renders for (the API
// version in a record's attributes.url, say): the engine renders a job's rows with
// ForJob(job).
type JobRowEncoder interface {
	RowEncoder
	ForJob(j *Job) RowEncoder
}

// CSVRows renders rows as CSV in format f (Bulk 2.0, Bulk 1.0 CSV jobs).
type CSVRows struct{ Format bulkcsv.Format }

// Row implements RowEncoder.
func (c CSVRows) Row(dst []byte, _ int64, plan *query.Plan, vals []any) []byte {
	fields := make([]string, 0, len(vals))
	for i := range plan.Columns {
		col := &plan.Columns[i]
		if col.Hidden {
			continue
		}
		fields = append(fields, bulkcsv.FormatValue(col.Path.Field, vals[i]))
	}
	return bulkcsv.AppendRecord(dst, fields, c.Format)
}

// runQuery runs a query batch as the job's user and stores its result in parts,
// replacing a partial result of an interrupted run. It returns the number of rows and
// bytes stored, or errBatchEnded when the batch ended (NotProcessed by an abort) before
// it started.
func (e *Engine) runQuery(ctx context.Context, j *Job, b *Batch, enc RowEncoder) (rows, size int64, err error) {
	p, err := e.cfg.Dir.Principal(ctx, j.CreatedByID)
	if err != nil {
		return 0, 0, err
	}
	q := *j
	if b.Query != "" {
		q.Query = b.Query
	}
	plan, err := e.planFor(ctx, p, &q)
	if err != nil {
		return 0, 0, err
	}
	if err := e.cfg.Store.ClearParts(ctx, j.OrgID, b.ID, PartResult); err != nil {
		return 0, 0, err
	}
	if _, err := e.cfg.Store.UpdateBatch(ctx, j.OrgID, b.ID, func(cur *Batch) error {
		if cur.Terminal() { // an abort marked it NotProcessed since it was listed
			return errBatchEnded
		}
		cur.Header, cur.State, cur.SystemModstamp = Header(plan), BatchInProgress, e.orgNow(j.OrgID)
		return nil
	}); err != nil {
		return 0, 0, err
	}
	start := time.Now()
	var buf []byte
	var first int64
	flush := func() error {
		if rows == first {
			return nil
		}
		err := e.cfg.Store.AppendPart(ctx, j.OrgID, b.ID, PartResult, Part{FirstRow: first, Rows: int(rows - first), Data: buf})
		size += int64(len(buf))
		buf, first = buf[:0], rows
		return err
	}
	err = e.cfg.Records.Scan(ctx, j.OrgID, plan, func(r records.Row) error {
		buf = enc.Row(buf, rows, plan, r.Values)
		rows++
		if rows-first >= partRows || len(buf) >= partBytes {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return 0, 0, err
	}
	_, err = e.cfg.Store.UpdateBatch(ctx, j.OrgID, b.ID, func(cur *Batch) error {
		cur.ResultRows, cur.ResultBytes, cur.RecordsProcessed = rows, size, rows
		cur.ProcessingMillis = time.Since(start).Milliseconds()
		return nil
	})
	return rows, size, err
}
