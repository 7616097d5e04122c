package orgfile

import (
	"strings"

	"github.com/forcefield/forcefield/internal/org"
)

// passwordPolicy is an org's password policy as the file declares it.
func passwordPolicy(fo *Org) org.PasswordPolicy {
	return org.PasswordPolicy{
		DisableUsernamePasswordFlow: fo.AllowUsernamePasswordFlow != nil && !*fo.AllowUsernamePasswordFlow,
		LockoutAttempts:             fo.MaxLoginAttempts,
		LockoutMinutes:              fo.LockoutMinutes,
	}
}

func ipRanges(rs []IPRange) []org.IPRange {
	var out []org.IPRange
	for _, r := range rs {
		out = append(out, org.IPRange{Start: r.Start, End: r.End})
	}
	return out
}

// lower returns the names in lower case (usernames are stored lower case).
func lower(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(n)
	}
	return out
}
