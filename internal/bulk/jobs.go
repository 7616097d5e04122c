package bulk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/bulkcsv"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Upload bounds (salesforce-bulk.md §2.5, §4.4): a Bulk 2.0 upload is at most 150 MB, a
// Bulk 1.0 batch 10 MB. Parts are 1 MB.
const (
	MaxUploadV2  = 150 << 20
	MaxBatchV1   = 10 << 20
	UploadPartSz = 1 << 20
)

// The daily allocations the engine counts (salesforce-bulk.md §5), as /limits names them.
const (
	LimitBatches      = "DailyBulkApiBatches"
	LimitQueryJobs    = "DailyBulkV2QueryJobs"
	LimitQueryStorage = "DailyBulkV2QueryFileStorageMB"
)

// Daily maxima: Salesforce's documented allocations.
var DailyMax = map[string]int{LimitBatches: 15000, LimitQueryJobs: 10000, LimitQueryStorage: 976562}

// Actor is who makes a request: the session's user in its org, on an API version.
type Actor struct {
	OrgID     sfid.ID
	Principal org.Principal
	Version   string
}

// sees reports whether a may see job j: the user who created it, or one with Modify All
// Data (Salesforce shows every job of the org in Setup to administrators).
func (a Actor) sees(j *Job) bool {
	return j.CreatedByID == a.Principal.User.ID || a.Principal.Has("ModifyAllData")
}

// Job returns a job a may see, its counters current.
func (e *Engine) Job(ctx context.Context, a Actor, id sfid.ID) (*Job, error) {
	j, err := e.cfg.Store.Job(ctx, a.OrgID, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.sees(j)) {
		return nil, ErrJobNotFound()
	}
	if err != nil {
		return nil, err
	}
	if j.State != StateJobComplete && j.Type != TypeV2Query {
		batches, err := e.cfg.Store.Batches(ctx, a.OrgID, j.ID)
		if err != nil {
			return nil, err
		}
		j.RecordsProcessed, j.RecordsFailed, j.ProcessingMillis = 0, 0, 0
		for _, b := range batches {
			j.RecordsProcessed += b.RecordsProcessed
			j.RecordsFailed += b.RecordsFailed
			j.ProcessingMillis += b.ProcessingMillis
		}
	}
	return j, nil
}

// Jobs lists the jobs a may see.
func (e *Engine) Jobs(ctx context.Context, a Actor, f JobFilter) ([]*Job, error) {
	all, err := e.cfg.Store.Jobs(ctx, a.OrgID, f)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, j := range all {
		if a.sees(j) {
			out = append(out, j)
		}
	}
	return out, nil
}

// Batches lists a visible job's batches.
func (e *Engine) Batches(ctx context.Context, a Actor, j *Job) ([]*Batch, error) {
	return e.cfg.Store.Batches(ctx, a.OrgID, j.ID)
}

// CreateJob validates a new job from its request fields and stores it: Open for ingest
// and Bulk 1.0 jobs; a Bulk 2.0 query job is resolved now (its errors are the create's)
// and queued at once in UploadComplete.
func (e *Engine) CreateJob(ctx context.Context, a Actor, j *Job) (*Job, error) {
	now := e.orgNow(a.OrgID)
	j.ID, j.OrgID, j.CreatedByID, j.APIVersion = "", a.OrgID, a.Principal.User.ID, a.Version
	j.CreatedDate, j.SystemModstamp = now, now
	if j.ConcurrencyMode == "" {
		j.ConcurrencyMode = "Parallel"
	}
	if err := e.validate(ctx, a, j); err != nil {
		return nil, err
	}
	if j.Type == TypeV2Query {
		j.State = StateUploadComplete
		if _, ok := e.cfg.Usage.UseN(LimitQueryJobs, a.OrgID, 1, DailyMax[LimitQueryJobs]); !ok {
			return nil, &Error{Code: CodeExceededQuota, V2Code: "LIMIT_EXCEEDED", Status: http.StatusBadRequest,
				Message: "Daily limit of Bulk API 2.0 query jobs exceeded"}
		}
	} else {
		j.State = StateOpen
	}
	if err := e.cfg.Store.CreateJob(ctx, j); err != nil {
		return nil, err
	}
	if j.Type == TypeV2Query {
		b := &Batch{JobID: j.ID, State: BatchQueued, ContentType: "SOQL", Query: j.Query, CreatedDate: now, SystemModstamp: now}
		if err := e.cfg.Store.AddBatch(ctx, a.OrgID, b, strings.NewReader(""), UploadPartSz, 0); err != nil {
			return nil, err
		}
		e.submit(j.OrgID, j.ID)
	}
	return j, nil
}

