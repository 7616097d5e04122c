package session

// Sessions whose access token is a JWT (issue 4 §4, the reference §6.3).
//
// A JWT session is stored like an opaque one — the row gives login history, the admin
// listing and revocation by user — but validating its token reads no database: the
// signature is checked with the cached public key of its kid, then exp, then membership in
// an in-memory set of the live JWT sessions' keys. Every revocation (by token, by session
// ID, by user) goes through evict, which removes the key from that set, so a revoked token
// fails on its next use. The set is an allow-list rather than a deny-list so that a
// restart, which rebuilds it from the stored rows (EnableJWT), cannot bring a revoked token
// back. JWT sessions do not slide: exp is fixed at issue. With several nodes a key missing
// from the set may be another node's token, so it is read from the store (cluster.go).
//
// A JWT session's key (org.Session.TokenHash) is its issue time in milliseconds with the
// top bit set, then the first 24 bytes of the SHA-256 of its jti: the top bit is how
// EnableJWT tells JWT rows from opaque ones, and the time keeps the index append-mostly as
// for opaque keys (token.go).

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// maxVerified bounds the cache of verified tokens; past it the cache starts over.
const maxVerified = 100_000

type jwtState struct {
	keys   *Keyring
	issuer string

	mu       sync.RWMutex
	live     map[[32]byte]liveJWT     // live JWT session keys
	verified map[[32]byte]verifiedJWT // SHA-256 of a token whose signature checked out
}

// liveJWT is a live JWT session: its exp (Unix seconds) and, with several nodes, the
// Manager's gen when its row was last read (a Resync since makes it read again).
type liveJWT struct {
	exp     int64
	checked uint64
}

type verifiedJWT struct {
	key [32]byte
	s   org.Session
}

// jwtKey is the stored key of the JWT session with iat and jti.
func jwtKey(iat int64, jti string) (k [32]byte) {
	binary.BigEndian.PutUint64(k[:], uint64(iat*1000)|1<<63)
	sum := sha256.Sum256([]byte(jti))
	copy(k[keyTimeLen:], sum[:keyHashLen])
	return k
}

func isJWTKey(h []byte) bool { return len(h) == KeyLen && h[0]&0x80 != 0 }

// EnableJWT lets the Manager issue and validate JWT access tokens signed by keys with iss
// issuer. It loads the live JWT sessions from the store, once.
func (m *Manager) EnableJWT(ctx context.Context, keys *Keyring, issuer string) error {
	gen := m.gen.Load()
	ss, err := m.st.ListSessions(ctx, store.SessionFilter{})
	if err != nil {
		return fmt.Errorf("session: load JWT sessions: %w", err)
	}
	j := &jwtState{keys: keys, issuer: issuer, live: map[[32]byte]liveJWT{}, verified: map[[32]byte]verifiedJWT{}}
	for _, s := range ss {
		if isJWTKey(s.TokenHash) && !s.Expired(m.opts.Clock.Org(s.OrgID)) {
			j.live[keyOf(s.TokenHash)] = liveJWT{exp: s.ExpiresAt().Unix(), checked: gen}
		}
	}
	m.jwt.Store(j)
	return nil
}

// IssueJWT is Issue for an app with JWT access tokens: the token is an RS256 JWT for
// clientID (the consumer key) whose exp is the session timeout, capped at the keyring's
// MaxTokenLifetime, after CreatedAt.
func (m *Manager) IssueJWT(ctx context.Context, s org.Session, login org.LoginEvent, clientID string) (string, org.Session, error) {
	j := m.jwt.Load()
	if j == nil {
		return "", org.Session{}, errors.New("session: JWT access tokens are not enabled")
	}
	key, ok := j.keys.signer(m.opts.Clock.Now()) // signing keys are the server's, not an org's
	if !ok {
		return "", org.Session{}, errors.New("session: no signing key is active")
	}
	life := min(s.Timeout, j.keys.MaxTokenLifetime())
	iat := s.CreatedAt.Unix()
	exp := s.CreatedAt.Add(life).Unix()
	// The row expires exactly at exp (DeleteExpiredSessions uses LastActivity+Timeout).
	s.LastActivity = s.CreatedAt
	s.Timeout = time.Unix(exp, 0).Sub(s.CreatedAt)
	c := Claims{Issuer: j.issuer, Audience: j.issuer, Subject: j.issuer + "/id/" + s.OrgID.String() + "/" + s.UserID.String(),
		IssuedAt: iat, Expiry: exp, ID: rand.Text(), ClientID: clientID, Scope: strings.Join(s.Scopes, " "),
		OrgID: s.OrgID.String(), UserID: s.UserID.String()}
	if !s.AppID.IsZero() {
		c.AppID = s.AppID.String()
	}
	token, err := signJWT(key.kid, key.priv, c)
	if err != nil {
		return "", org.Session{}, fmt.Errorf("session: sign JWT: %w", err)
	}
	k := jwtKey(iat, c.ID)
	s.TokenHash = k[:]
	if err := m.commit.submit(&s, &login); err != nil {
		return "", org.Session{}, fmt.Errorf("session: record login: %w", err)
	}
	// A token this process just signed is authentic: remember it as verified, so that its
	// first use costs a map lookup instead of an RSA verification (~35 µs). Only tokens
	// signed before a restart pay for the signature check, once each.
	iatTime := time.Unix(iat, 0).UTC()
	v := verifiedJWT{key: k, s: org.Session{TokenHash: k[:], OrgID: s.OrgID, UserID: s.UserID, AppID: s.AppID,
		Scopes: strings.Fields(c.Scope), CreatedAt: iatTime, LastActivity: iatTime,
		Timeout: time.Duration(exp-iat) * time.Second}}
	j.mu.Lock()
	j.live[k] = liveJWT{exp: exp, checked: m.gen.Load()}
	j.rememberLocked(sha256.Sum256([]byte(token)), v)
	j.mu.Unlock()
	return token, s, nil
}

