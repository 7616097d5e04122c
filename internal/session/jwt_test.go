package session

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store/sqlite"
)

const testIssuer = "https://acme.example"

// jwtManager returns a Manager with JWT access tokens enabled over db.
func jwtManager(t *testing.T, db *sqlite.DB, clk *testClock) (*Manager, *Keyring) {
	t.Helper()
	keys := NewKeyring(db, KeyringOptions{Now: clk.now})
	if err := keys.Maintain(t.Context()); err != nil {
		t.Fatal(err)
	}
	m := NewManager(db, Options{Now: clk.now, FlushInterval: time.Hour})
	t.Cleanup(func() { m.Close() })
	if err := m.EnableJWT(t.Context(), keys, testIssuer); err != nil {
		t.Fatal(err)
	}
	return m, keys
}

func decodePart(t *testing.T, token string, i int, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestJWTClaimsExpiryRevocationAndRestart(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	clk := &testClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	m, _ := jwtManager(t, db, clk)
	s := newSession(clk.now())
	tok, issued, err := m.IssueJWT(ctx, s, org.LoginEvent{Status: "Success"}, "3MVGkey")
	if err != nil {
		t.Fatal(err)
	}
	if !LooksLikeJWT(tok) {
		t.Fatalf("token %q does not look like a JWT", tok)
	}
	var h jwtHeader
	decodePart(t, tok, 0, &h)
	if diff := cmp.Diff(jwtHeader{Alg: "RS256", Typ: "JWT", Kid: "1"}, h); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	var c Claims
	decodePart(t, tok, 1, &c)
	want := Claims{Issuer: testIssuer, Audience: testIssuer, Subject: testIssuer + "/id/" + s.OrgID.String() + "/" + s.UserID.String(),
		IssuedAt: clk.now().Unix(), Expiry: clk.now().Add(30 * time.Minute).Unix(), ID: c.ID, ClientID: "3MVGkey",
		Scope: "api", OrgID: s.OrgID.String(), UserID: s.UserID.String()}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	got, err := m.Validate(ctx, tok)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if diff := cmp.Diff(issued.TokenHash, got.TokenHash); diff != "" || got.UserID != s.UserID {
		t.Errorf("Validate = %+v, want the issued session %+v", got, issued)
	}
	// Not sliding: a use at 20 minutes does not move exp.
	clk.add(20 * time.Minute)
	if _, err := m.Validate(ctx, tok); err != nil {
		t.Fatalf("Validate at 20 min: %v", err)
	}
	clk.add(10 * time.Minute)
	if _, err := m.Validate(ctx, tok); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Validate at exp = %v, want ErrInvalid", err)
	}

	// Revocation survives a restart: the live set is rebuilt from the stored rows.
	tok2, _, err := m.IssueJWT(ctx, newSession(clk.now()), org.LoginEvent{Status: "Success"}, "3MVGkey")
	if err != nil {
		t.Fatal(err)
	}
	tok3, _, err := m.IssueJWT(ctx, newSession(clk.now()), org.LoginEvent{Status: "Success"}, "3MVGkey")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Revoke(ctx, tok2); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if _, err := m.Validate(ctx, tok2); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Validate after Revoke = %v, want ErrInvalid", err)
	}
	m2, _ := jwtManager(t, db, clk)
	if _, err := m2.Validate(ctx, tok2); !errors.Is(err, ErrInvalid) {
		t.Errorf("revoked token after restart = %v, want ErrInvalid", err)
	}
	if _, err := m2.Validate(ctx, tok3); err != nil {
		t.Errorf("live token after restart: %v", err)
	}
	// The expired first session's row is still there (no sweep ran): 2 rows.
	if n, err := m2.RevokeUser(ctx, s.UserID); err != nil || n != 2 {
		t.Fatalf("RevokeUser = %d, %v; want 2 sessions", n, err)
	}
	if _, err := m2.Validate(ctx, tok3); !errors.Is(err, ErrInvalid) {
		t.Errorf("Validate after RevokeUser = %v, want ErrInvalid", err)
	}
}