// validate checks a new job's fields as Salesforce does when it is created.
func (e *Engine) validate(ctx context.Context, a Actor, j *Job) error {
	if j.Type == TypeV2Query {
		if j.Operation == "" {
			j.Operation = OpQuery
		}
		if j.Operation != OpQuery && j.Operation != OpQueryAll {
			return errorf(CodeInvalidJob, http.StatusBadRequest, "Invalid operation: %s", j.Operation)
		}
		if strings.TrimSpace(j.Query) == "" {
			return &Error{Code: CodeInvalidBatch, V2Code: "MALFORMED_QUERY", Status: http.StatusBadRequest,
				Message: "SOQL statements cannot be empty or null"}
		}
		if err := e.checkFormat(j); err != nil {
			return err
		}
		plan, err := e.planFor(ctx, a.Principal, j)
		if err != nil {
			return err
		}
		j.Object = plan.Object.Name
		return nil
	}
	switch j.Operation {
	case OpInsert, OpUpdate, OpUpsert, OpDelete, OpHardDelete:
	case OpQuery, OpQueryAll:
		if j.Type != TypeClassic {
			return errorf(CodeInvalidJob, http.StatusBadRequest, "Invalid operation: %s", j.Operation)
		}
	case "":
		return errorf(CodeInvalidJob, http.StatusBadRequest, "Operation is required")
	default:
		return errorf(CodeInvalidJob, http.StatusBadRequest, "Invalid operation: %s", j.Operation)
	}
	if j.Object == "" {
		return errorf(CodeInvalidJob, http.StatusBadRequest, "Object is required")
	}
	cat, err := e.cfg.Catalogs.Catalog(ctx, a.OrgID)
	if err != nil {
		return err
	}
	acc := access.New(a.Principal)
	obj, ok := cat.Object(j.Object)
	if !ok || !acc.Object(obj, access.Read) || (obj.Setup && !j.IsQuery()) {
		return &Error{Code: CodeInvalidJob, V2Code: "INVALIDENTITY", Status: http.StatusBadRequest,
			Message: "Unable to find object: " + j.Object}
	}
	j.Object = obj.Name
	if j.Operation == OpHardDelete && !a.Principal.Has("BulkApiHardDelete") {
		return errorf(CodeFeatureNotEnabled, http.StatusBadRequest,
			"hardDelete operation requires the Bulk API Hard Delete permission (BulkApiHardDelete)")
	}
	if j.Operation == OpUpsert {
		if j.ExternalIDField == "" {
			return errorf(CodeInvalidJob, http.StatusBadRequest, "External ID field is required for upsert")
		}
		env := &dml.Env{OrgID: a.OrgID, UserID: a.Principal.User.ID, Cat: cat, Acc: acc}
		f, err := dml.ExternalIDField(env, obj, j.ExternalIDField)
		if err != nil {
			return errorf(CodeInvalidJob, http.StatusBadRequest,
				"Provided external ID field does not exist or is not accessible: %s", j.ExternalIDField)
		}
		j.ExternalIDField = f.Name
	} else {
		j.ExternalIDField = "" // go-salesforce always sends "" (salesforce-bulk.md §0 item 6)
	}
	if j.Type == TypeV2Ingest {
		return e.checkFormat(j)
	}
	return nil
}

// checkFormat checks a Bulk 2.0 job's contentType, columnDelimiter and lineEnding,
// filling the defaults.
func (e *Engine) checkFormat(j *Job) error {
	switch strings.ToUpper(j.ContentType) {
	case "", "CSV":
		j.ContentType = "CSV"
	default:
		return errorf(CodeClientInput, http.StatusBadRequest, "ContentType is not supported: %s", j.ContentType)
	}
	if j.ColumnDelimiter == "" {
		j.ColumnDelimiter = "COMMA"
	}
	if _, ok := bulkcsv.ParseDelimiter(j.ColumnDelimiter); !ok {
		return errorf(CodeClientInput, http.StatusBadRequest, "Invalid column delimiter: %s", j.ColumnDelimiter)
	}
	switch j.LineEnding {
	case "":
		j.LineEnding = "LF"
	case "LF", "CRLF":
	default:
		return errorf(CodeClientInput, http.StatusBadRequest, "Invalid line ending: %s", j.LineEnding)
	}
	return nil
}

