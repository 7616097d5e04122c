package bulkv1

import "io"

// Result is one record's outcome in an ingest batch's results, in upload order
// (reference §4.5). ID is empty for a record that failed to be created.
type Result struct {
	ID      string
	Success bool
	Created bool
	Errors  []ResultError
}

// ResultError is one error of a failed record.
type ResultError struct {
	StatusCode string // REQUIRED_FIELD_MISSING, …
	Message    string
	Fields     []string
}

// ResultWriter streams the results of an XML or JSON ingest job (CSV jobs answer
// text/csv, written elsewhere). A batch holds up to 10,000 records, so rows go to the
// underlying writer one at a time instead of being built in memory. The body opens with
// the first Write (or Close) and Close ends it; the first write error sticks.
//
// XML (AsyncApi.xsd Result: errors, then id, success, created; id omitted when empty):
//
//	<?xml version="1.0" encoding="UTF-8"?><results
//	   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
//	 <result>
//	  <id>001…</id>
//	  <success>true</success>
//	  <created>true</created>
//	 </result>
//	</results>
//
// JSON: [{"success":true,"created":true,"id":"001…","errors":[]}], a failed record with
// "id":null and errors [{"statusCode":…,"message":…,"fields":[…]}] (reference §4.5; the
// error element's shape is unconfirmed there).
type ResultWriter struct {
	w      io.Writer
	f      Format
	n      int
	opened bool
	closed bool
	buf    []byte
	err    error
}

// NewResultWriter returns a writer of results in f to w.
func NewResultWriter(w io.Writer, f Format) *ResultWriter {
	return &ResultWriter{w: w, f: f}
}

// Write writes one result row.
func (rw *ResultWriter) Write(r Result) error {
	if rw.err != nil {
		return rw.err
	}
	if rw.closed {
		return errorf(Unknown, "results written after Close")
	}
	b := rw.open(rw.buf[:0])
	if rw.f == FormatJSON {
		if rw.n > 0 {
			b = append(b, ',')
		}
		b = appendJSONResult(b, &r)
	} else {
		b = appendXMLResult(b, &r)
	}
	rw.n++
	return rw.flush(b)
}

// Close ends the body; with no rows written it is an empty list. Close is idempotent.
func (rw *ResultWriter) Close() error {
	if rw.err != nil || rw.closed {
		return rw.err
	}
	rw.closed = true
	b := rw.open(rw.buf[:0])
	if rw.f == FormatJSON {
		b = append(b, ']')
	} else {
		b = appendXMLEnd(b, 0, "results")
	}
	return rw.flush(b)
}

func (rw *ResultWriter) open(b []byte) []byte {
	if rw.opened {
		return b
	}
	rw.opened = true
	if rw.f == FormatJSON {
		return append(b, '[')
	}
	return appendXMLRoot(b, "results")
}

func (rw *ResultWriter) flush(b []byte) error {
	rw.buf = b
	if _, err := rw.w.Write(b); err != nil {
		rw.err = err
	}
	return rw.err
}

func appendXMLResult(b []byte, r *Result) []byte {
	b = appendXMLStart(b, 1, "result")
	for _, e := range r.Errors {
		b = appendXMLStart(b, 2, "errors")
		for _, f := range e.Fields {
			b = appendXMLText(b, 3, "fields", f)
		}
		b = appendXMLText(b, 3, "message", e.Message)
		b = appendXMLText(b, 3, "statusCode", e.StatusCode)
		b = appendXMLEnd(b, 2, "errors")
	}
	if r.ID != "" {
		b = appendXMLText(b, 2, "id", r.ID)
	}
	b = appendXMLBool(b, 2, "success", r.Success)
	b = appendXMLBool(b, 2, "created", r.Created)
	return appendXMLEnd(b, 1, "result")
}

func appendJSONResult(b []byte, r *Result) []byte {
	b = append(b, `{"success":`...)
	b = appendJSONBool(b, r.Success)
	b = append(b, `,"created":`...)
	b = appendJSONBool(b, r.Created)
	b = append(b, `,"id":`...)
	b = appendJSONStringOrNull(b, r.ID)
	b = append(b, `,"errors":[`...)
	for i, e := range r.Errors {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"statusCode":`...)
		b = appendJSONString(b, e.StatusCode)
		b = append(b, `,"message":`...)
		b = appendJSONString(b, e.Message)
		b = append(b, `,"fields":[`...)
		for j, f := range e.Fields {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, f)
		}
		b = append(b, "]}"...)
	}
	return append(b, "]}"...)
}