func TestJWTRejectsForeignAndTamperedTokens(t *testing.T) {
	ctx := context.Background()
	clk := &testClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	db1, _ := open(t)
	db2, _ := open(t)
	m1, _ := jwtManager(t, db1, clk)
	m2, _ := jwtManager(t, db2, clk) // same kid "1", different key
	tok, _, err := m1.IssueJWT(ctx, newSession(clk.now()), org.LoginEvent{Status: "Success"}, "k")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m2.Validate(ctx, tok); !errors.Is(err, ErrInvalid) {
		t.Errorf("token of another keyring = %v, want ErrInvalid", err)
	}
	parts := strings.Split(tok, ".")
	var c Claims
	decodePart(t, tok, 1, &c)
	c.Scope = "api full"
	b, _ := json.Marshal(c)
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
	if _, err := m1.Validate(ctx, forged); !errors.Is(err, ErrInvalid) {
		t.Errorf("token with changed claims = %v, want ErrInvalid", err)
	}
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","kid":"1"}`)) + "." + parts[1] + "."
	if _, err := m1.Validate(ctx, none); !errors.Is(err, ErrInvalid) {
		t.Errorf("alg none token = %v, want ErrInvalid", err)
	}
}

func TestKeyringRotationSchedule(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	clk := &testClock{t: t0}
	k := NewKeyring(db, KeyringOptions{Now: clk.now}) // 24h period, 1h overlap, 24h tokens
	published := func() []string {
		var set struct{ Keys []struct{ Kid string } }
		if err := json.Unmarshal(k.JWKS(), &set); err != nil {
			t.Fatal(err)
		}
		var kids []string
		for _, j := range set.Keys {
			kids = append(kids, j.Kid)
		}
		return kids
	}
	for _, step := range []struct {
		at        time.Duration
		published []string
		signer    string
	}{
		{0, []string{"1"}, "1"},
		{22*time.Hour + 59*time.Minute, []string{"1"}, "1"},
		{23 * time.Hour, []string{"1", "2"}, "1"}, // published an hour before it signs
		{24 * time.Hour, []string{"1", "2"}, "2"},
		{47 * time.Hour, []string{"1", "2", "3"}, "2"},
		{48*time.Hour - time.Millisecond, []string{"1", "2", "3"}, "2"}, // 1's last token lives until 48h
		{48 * time.Hour, []string{"2", "3"}, "3"},
	} {
		clk.t = t0.Add(step.at)
		if err := k.Maintain(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(step.published, published()); diff != "" {
			t.Errorf("at +%v published kids (-want +got):\n%s", step.at, diff)
		}
		if s, _ := k.signer(clk.t); s.kid != step.signer {
			t.Errorf("at +%v signer = %q, want %q", step.at, s.kid, step.signer)
		}
	}
	ks, err := db.SigningKeys(ctx)
	if err != nil || len(ks) != 2 {
		t.Errorf("stored keys = %d, %v; want the 2 published (retired ones deleted)", len(ks), err)
	}
}

// A token remembered at issue (no RSA check on its first use) must stand for exactly the
// session that verifying its signature yields.
func TestJWTRememberedAtIssueMatchesVerified(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	clk := &testClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	m, _ := jwtManager(t, db, clk)
	tok, _, err := m.IssueJWT(ctx, newSession(clk.now()), org.LoginEvent{Status: "Success"}, "3MVGkey")
	if err != nil {
		t.Fatal(err)
	}
	j := m.jwt.Load()
	j.mu.RLock()
	n := len(j.verified)
	j.mu.RUnlock()
	if n != 1 {
		t.Fatalf("%d tokens remembered after one issue, want 1", n)
	}
	remembered, err := m.Validate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := jwtManager(t, db, clk) // a new process: verifies the signature
	verified, err := m2.Validate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(verified, remembered); diff != "" {
		t.Errorf("remembered session differs from the verified one (-verified +remembered):\n%s", diff)
	}
}
