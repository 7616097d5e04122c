package bulkcsv

import (
	"math"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/schema"
)

func TestFormatValue(t *testing.T) {
	dt := time.Date(2024, 1, 31, 10, 0, 0, 123456789, time.UTC)
	tests := []struct {
		typ  schema.FieldType
		v    any
		want string
	}{
		{schema.TypeString, nil, ""},
		{schema.TypeDateTime, nil, ""},
		{schema.TypeString, "Acme, \"Inc\"\n", "Acme, \"Inc\"\n"},
		{schema.TypeMultiPicklist, "A;B", "A;B"},
		{schema.TypeBoolean, true, "true"},
		{schema.TypeBoolean, false, "false"},
		{schema.TypeInt, int64(-42), "-42"},
		{schema.TypeInt, int64(0), "0"},
		{schema.TypeInt, 7.0, "7"},
		{schema.TypeDouble, 15000.0, "15000.0"},
		{schema.TypeCurrency, 100.5, "100.5"},
		{schema.TypeDouble, 0.0, "0.0"},
		{schema.TypeDouble, -2.25, "-2.25"},
		{schema.TypeDouble, 1234567.0, "1234567.0"},
		{schema.TypeDouble, 9999999.99, "9999999.99"},
		{schema.TypeDouble, 12345678.0, "1.2345678E7"},
		{schema.TypeDouble, 16147805824397.0, "1.6147805824397E13"},
		{schema.TypeCurrency, 9e7, "9.0E7"},
		{schema.TypeDouble, 0.001, "0.001"},
		{schema.TypeDouble, 0.0001, "1.0E-4"},
		{schema.TypeDouble, -1.5e-7, "-1.5E-7"},
		{schema.TypePercent, 1e21, "1.0E21"},
		{schema.TypeDouble, math.NaN(), ""},
		{schema.TypeDate, "2024-01-31", "2024-01-31"},
		{schema.TypeDate, dt, "2024-01-31"},
		{schema.TypeDateTime, dt, "2024-01-31T10:00:00.123Z"},
		{schema.TypeDateTime, dt.In(time.FixedZone("x", -5*3600)), "2024-01-31T10:00:00.123Z"},
		{schema.TypeDateTime, "2024-01-31T10:00:00.000+0000", "2024-01-31T10:00:00.000Z"},
	}
	for _, tt := range tests {
		f := field(tt.typ)
		if got := FormatValue(f, tt.v); got != tt.want {
			t.Errorf("FormatValue(%s, %#v) = %q, want %q", tt.typ, tt.v, got, tt.want)
		}
		if got := string(AppendValue([]byte("x"), f, tt.v)); got != "x"+tt.want {
			t.Errorf("AppendValue(%s, %#v) = %q, want %q", tt.typ, tt.v, got, "x"+tt.want)
		}
	}
}

func TestAppendValueAllocs(t *testing.T) {
	dst := make([]byte, 0, 256)
	f := field(schema.TypeDouble)
	vals := []any{12345678.5, int64(42), true, "text", time.Now().UTC()}
	allocs := testing.AllocsPerRun(100, func() {
		for _, v := range vals {
			dst = AppendValue(dst[:0], f, v)
		}
	})
	if allocs != 0 {
		t.Errorf("AppendValue allocates %v times per run", allocs)
	}
}
