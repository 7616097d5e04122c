package session

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

func TestTokenShapeAndKey(t *testing.T) {
	org := sfid.MustParse("00D5F0000000001")
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	tok := NewToken(org, t0)
	// sf org login access-token validates /(00D\w{12,15})![.\w]*/ (the REST reference §8.4).
	if !regexp.MustCompile(`^00D5F0000000001!AQ[.\w]{96}$`).MatchString(tok) {
		t.Fatalf("token %q has the wrong shape", tok)
	}
	if got := issueMillis(tok); got != uint64(t0.UnixMilli()) {
		t.Errorf("issue time decoded as %d, want %d", got, t0.UnixMilli())
	}
	k1 := TokenKey(tok)
	if len(k1) != KeyLen || !bytes.Equal(k1, TokenKey(tok)) {
		t.Fatal("key is not deterministic")
	}
	later := TokenKey(NewToken(org, t0.Add(time.Millisecond)))
	if bytes.Compare(k1, later) >= 0 {
		t.Error("a later token's key does not sort after an earlier one's")
	}
	// Changing one random character changes the key.
	b := []byte(tok)
	b[len(b)-1] ^= 1
	if bytes.Equal(k1, TokenKey(string(b))) {
		t.Error("a different token has the same key")
	}
	for _, junk := range []string{"", "!", "abc", "00D!AQ", "00D5F0000000001!XX00000000abc", "00D!AQ\xff\xff\xff\xff\xff\xff\xff\xff"} {
		if k := TokenKey(junk); len(k) != KeyLen || issueMillis(junk) != 0 {
			t.Errorf("TokenKey(%q) = %x", junk, k)
		}
	}
}

func FuzzTokenKey(f *testing.F) {
	f.Add(NewToken(sfid.MustParse("00D5F0000000001"), time.Now()))
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, s string) {
		if k := TokenKey(s); len(k) != KeyLen {
			t.Fatalf("key length %d", len(k))
		}
	})
}
