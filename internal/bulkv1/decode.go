package bulkv1

import (
	"errors"
	"io"

	"github.com/forcefield/forcefield/internal/bulk"
)

// Decoders are the engine's readers of XML and JSON batches (bulk.Config.Decoders); CSV
// is built into the engine. Register them with
//
//	bulk.Config{Decoders: bulkv1.Decoders(), …}
func Decoders() map[string]bulk.Decoder {
	return map[string]bulk.Decoder{ContentXML: DecodeXML, ContentJSON: DecodeJSON}
}

// DecodeXML reads an XML batch (<sObjects><sObject>…) as a bulk.Source: each field a Cell
// with Text, or Null for xsi:nil="true"; a nested element is a relationship column
// (Account.External_Id__c). Records are pulled one at a time from r, so a batch is never
// whole in memory and a consumer that stops early leaves nothing running.
func DecodeXML(r io.Reader) (bulk.Source, error) {
	return &xmlSource{r: NewXMLRecordReader(r)}, nil
}

// DecodeJSON reads a JSON batch (an array of objects) as a bulk.Source: each field a Cell
// with its raw JSON value, or Null for a JSON null; a nested object is a relationship
// column. Records are pulled one at a time, as for DecodeXML.
func DecodeJSON(r io.Reader) (bulk.Source, error) {
	return &jsonSource{r: NewJSONRecordReader(r)}, nil
}

type xmlSource struct{ r *XMLRecordReader }

// Columns is nil: XML records name their own fields.
func (s *xmlSource) Columns() []string { return nil }

func (s *xmlSource) Next() ([]bulk.Cell, []string, error) {
	fields, err := s.r.Next()
	if err != nil {
		return nil, nil, sourceError(err)
	}
	cells := make([]bulk.Cell, len(fields))
	for i, f := range fields {
		cells[i] = bulk.Cell{Name: f.Name, Text: f.Value, Null: f.Null}
	}
	return cells, nil, nil
}

type jsonSource struct{ r *JSONRecordReader }

// Columns is nil: JSON records name their own fields.
func (s *jsonSource) Columns() []string { return nil }

func (s *jsonSource) Next() ([]bulk.Cell, []string, error) {
	fields, err := s.r.Next()
	if err != nil {
		return nil, nil, sourceError(err)
	}
	cells := make([]bulk.Cell, len(fields))
	for i, f := range fields {
		if string(f.Value) == "null" {
			cells[i] = bulk.Cell{Name: f.Name, Null: true}
			continue
		}
		cells[i] = bulk.Cell{Name: f.Name, Raw: f.Value}
	}
	return cells, nil, nil
}

// sourceError maps a reader's error for the engine: io.EOF stays the end; a malformed
// body (*Error) becomes a *bulk.FormatError, which fails the batch with the stateMessage
// "InvalidBatch : …" (the engine's form for batch failures) after committing the records
// read before it. Anything else (the stored data could not be read) is returned as is.
func sourceError(err error) error {
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	var e *Error
	if errors.As(err, &e) {
		return &bulk.FormatError{Message: e.Code + " : " + e.Message}
	}
	return err
}
