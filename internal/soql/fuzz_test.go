package soql

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks that Parse never panics, that errors are *Error with a position inside
// the text and a renderable message, and that accepted queries round-trip through String.
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.text)
	}
	for _, s := range []string{
		"", "SELECT", "SELECT Id FROM", "SELECT Id FROM X WHERE A = 'a\\'b\\%c'",
		"SELECT Id FROM X WHERE A LIKE 'a\\\\b\\_'", "SELECT Id FROM X WHERE D = 2024-02-30",
		"SELECT Id FROM X WHERE D > 2024-01-15T10:00:00.000-0700 AND E < LAST_N_WEEKS:3",
		"SELECT Id FROM X WHERE NOT NOT A = 1", "SELECT COUNT(Id) c FROM X HAVING COUNT(Id) > 0",
		"SELECT Id FROM X WHERE A IN (SELECT B FROM Y WHERE C IN (SELECT D FROM Z))",
		"SELECT FIELDS(ALL) FROM X LIMIT 200", "SELECT Name, fields(custom), (SELECT FIELDS(STANDARD) FROM Y) FROM X",
		"SELECT FIELDS( FROM X", "SELECT FIELDS(ALL FROM X", "SELECT FIELDS(Name) FROM X", "SELECT Fields FROM X",
		"SELECT BillingAddress FROM X WHERE DISTANCE(BillingAddress, GEOLOCATION(37.775,-122.418), 'mi') < 20",
		"SELECT Id FROM X ORDER BY DISTANCE(Loc__c, GEOLOCATION(1,2), 'km')",
		"SELECT Id FROM X WHERE DISTANCE(a.Loc__c, GEOLOCATION(-1.5e2, +2), 'x') > 1 OR DISTANCE(L, GEOLOCATION(1,2), '') < 'a'",
		"SELECT DISTANCE(Loc__c, GEOLOCATION(1,2), 'km') FROM X",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := Parse(text)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T %v is not *Error", text, err, err)
			}
			if e.Pos < 0 || int(e.Pos) > len(text) {
				t.Fatalf("Parse(%q) error position %d outside the text", text, e.Pos)
			}
			_ = e.Message(text)
			return
		}
		printed := got.String()
		again, err := Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its String %q fails: %v", text, printed, err)
		}
		if d := cmp.Diff(got, again, ignorePos); d != "" {
			t.Fatalf("round trip of %q via %q (-first +second):\n%s", text, printed, d)
		}
	})
}
