package faults

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// BenchmarkHook is the cost of the data hook alone when it finds nothing: a nil engine
// (no faults engine at all), an engine with no fault, and one with faults in another org
// only (the per-org check). Run:
//
//	go test ./internal/faults -run '^$' -bench BenchmarkHook -count 6
func BenchmarkHook(b *testing.B) {
	r := httptest.NewRequest("GET", "/services/data/v59.0/limits", nil)
	who := Who{Org: "00D5F0000000001AAA", App: "0H45F0000000001AAA", User: "0055F0000000001AAA"}
	other := &Engine{cfg: Config{Now: func(sfid.ID) time.Time { return time.Now() }}}
	other.snap.Store(&snapshot{byOrg: map[sfid.ID][]*live{"00D5F0000000002AAA": {{Fault: Fault{Family: REST, Answer: Drop, Fraction: 1}}}}})
	for name, e := range map[string]*Engine{"nil": nil, "empty": {}, "other-org": other} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := e.Data(r, who); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
