package setup

import (
	"context"
	"fmt"

	"github.com/forcefield/forcefield/internal/orgfile"
)

// ApplyOrgFile applies an org file (package orgfile) as one change: all or nothing, an
// audit row per object created or updated, the sessions and refresh tokens of users it
// deactivates or gives new credentials ended, then its seed records inserted. An invalid
// file changes nothing and returns orgfile.Errors (every problem with its line). seeded
// counts the seed records inserted.
//
// The start-up apply and POST /forcefield/admin/apply both come here, so the two no longer
// differ in how they end sessions (issue 11 §2).
func (s *Service) ApplyOrgFile(ctx context.Context, actor Actor, f *orgfile.File) (res *orgfile.Result, seeded int, err error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	err = s.Update(ctx, actor, func(tx *Tx) error {
		r, err := orgfile.ApplyIn(ctx, tx, f, actor.Name, tx.Now())
		if err != nil {
			return err
		}
		for _, id := range r.EndSessions {
			tx.EndSessions(id)
		}
		res = r
		return applyClocks(tx, f)
	})
	if err != nil {
		return nil, 0, err
	}
	if s.Seed != nil {
		if seeded, err = s.Seed(ctx, res.Seeds); err != nil {
			return res, 0, &Error{Kind: Invalid, Message: fmt.Sprintf("the org file was applied, but its seed records were not: %v", err)}
		}
	}
	if s.Faults != nil {
		// Every org of the file, faults or none: applying replaces the file's faults.
		var ofs []orgfile.OrgFaults
		for _, fo := range f.Orgs {
			o, err := s.Store().OrgByName(ctx, fo.Name)
			if err != nil {
				return res, seeded, fmt.Errorf("reading org %s: %w", fo.Name, err)
			}
			ofs = append(ofs, orgfile.OrgFaults{OrgID: o.ID, Faults: fo.Faults})
		}
		if err := s.Faults(ctx, ofs); err != nil {
			return res, seeded, &Error{Kind: Invalid, Message: fmt.Sprintf("the org file was applied, but its faults were not: %v", err)}
		}
	}
	return res, seeded, nil
}

// applyClocks sets the clock offset of each org whose entry has clockOffset, through the
// admin API's path (setClock: validation, audit row); an org without the key keeps its
// offset.
func applyClocks(tx *Tx, f *orgfile.File) error {
	for _, fo := range f.Orgs {
		offset, set, err := fo.Clock()
		if err != nil || !set {
			continue // Validate reported it
		}
		o, err := tx.OrgByName(tx.ctx, fo.Name)
		if err != nil {
			return fmt.Errorf("org file: org %q: %w", fo.Name, err)
		}
		if _, err := setClock(tx, o, offset); err != nil {
			return err
		}
	}
	return nil
}
