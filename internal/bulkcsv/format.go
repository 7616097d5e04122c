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

// Format is the shape of a CSV file: the column delimiter and the line ending. A job's
// columnDelimiter and lineEnding give it (salesforce-bulk.md §2.5); Bulk API 1.0 jobs
// always use Default.
type Format struct {
	Delimiter rune // one of the six of ParseDelimiter
	CRLF      bool // lines end with "\r\n"; false: "\n"
}

// Default is Salesforce's default format: comma, LF.
var Default = Format{Delimiter: ','}

// delimiters are Salesforce's columnDelimiter names, in its upper case.
var delimiters = []struct {
	name string
	r    rune
}{
	{"BACKQUOTE", '`'},
	{"CARET", '^'},
	{"COMMA", ','},
	{"PIPE", '|'},
	{"SEMICOLON", ';'},
	{"TAB", '\t'},
}

// ParseDelimiter returns the delimiter a columnDelimiter name stands for: BACKQUOTE,
// CARET, COMMA, PIPE, SEMICOLON or TAB. Names are matched case-sensitively, upper case as
// Salesforce documents and clients send them.
func ParseDelimiter(name string) (rune, bool) {
	for _, d := range delimiters {
		if d.name == name {
			return d.r, true
		}
	}
	return 0, false
}

// DelimiterName is the columnDelimiter name of r, "" for a rune that is none of the six.
func DelimiterName(r rune) string {
	for _, d := range delimiters {
		if d.r == r {
			return d.name
		}
	}
	return ""
}

// ParseLineEnding reads a lineEnding value: "LF" (crlf false) or "CRLF" (crlf true).
func ParseLineEnding(name string) (crlf, ok bool) {
	switch name {
	case "LF":
		return false, true
	case "CRLF":
		return true, true
	}
	return false, false
}

// LineEndingName is the lineEnding value of f: "LF" or "CRLF".
func (f Format) LineEndingName() string {
	if f.CRLF {
		return "CRLF"
	}
	return "LF"
}

// valid reports whether f can be read and written: the delimiter is a valid rune that is
// not a quote, a line break, or a UTF-8 BOM.
func (f Format) valid() bool {
	switch f.Delimiter {
	case '"', '\r', '\n', 0, 0xFEFF, 0xFFFD:
		return false
	}
	return f.Delimiter > 0 && f.Delimiter <= 0x10FFFF && (f.Delimiter < 0xD800 || f.Delimiter > 0xDFFF)
}

// lineEnd is the bytes ending a line in f.
func (f Format) lineEnd() string {
	if f.CRLF {
		return "\r\n"
	}
	return "\n"
}
