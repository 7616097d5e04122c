package layout

import (
	"encoding/json"
	"testing"

	"github.com/forcefield/forcefield/internal/schema"
)

// Building Account's layouts against building its describe, the baseline (both as the
// REST handlers do: build, then encode). docs/performance.md "Describe layouts" has the
// figures and the command.

func BenchmarkDescribeAccount(b *testing.B) {
	cat := catalog(b)
	acct, _ := cat.Object("Account")
	acc := restricted()
	b.ReportAllocs()
	for b.Loop() {
		d := schema.Describe(acct, cat, "59.0", func(f *schema.Field) bool { return acc.FieldReadable(acct, f) })
		if _, err := json.Marshal(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLayoutsAccount(b *testing.B) {
	cat := catalog(b)
	acct, _ := cat.Object("Account")
	acc := restricted()
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Layouts(acct, cat, "59.0", acc)
		}
	})
	b.Run("build+encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(Layouts(acct, cat, "59.0", acc)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCompactLayoutsAccount(b *testing.B) {
	cat := catalog(b)
	acct, _ := cat.Object("Account")
	acc := restricted()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(Compacts(acct, "59.0", acc)); err != nil {
			b.Fatal(err)
		}
	}
}
