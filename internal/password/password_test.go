package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := Hash("s3cret!")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("Hash = %q, want the argon2id PHC format with the documented parameters", h)
	}
	if h2 := Hash("s3cret!"); h2 == h {
		t.Errorf("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		hash, pw string
		want     bool
		wantErr  bool
	}{
		{h, "s3cret!", true, false},
		{h, "s3cret", false, false},
		{h, "", false, false},
		{"", "s3cret!", false, false},
		{"$argon2id$v=19$m=0,t=2,p=1$AAAA$AAAA", "x", false, true},
		{"pbkdf2$1$x$y", "x", false, true},
		{"$argon2id$v=19$m=19456,t=2,p=1$!!$AAAA", "x", false, true},
	} {
		got, err := Verify(tc.hash, tc.pw)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("Verify(%q, %q) = %v, %v; want %v, error %v", tc.hash, tc.pw, got, err, tc.want, tc.wantErr)
		}
	}
	if VerifyDummy("anything") {
		t.Errorf("VerifyDummy returned true")
	}
}

func BenchmarkVerify(b *testing.B) {
	h := Hash("correct horse battery staple")
	for b.Loop() {
		Verify(h, "correct horse battery staple")
	}
}
