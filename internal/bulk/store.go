package bulk

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Kinds of stored parts of a batch.
const (
	// PartRequest is the uploaded data, in the order received.
	PartRequest = "request"
	// PartOutcome holds one row per processed record of an ingest batch (EncodeOutcome).
	PartOutcome = "outcome"
	// PartResult holds a query batch's result rows, rendered, without a header row.
	PartResult = "result"
)

// Part is one stored piece of a batch's data. FirstRow is the index of its first record
// within the whole stream of its kind, Rows how many records it holds (0 for request
// parts, whose records are only known when parsed).
type Part struct {
	FirstRow int64
	Rows     int
	Data     []byte
}

// Progress is what one committed chunk of ingest processing adds to its batch.
type Progress struct {
	Rows      int64 // request records consumed
	Processed int64 // records that were attempted
	Failed    int64 // of which failed
	Millis    int64 // processing time spent
	Outcome   Part  // the outcome rows of these records (FirstRow is set by the store)
}

// JobFilter selects jobs of one org for a list, oldest first.
type JobFilter struct {
	Types []string // any of these job types; all when empty
	After sfid.ID  // jobs created after this one (paging)
	Limit int      // at most this many; 1000 when ≤ 0
}

// Store keeps jobs, their batches and the batches' parts. Lookups of a job or batch that
// does not exist — or belongs to another org — return an error wrapping store.ErrNotFound.
// Backends: internal/store/sqlite, internal/store/postgres.
type Store interface {
	// CreateJob stores a new job, allocating its ID (750…).
	CreateJob(ctx context.Context, j *Job) error
	// Job returns one job of org.
	Job(ctx context.Context, orgID, id sfid.ID) (*Job, error)
	// UpdateJob changes a job through fn inside a write transaction and returns the
	// result; an error from fn leaves the job unchanged and is returned as it is.
	UpdateJob(ctx context.Context, orgID, id sfid.ID, fn func(*Job) error) (*Job, error)
	// Jobs lists jobs of org.
	Jobs(ctx context.Context, orgID sfid.ID, f JobFilter) ([]*Job, error)
	// DeleteJob removes a job with its batches and parts.
	DeleteJob(ctx context.Context, orgID, id sfid.ID) error
	// DeleteJobsBefore removes the jobs of every org created before t, with their
	// batches and parts, and returns how many it removed.
	DeleteJobsBefore(ctx context.Context, t time.Time) (int, error)
	// Pending lists the jobs of every org that have work left: Bulk 2.0 jobs in
	// UploadComplete or InProgress, Bulk 1.0 jobs with a Queued or InProgress batch.
	Pending(ctx context.Context) ([]*Job, error)

	// AddBatch stores a new batch of job b.JobID with the request data read from data,
	// in parts of at most partSize bytes, allocating b.ID (751…) and b.Seq and setting
	// b.RequestBytes. Reading more than limit bytes fails with ErrTooLarge and stores
	// nothing; so does any read error. The batch exists only once all of it is stored,
	// and only if, at that moment, the job is still Open (ErrNotOpen; a query job's own
	// batch excepted) and — when b.Seq is set — it is the job's batch number b.Seq
	// (ErrBatchExists): checks made in the committing transaction, so racing uploads
	// cannot both land.
	AddBatch(ctx context.Context, orgID sfid.ID, b *Batch, data io.Reader, partSize int, limit int64) error
	// Batches lists a job's batches in Seq order.
	Batches(ctx context.Context, orgID, jobID sfid.ID) ([]*Batch, error)
	// UpdateBatch changes a batch through fn inside a write transaction.
	UpdateBatch(ctx context.Context, orgID, batchID sfid.ID, fn func(*Batch) error) (*Batch, error)
	// Apply commits one chunk of an ingest batch in one transaction of org: the record
	// writes fn makes, the outcome part it returns, and the batch's progress. If fn or the
	// commit fails, none of it happened.
	Apply(ctx context.Context, orgID, batchID sfid.ID, fn func(records.Tx) (Progress, error)) error
	// AppendPart adds a part of kind to a batch (query results), after its last one.
	AppendPart(ctx context.Context, orgID, batchID sfid.ID, kind string, p Part) error
	// ClearParts removes a batch's parts of kind (a query batch started again).
	ClearParts(ctx context.Context, orgID, batchID sfid.ID, kind string) error
	// Parts calls fn with the batch's parts of kind in order, starting with the part that
	// holds record fromRow (every part for request data, whose rows are not counted).
	Parts(ctx context.Context, orgID, batchID sfid.ID, kind string, fromRow int64, fn func(Part) error) error

	Claims
}

// Claims are the leases that let several nodes on one database share the jobs: a node
// processes a job only while it holds the job's claim, which lasts until a time the node
// keeps moving forward (RenewClaim) while it works. A node that dies stops renewing; once
// its claim has expired any node may take the job over, and processing resumes after the
// last committed chunk, as after a restart. Taking a claim is atomic across nodes: of
// any number of nodes claiming one job at once, exactly one gets it.
//
// Times are the callers' clocks, compared in the database: the nodes' clocks must agree
// to well within the claim's length (NTP does; the engine claims for 30 s). A claim
// belongs to a node name that is unique per process (Engine's Config.Node). Deleting a
// job deletes its claim. A backend that serves one process (SQLite) may drop every claim
// when it opens: no other process can hold one.
type Claims interface {
	// ClaimJob takes the claim on job id of org for node until the time until, if no
	// node holds it, or its claim expired (until ≤ now), or node holds it already. It
	// reports whether node holds the claim now. A missing job wraps store.ErrNotFound.
	ClaimJob(ctx context.Context, orgID, id sfid.ID, node string, now, until time.Time) (bool, error)
	// RenewClaim moves node's claim on job id forward to until, and takes it if no node
	// holds one (a claim is never taken from another node here, expired or not). It
	// reports false when another node holds the claim: node has lost the job and must
	// stop working on it. A missing job wraps store.ErrNotFound.
	RenewClaim(ctx context.Context, orgID, id sfid.ID, node string, until time.Time) (bool, error)
	// ReleaseClaim gives up node's claim on job id (nothing if another node holds it, or
	// the job is gone), so that another node may take it at once.
	ReleaseClaim(ctx context.Context, orgID, id sfid.ID, node string) error
}

// Errors of the contract.
var (
	// ErrTooLarge is an upload over the size limit.
	ErrTooLarge = errors.New("bulk: upload too large")
	// ErrUpload is an upload whose body could not be read (the client went away, bad
	// compression).
	ErrUpload = errors.New("bulk: reading the upload")
	// ErrNotOpen is a batch for a job that is no longer Open.
	ErrNotOpen = errors.New("bulk: the job is not open")
	// ErrBatchExists is a batch whose number is taken.
	ErrBatchExists = errors.New("bulk: the job already has that batch")
)
