package bulkcsv

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Writer writes a result file: every value double-quoted, the header too, `"` doubled,
// the Format's delimiter and line end after every record, the last included — the shape
// of Salesforce's result files (salesforce-bulk.md §2.6, §3.4, §4.5):
//
//	"sf__Id","sf__Created","Name"
//	"001xx000003DHP0AAO","true","Acme"
//
// An empty value is written `""`. Output is buffered (64 KB); call Flush at the end.
type Writer struct {
	bw  *bufio.Writer
	f   Format
	err error
}

// NewWriter returns a Writer to w in format f. A Format whose delimiter is a quote, a line
// break or not a valid rune makes every Write fail.
func NewWriter(w io.Writer, f Format) *Writer {
	wr := &Writer{bw: bufio.NewWriterSize(w, 64<<10), f: f}
	if !f.valid() {
		wr.err = fmt.Errorf("bulkcsv: invalid delimiter %q", f.Delimiter)
	}
	return wr
}

// Write writes one record. Errors are sticky: after one, every Write and Flush returns it.
func (w *Writer) Write(fields []string) error {
	if w.err != nil {
		return w.err
	}
	// AvailableBuffer lets the record be built in the bufio buffer itself: no copy when it
	// fits, one append when it does not.
	b := AppendRecord(w.bw.AvailableBuffer(), fields, w.f)
	_, w.err = w.bw.Write(b)
	return w.err
}

// Flush writes the buffered records to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.bw.Flush()
	return w.err
}

// AppendRecord appends one record in the Writer's form to dst: every value quoted, `"`
// doubled, values separated by f's delimiter, f's line end at the end. Callers building a
// result page in memory use it without a Writer. An invalid delimiter is written as is.
func AppendRecord(dst []byte, fields []string, f Format) []byte {
	for i, v := range fields {
		if i > 0 {
			dst = utf8.AppendRune(dst, f.Delimiter)
		}
		dst = appendQuoted(dst, v)
	}
	return append(dst, f.lineEnd()...)
}

// appendQuoted appends `"` + v with quotes doubled + `"`.
func appendQuoted(dst []byte, v string) []byte {
	dst = append(dst, '"')
	for {
		i := strings.IndexByte(v, '"')
		if i < 0 {
			break
		}
		dst = append(dst, v[:i+1]...)
		dst = append(dst, '"')
		v = v[i+1:]
	}
	dst = append(dst, v...)
	return append(dst, '"')
}
