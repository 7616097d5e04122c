package oauth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"sync"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/secret"
)

// authenticatedClient is the result of client authentication.
type authenticatedClient struct {
	app        org.ConnectedApp
	credential org.Credential
	secret     string // the consumer secret the client presented (the signature key)
}

// authenticateClient checks a consumer key and secret against the app's usable credential
// pairs. Failures are throttled per key and source address so that a caller who knows a
// consumer key cannot try secrets at speed, while the real integration, calling from its
// own address, is never locked out by somebody else's failures.
func (s *Server) authenticateClient(ctx context.Context, r *http.Request, p params) (*authenticatedClient, *Error) {
	id, sec, _, e := clientCredentials(r, p)
	if e != nil {
		return nil, e
	}
	ip := sourceIP(r)
	keyIP := "k:" + id + "|" + ip
	creds, err := s.dir.Credentials(ctx, id)
	if err != nil {
		s.log.ErrorContext(ctx, "looking up consumer key", "err", err)
		return nil, errServer
	}
	var usable []org.Credential
	for _, c := range creds {
		if s.usable(ctx, c) {
			usable = append(usable, c)
		}
	}
	if id == "" || len(usable) == 0 {
		res, ok, _ := s.failures.Reserve(ctx, "ip:"+ip)
		if !ok {
			return nil, ErrRateLimitExceeded
		}
		res.Fail()
		return nil, ErrInvalidClientID
	}
	app, err := s.dir.App(ctx, usable[0].AppID)
	if err != nil {
		s.log.ErrorContext(ctx, "loading connected app", "err", err, "app", usable[0].AppID)
		return nil, errServer
	}
	// The attempt is reserved before the secret is looked at and given back only when it
	// verifies, so simultaneous guesses cannot all pass a check made before any failure
	// was counted (see package throttle).
	res, ok, _ := s.failures.Reserve(ctx, keyIP)
	if !ok {
		return &authenticatedClient{app: app}, ErrRateLimitExceeded
	}
	if sec != "" {
		// Cheap checks first (generated secrets' SHA-256 hashes, and slow hashes this
		// process has already verified), so that a right secret never pays for a KDF run
		// against another pair of the same key — e.g. the operator-supplied secret that a
		// rotation replaced, which stays usable for 30 days.
		for _, c := range usable {
			if s.verifyCheap(c, sec) {
				res.Release()
				return &authenticatedClient{app: app, credential: c, secret: sec}, nil
			}
		}
		for _, c := range usable {
			if secret.Slow(c.SecretHash) && s.verify(c, sec) {
				res.Release()
				return &authenticatedClient{app: app, credential: c, secret: sec}, nil
			}
		}
	}
	res.Fail()
	return &authenticatedClient{app: app}, ErrInvalidClient
}

// errServer is the response to an internal failure; details go to the log only.
var errServer = &Error{Code: "server_error", Description: "internal server error", Status: http.StatusInternalServerError, LoginStatus: "Failed: Internal error"}

// verify checks a presented secret against a stored hash. A slow (operator-supplied)
// hash is verified once per process: afterwards the SHA-256 of the secret that matched is
// remembered in memory, so later requests cost a hash and a comparison.
func (s *Server) verify(c org.Credential, presented string) bool {
	if !secret.Slow(c.SecretHash) {
		ok, err := secret.Verify(c.SecretHash, presented)
		return ok && err == nil
	}
	if s.verified.matches(c, presented) {
		return true
	}
	return s.verified.verifyOnce(c, presented)
}

// verifyCheap checks a presented secret without running a KDF: against a fast hash, or
// against the remembered verification of a slow one.
func (s *Server) verifyCheap(c org.Credential, presented string) bool {
	if secret.Slow(c.SecretHash) {
		return s.verified.matches(c, presented)
	}
	ok, err := secret.Verify(c.SecretHash, presented)
	return ok && err == nil
}

// verifiedCache remembers, per credential and stored hash, the SHA-256 of a secret that
// verified against a slow hash. It never holds a secret in plaintext.
//
// Concurrent verifications of the same presented secret share one KDF run (the first
// burst of an integration's requests after a start would otherwise run one each: 64
// connections, 64 PBKDF2s). Different secrets never wait for each other.
type verifiedCache struct {
	mu       sync.RWMutex
	m        map[string][32]byte // credential ID + stored hash → sha256(secret)
	inflight map[string]*flight  // credential ID + stored hash + sha256(secret) → running KDF
}

type flight struct {
	done chan struct{}
	ok   bool
}

func newVerifiedCache() *verifiedCache {
	return &verifiedCache{m: map[string][32]byte{}, inflight: map[string]*flight{}}
}

// verifyOnce runs the slow verification, joining an identical one already running.
func (v *verifiedCache) verifyOnce(c org.Credential, presented string) bool {
	sum := sha256.Sum256([]byte(presented))
	key := string(c.ID) + c.SecretHash + string(sum[:])
	v.mu.Lock()
	if f := v.inflight[key]; f != nil {
		v.mu.Unlock()
		<-f.done
		return f.ok
	}
	f := &flight{done: make(chan struct{})}
	v.inflight[key] = f
	v.mu.Unlock()

	ok, err := secret.Verify(c.SecretHash, presented)
	f.ok = ok && err == nil
	v.mu.Lock()
	if f.ok {
		v.m[string(c.ID)+c.SecretHash] = sum
	}
	delete(v.inflight, key)
	v.mu.Unlock()
	close(f.done)
	return f.ok
}

func (v *verifiedCache) matches(c org.Credential, presented string) bool {
	v.mu.RLock()
	want, ok := v.m[string(c.ID)+c.SecretHash]
	v.mu.RUnlock()
	got := sha256.Sum256([]byte(presented))
	return ok && subtle.ConstantTimeCompare(want[:], got[:]) == 1
}

// usable reports whether consumer credential pair c authenticates now, in its org's time
// (time travel: a travelled org's staged and rotated pairs expire in its time). A pair
// that never expires (the Active one) needs no clock, so the hot path asks none.
func (s *Server) usable(ctx context.Context, c org.Credential) bool {
	if c.ExpiresAt.IsZero() {
		return true
	}
	app, err := s.dir.App(ctx, c.AppID)
	if err != nil {
		return c.Usable(s.now()) // the caller's own App lookup reports the error
	}
	return c.Usable(s.orgNow(app.OrgID))
}
