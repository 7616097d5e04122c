package bulkcsv

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/forcefield/forcefield/internal/schema"
)

// NullText is the upload value that sets a field to null (salesforce-bulk.md §2.5).
const NullText = "#N/A"

// CodeInvalidField is the status code of a value the field's type cannot hold.
const CodeInvalidField = "INVALID_FIELD"

// ValueError is an uploaded text that is not a value of the field's type. Salesforce
// reports it in the failed results as
//
//	INVALID_FIELD:Failed to deserialize field at col 3. Due to, '6/15/19' is not a valid value for the type xsd:date:Trip_End_Date__c --
//
// (the wording users and client tests quote; [FIELD]). The column is the caller's to set:
// ToJSON does not know it. Whether Salesforce counts columns from 0 or 1 is not known;
// Forcefield's callers use 1-based columns.
type ValueError struct {
	Field  string // the field's API name
	Type   string // the XSD type named: boolean, int, double, date, dateTime
	Text   string // the uploaded text
	Column int    // 1-based column of the value in the upload; 0: not known
}

// Message is the message of the failed result, without the status code and fields.
func (e *ValueError) Message() string {
	at := ""
	if e.Column > 0 {
		at = fmt.Sprintf(" at col %d", e.Column)
	}
	return fmt.Sprintf("Failed to deserialize field%s. Due to, '%s' is not a valid value for the type xsd:%s", at, e.Text, e.Type)
}

func (e *ValueError) Error() string { return CodeInvalidField + ":" + e.Message() }

// Schema is e as the schema.ValueError the data API reports errors with.
func (e *ValueError) Schema() *schema.ValueError {
	return &schema.ValueError{Code: CodeInvalidField, Message: e.Message(), Fields: []string{e.Field}}
}

var jsonNull = json.RawMessage("null")

// ToJSON converts the uploaded text of field f into the JSON value schema.DecodeValue
// reads, so the write rules (lengths, picklists, emails, ranges, IDs) are the data API's.
//
//   - NullText ("#N/A") is null: raw is null and null is true.
//   - "" is "no value" (unset on insert, unchanged on update, §2.5): raw is null and null
//     is false; callers leave the field out.
//   - boolean: true/false in any case, 1 or 0 → true/false.
//   - int: an optional sign and digits (xsd:int; "1.5" and "1e3" are refused).
//   - double, currency, percent: an xsd:double without INF/NaN — sign, digits with an
//     optional point, an optional exponent — as a JSON number ("+5" → 5, ".5" → 0.5,
//     "5." → 5, "007" → 7).
//   - date: yyyy-MM-dd, or a dateTime (below) whose written date is kept.
//   - datetime: yyyy-MM-ddTHH:mm:ss, optional fraction, optional Z, ±HH:mm or ±HHmm (no
//     zone: UTC), or yyyy-MM-dd (midnight UTC) → a JSON string in schema.DateTimeLayout,
//     UTC, milliseconds.
//   - every other type: the text as a JSON string.
//
// Spaces and tabs around a boolean, number, date or datetime are ignored (XSD collapses
// them); text values are kept as sent. A text the type refuses is a *ValueError.
func ToJSON(f *schema.Field, text string) (raw json.RawMessage, null bool, err error) {
	switch text {
	case NullText:
		return jsonNull, true, nil
	case "":
		return jsonNull, false, nil
	}
	switch f.Type {
	case schema.TypeBoolean:
		switch t := strings.Trim(text, " \t"); {
		case t == "1" || strings.EqualFold(t, "true"):
			return json.RawMessage("true"), false, nil
		case t == "0" || strings.EqualFold(t, "false"):
			return json.RawMessage("false"), false, nil
		}
		return nil, false, typeError(f, "boolean", text)
	case schema.TypeInt:
		if n, ok := normalizeNumber(strings.Trim(text, " \t"), false); ok {
			return json.RawMessage(n), false, nil
		}
		return nil, false, typeError(f, "int", text)
	case schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		if n, ok := normalizeNumber(strings.Trim(text, " \t"), true); ok {
			return json.RawMessage(n), false, nil
		}
		return nil, false, typeError(f, "double", text)
	case schema.TypeDate:
		if d, ok := parseDate(strings.Trim(text, " \t")); ok {
			return quoteJSON(d), false, nil
		}
		return nil, false, typeError(f, "date", text)
	case schema.TypeDateTime:
		if t, ok := parseDateTime(strings.Trim(text, " \t")); ok {
			return quoteJSON(t.Format(schema.DateTimeLayout)), false, nil
		}
		return nil, false, typeError(f, "dateTime", text)
	}
	b, err := json.Marshal(text)
	if err != nil { // not reachable: every Go string marshals
		return nil, false, err
	}
	return b, false, nil
}

func typeError(f *schema.Field, xsd, text string) *ValueError {
	return &ValueError{Field: f.Name, Type: xsd, Text: text}
}

// quoteJSON quotes s, which holds no character JSON escapes.
func quoteJSON(s string) json.RawMessage {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
