// Package directory is a read-through, in-memory cache of Setup objects for the hot paths:
// the token endpoint looks up consumer credentials and apps, and every API request needs
// its user's profile, permission sets and org. Setup changes are rare, so any write made
// through Directory.UpdateSetup drops the whole cache; a generation counter keeps a load
// that raced with a write from caching what it read before the write.
//
// With several nodes (Share), Invalidate also tells the other nodes, which drop their
// caches on the notice — within milliseconds, after the change committed; a cluster.Resync
// drops the cache too. If a node dies between committing a Setup change and publishing,
// the others keep the old objects until the next periodic Resync (a minute on
// PostgreSQL), which costs each node one reload of the Setup objects it uses.
package directory

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Directory caches a store.Setup. It is safe for concurrent use.
type Directory struct {
	st store.Setup
	cl cluster.Notifier // nil on one node (Share)

	mu         sync.RWMutex
	gen        uint64
	creds      map[string][]org.Credential
	apps       map[sfid.ID]org.ConnectedApp
	orgs       map[sfid.ID]org.Org
	principals map[sfid.ID]org.Principal
	usernames  map[string]sfid.ID
	catalogs   map[sfid.ID]*schema.Catalog
}

// New returns a Directory over st.
func New(st store.Setup) *Directory {
	d := &Directory{st: st}
	d.reset()
	return d
}

func (d *Directory) reset() {
	d.creds = map[string][]org.Credential{}
	d.apps = map[sfid.ID]org.ConnectedApp{}
	d.orgs = map[sfid.ID]org.Org{}
	d.principals = map[sfid.ID]org.Principal{}
	d.usernames = map[string]sfid.ID{}
	d.catalogs = map[sfid.ID]*schema.Catalog{}
}

// setupTopic is the notice of a Setup change.
const setupTopic = "setup"

// Share makes the cache one of several nodes' over the same store (see the package
// comment). Call it before use; it does nothing when c is one node.
func (d *Directory) Share(c cluster.Coordinator) {
	if !cluster.Shared(c) {
		return
	}
	d.cl = c
	c.Subscribe(setupTopic, func(string) { d.drop() })
}

// Invalidate drops everything cached, on every node.
func (d *Directory) Invalidate() {
	d.drop()
	if d.cl != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = d.cl.Publish(ctx, setupTopic, "") // lost: the others drop theirs at the next Resync
	}
}

// drop drops everything this node caches.
func (d *Directory) drop() {
	d.mu.Lock()
	d.gen++
	d.reset()
	d.mu.Unlock()
}

// UpdateSetup runs fn in a store transaction and then invalidates the cache.
func (d *Directory) UpdateSetup(ctx context.Context, fn func(store.SetupWriter) error) error {
	err := d.st.UpdateSetup(ctx, fn)
	d.Invalidate()
	return err
}

// Store returns the underlying store.
func (d *Directory) Store() store.Setup { return d.st }

// cached implements the read-through pattern for one map.
func cached[K comparable, V any](d *Directory, m func() map[K]V, key K, load func() (V, error)) (V, error) {
	d.mu.RLock()
	v, ok := m()[key]
	gen := d.gen
	d.mu.RUnlock()
	if ok {
		return v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	d.mu.Lock()
	if d.gen == gen {
		m()[key] = v
	}
	d.mu.Unlock()
	return v, nil
}

// Credentials returns the consumer key/secret pairs carrying key (none is not an error).
func (d *Directory) Credentials(ctx context.Context, key string) ([]org.Credential, error) {
	return cached(d, func() map[string][]org.Credential { return d.creds }, key, func() ([]org.Credential, error) {
		return d.st.CredentialsByKey(ctx, key)
	})
}

// App returns a connected app.
func (d *Directory) App(ctx context.Context, id sfid.ID) (org.ConnectedApp, error) {
	return cached(d, func() map[sfid.ID]org.ConnectedApp { return d.apps }, id, func() (org.ConnectedApp, error) {
		return d.st.ConnectedApp(ctx, id)
	})
}

// Org returns an org.
func (d *Directory) Org(ctx context.Context, id sfid.ID) (org.Org, error) {
	return cached(d, func() map[sfid.ID]org.Org { return d.orgs }, id, func() (org.Org, error) {
		return d.st.Org(ctx, id)
	})
}

// Principal returns a user with their profile and permission sets.
func (d *Directory) Principal(ctx context.Context, userID sfid.ID) (org.Principal, error) {
	return cached(d, func() map[sfid.ID]org.Principal { return d.principals }, userID, func() (org.Principal, error) {
		u, err := d.st.User(ctx, userID)
		if err != nil {
			return org.Principal{}, err
		}
		p := org.Principal{User: u}
		if p.Profile, err = d.st.Profile(ctx, u.ProfileID); err != nil {
			return org.Principal{}, err
		}
		for _, id := range u.PermissionSetIDs {
			ps, err := d.st.PermissionSet(ctx, id)
			if err != nil {
				return org.Principal{}, err
			}
			p.PermSets = append(p.PermSets, ps)
		}
		return p, nil
	})
}

// UserID returns the ID of the user with a username (as stored: lower case). Unknown
// usernames are not cached, so a flood of them cannot grow the cache.
func (d *Directory) UserID(ctx context.Context, username string) (sfid.ID, error) {
	return cached(d, func() map[string]sfid.ID { return d.usernames }, username, func() (sfid.ID, error) {
		u, err := d.st.UserByUsername(ctx, username)
		return u.ID, err
	})
}

// Catalog returns an org's objects: the standard ones plus the custom objects and fields
// its org file defines (a spec whose name is a standard object's adds custom fields to
// it). A Setup change builds a new Catalog, so callers can key work on the pointer.
func (d *Directory) Catalog(ctx context.Context, orgID sfid.ID) (*schema.Catalog, error) {
	return cached(d, func() map[sfid.ID]*schema.Catalog { return d.catalogs }, orgID, func() (*schema.Catalog, error) {
		specs, err := d.st.CustomObjects(ctx, orgID)
		if err != nil {
			return nil, err
		}
		var custom []schema.ObjectSpec
		extra := map[string][]schema.FieldSpec{}
		for _, s := range specs {
			if strings.HasSuffix(strings.ToLower(s.Name), "__c") {
				custom = append(custom, s)
			} else {
				extra[s.Name] = append(extra[s.Name], s.Fields...)
			}
		}
		cat, err := schema.NewOrgCatalog(custom, extra)
		if err != nil {
			return nil, fmt.Errorf("org %s objects: %w", orgID, err)
		}
		return cat, nil
	})
}
