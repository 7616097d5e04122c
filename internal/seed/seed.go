// Package seed inserts the seed records of an org file (docs/org-file.md "records") once
// orgfile.Apply has committed the Setup they rely on: through package dml, so a seed is
// validated exactly as a REST create is, and stamped like one.
//
// Seeds are written as the org's first user (the earliest created, normally the one the
// file lists first) with full access — the way a data load by an administrator would be —
// and owned by that user unless they set OwnerId. All the pending seeds of an org are
// inserted in one transaction; the refs are remembered afterwards in a second one, so a
// crash between the two can seed a record twice (documented in docs/org-file.md).
package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgfile"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Catalogs gives an org's objects (directory.Directory).
type Catalogs interface {
	Catalog(ctx context.Context, orgID sfid.ID) (*schema.Catalog, error)
}

// Insert inserts the pending seeds of every org of an applied file and returns how many
// records it created. now is the server's time; each org's records carry its own time
// (now plus the org's clock offset: time travel).
func Insert(ctx context.Context, setup store.Setup, rs records.Store, cats Catalogs, seeds []orgfile.OrgSeeds, now time.Time) (int, error) {
	total := 0
	for _, os := range seeds {
		n, err := insertOrg(ctx, setup, rs, cats, os, now)
		if err != nil {
			return total, fmt.Errorf("seed records of org %s: %w", os.Org, err)
		}
		total += n
	}
	return total, nil
}

func insertOrg(ctx context.Context, setup store.Setup, rs records.Store, cats Catalogs, os orgfile.OrgSeeds, now time.Time) (int, error) {
	pending, err := os.Pending(ctx, setup)
	if err != nil || len(pending) == 0 {
		return 0, err
	}
	o, err := setup.Org(ctx, os.OrgID)
	if err != nil {
		return 0, err
	}
	now = now.Add(o.ClockOffset)
	cat, err := cats.Catalog(ctx, os.OrgID)
	if err != nil {
		return 0, err
	}
	if err := rs.Sync(ctx, os.OrgID, cat); err != nil {
		return 0, err
	}
	users, err := setup.Users(ctx, os.OrgID)
	if err != nil {
		return 0, err
	}
	if len(users) == 0 {
		return 0, errors.New("the org has no user to create seed records as")
	}
	first := users[0]
	for _, u := range users[1:] {
		if u.CreatedAt.Before(first.CreatedAt) {
			first = u
		}
	}
	admin := org.Principal{User: first, Profile: org.Profile{Permissions: []string{"ModifyAllData"}}}
	env := &dml.Env{OrgID: os.OrgID, UserID: first.ID, Cat: cat, Acc: access.New(admin), Now: now.UTC().Truncate(time.Millisecond)}

	refs := map[string]sfid.ID{}
	lookup := func(ref string) (sfid.ID, bool) {
		if id, ok := refs[ref]; ok {
			return id, true
		}
		id, err := setup.SeededRecord(ctx, os.OrgID, ref)
		return id, err == nil
	}
	err = rs.Write(ctx, os.OrgID, func(tx records.Tx) error {
		for _, s := range pending {
			obj, ok := cat.Object(s.Object)
			if !ok {
				return fmt.Errorf("line %d: no object %s", s.Line, s.Object)
			}
			fields, err := s.Resolve(lookup)
			if err != nil {
				return fmt.Errorf("line %d: %w", s.Line, err)
			}
			in, err := input(fields)
			if err != nil {
				return fmt.Errorf("line %d: %w", s.Line, err)
			}
			id, err := dml.Create(ctx, tx, env, obj, in)
			if err != nil {
				var ae *apierror.Error
				if errors.As(err, &ae) {
					return fmt.Errorf("line %d: %s record: %s: %s", s.Line, obj.Name, ae.Code, ae.Message)
				}
				return err
			}
			if s.Ref != "" {
				refs[s.Ref] = id
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if len(refs) > 0 {
		err = setup.UpdateSetup(ctx, func(w store.SetupWriter) error {
			for _, s := range pending {
				if id, ok := refs[s.Ref]; ok && s.Ref != "" {
					if err := w.PutSeededRecord(ctx, os.OrgID, s.Ref, id); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	return len(pending), err
}

// input turns seed fields into a REST body (keys sorted, so errors are deterministic).
func input(fields map[string]any) (dml.Input, error) {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	in := make(dml.Input, 0, len(keys))
	for _, k := range keys {
		raw, err := json.Marshal(fields[k])
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", k, err)
		}
		in = append(in, dml.Field{Name: k, Raw: raw})
	}
	return in, nil
}
