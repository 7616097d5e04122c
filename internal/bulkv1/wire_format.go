// Package bulkv1 is the wire codec of Salesforce's Bulk API 1.0 (/services/async/XX.X/…):
// it parses job and batch request bodies and renders jobInfo, batchInfo, batch lists,
// result lists, per-record results and errors, byte for byte as Salesforce sends them.
// The shapes follow the reference salesforce-bulk.md (§0 items 17–21, §1, §4, §6, §7.2,
// §7.4, §7.6, §7.7) and the Bulk API's AsyncApi.xsd element order. The codec (files
// wire_*.go) is pure: no HTTP server and no storage.
//
// Beside it, the HTTP adapter over the engine (internal/bulk), registered at Prefix:
//   - handler.go: routing of /services/async/{version}/job/…, authentication (the
//     X-SFDC-Session header or a Bearer token, REST's checks through
//     dataapi.API.Authenticate; every session failure is InvalidSessionId with HTTP 400,
//     the only answer jsforce refreshes on), 405 for other methods, error bodies;
//   - jobs.go: create (201), get, close/abort; batches.go: add (201, gzip accepted, 10 MB),
//     list, get, request; results.go: per-record results and query result files;
//   - decode.go: XML and JSON batches as the engine's record sources (Decoders), pulled
//     record by record; encode.go: JSON query results (Encoders).
//
// Formats (reference §0 item 17): job resources answer in the request's format
// (FormatFor), batch and result resources in the job's (FormatForJob). Not served: ZIP_*
// content types and XML query results (both refused at create with FeatureNotEnabled).
//
// Layout of every XML body: the prolog directly followed by the root element, the xmlns
// attribute on its own line indented three spaces, then one child per line indented one
// space per level (the layout of Salesforce's XmlOutputStream, as in the reference's §1
// error example and in responses captured from real orgs).
package bulkv1

import (
	"mime"
	"strings"
)

// Namespace is the XML namespace of every Bulk API 1.0 body.
const Namespace = "http://www.force.com/2009/06/asyncapi/dataload"

// Format is the body format of a response: XML or JSON.
type Format int

// The two formats: XML (the zero value, Salesforce's default) and JSON.
const (
	FormatXML Format = iota
	FormatJSON
)

// Content types to answer with. JSON is exactly "application/json" without a charset:
// singer-io/tap-salesforce reads exceptionCode from an error body only when the response
// Content-Type equals that string (reference §1, §6). XML is "application/xml" (§6):
// jsforce parses /result bodies by this header and forces XML elsewhere.
const (
	ContentTypeXML  = "application/xml"
	ContentTypeJSON = "application/json"
	ContentTypeCSV  = "text/csv"
)

// ContentType is the Content-Type header value for a body in f.
func (f Format) ContentType() string {
	if f == FormatJSON {
		return ContentTypeJSON
	}
	return ContentTypeXML
}

func (f Format) String() string {
	if f == FormatJSON {
		return "JSON"
	}
	return "XML"
}

// FormatFor is the response format of job create, close/abort and get (reference §0
// item 17): JSON when the request's Content-Type is application/json (parameters and case
// ignored), XML otherwise, including when it is missing or unparsable.
func FormatFor(reqContentType string) Format {
	mt, _, err := mime.ParseMediaType(reqContentType)
	if err != nil { // "application/json;;": judge the media type alone
		mt, _, _ = strings.Cut(reqContentType, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	if mt == "application/json" {
		return FormatJSON
	}
	return FormatXML
}

// FormatForJob is the response format of the batch, batch-list and result-list endpoints
// (reference §0 item 17): the job's contentType decides and request headers are ignored.
// JSON and ZIP_JSON jobs answer JSON; CSV, XML and the other ZIP jobs answer XML. singer
// sends Content-Type: application/json on calls whose answers it parses as XML.
func FormatForJob(jobContentType string) Format {
	switch strings.ToUpper(jobContentType) {
	case ContentJSON, ContentZipJSON:
		return FormatJSON
	}
	return FormatXML
}

// Job contentType values (reference §4.2).
const (
	ContentCSV     = "CSV"
	ContentXML     = "XML"
	ContentJSON    = "JSON"
	ContentZipCSV  = "ZIP_CSV"
	ContentZipXML  = "ZIP_XML"
	ContentZipJSON = "ZIP_JSON"
)

// Concurrency modes (reference §4.2). Operations and job and batch states are the
// engine's (bulk.OpInsert, bulk.StateClosed, bulk.BatchFailed, …): the same names.
const (
	Parallel = "Parallel"
	Serial   = "Serial"
)
