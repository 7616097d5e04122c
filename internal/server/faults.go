package server

import (
	"context"
	"fmt"
	"strings"

	"github.com/forcefield/forcefield/internal/cluster"
	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/orgfile"
)

// openFaults starts the faults on demand of this node (issue 14 §1): the engine every
// hook asks, reloaded when another node changes the faults, and the org file's faults
// installed with each apply. cfg.noFaults (benchmarks only) leaves the engine nil: the
// hooks are then as if they were not there.
func (s *Server) openFaults(ctx context.Context, cl cluster.Coordinator) (err error) {
	if s.cfg.noFaults {
		return nil
	}
	s.faults, err = faults.New(ctx, faults.Config{Store: s.st, Cluster: cl, Now: s.clock.Org,
		Logger: s.cfg.Logger, OnHit: func(f faults.Family, a faults.Answer) { s.metrics.FaultHit(string(f), string(a)) }})
	if err != nil {
		return err
	}
	s.setup.Faults = s.installOrgFileFaults
	return nil
}

// installOrgFileFaults installs the faults an applied org file declares (setup.Service.Faults):
// per org of the file, they replace the faults the file declared before (issue 14 §1;
// docs/testing.md), with their apps and users resolved by name in the org.
func (s *Server) installOrgFileFaults(ctx context.Context, ofs []orgfile.OrgFaults) error {
	for _, of := range ofs {
		now := s.faults.OrgNow(of.OrgID)
		fs := make([]faults.Fault, 0, len(of.Faults))
		for i, spec := range of.Faults {
			f, err := spec.Build(now)
			if err != nil {
				return fmt.Errorf("faults[%d]: %w", i, err)
			}
			if spec.App != "" {
				apps, err := s.st.ConnectedApps(ctx, of.OrgID)
				if err != nil {
					return err
				}
				for _, a := range apps {
					if a.Name == spec.App {
						f.AppID = a.ID
					}
				}
				if f.AppID == "" {
					return fmt.Errorf("faults[%d]: no connected app %q", i, spec.App)
				}
			}
			if spec.User != "" {
				u, err := s.st.UserByUsername(ctx, strings.ToLower(spec.User))
				if err != nil || u.OrgID != of.OrgID {
					return fmt.Errorf("faults[%d]: no user %q in the org", i, spec.User)
				}
				f.UserID = u.ID
			}
			fs = append(fs, f)
		}
		if err := s.faults.ReplaceOrgFile(ctx, of.OrgID, fs); err != nil {
			return err
		}
	}
	return nil
}
