// Package bulk runs Salesforce's Bulk API jobs — Bulk API 2.0 ingest and query jobs and
// Bulk API 1.0 ("Classic") jobs and their batches — as the user who created them. It
// holds the job model and its states, the storage contract jobs are kept in (Store), and
// the Engine: a small pool of workers that process uploaded CSV through the same write
// rules as every other write (internal/dml) and run query jobs through the same SOQL
// engine as /query (internal/query), writing results in parts so that neither a 100 MB
// upload nor a million-row result sits whole in memory.
//
// The HTTP surfaces are thin adapters over this package: internal/bulkv2 serves
// /services/data/vXX.X/jobs/{ingest,query}, internal/bulkv1 serves /services/async/XX.X.
// Wire details: ../shared/reference/salesforce-bulk.md.
//
// Durability: a job's data, progress and results are committed together with the
// records they describe (Store.Apply runs the record writes and the progress in one
// transaction), so a job interrupted by a crash resumes where its last committed chunk
// ended — no record is written twice and none is lost.
package bulk

import (
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// Key prefixes (salesforce-bulk.md §0 item 3): jobs 750, Bulk 1.0 batches 751, Bulk 1.0
// query result ids 752.
const (
	JobPrefix    = "750"
	BatchPrefix  = "751"
	ResultPrefix = "752"
)

// Job types as GET job info and the job lists name them.
const (
	TypeV2Ingest = "V2Ingest"
	TypeV2Query  = "V2Query"
	TypeClassic  = "Classic" // Bulk API 1.0
)

// Operations.
const (
	OpInsert     = "insert"
	OpUpdate     = "update"
	OpUpsert     = "upsert"
	OpDelete     = "delete"
	OpHardDelete = "hardDelete"
	OpQuery      = "query"
	OpQueryAll   = "queryAll"
)

// Job states. Bulk 2.0: Open → UploadComplete → InProgress → JobComplete | Failed, and
// Aborted from any non-terminal state (ingest jobs; query jobs start at UploadComplete).
// Bulk 1.0 jobs: Open → Closed, Aborted, Failed — their batches carry the processing.
const (
	StateOpen           = "Open"
	StateUploadComplete = "UploadComplete"
	StateInProgress     = "InProgress"
	StateJobComplete    = "JobComplete"
	StateFailed         = "Failed"
	StateAborted        = "Aborted"
	StateClosed         = "Closed"
)

// Batch states (Bulk 1.0, and the upload of a Bulk 2.0 ingest job).
const (
	BatchQueued       = "Queued"
	BatchInProgress   = "InProgress"
	BatchCompleted    = "Completed"
	BatchFailed       = "Failed"
	BatchNotProcessed = "NotProcessed"
)

// Job is one Bulk API job. Fields map one to one to Salesforce's job info.
type Job struct {
	ID              sfid.ID
	OrgID           sfid.ID
	CreatedByID     sfid.ID
	Type            string // TypeV2Ingest, TypeV2Query, TypeClassic
	Operation       string
	Object          string
	ExternalIDField string
	// ContentType is CSV for Bulk 2.0; CSV, XML or JSON for Bulk 1.0.
	ContentType      string
	ColumnDelimiter  string // BACKQUOTE CARET COMMA PIPE SEMICOLON TAB (Bulk 2.0)
	LineEnding       string // LF CRLF (Bulk 2.0)
	ConcurrencyMode  string // Parallel, Serial
	AssignmentRuleID string
	APIVersion       string // "59.0": the version in the path that created the job
	State            string
	ErrorMessage     string // Failed jobs
	Query            string // Bulk 2.0 query jobs
	// PKChunking is the Sforce-Enable-PKChunking header a Bulk 1.0 job was created with,
	// "" when it was not.
	PKChunking     string
	CreatedDate    time.Time
	SystemModstamp time.Time
	// Counters. For Bulk 1.0 jobs the engine adds up its batches.
	RecordsProcessed int64
	RecordsFailed    int64
	Retries          int
	ProcessingMillis int64
	// ResultBytes is the size of a query job's stored results (DailyBulkV2QueryFileStorageMB).
	ResultBytes int64
}

// Terminal reports whether no more processing will happen to j.
func (j *Job) Terminal() bool {
	switch j.State {
	case StateJobComplete, StateFailed, StateAborted:
		return true
	}
	return false
}

// IsQuery reports whether j is a query job.
func (j *Job) IsQuery() bool { return j.Operation == OpQuery || j.Operation == OpQueryAll }

// Batch is a unit of processing: a Bulk 1.0 batch, or the uploaded data of a Bulk 2.0
// ingest job (one batch per job), or the single run of a Bulk 2.0 query job.
type Batch struct {
	ID           sfid.ID
	JobID        sfid.ID
	Seq          int // order within the job, from 1
	State        string
	StateMessage string
	// ContentType of the request data: CSV, XML, JSON, or SOQL for a query batch.
	ContentType string
	// Query is the SOQL of a query batch (a PK chunk's range included).
	Query          string
	CreatedDate    time.Time
	SystemModstamp time.Time
	// RequestBytes is the size of the uploaded data; RowsDone how many of its records have
	// been processed and committed (where a resumed batch goes on from).
	RequestBytes     int64
	RowsDone         int64
	RecordsProcessed int64
	RecordsFailed    int64
	ProcessingMillis int64
	// Header is the request's column names once processing has read them (ingest);
	// for query batches, the result's columns.
	Header []string
	// ResultID is the id (752…) of a Bulk 1.0 query batch's result.
	ResultID sfid.ID
	// ResultRows and ResultBytes measure a query batch's stored result.
	ResultRows  int64
	ResultBytes int64
}

// Terminal reports whether b will not be processed (any further).
func (b *Batch) Terminal() bool {
	switch b.State {
	case BatchCompleted, BatchFailed, BatchNotProcessed:
		return true
	}
	return false
}
