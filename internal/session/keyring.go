package session

// Signing keys for JWT access tokens and their rotation.
//
// Each key has three instants (org.SigningKey): CreatedAt, from which it is published in the
// JWK Set (RFC 7517) at /id/keys; ActivateAt, from which it signs new tokens; RetireAt, from
// which it is unpublished — the successor's ActivateAt plus MaxTokenLifetime, so it stays
// published until the last token it signed has expired. A successor is created Overlap
// before the current key's Period ends, so a verifier that caches the JWKS has seen the new
// kid before the first token carrying it. Maintain does all of this and runs on a timer;
// tests call it after moving their clock.

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// KeyringOptions configures a Keyring.
type KeyringOptions struct {
	Now              func() time.Time // default time.Now
	Period           time.Duration    // how long a key signs; default 24h
	Overlap          time.Duration    // how long a key is published before it signs; default 1h
	MaxTokenLifetime time.Duration    // cap on a JWT access token's lifetime; default 24h
	// Cluster shares the keys with the other nodes (keyring_cluster.go); nil: one node.
	Cluster cluster.Coordinator
}

// Keyring holds the signing keys in memory; Maintain refreshes them from the store.
type Keyring struct {
	st   store.SigningKeys
	opts KeyringOptions
	mu   sync.Mutex // serialises Maintain
	snap atomic.Pointer[keySnapshot]

	shared    bool         // several nodes (keyring_cluster.go)
	dirty     atomic.Bool  // a "keys" notice came: reload
	reloading atomic.Bool  // a reload goroutine runs
	missAt    atomic.Int64 // unix ns of the last reload for an unknown kid
}

type liveKey struct {
	kid      string
	activate time.Time
	priv     *rsa.PrivateKey
}

// keySnapshot is immutable once published.
type keySnapshot struct {
	keys  []liveKey // published keys, oldest ActivateAt first
	byKID map[string]*rsa.PublicKey
	jwks  []byte
}

// NewKeyring returns a Keyring over st; call Maintain before use.
func NewKeyring(st store.SigningKeys, opts KeyringOptions) *Keyring {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Period <= 0 {
		opts.Period = 24 * time.Hour
	}
	if opts.Overlap <= 0 {
		opts.Overlap = time.Hour
	}
	if opts.MaxTokenLifetime <= 0 {
		opts.MaxTokenLifetime = 24 * time.Hour
	}
	k := &Keyring{st: st, opts: opts}
	k.snap.Store(&keySnapshot{byKID: map[string]*rsa.PublicKey{}, jwks: []byte(`{"keys":[]}`)})
	k.joinCluster()
	return k
}

// MaxTokenLifetime is the longest lifetime a token signed by this keyring may have.
func (k *Keyring) MaxTokenLifetime() time.Duration { return k.opts.MaxTokenLifetime }

// Maintain creates the first key, schedules the successor of the current one, retires and
// deletes keys whose tokens have all expired, and republishes the JWKS.
//
// After writing it reads the keys back and publishes what the store holds: when several
// nodes create the same kid at once (two starting on an empty database), the store keeps
// the first key material (PutSigningKey never changes it), so every node ends up signing
// with that one. With several nodes it then tells the others to reload.
func (k *Keyring) Maintain(ctx context.Context) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.opts.Now().UTC()
	ks, err := k.st.SigningKeys(ctx)
	if err != nil {
		return err
	}
	before := len(ks)
	wrote := false
	if len(ks) == 0 {
		wrote = true
		nk, err := k.newKey(ctx, "1", now, now)
		if err != nil {
			return err
		}
		ks = append(ks, nk)
	}
	last := ks[len(ks)-1]
	// The successor: Overlap before the last key's period ends (or now, after downtime).
	if end := last.ActivateAt.Add(k.opts.Period); !now.Before(end.Add(-k.opts.Overlap)) {
		activate := end
		if activate.Before(now) {
			activate = now
		}
		wrote = true
		n, _ := strconv.Atoi(last.KID)
		nk, err := k.newKey(ctx, strconv.Itoa(n+1), now, activate)
		if err != nil {
			return err
		}
		ks = append(ks, nk)
	}
	// A key followed by another retires MaxTokenLifetime after the follower activates. This
	// also repairs a retirement lost when a Maintain failed between its two writes.
	for i := 0; i+1 < len(ks); i++ {
		if ks[i].RetireAt.IsZero() {
			wrote = true
			ks[i].RetireAt = ks[i+1].ActivateAt.Add(k.opts.MaxTokenLifetime)
			if err := k.st.PutSigningKey(ctx, ks[i]); err != nil {
				return err
			}
		}
	}
	deleted, err := k.st.DeleteRetiredSigningKeys(ctx, now)
	if err != nil {
		return err
	}
	if wrote || deleted > 0 {
		if ks, err = k.st.SigningKeys(ctx); err != nil {
			return err
		}
	}
	if err := k.publish(ks, now); err != nil {
		return err
	}
	if wrote || deleted > 0 || len(ks) != before {
		k.announce(ctx)
	}
	return nil
}

