package bulkv1

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/forcefield/forcefield/internal/bulk"
)

// MaxJobInfoBytes bounds a job create/close/abort body. The caller must cap what it reads
// (http.MaxBytesReader with this value, say); ParseJobInfo refuses longer bodies too.
// Real bodies are a few hundred bytes.
const MaxJobInfoBytes = 1 << 20

// maxJobInfoDepth bounds element nesting in a jobInfo body (its fields are flat).
const maxJobInfoDepth = 16

// JobRequest is a jobInfo sent by a client: a create body (operation, object, …) or a
// close/abort body (state only). Values are normalized to their canonical spelling
// (hardDelete, Parallel, CSV, Closed); fields absent, empty or null are "".
type JobRequest struct {
	Operation           string
	Object              string
	ExternalIDFieldName string
	ConcurrencyMode     string
	ContentType         string
	AssignmentRuleID    string
	State               string
}

// ParseJobInfo parses a jobInfo body: JSON when contentType is application/json (as
// FormatFor decides), XML otherwise. XML may start with whitespace or a BOM, carry the
// prolog and be indented any way (jsforce puts a newline and two spaces before <jobInfo
// when closing, reference §4.6); the root must be jobInfo in the dataload namespace or
// in none. JSON must be one object; concurrencyMode may be the integers 0 (Parallel) and 1
// (Serial) that simple-salesforce sends (§0 item 21). Unknown elements and keys are
// ignored; enum values are matched case-insensitively. Errors are *Error:
//   - InvalidXML "Failed to parse XML: …" for a body that is not well-formed XML, and
//     "Expected element jobInfo, found …" for another root;
//   - InvalidJob "Failed to parse JSON: …" for a JSON body that is not one object,
//     and "Invalid <field>: <value>" for a value outside its enum or of the wrong type;
//   - ClientInputError "Request body exceeds … bytes" past MaxJobInfoBytes.
//
// The texts are this emulator's; Salesforce's own are unconfirmed (reference §9 item 8).
// ParseJobInfo checks values, not completeness: see JobRequest.ValidateCreate.
func ParseJobInfo(body []byte, contentType string) (JobRequest, error) {
	if len(body) > MaxJobInfoBytes {
		return JobRequest{}, errorf(ClientInputError, "Request body exceeds %d bytes", MaxJobInfoBytes)
	}
	var (
		raw map[string]string
		err error
	)
	if FormatFor(contentType) == FormatJSON {
		raw, err = parseJobJSON(body)
	} else {
		raw, err = parseJobXML(body)
	}
	if err != nil {
		return JobRequest{}, err
	}
	return jobFromFields(raw)
}

// jobFields are the elements/keys ParseJobInfo reads.
var jobFields = map[string]bool{
	"operation": true, "object": true, "externalIdFieldName": true, "concurrencyMode": true,
	"contentType": true, "assignmentRuleId": true, "state": true,
}

func parseJobXML(body []byte) (map[string]string, error) {
	body = bytes.TrimLeft(body, " \t\r\n")
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	dec := newXMLDecoder(bytes.NewReader(body))
	out := map[string]string{}
	depth := 0
	var field string // the depth-2 element being read, when it is one of jobFields
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if depth == 0 {
				return nil, errorf(InvalidXML, "Failed to parse XML: no jobInfo element")
			}
			return nil, errorf(InvalidXML, "Failed to parse XML: unexpected end of body")
		}
		if err != nil {
			return nil, errorf(InvalidXML, "Failed to parse XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxJobInfoDepth {
				return nil, errorf(InvalidXML, "Failed to parse XML: elements nested deeper than %d", maxJobInfoDepth)
			}
			if depth == 1 && (t.Name.Local != "jobInfo" || (t.Name.Space != "" && t.Name.Space != Namespace)) {
				return nil, errorf(InvalidXML, "Expected element jobInfo, found %s", xmlName(t.Name))
			}
			if depth == 2 && jobFields[t.Name.Local] {
				field = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if depth == 2 && field != "" {
				text.Write(t)
			}
		case xml.EndElement:
			if depth == 2 && field != "" {
				out[field] = strings.TrimSpace(text.String())
				field = ""
			}
			depth--
			if depth == 0 {
				return out, nil // anything after the root is not read
			}
		}
	}
}

