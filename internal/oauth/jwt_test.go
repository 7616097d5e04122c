package oauth

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseExp(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want time.Time
		ok   bool
	}{
		{`1700000000`, time.Unix(1700000000, 0), true},
		{`"1700000000"`, time.Unix(1700000000, 0), true},
		{`" 1700000000 "`, time.Unix(1700000000, 0), true},
		{`1700000000300`, time.UnixMilli(1700000000300), true}, // sfdx-core: Date.now()+300
		{`"1700000000300"`, time.UnixMilli(1700000000300), true},
		{`1700000000.5`, time.Unix(1700000000, 5e8), true},
		{`1.7e9`, time.Unix(1700000000, 0), true},
		{`"soon"`, time.Time{}, false},
		{`null`, time.Time{}, false},
		{`true`, time.Time{}, false},
		{`-5`, time.Time{}, false},
		{`1e300`, time.Time{}, false},
		{``, time.Time{}, false},
	} {
		got, ok := parseExp(json.RawMessage(tc.raw))
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("parseExp(%s) = %v, %v; want %v, %v", tc.raw, got, ok, tc.want, tc.ok)
		}
	}
}

var fuzzKey = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

func signFuzz(header, payload string, padded bool) string {
	enc := base64.RawURLEncoding
	if padded {
		enc = base64.URLEncoding
	}
	in := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	sum := sha256.Sum256([]byte(in))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, fuzzKey, crypto.SHA256, sum[:])
	return in + "." + enc.EncodeToString(sig)
}

// FuzzJWTAssertion feeds the assertion parser arbitrary text, and arbitrary headers and
// claims signed with a real key. It must never panic; a parsed assertion must have an
// issuer and an expiry; and a signature verifies only over the exact signing input.
func FuzzJWTAssertion(f *testing.F) {
	for _, s := range []string{
		signFuzz(`{"alg":"RS256"}`, `{"iss":"K","sub":"u@x.example","aud":"https://login.salesforce.com","exp":"1700000000"}`, true),
		signFuzz(`{"alg":"RS256","typ":"JWT"}`, `{"iss":"K","prn":"u@x.example","aud":["a","b"],"exp":1700000000300,"iat":1}`, false),
		"a.b.c", "..", "", "eyJhbGciOiJSUzI1NiJ9.e30.AA", strings.Repeat("A", 100),
	} {
		f.Add(s, "", "")
	}
	f.Add("", `{"alg":"RS256"}`, `{"iss":"K","exp":"1e3"}`)
	f.Add("", `{"alg":"RS256","crit":["x"]}`, `{"iss":"K","exp":1}`)
	f.Add("", `{"alg":"RS256"}`, `{"iss":7,"exp":1}`)
	pub := []*rsa.PublicKey{&fuzzKey.PublicKey}
	f.Fuzz(func(t *testing.T, raw, header, payload string) {
		in := raw
		if header != "" || payload != "" {
			in = signFuzz(header, payload, len(payload)%2 == 0)
		}
		a, err := parseAssertion(in)
		if err != nil {
			if a != nil {
				t.Fatalf("parseAssertion returned both an assertion and %v", err)
			}
			return
		}
		if a.Expiry.IsZero() {
			t.Fatalf("parsed assertion without expiry: %q", in)
		}
		if raw == "" && !a.verify(pub) {
			t.Fatalf("a correctly signed assertion does not verify: %q", in)
		}
		// Changing the signed input must break the signature.
		b := *a
		b.signed = append([]byte("x"), a.signed...)
		if b.verify(pub) {
			t.Fatalf("signature verified over a different input")
		}
	})
}

// BenchmarkRSAVerifyParallel is the ceiling of JWT bearer issuance: one RS256 signature
// verification (2048-bit key) per token, on every core (bench/flows.sh runs it with -cpu 2).
func BenchmarkRSAVerifyParallel(b *testing.B) {
	sum := sha256.Sum256([]byte("header.payload"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, fuzzKey, crypto.SHA256, sum[:])
	if err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if rsa.VerifyPKCS1v15(&fuzzKey.PublicKey, crypto.SHA256, sum[:], sig) != nil {
				b.Fatal("verify failed")
			}
		}
	})
}
