package bulkv1

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// JSONField is one field of a record in a JSON batch: Name is the key, or the dotted path
// of a relationship ({"Account":{"Ext__c":"X"}} is Account.Ext__c); Value is the raw JSON
// value as sent (a string, number, true/false, null, or an array kept whole).
type JSONField struct {
	Name  string
	Value json.RawMessage
}

// ReadJSONRecords streams the records of a JSON batch body — an array of objects, as
// simple-salesforce posts (reference §4.4, §7.4) — calling fn once per object with its
// fields in the order sent. The array is read token by token: only one field value is
// held at a time. "attributes" keys are skipped at every level; a nested object is a
// relationship whose fields are named by their path. It returns fn's error as is, or an
// *Error: ClientInputError "Unable to find any data to create batch" for an empty body,
// InvalidBatch for malformed JSON, another shape (not an array of objects, an empty key,
// data after the array) or a body outside MaxFieldsPerRecord or MaxRelationshipDepth.
// An error reading r (http.MaxBytesError, say) is returned as is.
func ReadJSONRecords(r io.Reader, fn func(fields []JSONField) error) error {
	jr := NewJSONRecordReader(r)
	for {
		fields, err := jr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(fields); err != nil {
			return err
		}
	}
}

// JSONRecordReader is ReadJSONRecords in pull form: Next returns one record's fields at a
// time and io.EOF after the closing ']', so a consumer can stop at any record without
// leaving anything behind. Errors are ReadJSONRecords'; after one, Next returns it again.
type JSONRecordReader struct {
	er      *errReader
	dec     *json.Decoder
	started bool
	err     error
}

// NewJSONRecordReader returns a pull reader of the JSON batch body r.
func NewJSONRecordReader(r io.Reader) *JSONRecordReader {
	er := &errReader{r: r}
	return &JSONRecordReader{er: er, dec: json.NewDecoder(er)}
}

// Next returns the next record's fields, or io.EOF at the end of the array.
func (j *JSONRecordReader) Next() ([]JSONField, error) {
	if j.err != nil {
		return nil, j.err
	}
	fields, err := j.next()
	if err != nil {
		if j.er.err != nil {
			err = j.er.err // the body could not be read (too large, cut off): not its syntax
		}
		j.err = err
	}
	return fields, err
}

func (j *JSONRecordReader) next() ([]JSONField, error) {
	dec := j.dec
	if !j.started {
		j.started = true
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil, errorf(ClientInputError, "Unable to find any data to create batch")
		}
		if err != nil {
			return nil, jsonBatchErr(err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return nil, errorf(InvalidBatch, "Failed to parse JSON: expected an array of records")
		}
	}
	if dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonBatchErr(err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			return nil, errorf(InvalidBatch, "Failed to parse JSON: expected a record object")
		}
		return readJSONObject(dec, "", 0, nil)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, jsonBatchErr(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errorf(InvalidBatch, "Failed to parse JSON: data after the array of records")
	}
	return nil, io.EOF
}

// readJSONObject reads the members of an object whose '{' dec has just returned, up to
// and including its '}', appending its fields under prefix.
func readJSONObject(dec *json.Decoder, prefix string, depth int, fields []JSONField) ([]JSONField, error) {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonBatchErr(err)
		}
		key, _ := tok.(string) // inside an object a token here is always a key
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, jsonBatchErr(err)
		}
		if key == "attributes" {
			continue
		}
		if key == "" {
			return nil, errorf(InvalidBatch, "A record has a field with an empty name")
		}
		name := prefix + key
		if len(v) > 0 && v[0] == '{' {
			if depth+1 > MaxRelationshipDepth {
				return nil, errorf(InvalidBatch, "Relationship %s nested deeper than %d", truncate(name, 128), MaxRelationshipDepth)
			}
			sub := json.NewDecoder(bytes.NewReader(v))
			if _, err := sub.Token(); err != nil { // '{'
				return nil, jsonBatchErr(err)
			}
			if fields, err = readJSONObject(sub, name+".", depth+1, fields); err != nil {
				return nil, err
			}
			continue
		}
		if len(fields) >= MaxFieldsPerRecord {
			return nil, errorf(InvalidBatch, "A record has more than %d fields", MaxFieldsPerRecord)
		}
		fields = append(fields, JSONField{Name: name, Value: v})
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, jsonBatchErr(err)
	}
	return fields, nil
}

func jsonBatchErr(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errorf(InvalidBatch, "Failed to parse JSON: unexpected end of body")
	}
	return errorf(InvalidBatch, "Failed to parse JSON: %v", err)
}
