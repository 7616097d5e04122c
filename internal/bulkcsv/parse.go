package bulkcsv

import "bytes"

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
