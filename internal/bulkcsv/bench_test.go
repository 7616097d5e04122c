package bulkcsv

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

const benchRows = 100_000

// benchRecords are 100,000 records of 5 columns shaped like an Account upload: an ID, a
// name (some with a comma or a quote, so quoted), a number, a date, a short text.
func benchRecords() [][]string {
	recs := make([][]string, benchRows)
	for i := range recs {
		name := fmt.Sprintf("Account %d", i)
		switch i % 10 {
		case 3:
			name = fmt.Sprintf("Acme, Inc. %d", i)
		case 7:
			name = fmt.Sprintf("The \"Best\" %d", i)
		}
		recs[i] = []string{fmt.Sprintf("001xx%013d", i), name, fmt.Sprintf("%d.%02d", i*7, i%100),
			fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28), "Some description text"}
	}
	return recs
}

func benchInput(b *testing.B) []byte {
	var buf bytes.Buffer
	w := NewWriter(&buf, Default)
	w.Write([]string{"Id", "Name", "AnnualRevenue", "CloseDate__c", "Description"})
	for _, rec := range benchRecords() {
		w.Write(rec)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkReader(b *testing.B) {
	in := benchInput(b)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := NewReader(bytes.NewReader(in), Default)
		n := 0
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchRows {
			b.Fatalf("read %d rows", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}

func BenchmarkWriter(b *testing.B) {
	recs := benchRecords()
	size := int64(len(benchInput(b)))
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := NewWriter(io.Discard, Default)
		w.Write([]string{"Id", "Name", "AnnualRevenue", "CloseDate__c", "Description"})
		for _, rec := range recs {
			w.Write(rec)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}
