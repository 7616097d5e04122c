package bulkcsv

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/forcefield/forcefield/internal/schema"
)

var fuzzTypes = []schema.FieldType{
	schema.TypeID, schema.TypeString, schema.TypeTextArea, schema.TypeEmail, schema.TypePhone, schema.TypeURL,
	schema.TypeBoolean, schema.TypeInt, schema.TypeDouble, schema.TypeCurrency, schema.TypePercent,
	schema.TypeDate, schema.TypeDateTime, schema.TypePicklist, schema.TypeMultiPicklist, schema.TypeCombobox,
	schema.TypeReference,
}

// FuzzToJSON: ToJSON never panics; every success is valid JSON that schema.DecodeValue
// reads without panicking; every failure is a *ValueError.
func FuzzToJSON(f *testing.F) {
	for _, s := range []string{"#N/A", "", "true", "0", "+5", ".5", "5.", "1e308", "1e999", "-0",
		"2024-01-31", "2024-01-31T10:00:00.123+05:30", "2024-02-29T23:59:59Z", "\xff", "a\"b"} {
		f.Add(uint8(0), s)
	}
	f.Fuzz(func(t *testing.T, ti uint8, text string) {
		fld := &schema.Field{Name: "F", Label: "F", Type: fuzzTypes[int(ti)%len(fuzzTypes)], Precision: 18, Scale: 2, Length: 255}
		raw, null, err := ToJSON(fld, text)
		if err != nil {
			var ve *ValueError
			if !errors.As(err, &ve) {
				t.Fatalf("ToJSON(%s, %q): error %T %v", fld.Type, text, err, err)
			}
			return
		}
		if !json.Valid(raw) {
			t.Fatalf("ToJSON(%s, %q) = %q: invalid JSON", fld.Type, text, raw)
		}
		if null && string(raw) != "null" {
			t.Fatalf("ToJSON(%s, %q): null with %s", fld.Type, text, raw)
		}
		schema.DecodeValue(fld, raw)
	})
}