// rememberLocked caches a verified token; j.mu must be held.
func (j *jwtState) rememberLocked(h [32]byte, v verifiedJWT) {
	if len(j.verified) >= maxVerified {
		clear(j.verified)
	}
	j.verified[h] = v
}

// verify returns the session a JWT stands for if its signature and issuer check out,
// whether or not it expired or was revoked.
func (j *jwtState) verify(token string) (verifiedJWT, error) {
	h := sha256.Sum256([]byte(token))
	j.mu.RLock()
	v, ok := j.verified[h]
	j.mu.RUnlock()
	if ok {
		return v, nil
	}
	c, err := parseJWT(token, j.keys.publicKey)
	if err != nil || c.Issuer != j.issuer || c.Expiry <= c.IssuedAt {
		return v, ErrInvalid
	}
	orgID, err1 := sfid.Parse(c.OrgID)
	userID, err2 := sfid.Parse(c.UserID)
	var appID sfid.ID
	var err3 error
	if c.AppID != "" {
		appID, err3 = sfid.Parse(c.AppID)
	}
	if err1 != nil || err2 != nil || err3 != nil {
		return v, ErrInvalid
	}
	v.key = jwtKey(c.IssuedAt, c.ID)
	iat := time.Unix(c.IssuedAt, 0).UTC()
	v.s = org.Session{TokenHash: v.key[:], OrgID: orgID, UserID: userID, AppID: appID,
		Scopes: strings.Fields(c.Scope), CreatedAt: iat, LastActivity: iat,
		Timeout: time.Duration(c.Expiry-c.IssuedAt) * time.Second}
	j.mu.Lock()
	j.rememberLocked(h, v)
	j.mu.Unlock()
	return v, nil
}

// validateJWT returns the live session of a JWT access token, reading no database — but
// with several nodes, where another node may have issued it (or a Resync came since it
// was read), a key missing from the live set is read from the store (loadJWT).
func (m *Manager) validateJWT(ctx context.Context, j *jwtState, token string) (org.Session, error) {
	v, err := j.verify(token)
	if err != nil {
		return org.Session{}, err
	}
	j.mu.RLock()
	lv, live := j.live[v.key]
	j.mu.RUnlock()
	if !live || lv.checked != m.gen.Load() {
		if !m.shared {
			return org.Session{}, ErrInvalid
		}
		if lv, err = m.loadJWT(ctx, j, v.key); err != nil {
			return org.Session{}, err
		}
	}
	if m.opts.Clock.Org(v.s.OrgID).Unix() >= lv.exp {
		return org.Session{}, ErrInvalid
	}
	return v.s, nil
}

// loadJWT reads a JWT session's row (several nodes only) and adds it to the live set,
// unless a revocation ran meanwhile (the epoch, as in load).
func (m *Manager) loadJWT(ctx context.Context, j *jwtState, k [32]byte) (liveJWT, error) {
	ep, gen := m.epoch.Load(), m.gen.Load()
	s, err := m.st.SessionByTokenHash(ctx, k[:])
	if errors.Is(err, store.ErrNotFound) {
		j.forget(k)
		return liveJWT{}, ErrInvalid
	}
	if err != nil {
		return liveJWT{}, err
	}
	lv := liveJWT{exp: s.ExpiresAt().Unix(), checked: gen}
	j.mu.Lock()
	if m.epoch.Load() == ep {
		j.live[k] = lv
	}
	j.mu.Unlock()
	return lv, nil
}

// revokeJWT ends the session of a JWT access token (expired or not).
func (m *Manager) revokeJWT(ctx context.Context, j *jwtState, token string) (org.Session, error) {
	v, err := j.verify(token)
	if err != nil {
		return org.Session{}, ErrInvalid
	}
	s, err := m.st.DeleteSessionByTokenHash(ctx, v.key[:])
	m.revokedIf(ctx, err, v.key)
	if errors.Is(err, store.ErrNotFound) {
		return org.Session{}, ErrInvalid
	}
	return s, err
}

// forget removes a revoked or expired JWT session key from the live set.
func (j *jwtState) forget(k [32]byte) {
	j.mu.Lock()
	delete(j.live, k)
	j.mu.Unlock()
}

// sweep drops expired live keys and the verified cache's expired tokens.
func (j *jwtState) sweep(now time.Time) {
	sec := now.Unix()
	j.mu.Lock()
	for k, lv := range j.live {
		if sec >= lv.exp {
			delete(j.live, k)
		}
	}
	for h, v := range j.verified {
		if !now.Before(v.s.ExpiresAt()) {
			delete(j.verified, h)
		}
	}
	j.mu.Unlock()
}
