package bulkcsv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxRecordSize bounds one record of an upload, header included, in bytes with its line
// end: a longer record is an *Error and ends the reading, so a hostile upload (an
// unclosed quote, a file without line breaks) cannot make the Reader's memory grow past
// it. Salesforce's own bounds are per upload (100 MB raw, §2.5) and per field (131,072
// characters for a long text area), so no legitimate record comes near.
const MaxRecordSize = 32 << 20

// ErrNoHeader is the error of Header (and Read) for an upload without a header row: an
// empty body, a body of only a BOM, or of only a line break.
var ErrNoHeader = errors.New("bulkcsv: the CSV has no header row")

// Error is an error in the CSV at a line: Line is the 1-based line where the record
// starts (the header is line 1; a quoted value with line breaks makes one record span
// several lines, and the next record's line counts them), Msg says what is wrong.
//
// The messages are Forcefield's, Salesforce-like, except the line-ending one, which is
// Salesforce's text as users report it (the job's errorMessage):
//
//	ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF
//	expected 3 columns, found 4
//	a quoted value must be followed by the delimiter or the line end
//	a double quote inside an unquoted value; quote the value and double the quote
//	a quoted value is not closed
//	the record is longer than 33554432 bytes
//	column 2 of the header has no name
//	duplicate column name "Name" in the header (columns 1 and 3)
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("Line %d: %s", e.Line, e.Msg) }

// LineEndingMessage is Salesforce's job error for an upload whose line ends are not the
// job's lineEnding; Error.Msg is this text for such an upload.
func LineEndingMessage(f Format) string {
	return "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is " + f.LineEndingName()
}

// Reader reads an upload record by record from an io.Reader, never holding more than one
// record (and a 64 KB read buffer) in memory.
//
// Quoting is RFC 4180's: a value starting with `"` is quoted, ends at the next lone `"`,
// and may hold the delimiter, line breaks and `""` (one quote); the closing quote must be
// followed by the delimiter or the line end ("a space before or after a double quote
// generates an error for the row", Salesforce's "Prepare CSV Files"). An unquoted value
// may not hold a `"`. Nothing is trimmed. Line breaks inside quoted values are kept as
// sent ("\r\n" stays "\r\n").
//
// Line ends: every record's own line end (outside quotes) must be the Format's; a "\n"
// record end in a CRLF job, or a "\r\n" one in an LF job, is an *Error with
// LineEndingMessage. Line breaks inside quoted values are data and are not checked. The
// last record may end without a line end, and one completely empty last line (the file
// ends "\n\n") is not a record; any other empty line is a record of one empty value.
type Reader struct {
	br     *bufio.Reader
	f      Format
	delim  []byte
	raw    []byte   // the record's bytes when it spans several reads
	buf    []byte   // unescaped values, back to back
	ends   []int    // end of each value in buf
	fields []string // the last record
	header []string
	read   bool  // the header has been read
	next   int   // line where the next record starts
	line   int   // line of the last record
	offset int64 // bytes consumed
	err    error // sticky: I/O errors, ErrNoHeader, oversized records
}

// NewReader returns a Reader of r in format f. A Format whose delimiter is a quote, a line
// break or not a valid rune makes every call fail.
func NewReader(r io.Reader, f Format) *Reader {
	rd := &Reader{br: bufio.NewReaderSize(r, 64<<10), f: f, delim: []byte(string(f.Delimiter)), next: 1}
	if !f.valid() {
		rd.err = fmt.Errorf("bulkcsv: invalid delimiter %q", f.Delimiter)
	}
	return rd
}

// Header reads the first record, the column names, once; later calls return it again.
// A UTF-8 BOM at the very start is dropped. An empty upload is ErrNoHeader; an empty or
// duplicate name (compared case-insensitively, as field names are) is an *Error of line 1.
func (r *Reader) Header() ([]string, error) {
	if r.read || r.err != nil {
		return r.header, r.err
	}
	r.read = true
	if b, err := r.br.Peek(3); err == nil && string(b) == "\uFEFF" {
		r.br.Discard(3)
		r.offset += 3
	}
	h, err := r.record()
	if err == io.EOF {
		err = ErrNoHeader
	}
	if err != nil {
		r.err = err
		return nil, err
	}
	seen := make(map[string]int, len(h))
	for i, name := range h {
		if name == "" {
			r.err = &Error{Line: 1, Msg: fmt.Sprintf("column %d of the header has no name", i+1)}
			return nil, r.err
		}
		key := strings.ToLower(name)
		if j, dup := seen[key]; dup {
			r.err = &Error{Line: 1, Msg: fmt.Sprintf("duplicate column name %q in the header (columns %d and %d)", name, j+1, i+1)}
			return nil, r.err
		}
		seen[key] = i
	}
	r.header = append([]string(nil), h...)
	return r.header, nil
}

