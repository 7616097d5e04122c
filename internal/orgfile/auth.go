package orgfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
)

// Rules for the JWT bearer and username-password keys (docs/org-file.md).

// orgAuth checks an org's password policy keys.
func (v *validator) orgAuth(o *Org, p string) {
	if o.MaxLoginAttempts < 0 || o.MaxLoginAttempts > 100 || (o.MaxLoginAttempts == 0 && v.f.has(p+".maxLoginAttempts")) {
		v.errorf(p+".maxLoginAttempts", "must be 1 to 100 (Salesforce's default is 10)")
	}
	if o.LockoutMinutes < 0 || o.LockoutMinutes > 24*60 || (o.LockoutMinutes == 0 && v.f.has(p+".lockoutMinutes")) {
		v.errorf(p+".lockoutMinutes", "must be 1 to 1440 minutes (Salesforce's default is 15)")
	}
}

// profileAuth checks a profile's login IP ranges.
func (v *validator) profileAuth(pr Profile, p string) {
	for i, r := range pr.LoginIPRanges {
		rp := fmt.Sprintf("%s.loginIpRanges[%d]", p, i)
		part, err := org.IPRange{Start: r.Start, End: r.End}.Check()
		switch {
		case err == nil:
		case part != "":
			v.errorf(rp+"."+part, "%v", err)
		default:
			v.errorf(rp, "%v", err)
		}
	}
}

// userAuth checks a user's password and security token.
func (v *validator) userAuth(u *User, p string) {
	if u.Password != "" && (len(u.Password) < 8 || len(u.Password) > 256) {
		v.errorf(p+".password", "must be 8 to 256 characters")
	}
	if u.SecurityToken != "" && (len(u.SecurityToken) != org.SecurityTokenLen || !credentialShaped(u.SecurityToken)) {
		v.errorf(p+".securityToken", "must be %d letters and digits, like Salesforce's security tokens", org.SecurityTokenLen)
	}
	if u.SecurityToken != "" && u.Password == "" {
		v.errorf(p+".securityToken", "a security token needs a password")
	}
}

// appAuth checks an app's certificates (reading the ones given as file paths, relative to
// the org file, into the File), approved users and IP relaxation.
func (v *validator) appAuth(o *Org, a *ConnectedApp, p string, users map[string]string) {
	for i, c := range a.Certificates {
		cp := fmt.Sprintf("%s.certificates[%d]", p, i)
		if !strings.Contains(c, "-----BEGIN") {
			path := c
			if !filepath.IsAbs(path) {
				path = filepath.Join(filepath.Dir(v.f.Name), path)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				v.errorf(cp, "certificate file: %v", err)
				continue
			}
			c = string(data)
			a.Certificates[i] = c
		}
		if _, err := org.RSACertificateKey(c); err != nil {
			v.errorf(cp, "%v", err)
		}
	}
	v.names(p+".approvedUsers", a.ApprovedUsers, "user", func(n string) error {
		if _, ok := users[strings.ToLower(n)]; ok {
			return nil
		}
		return fmt.Errorf("no user %q in org %q", n, o.Name)
	})
	switch a.IPRelaxation {
	case "", org.IPRelaxEnforce, org.IPRelaxBypass:
	default:
		v.errorf(p+".ipRelaxation", "%q is not an IP relaxation policy: use %s or %s", a.IPRelaxation, org.IPRelaxEnforce, org.IPRelaxBypass)
	}
}
