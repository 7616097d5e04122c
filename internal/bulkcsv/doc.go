// Package bulkcsv is the CSV of the Bulk APIs: the upload files of Bulk API 2.0 ingest jobs
// and Bulk API 1.0 CSV batches, and the result files both APIs return (successful, failed
// and unprocessed records, query results). The wire rules are those of
// /work/shared/reference/salesforce-bulk.md §2.5 (upload), §2.6 (ingest results), §3.4
// (query results), §4.4 and §4.5 (Bulk 1.0 batches and results).
//
// The package has four parts:
//
//   - Format: a job's columnDelimiter and lineEnding (ParseDelimiter, ParseLineEnding).
//   - Reader: a streaming RFC 4180 reader of an upload, with the header checks and the
//     line-ending check Salesforce makes, bounded in memory per record (MaxRecordSize).
//   - Writer and AppendRecord: result files, every field double-quoted as Salesforce
//     writes them.
//   - ToJSON and FormatValue/AppendValue: the value codec between CSV text and the
//     storage forms of internal/records. ToJSON turns an uploaded text into the JSON value
//     schema.DecodeValue reads, so the write rules (lengths, picklists, ranges) stay in
//     one place; FormatValue renders a stored value for a result file.
//
// Where Salesforce's behaviour is not confirmed by the reference, the choice made is
// written on the declaration concerned.
package bulkcsv
