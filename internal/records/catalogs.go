package records

import (
	"context"
	"sync"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// CatalogSource gives an org's objects (directory.Directory implements it, cached).
type CatalogSource interface {
	Catalog(ctx context.Context, orgID sfid.ID) (*schema.Catalog, error)
}

// Catalogs gives an org's objects with their storage brought in line with them: the first
// time a catalog is seen (the directory builds a new one after every Setup change), Sync
// runs. Every user of records — the data API, the Bulk API engine — reads catalogs
// through one Catalogs, so a new custom field has its column before anyone writes it.
type Catalogs struct {
	st     Store
	src    CatalogSource
	synced sync.Map // *schema.Catalog → struct{}: storage already matches it
}

// NewCatalogs returns Catalogs over st and src.
func NewCatalogs(st Store, src CatalogSource) *Catalogs { return &Catalogs{st: st, src: src} }

// Catalog returns org's objects, synced.
func (c *Catalogs) Catalog(ctx context.Context, orgID sfid.ID) (*schema.Catalog, error) {
	cat, err := c.src.Catalog(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if _, ok := c.synced.Load(cat); !ok {
		if err := c.st.Sync(ctx, orgID, cat); err != nil {
			return nil, err
		}
		c.synced.Store(cat, struct{}{})
	}
	return cat, nil
}
