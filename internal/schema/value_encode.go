package schema

import (
	"math"
	"strconv"
	"time"
)

// CompoundValue is the value of compound field f built from its parts (parts of
// Object.CompoundParts(f)): a map from each part's CompoundKey to value(i), the storage
// form of parts[i], nil when every part is null (salesforce-rest-more.md §7.3; the
// all-null case is UNCONFIRMED).
func CompoundValue(parts []*Field, value func(i int) any) any {
	m := make(map[string]any, len(parts))
	null := true
	for i, p := range parts {
		v := value(i)
		if v != nil {
			null = false
		}
		m[p.CompoundKey] = EncodeValue(p, v)
	}
	if null {
		return nil
	}
	return m
}

// EncodeValue converts a storage-form value of field f into its JSON value for a REST
// response: datetimes as "2018-03-18T07:38:12.000+0000" (UTC), dates as "2024-01-15",
// int fields as integers, double/currency/percent as numbers (100.5 stays 100.5), booleans
// as booleans, everything else as strings; nil is JSON null. Values of an unexpected Go
// type are converted when they can be and passed through otherwise.
func EncodeValue(f *Field, v any) any {
	if v == nil {
		return nil
	}
	switch f.Type {
	case TypeDateTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Format(DateTimeLayout)
		case string:
			if t, ok := ParseDateTime(x); ok {
				return t.Format(DateTimeLayout)
			}
		}
	case TypeDate:
		if t, ok := v.(time.Time); ok {
			return t.UTC().Format(DateLayout)
		}
	case TypeInt:
		switch x := v.(type) {
		case float64:
			return int64(x)
		case int:
			return int64(x)
		}
	case TypeDouble, TypeCurrency, TypePercent:
		switch x := v.(type) {
		case int64:
			return float64(x)
		case int:
			return float64(x)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil
			}
		}
	case TypeBoolean:
		if s, ok := v.(string); ok {
			if b, err := strconv.ParseBool(s); err == nil {
				return b
			}
		}
	}
	return v
}
