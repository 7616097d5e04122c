package bulk

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/forcefield/forcefield/internal/apierror"
)

// Outcome is what happened to one uploaded record. The stored form is one CSV line
// (comma, LF — internal, never sent as is): success, id, created, code, message, fields,
// then the record's original values (Bulk 2.0 results repeat them).
type Outcome struct {
	Success bool
	ID      string
	Created bool
	Code    string
	Message string
	Fields  []string
	Values  []string
}

// ErrorText is the record's error as results files show it, e.g.
// "REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"
// (salesforce-bulk.md §2.6, asserted against a real org by jsforce's tests).
func (o *Outcome) ErrorText() string {
	if o.Success {
		return ""
	}
	return o.Code + ":" + o.Message + ":" + strings.Join(o.Fields, ",") + " --"
}

func failure(err *apierror.Error, values []string) Outcome {
	fields := err.Fields
	return Outcome{Code: err.Code, Message: err.Message, Fields: fields, Values: values}
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// outcomeWriter builds the outcome part of a chunk.
type outcomeWriter struct {
	buf  bytes.Buffer
	w    *csv.Writer
	rows int
}

func newOutcomeWriter() *outcomeWriter {
	o := &outcomeWriter{}
	o.w = csv.NewWriter(&o.buf)
	return o
}

func (o *outcomeWriter) add(out Outcome) {
	rec := make([]string, 0, 6+len(out.Values))
	rec = append(rec, flag(out.Success), out.ID, flag(out.Created), out.Code, out.Message, strings.Join(out.Fields, ","))
	rec = append(rec, out.Values...)
	o.w.Write(rec) // writes to a bytes.Buffer do not fail
	o.rows++
}

func (o *outcomeWriter) part() Part {
	o.w.Flush()
	return Part{Rows: o.rows, Data: o.buf.Bytes()}
}

// readOutcomes calls fn with every outcome stored in r.
func readOutcomes(r io.Reader, fn func(*Outcome) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var o Outcome
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(rec) < 6 {
			return errors.New("bulk: a stored outcome is short")
		}
		o = Outcome{Success: rec[0] == "1", ID: rec[1], Created: rec[2] == "1", Code: rec[3], Message: rec[4], Values: rec[6:]}
		if rec[5] != "" {
			o.Fields = strings.Split(rec[5], ",")
		}
		if err := fn(&o); err != nil {
			return err
		}
	}
}
