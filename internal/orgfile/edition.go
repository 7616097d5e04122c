package orgfile

import (
	"fmt"
	"slices"

	"github.com/forcefield/forcefield/internal/org"
)

// edition is the edition an org file's org declares, as stored: "" (the default,
// Enterprise) when the key is absent. Validate has checked the name.
func edition(fo *Org) org.Edition {
	e, err := org.ParseEdition(fo.Edition)
	if err != nil || fo.Edition == "" {
		return ""
	}
	return e
}

// edition checks an org's edition and what the edition does not offer: a Developer
// Edition org has no API Only User permission, so no profile or permission set of it may
// enable ApiUserOnly (seed 000: "The API Only User permission is only available for
// Enterprise Edition and above orgs and sandboxes. It is not available for Developer
// Edition non-sandbox orgs.").
func (v *validator) edition(o *Org, p string) {
	e, err := org.ParseEdition(o.Edition)
	if err != nil {
		v.errorf(p+".edition", "%v", err)
		return
	}
	if e.AllowsAPIOnlyUser() {
		return
	}
	refuse := func(path string, perms []string) {
		if i := slices.Index(perms, org.PermAPIUserOnly); i >= 0 {
			v.errorf(fmt.Sprintf("%s.permissions[%d]", path, i), "%v", org.APIOnlyUserRefusal(e))
		}
	}
	for i, pr := range o.Profiles {
		refuse(fmt.Sprintf("%s.profiles[%d]", p, i), pr.Permissions)
	}
	for i, ps := range o.PermissionSets {
		refuse(fmt.Sprintf("%s.permissionSets[%d]", p, i), ps.Permissions)
	}
}

// editionAllows refuses an apply that leaves a Developer Edition org with a profile or
// permission set enabling ApiUserOnly that the file does not declare (an apply keeps the
// org's other profiles and permission sets, so switching an org to Developer could
// otherwise keep one); validate has already refused the file's own.
func (a *applier) editionAllows(o org.Org, p string) error {
	if o.Edition.AllowsAPIOnlyUser() {
		return nil
	}
	profiles, err := a.w.Profiles(a.ctx, o.ID)
	if err != nil {
		return err
	}
	for _, pr := range profiles {
		if slices.Contains(pr.Permissions, org.PermAPIUserOnly) {
			a.errs = append(a.errs, a.f.errorf(p+".edition", "profile %q (in the store, not in this file): %v", pr.Name, org.APIOnlyUserRefusal(o.Edition)))
		}
	}
	sets, err := a.w.PermissionSets(a.ctx, o.ID)
	if err != nil {
		return err
	}
	for _, ps := range sets {
		if slices.Contains(ps.Permissions, org.PermAPIUserOnly) {
			a.errs = append(a.errs, a.f.errorf(p+".edition", "permission set %q (in the store, not in this file): %v", ps.Name, org.APIOnlyUserRefusal(o.Edition)))
		}
	}
	return nil
}