func parseJobJSON(body []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil {
		return nil, errorf(InvalidJob, "Failed to parse JSON: %v", jsonErrText(err))
	}
	if obj == nil {
		return nil, errorf(InvalidJob, "Failed to parse JSON: expected an object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errorf(InvalidJob, "Failed to parse JSON: data after the job object")
	}
	out := map[string]string{}
	for k, v := range obj {
		if !jobFields[k] || string(v) == "null" {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[k] = strings.TrimSpace(s)
			continue
		}
		if k == "concurrencyMode" {
			switch string(v) {
			case "0":
				out[k] = Parallel
				continue
			case "1":
				out[k] = Serial
				continue
			}
		}
		return nil, errorf(InvalidJob, "Invalid %s: %s", k, truncate(string(v), 64))
	}
	return out, nil
}

var (
	operations   = []string{bulk.OpInsert, bulk.OpUpdate, bulk.OpUpsert, bulk.OpDelete, bulk.OpHardDelete, bulk.OpQuery, bulk.OpQueryAll}
	concurrency  = []string{Parallel, Serial}
	contentTypes = []string{ContentCSV, ContentXML, ContentJSON, ContentZipCSV, ContentZipXML, ContentZipJSON}
	jobStates    = []string{bulk.StateOpen, bulk.StateClosed, bulk.StateAborted, bulk.StateFailed}
)

func jobFromFields(raw map[string]string) (JobRequest, error) {
	r := JobRequest{
		Object:              raw["object"],
		ExternalIDFieldName: raw["externalIdFieldName"],
		AssignmentRuleID:    raw["assignmentRuleId"],
	}
	for _, e := range []struct {
		key   string
		set   *string
		allow []string
	}{
		{"operation", &r.Operation, operations},
		{"concurrencyMode", &r.ConcurrencyMode, concurrency},
		{"contentType", &r.ContentType, contentTypes},
		{"state", &r.State, jobStates},
	} {
		v := raw[e.key]
		if v == "" {
			continue
		}
		c, ok := canonical(v, e.allow)
		if !ok {
			return JobRequest{}, errorf(InvalidJob, "Invalid %s: %s", e.key, truncate(v, 64))
		}
		*e.set = c
	}
	return r, nil
}

// ValidateCreate checks a create body and returns it with Salesforce's defaults:
// concurrencyMode Parallel and contentType XML (JobInfo, "XML … (default option)").
// operation and object are required, externalIdFieldName too for upsert; a state in a
// create body is refused. Errors are *Error InvalidJob.
func (r JobRequest) ValidateCreate() (JobRequest, error) {
	switch {
	case r.Operation == "":
		return r, errorf(InvalidJob, "Job operation is required")
	case r.Object == "":
		return r, errorf(InvalidJob, "Job object is required")
	case r.Operation == bulk.OpUpsert && r.ExternalIDFieldName == "":
		return r, errorf(InvalidJob, "External ID field name is required for upsert")
	case r.State != "" && r.State != bulk.StateOpen:
		return r, errorf(InvalidJob, "A new job cannot have state %s", r.State)
	}
	if r.ConcurrencyMode == "" {
		r.ConcurrencyMode = Parallel
	}
	if r.ContentType == "" {
		r.ContentType = ContentXML
	}
	r.State = bulk.StateOpen
	return r, nil
}

func canonical(v string, allow []string) (string, bool) {
	for _, a := range allow {
		if strings.EqualFold(v, a) {
			return a, true
		}
	}
	return "", false
}

func xmlName(n xml.Name) string {
	if n.Space == "" {
		return truncate(n.Local, 64)
	}
	return truncate("{"+n.Space+"}"+n.Local, 128)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

func jsonErrText(err error) string {
	if errors.Is(err, io.EOF) {
		return "empty body"
	}
	return err.Error()
}

// newXMLDecoder returns a strict decoder that accepts the UTF-8 and US-ASCII prologs
// clients send and refuses other encodings.
func newXMLDecoder(r io.Reader) *xml.Decoder {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = func(charset string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return in, nil
		}
		return nil, errors.New("unsupported encoding " + truncate(charset, 32))
	}
	return dec
}