func (k *Keyring) newKey(ctx context.Context, kid string, created, activate time.Time) (org.SigningKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return org.SigningKey{}, fmt.Errorf("session: generate signing key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return org.SigningKey{}, fmt.Errorf("session: encode signing key: %w", err)
	}
	sk := org.SigningKey{KID: kid, PrivateDER: der, CreatedAt: created.Truncate(time.Millisecond),
		ActivateAt: activate.Truncate(time.Millisecond)}
	if err := k.st.PutSigningKey(ctx, sk); err != nil {
		return org.SigningKey{}, err
	}
	return sk, nil
}

// jwk is one RFC 7517 §4 / RFC 7518 §6.3.1 RSA public key, in Salesforce's shape (§4.6).
type jwk struct {
	Kty string `json:"kty"`
	N   string `json:"n"`
	E   string `json:"e"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	Kid string `json:"kid"`
}

func (k *Keyring) publish(ks []org.SigningKey, now time.Time) error {
	s := &keySnapshot{byKID: map[string]*rsa.PublicKey{}}
	set := struct {
		Keys []jwk `json:"keys"`
	}{Keys: []jwk{}}
	for _, sk := range ks {
		if !sk.RetireAt.IsZero() && !now.Before(sk.RetireAt) {
			continue
		}
		p, err := x509.ParsePKCS8PrivateKey(sk.PrivateDER)
		priv, ok := p.(*rsa.PrivateKey)
		if err != nil || !ok {
			return fmt.Errorf("session: signing key %s is not an RSA PKCS #8 key", sk.KID)
		}
		s.keys = append(s.keys, liveKey{kid: sk.KID, activate: sk.ActivateAt, priv: priv})
		s.byKID[sk.KID] = &priv.PublicKey
		set.Keys = append(set.Keys, jwk{Kty: "RSA", Alg: "RS256", Use: "sig", Kid: sk.KID,
			N: base64.RawURLEncoding.EncodeToString(priv.N.Bytes()),
			E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(priv.E)).Bytes())})
	}
	b, err := json.Marshal(set)
	if err != nil {
		return err
	}
	s.jwks = b
	k.snap.Store(s)
	return nil
}

// JWKS returns the published JWK Set document.
func (k *Keyring) JWKS() []byte { return k.snap.Load().jwks }

// signer returns the key that signs at now: the published key activated last.
func (k *Keyring) signer(now time.Time) (liveKey, bool) {
	s := k.snap.Load()
	for i := len(s.keys) - 1; i >= 0; i-- {
		if !now.Before(s.keys[i].activate) {
			return s.keys[i], true
		}
	}
	return liveKey{}, false
}

// publicKey returns the published key with kid. With several nodes, a kid this node does
// not know may be a key another node created moments ago: the keys are then read again,
// at most once a second (unknownKID).
func (k *Keyring) publicKey(kid string) *rsa.PublicKey {
	if p := k.snap.Load().byKID[kid]; p != nil || !k.shared {
		return p
	}
	return k.unknownKID(kid)
}
