package bulkv1

import (
	"encoding/xml"
	"io"
	"strings"
)

// Bounds on a batch body, whatever the caller's byte cap (a batch is ≤10 MB, reference
// §4.4; the caller must cap the reader at that).
const (
	// MaxFieldsPerRecord bounds the fields of one record, relationship fields included.
	// Salesforce objects have at most 800 fields.
	MaxFieldsPerRecord = 1000
	// MaxRelationshipDepth bounds nested relationship elements or objects in a field:
	// Account.Owner.External_Id__c is depth 2.
	MaxRelationshipDepth = 5
	// MaxBatchRecords is Salesforce's limit of records in one batch (reference §4.4). The
	// readers do not enforce it: callers count records in their callback.
	MaxBatchRecords = 10000
)

// xsiNamespace is the namespace of the xsi:nil attribute.
const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

// XMLField is one field of a record in an XML batch: Name is the element name, or the
// dotted path of a relationship (Account.External_Id__c); Value is the element's text;
// Null is set by xsi:nil="true".
type XMLField struct {
	Name  string
	Value string
	Null  bool
}

// ReadXMLRecords streams the records of an XML batch body
//
//	<sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload"
//	    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
//	  <sObject><Name>Acme</Name><Phone xsi:nil="true"/>
//	    <Account><External_Id__c>X</External_Id__c></Account></sObject>
//	</sObjects>
//
// calling fn once per sObject with its fields in document order; a nested element is a
// relationship field named by its path. The root may be in the dataload namespace or in
// none; anything after the root is not read. It returns fn's error as is, or an *Error:
// ClientInputError "Unable to find any data to create batch" for a body with no root
// element, InvalidBatch for malformed XML or a body outside these bounds or this shape.
// An error reading r (http.MaxBytesError, say) is returned as is.
func ReadXMLRecords(r io.Reader, fn func(fields []XMLField) error) error {
	xr := NewXMLRecordReader(r)
	for {
		fields, err := xr.Next()
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

// XMLRecordReader is ReadXMLRecords in pull form: Next returns one sObject's fields at a
// time and io.EOF after </sObjects>, so a consumer can stop reading at any record without
// leaving anything behind. Errors are ReadXMLRecords'; after one, Next returns it again.
type XMLRecordReader struct {
	er      *errReader
	rx      xmlRecords
	started bool
	err     error
}

// NewXMLRecordReader returns a pull reader of the XML batch body r.
func NewXMLRecordReader(r io.Reader) *XMLRecordReader {
	er := &errReader{r: r}
	return &XMLRecordReader{er: er, rx: xmlRecords{dec: newXMLDecoder(er)}}
}

// Next returns the next record's fields, or io.EOF at the end of the records.
func (x *XMLRecordReader) Next() ([]XMLField, error) {
	if x.err != nil {
		return nil, x.err
	}
	fields, err := x.next()
	if err != nil {
		if x.er.err != nil {
			err = x.er.err // the body could not be read (too large, cut off): not its syntax
		}
		x.err = err
	}
	return fields, err
}

func (x *XMLRecordReader) next() ([]XMLField, error) {
	rx := &x.rx
	if !x.started {
		x.started = true
		root, err := rx.next()
		for err == nil {
			if st, ok := root.(xml.StartElement); ok {
				if st.Name.Local != "sObjects" || (st.Name.Space != "" && st.Name.Space != Namespace) {
					return nil, errorf(InvalidBatch, "Expected element sObjects, found %s", xmlName(st.Name))
				}
				break
			}
			root, err = rx.next()
		}
		if err == io.EOF {
			return nil, errorf(ClientInputError, "Unable to find any data to create batch")
		}
		if err != nil {
			return nil, err
		}
	}
	for {
		tok, err := rx.nextInside()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil, io.EOF // </sObjects>
		case xml.StartElement:
			if t.Name.Local != "sObject" {
				return nil, errorf(InvalidBatch, "Expected element sObject, found %s", xmlName(t.Name))
			}
			return rx.record()
		}
	}
}

type xmlRecords struct {
	dec *xml.Decoder
}

// next returns the next token, mapping syntax errors to InvalidBatch and an early end of
// the body to io.ErrUnexpectedEOF wrapped the same way (io.EOF only before the root).
func (rx *xmlRecords) next() (xml.Token, error) {
	tok, err := rx.dec.Token()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, errorf(InvalidBatch, "Failed to parse XML: %v", err)
	}
	return tok, nil
}

func (rx *xmlRecords) nextInside() (xml.Token, error) {
	tok, err := rx.next()
	if err == io.EOF {
		return nil, errorf(InvalidBatch, "Failed to parse XML: unexpected end of body")
	}
	return tok, err
}

// record reads the fields of one sObject up to its end tag.
func (rx *xmlRecords) record() ([]XMLField, error) {
	var fields []XMLField
	for {
		tok, err := rx.nextInside()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return fields, nil
		case xml.StartElement:
			if fields, err = rx.field(t, "", 0, fields); err != nil {
				return nil, err
			}
		}
	}
}

// field reads one field element whose start tag is st, appending to fields: a leaf as
// prefix+name, a relationship element as its children under prefix+name+".".
func (rx *xmlRecords) field(st xml.StartElement, prefix string, depth int, fields []XMLField) ([]XMLField, error) {
	name := prefix + st.Name.Local
	null := isNil(st.Attr)
	var text strings.Builder
	nested := false
	for {
		tok, err := rx.nextInside()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !nested {
				text.Write(t)
			}
		case xml.StartElement:
			if depth+1 > MaxRelationshipDepth {
				return nil, errorf(InvalidBatch, "Relationship %s nested deeper than %d", truncate(name, 128), MaxRelationshipDepth)
			}
			nested = true
			if fields, err = rx.field(t, name+".", depth+1, fields); err != nil {
				return nil, err
			}
		case xml.EndElement:
			if nested {
				return fields, nil
			}
			if len(fields) >= MaxFieldsPerRecord {
				return nil, errorf(InvalidBatch, "A record has more than %d fields", MaxFieldsPerRecord)
			}
			f := XMLField{Name: name, Null: null}
			if !null {
				f.Value = text.String()
			}
			return append(fields, f), nil
		}
	}
}

func isNil(attrs []xml.Attr) bool {
	for _, a := range attrs {
		if a.Name.Local == "nil" && (a.Name.Space == xsiNamespace || a.Name.Space == "xsi") {
			v := strings.TrimSpace(a.Value)
			return v == "true" || v == "1"
		}
	}
	return false
}

// errReader records the first error of r other than io.EOF, so that a failure to read the
// body is told apart from a body that does not parse.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}
