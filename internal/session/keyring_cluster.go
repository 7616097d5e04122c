package session

// Signing keys with several nodes (issue 12 §3). Every node verifies tokens signed by
// keys any node created, and all sign with the same keys:
//
//   - Maintain writes keys on the node Timers.Due picks each period (internal/server);
//     the others Reload: they read the keys and publish them, writing nothing;
//   - a node that wrote keys publishes "keys" and the others reload at once (and after a
//     cluster.Resync), so a new key is known everywhere within milliseconds — normally an
//     hour (Overlap) before it signs anything;
//   - a token whose kid a node does not know makes it reload, at most once a second, in
//     case the notice has not arrived yet;
//   - two nodes creating the same kid at once (an empty database) end with one key:
//     Maintain publishes what the store kept (keyring.go).

import (
	"context"
	"crypto/rsa"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
)

// keysTopic is the notice a node publishes after changing the signing keys.
const keysTopic = "keys"

func (k *Keyring) joinCluster() {
	if !cluster.Shared(k.opts.Cluster) {
		return
	}
	k.shared = true
	k.opts.Cluster.Subscribe(keysTopic, func(string) { k.reloadSoon() })
}

// announce tells the other nodes that the keys changed.
func (k *Keyring) announce(ctx context.Context) {
	if !k.shared {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = k.opts.Cluster.Publish(ctx, keysTopic, "changed") // lost: the next Reload or unknown kid repairs it
}

// Reload reads the signing keys and publishes them, writing nothing: what a node does
// when another node maintains the keys.
func (k *Keyring) Reload(ctx context.Context) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	ks, err := k.st.SigningKeys(ctx)
	if err != nil {
		return err
	}
	return k.publish(ks, k.opts.Now().UTC())
}

// reloadSoon reloads on a goroutine of its own (notices must not block), coalescing
// notices that arrive while a reload runs into one more reload after it.
func (k *Keyring) reloadSoon() {
	k.dirty.Store(true)
	if !k.reloading.CompareAndSwap(false, true) {
		return // the running goroutine sees dirty
	}
	go func() {
		for {
			for k.dirty.Swap(false) {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				_ = k.Reload(ctx) // failed: the rotation check reloads within a minute
				cancel()
			}
			k.reloading.Store(false)
			// A notice between the last Swap and the Store found reloading still set.
			if !k.dirty.Load() || !k.reloading.CompareAndSwap(false, true) {
				return
			}
		}
	}()
}

// unknownKID reloads the keys for a kid not in the snapshot, unless a reload for that
// reason ran in the last second, and returns its key if it is there now.
func (k *Keyring) unknownKID(kid string) *rsa.PublicKey {
	now := time.Now().UnixNano()
	last := k.missAt.Load()
	if now-last < int64(time.Second) || !k.missAt.CompareAndSwap(last, now) {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := k.Reload(ctx); err != nil {
		return nil
	}
	return k.snap.Load().byKID[kid]
}
