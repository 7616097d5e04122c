package session

import (
	"context"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
)

// Validation cost of the two token kinds, measured in one run (docs/performance.md):
//
//	go test ./internal/session -run '^$' -bench 'Validate(JWT|Opaque)' -count 10
//
// BenchmarkValidateJWT is a token's every use after its first; BenchmarkValidateJWTFirstUse
// is the first, which pays the RS256 signature check.
func BenchmarkValidateJWT(b *testing.B) { benchValidate(b, true, false) }

func BenchmarkValidateJWTFirstUse(b *testing.B) { benchValidate(b, true, true) }

func BenchmarkValidateOpaque(b *testing.B) { benchValidate(b, false, false) }

func benchValidate(b *testing.B, jwt, cold bool) {
	ctx := context.Background()
	db, _ := openB(b)
	clk := &testClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	keys := NewKeyring(db, KeyringOptions{Now: clk.now})
	if err := keys.Maintain(ctx); err != nil {
		b.Fatal(err)
	}
	m := NewManager(db, Options{Now: clk.now, FlushInterval: time.Hour})
	defer m.Close()
	if err := m.EnableJWT(ctx, keys, testIssuer); err != nil {
		b.Fatal(err)
	}
	var tok string
	var err error
	if jwt {
		tok, _, err = m.IssueJWT(ctx, newSession(clk.now()), org.LoginEvent{Status: "Success"}, "3MVGkey")
	} else {
		tok, _, err = m.Issue(ctx, newSession(clk.now()), org.LoginEvent{Status: "Success"})
	}
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.Validate(ctx, tok); err != nil { // warm: the first use is not measured
		b.Fatal(err)
	}
	j := m.jwt.Load()
	for b.Loop() {
		if cold {
			j.mu.Lock()
			clear(j.verified)
			j.mu.Unlock()
		}
		if _, err := m.Validate(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignJWT is the RS256 signature a JWT access token adds to issuance.
func BenchmarkSignJWT(b *testing.B) {
	db, _ := openB(b)
	clk := &testClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	keys := NewKeyring(db, KeyringOptions{Now: clk.now})
	if err := keys.Maintain(context.Background()); err != nil {
		b.Fatal(err)
	}
	k, _ := keys.signer(clk.now())
	c := Claims{Issuer: testIssuer, IssuedAt: 1, Expiry: 2, ID: "x", Scope: "api id"}
	for b.Loop() {
		if _, err := signJWT(k.kid, k.priv, c); err != nil {
			b.Fatal(err)
		}
	}
}
