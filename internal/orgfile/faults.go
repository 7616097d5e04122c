package orgfile

import (
	"fmt"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/faults"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Fault declares a fault on demand of the enclosing org (issue 14 §1, package faults;
// docs/testing.md): the next count requests of a route family (or a fraction of them, or
// all of them for a while) get answer.
//
//	faults:
//	  - {family: token, answer: SERVER_UNAVAILABLE, count: 2}
//	  - {family: rest, answer: UNABLE_TO_LOCK_ROW, fraction: 0.1, app: Nightly Sync}
//	  - {family: all, answer: delay, delay: 2s, for: 10m, user: int@acme.example}
//
// Applying the file (at start or through the admin API) replaces the faults the file
// declared before for that org — a count starts again — and leaves those injected
// through the admin API or CLI alone.
type Fault struct {
	Family   string  `yaml:"family"`
	Answer   string  `yaml:"answer"`
	Count    int     `yaml:"count"`
	Fraction float64 `yaml:"fraction"`
	For      string  `yaml:"for"`
	Delay    string  `yaml:"delay"`
	App      string  `yaml:"app"`  // a connected app of the org, by name
	User     string  `yaml:"user"` // a user of the org, by username
}

// OrgFaults are the faults of one org of an applied file, for the caller to install
// once the apply has committed (faults.Engine.ReplaceOrgFile): App and User still name
// the app and user.
type OrgFaults struct {
	OrgID  sfid.ID
	Faults []Fault
}

// Build returns the fault f declares for an org whose time is now, without its app and
// user (the caller resolves those).
func (f Fault) Build(now time.Time) (faults.Fault, error) {
	out := faults.Fault{Family: faults.Family(f.Family), Answer: faults.Answer(f.Answer), Count: f.Count, Fraction: f.Fraction,
		OrgID: "00D000000000000AAA"} // a placeholder so that Validate checks the rest
	d, err := faults.ParseDuration("for", f.For)
	if err != nil {
		return out, err
	}
	if d > 0 {
		out.Until = now.Add(d)
	}
	if out.Delay, err = faults.ParseDuration("delay", f.Delay); err != nil {
		return out, err
	}
	out.Normalize()
	if err := out.Validate(); err != nil {
		return out, err
	}
	out.OrgID = ""
	return out, nil
}

// faults checks an org's faults: each valid, and its app and user declared in the org.
func (v *validator) faults(o *Org, p string) {
	for i, f := range o.Faults {
		fp := fmt.Sprintf("%s.faults[%d]", p, i)
		if _, err := f.Build(time.Now()); err != nil {
			v.errorf(fp, "%v", err)
		}
		if f.App != "" {
			if _, ok := find(o.ConnectedApps, func(a ConnectedApp) bool { return a.Name == f.App }); !ok {
				v.errorf(fp+".app", "no connected app %q in org %q", f.App, o.Name)
			}
		}
		if f.User != "" {
			if _, ok := find(o.Users, func(u User) bool { return strings.EqualFold(u.Username, f.User) }); !ok {
				v.errorf(fp+".user", "no user %q in org %q", f.User, o.Name)
			}
		}
	}
}