// Upload stores the data of a Bulk 2.0 ingest job (PUT …/batches). A job takes one
// upload, while Open.
func (e *Engine) Upload(ctx context.Context, a Actor, id sfid.ID, body io.Reader) error {
	j, err := e.Job(ctx, a, id)
	if err != nil {
		return err
	}
	if j.Type != TypeV2Ingest {
		return ErrJobNotFound()
	}
	if j.State != StateOpen {
		return &Error{Code: CodeInvalidJobState, Status: http.StatusConflict,
			Message: "Job " + string(j.ID) + " is not open for uploads: its state is " + j.State}
	}
	batches, err := e.cfg.Store.Batches(ctx, a.OrgID, j.ID)
	if err != nil {
		return err
	}
	if len(batches) > 0 {
		return &Error{Code: CodeInvalidJobState, Status: http.StatusConflict,
			Message: "Job " + string(j.ID) + " already has its data: a Bulk API 2.0 job takes one upload"}
	}
	now := e.orgNow(a.OrgID)
	b := &Batch{JobID: j.ID, Seq: 1, State: BatchQueued, ContentType: "CSV", CreatedDate: now, SystemModstamp: now}
	err = e.addBatch(ctx, a, b, body, MaxUploadV2)
	if errors.Is(err, ErrBatchExists) {
		return &Error{Code: CodeInvalidJobState, Status: http.StatusConflict,
			Message: "Job " + string(j.ID) + " already has its data: a Bulk API 2.0 job takes one upload"}
	}
	return err
}

// addBatch stores a batch's data, mapping the store's upload errors.
func (e *Engine) addBatch(ctx context.Context, a Actor, b *Batch, body io.Reader, limit int64) error {
	err := e.cfg.Store.AddBatch(ctx, a.OrgID, b, body, UploadPartSz, limit)
	switch {
	case errors.Is(err, ErrTooLarge):
		return errorf(CodeClientInput, http.StatusRequestEntityTooLarge, "Upload exceeds the limit of %d bytes", limit)
	case errors.Is(err, ErrUpload):
		return errorf(CodeClientInput, http.StatusBadRequest, "The upload could not be read: %v", errors.Unwrap(err))
	case errors.Is(err, ErrNotOpen):
		return &Error{Code: CodeInvalidJobState, Status: http.StatusConflict,
			Message: "Job " + string(b.JobID) + " was closed or aborted while its data was uploaded"}
	}
	return err
}

// SetState is the PATCH of a Bulk 2.0 job, or the close/abort of a Bulk 1.0 job:
// UploadComplete (Bulk 2.0 ingest, from Open), Closed (Bulk 1.0, from Open), Aborted
// (from any state before the end).
func (e *Engine) SetState(ctx context.Context, a Actor, id sfid.ID, state string) (*Job, error) {
	if _, err := e.Job(ctx, a, id); err != nil {
		return nil, err
	}
	var submit bool
	j, err := e.cfg.Store.UpdateJob(ctx, a.OrgID, id, func(j *Job) error {
		submit = false
		ok := false
		switch state {
		case StateUploadComplete:
			ok = j.Type == TypeV2Ingest && j.State == StateOpen
			submit = true
		case StateClosed:
			ok = j.Type == TypeClassic && j.State == StateOpen
		case StateAborted:
			ok = j.State == StateOpen || j.State == StateUploadComplete || j.State == StateInProgress ||
				j.Type == TypeClassic && j.State == StateClosed
		default:
			return &Error{Code: CodeInvalidJobState, Status: http.StatusBadRequest,
				Message: "Invalid state: " + state}
		}
		if !ok {
			return &Error{Code: CodeInvalidJobState, Status: http.StatusConflict,
				Message: "Job state " + j.State + " cannot change to " + state}
		}
		j.State, j.SystemModstamp = state, e.orgNow(j.OrgID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if state == StateAborted {
		e.abortBatches(ctx, j)
	}
	if submit {
		e.submit(j.OrgID, j.ID)
	}
	return e.Job(ctx, a, id)
}

// abortBatches marks the batches that had not started NotProcessed.
func (e *Engine) abortBatches(ctx context.Context, j *Job) {
	batches, err := e.cfg.Store.Batches(ctx, j.OrgID, j.ID)
	if err != nil {
		e.cfg.Logger.Error("bulk abort: listing batches", "job", j.ID, "err", err)
		return
	}
	for _, b := range batches {
		if b.State == BatchQueued {
			e.endBatch(ctx, j, b, BatchNotProcessed, "Job aborted")
		}
	}
}

// DeleteJob deletes a job that is not being processed (Bulk 2.0: terminal, or never
// closed; Salesforce refuses a job in UploadComplete or InProgress).
func (e *Engine) DeleteJob(ctx context.Context, a Actor, id sfid.ID) error {
	j, err := e.Job(ctx, a, id)
	if err != nil {
		return err
	}
	if j.State == StateUploadComplete || j.State == StateInProgress {
		return &Error{Code: CodeInvalidJobState, Status: http.StatusConflict,
			Message: "Job " + string(j.ID) + " is " + j.State + "; abort it or wait for it to end before deleting it"}
	}
	if err := e.cfg.Store.DeleteJob(ctx, a.OrgID, j.ID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return ErrJobNotFound()
		}
		return err
	}
	return nil
}
