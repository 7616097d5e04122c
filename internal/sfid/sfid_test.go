package sfid

import "testing"

func TestSuffixMatchesRealIDs(t *testing.T) {
	// Real IDs from the reference §5.
	for _, tc := range []struct{ id15, want string }{
		{"00D260000001G7l", "EAE"},
		{"00526000004wk0w", "AAA"},
		{"00Dxx0000001gER", "EAY"},
		{"005xx000001Sv6A", "AAS"},
		{"00558000001N0Ke", "AAK"},
	} {
		if got := Suffix(tc.id15); got != tc.want {
			t.Errorf("Suffix(%q) = %q, want %q", tc.id15, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"00D260000001G7l", "00D260000001G7lEAE", true},
		{"00D260000001G7lEAE", "00D260000001G7lEAE", true},
		{"00D260000001G7leae", "00D260000001G7lEAE", true}, // suffix is case-insensitive
		{"00D260000001G7lAAA", "", false},                  // wrong suffix
		{"00D260000001G7", "", false},
		{"00D260000001G7l-AE", "", false},
		{"00D26000000!G7l", "", false},
		{"", "", false},
	} {
		got, err := Parse(tc.in)
		if (err == nil) != tc.ok || string(got) != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestNewRoundTrip(t *testing.T) {
	for _, n := range []uint64{0, 1, 61, 62, 123456789, 62*62*62*62*62*62*62*62*62 - 1} {
		id := New(PrefixUser, "8b", n)
		if len(id) != 18 || id.Prefix() != "005" {
			t.Fatalf("New(%d) = %q", n, id)
		}
		back, ok := id.Sequence()
		if !ok || back != n {
			t.Errorf("Sequence(New(%d)) = %d, %v", n, back, ok)
		}
		if p, err := Parse(id.Short()); err != nil || p != id {
			t.Errorf("Parse(Short(%q)) = %q, %v", id, p, err)
		}
	}
	// Fixed-width base62 in ASCII order sorts like the numbers.
	if !(New("005", "8b", 9) < New("005", "8b", 10) && New("005", "8b", 61) < New("005", "8b", 62)) {
		t.Error("IDs do not sort in sequence order")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("00D260000001G7lEAE")
	f.Add("00D260000001G7l")
	f.Add("zzzzzzzzzzzzzzzzzz")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(string(id))
		if err != nil || again != id {
			t.Fatalf("canonical form %q does not re-parse: %q %v", id, again, err)
		}
		if id.Short() != s[:15] {
			t.Fatalf("15-char part changed: %q vs %q", id.Short(), s[:15])
		}
	})
}
