package bulk

import (
	"bufio"
	"errors"
	"io"
	"strings"

	"github.com/forcefield/forcefield/internal/bulkcsv"

	"github.com/forcefield/forcefield/internal/apierror"
)

// Outcome is what happened to one uploaded record. The stored form is one CSV record as
// bulkcsv writes it (every field quoted, comma, LF — internal, never sent as is):
// success, id, created, code, message, fields, then Values when set. The ingest engine
// leaves Values out — results files read the uploaded values again from the upload —
// so that a chunk's transaction writes little besides its records.
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
	buf  []byte
	rows int
}

func newOutcomeWriter() *outcomeWriter { return &outcomeWriter{} }

func (o *outcomeWriter) add(out Outcome) {
	rec := make([]string, 0, 6+len(out.Values))
	rec = append(rec, flag(out.Success), out.ID, flag(out.Created), out.Code, out.Message, strings.Join(out.Fields, ","))
	rec = append(rec, out.Values...)
	o.buf = bulkcsv.AppendRecord(o.buf, rec, bulkcsv.Default)
	o.rows++
}

func (o *outcomeWriter) part() Part { return Part{Rows: o.rows, Data: o.buf} }

var errCorrupt = errors.New("bulk: a stored outcome is malformed")

// readOutcomes calls fn with every outcome stored in r. The reader is exact for what
// outcomeWriter writes — a carriage return inside a value stays (encoding/csv would drop
// the one of a CRLF).
func readOutcomes(r io.Reader, fn func(*Outcome) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var rec []string
	var field []byte
	for {
		c, err := br.ReadByte()
		if errors.Is(err, io.EOF) && len(rec) == 0 {
			return nil
		}
		if err != nil {
			return err
		}
		if c != '"' {
			return errCorrupt
		}
		field = field[:0]
	value:
		for {
			if c, err = br.ReadByte(); err != nil {
				return errCorrupt
			}
			if c != '"' {
				field = append(field, c)
				continue
			}
			next, err := br.ReadByte()
			switch {
			case err != nil:
				return errCorrupt
			case next == '"':
				field = append(field, '"')
			case next == ',':
				rec = append(rec, string(field))
				break value
			case next == '\n':
				rec = append(rec, string(field))
				if len(rec) < 6 {
					return errCorrupt
				}
				o := Outcome{Success: rec[0] == "1", ID: rec[1], Created: rec[2] == "1", Code: rec[3], Message: rec[4], Values: rec[6:]}
				if rec[5] != "" {
					o.Fields = strings.Split(rec[5], ",")
				}
				if err := fn(&o); err != nil {
					return err
				}
				rec = rec[:0:0]
				break value
			default:
				return errCorrupt
			}
		}
	}
}
