package secret

import (
	"regexp"
	"strings"
	"testing"
)

func TestGeneratedShapes(t *testing.T) {
	if k := ConsumerKey(); !regexp.MustCompile(`^3MVG9[0-9A-Za-z]{80}$`).MatchString(k) {
		t.Errorf("ConsumerKey() = %q", k)
	}
	if s := ConsumerSecret(); !regexp.MustCompile(`^[0-9A-F]{64}$`).MatchString(s) {
		t.Errorf("ConsumerSecret() = %q", s)
	}
	if o := Opaque(90); !regexp.MustCompile(`^AQ[0-9A-Za-z._]{90}$`).MatchString(o) {
		t.Errorf("Opaque(90) = %q", o)
	}
	if p := Password(); !regexp.MustCompile(`^[0-9A-Za-z]{24}$`).MatchString(p) {
		t.Errorf("Password() = %q", p)
	}
	if ConsumerSecret() == ConsumerSecret() || Password() == Password() {
		t.Error("two generated secrets are equal")
	}
}

func TestVerify(t *testing.T) {
	for _, tc := range []struct {
		name string
		hash string
		slow bool
	}{
		{"generated", HashGenerated("ABC123"), false},
		{"supplied", hashPBKDF2("ABC123", []byte("0123456789abcdef"), 1000), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if ok, err := Verify(tc.hash, "ABC123"); !ok || err != nil {
				t.Errorf("Verify(right) = %v, %v", ok, err)
			}
			if ok, err := Verify(tc.hash, "ABC124"); ok || err != nil {
				t.Errorf("Verify(wrong) = %v, %v", ok, err)
			}
			if Slow(tc.hash) != tc.slow {
				t.Errorf("Slow = %v, want %v", !tc.slow, tc.slow)
			}
		})
	}
	for _, bad := range []string{"", "md5$x", "sha256$zz", "pbkdf2-sha256$x$y", "pbkdf2-sha256$0$AA$AA"} {
		if _, err := Verify(bad, "x"); err == nil {
			t.Errorf("Verify(%q) accepted a malformed hash", bad)
		}
	}
}

func TestHashSuppliedIsSaltedAndSlow(t *testing.T) {
	a, b := HashSupplied("same"), HashSupplied("same")
	if a == b {
		t.Error("two hashes of one secret are equal: no salt")
	}
	if ok, _ := Verify(a, "same"); !ok {
		t.Error("supplied hash does not verify")
	}
	if !strings.HasPrefix(a, "pbkdf2-sha256$600000$") {
		t.Errorf("HashSupplied = %q, want OWASP 2023's 600,000 PBKDF2-SHA256 iterations", a)
	}
}
