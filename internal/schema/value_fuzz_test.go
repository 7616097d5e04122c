package schema

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// FuzzDecodeValue feeds arbitrary bytes to DecodeValue for a field of every type: it must
// never panic, must answer either a storage-form value or a *ValueError, and what it
// accepts must survive EncodeValue → DecodeValue unchanged.
func FuzzDecodeValue(f *testing.F) {
	for _, s := range []string{`null`, `""`, `"x"`, `1`, `-1.5`, `1e308`, `1e400`, `"12.5"`, `true`, `"true"`,
		`"2024-01-15"`, `"2018-03-18T07:38:12.000+0000"`, `"2018-03-18T07:38:12Z"`, `"2018-03-18T07:38:12.1+05:30"`,
		`"a@b.co"`, `"001000000000001AAA"`, `"Prospect"`, `"Red;Blue"`, `[]`, `{}`, `"\u0000"`, `9223372036854775808`} {
		f.Add([]byte(s))
	}
	o, err := CustomObject(ObjectSpec{Name: "Fuzz__c", KeyPrefix: "a00", Fields: []FieldSpec{
		{Name: "S__c", Type: TypeString, Length: 10}, {Name: "T__c", Type: TypeTextArea},
		{Name: "E__c", Type: TypeEmail}, {Name: "P__c", Type: TypePhone}, {Name: "U__c", Type: TypeURL},
		{Name: "B__c", Type: TypeBoolean}, {Name: "I__c", Type: TypeInt}, {Name: "D__c", Type: TypeDouble, Precision: 10, Scale: 3},
		{Name: "C__c", Type: TypeCurrency}, {Name: "Pc__c", Type: TypePercent}, {Name: "Dt__c", Type: TypeDate},
		{Name: "Dtm__c", Type: TypeDateTime}, {Name: "Pk__c", Type: TypePicklist, Values: []string{"A", "B"}, Restricted: true},
		{Name: "Mp__c", Type: TypeMultiPicklist, Values: []string{"A", "B"}}, {Name: "R__c", Type: TypeReference, ReferenceTo: "Account"},
	}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for i := range o.Fields {
			fld := &o.Fields[i]
			v, err := DecodeValue(fld, raw)
			if err != nil {
				var ve *ValueError
				if !errors.As(err, &ve) || ve.Code == "" || ve.Message == "" {
					t.Fatalf("%s: error %v is not a complete ValueError", fld.Name, err)
				}
				continue
			}
			switch v.(type) {
			case nil, string, bool, int64, float64, time.Time:
			default:
				t.Fatalf("%s: storage value %T", fld.Name, v)
			}
			enc, err := json.Marshal(EncodeValue(fld, v))
			if err != nil {
				t.Fatalf("%s: encode %v: %v", fld.Name, v, err)
			}
			again, err := DecodeValue(fld, enc)
			if err != nil {
				t.Fatalf("%s: re-decoding %s: %v", fld.Name, enc, err)
			}
			if tv, ok := v.(time.Time); ok {
				if !tv.Equal(again.(time.Time)) {
					t.Fatalf("%s: %v became %v", fld.Name, v, again)
				}
			} else if again != v {
				t.Fatalf("%s: %#v became %#v via %s", fld.Name, v, again, enc)
			}
		}
	})
}