// Read returns the next record, io.EOF after the last. The header is read first if Header
// was not called. The returned slice is reused by the next call (its strings are not:
// they may be kept). A record with a field count other than the header's, bad quoting or
// a wrong line end is an *Error for that record alone: the next Read goes on with the
// next record. I/O errors and a record over MaxRecordSize end the reading.
func (r *Reader) Read() ([]string, error) {
	if _, err := r.Header(); err != nil {
		return nil, err
	}
	rec, err := r.record()
	if err != nil {
		return nil, err
	}
	if len(rec) != len(r.header) {
		return nil, &Error{Line: r.line, Msg: fmt.Sprintf("expected %d columns, found %d", len(r.header), len(rec))}
	}
	return rec, nil
}

// Line is the line where the last record read (or refused) starts; the header is line 1.
func (r *Reader) Line() int { return r.line }

// Offset is the number of input bytes consumed through the last record, its line end and
// a leading BOM included; at io.EOF it is the size of the input.
func (r *Reader) Offset() int64 { return r.offset }

// record reads and parses one record.
func (r *Reader) record() ([]string, error) {
	if r.err != nil {
		return nil, r.err
	}
	data, err := r.readRaw()
	if err != nil {
		if _, ok := err.(*Error); ok || err != io.EOF {
			r.err = err
		}
		return nil, err
	}
	r.line = r.next
	r.next += bytes.Count(data, []byte{'\n'})
	r.offset += int64(len(data))
	content, end := trimLineEnd(data)
	if end == "\n" && r.f.CRLF || end == "\r\n" && !r.f.CRLF {
		return nil, &Error{Line: r.line, Msg: LineEndingMessage(r.f)}
	}
	if len(content) == 0 && end != "" {
		if _, err := r.br.Peek(1); err == io.EOF {
			return nil, io.EOF // one empty last line is not a record
		}
	}
	if err := r.parse(content); err != nil {
		return nil, err
	}
	return r.fields, nil
}

// readRaw returns the bytes of the next record: up to a "\n" outside quotes, or to the end
// of the input. Quotes are counted, not parsed: a "\n" ends the record when the quotes
// before it are even, which RFC 4180 quoting makes exact (bad quoting is then found by
// parse). The result is valid until the next read.
func (r *Reader) readRaw() ([]byte, error) {
	r.raw = r.raw[:0]
	quotes := 0
	for {
		chunk, err := r.br.ReadSlice('\n')
		quotes += bytes.Count(chunk, []byte{'"'})
		if len(r.raw)+len(chunk) > MaxRecordSize {
			return nil, &Error{Line: r.next, Msg: fmt.Sprintf("the record is longer than %d bytes", MaxRecordSize)}
		}
		done := err == nil && quotes%2 == 0 || err == io.EOF
		if done && len(r.raw) == 0 {
			if len(chunk) == 0 {
				return nil, io.EOF
			}
			return chunk, nil // the usual case: one read, no copy
		}
		r.raw = append(r.raw, chunk...)
		switch {
		case done:
			return r.raw, nil
		case err != nil && err != bufio.ErrBufferFull:
			return nil, err
		}
	}
}

// trimLineEnd splits a record's line end off.
func trimLineEnd(b []byte) (content []byte, end string) {
	n := len(b)
	if n == 0 || b[n-1] != '\n' {
		return b, ""
	}
	if n > 1 && b[n-2] == '\r' {
		return b[:n-2], "\r\n"
	}
	return b[:n-1], "\n"
}

// parse splits a record's content (line end removed) into r.fields, unquoting quoted
// values. All values share one string, allocated once per record.
func (r *Reader) parse(content []byte) error {
	r.buf, r.ends = r.buf[:0], r.ends[:0]
	for {
		if len(content) > 0 && content[0] == '"' {
			content = content[1:]
			for {
				i := bytes.IndexByte(content, '"')
				if i < 0 {
					return &Error{Line: r.line, Msg: "a quoted value is not closed"}
				}
				r.buf = append(r.buf, content[:i]...)
				content = content[i+1:]
				if len(content) > 0 && content[0] == '"' {
					r.buf = append(r.buf, '"')
					content = content[1:]
					continue
				}
				break
			}
			r.ends = append(r.ends, len(r.buf))
			if len(content) == 0 {
				break
			}
			if !bytes.HasPrefix(content, r.delim) {
				return &Error{Line: r.line, Msg: "a quoted value must be followed by the delimiter or the line end"}
			}
			content = content[len(r.delim):]
			continue
		}
		value, rest, more := bytes.Cut(content, r.delim)
		if bytes.IndexByte(value, '"') >= 0 {
			return &Error{Line: r.line, Msg: "a double quote inside an unquoted value; quote the value and double the quote"}
		}
		r.buf = append(r.buf, value...)
		r.ends = append(r.ends, len(r.buf))
		if !more {
			break
		}
		content = rest
	}
	s := string(r.buf)
	r.fields = r.fields[:0]
	start := 0
	for _, end := range r.ends {
		r.fields = append(r.fields, s[start:end])
		start = end
	}
	return nil
}
