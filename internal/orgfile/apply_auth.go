package orgfile

import (
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/password"
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

// keepOrHash returns the stored hash when the file omits the secret (so a password set
// with forcefield set-password survives the next apply) or when the stored hash already
// matches it (so applying a file twice changes nothing); otherwise a new hash.
func keepOrHash(stored, plain string) string {
	if plain == "" {
		return stored
	}
	if ok, _ := password.Verify(stored, plain); ok {
		return stored
	}
	return password.Hash(plain)
}

// lower returns the names in lower case (usernames are stored lower case).
func lower(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(n)
	}
	return out
}
