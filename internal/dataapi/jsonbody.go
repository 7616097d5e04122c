package dataapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
)

// maxBody bounds a request body: 200 records of a wide object fit many times over.
const maxBody = 16 << 20

// object is a JSON object whose keys keep their order: records render with attributes
// first and fields in describe (or SELECT) order, as Salesforce's do.
type object []member

type member struct {
	Key   string
	Value any
}

func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := o.encode(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encode appends o to b. Nested objects (a record's attributes, a parent record) are
// written in place rather than through json.Marshal, which would re-validate and compact
// each one's output at every level: that compaction was over a quarter of the CPU of a
// 2000-row query (docs/performance.md, "Data API"). The output is the same, byte for byte.
func (o object) encode(b *bytes.Buffer) error {
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, m.Key)
		b.WriteByte(':')
		switch v := m.Value.(type) {
		case object:
			if err := v.encode(b); err != nil {
				return err
			}
		case nil:
			b.WriteString("null")
		case string:
			writeString(b, v)
		case bool:
			b.WriteString(strconv.FormatBool(v))
		default:
			enc, err := json.Marshal(v)
			if err != nil {
				return err
			}
			b.Write(enc)
		}
	}
	b.WriteByte('}')
	return nil
}

// writeString writes s as a JSON string, as json.Marshal would: printable ASCII other
// than the quote, the backslash and encoding/json's HTML escapes (<, >, &) is written
// as is, anything else through json.Marshal.
func writeString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			enc, _ := json.Marshal(s)
			b.Write(enc)
			return
		}
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// readBody reads a request body, refusing oversized ones.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, parserError("Unable to read the request body: " + err.Error())
	}
	if len(body) > maxBody {
		return nil, apierror.New(http.StatusRequestEntityTooLarge, "JSON_PARSER_ERROR", "The request body is too large.")
	}
	return body, nil
}

func parserError(msg string) *apierror.Error {
	return apierror.New(http.StatusBadRequest, "JSON_PARSER_ERROR", msg)
}

// syntaxError renders a JSON syntax error in the style of Salesforce's parser (Jackson):
// the message ends with the position "at [line:L, column:C]".
func syntaxError(body []byte, err error) *apierror.Error {
	off := int64(len(body))
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	line, col := 1, 1
	for i := int64(0); i < off && i < int64(len(body)); i++ {
		if body[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	if off > 0 && off <= int64(len(body)) {
		c := body[off-1]
		return parserError(fmt.Sprintf("Unexpected character ('%c' (code %d)): %s at [line:%d, column:%d]", c, c, plainJSONError(err), line, col))
	}
	return parserError(fmt.Sprintf("Unexpected end-of-input: %s at [line:%d, column:%d]", plainJSONError(err), line, col))
}

func plainJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "expected " + te.Type.String() + ", got " + te.Value
	}
	return "was expecting a valid JSON value"
}

// decodeInput parses one record body — a JSON object — keeping its keys in order.
func decodeInput(body []byte) (dml.Input, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	in, err := decodeObject(dec, body)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, syntaxError(body, &json.SyntaxError{Offset: dec.InputOffset()})
	}
	return in, nil
}

// decodeObject reads the next JSON object from dec as an Input.
func decodeObject(dec *json.Decoder, body []byte) (dml.Input, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(body, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, parserError(fmt.Sprintf("Cannot deserialize instance of SObject out of %s token at [line:1, column:%d]", tokenName(tok), dec.InputOffset()))
	}
	var in dml.Input
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, syntaxError(body, err)
		}
		key, _ := kt.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntaxError(body, err)
		}
		in = append(in, dml.Field{Name: key, Raw: raw})
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(body, err)
	}
	return in, nil
}

func tokenName(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "START_ARRAY"
		}
		return "END_" + string(t)
	case string:
		return "VALUE_STRING"
	case json.Number:
		if _, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return "VALUE_NUMBER_INT"
		}
		return "VALUE_NUMBER_FLOAT"
	case bool:
		if t {
			return "VALUE_TRUE"
		}
		return "VALUE_FALSE"
	}
	return "VALUE_NULL"
}
