package org

import (
	"net/netip"
	"slices"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

// Salesforce's default password policy (Setup → Password Policies): "Maximum invalid login
// attempts" 10 and "Lockout effective period" 15 minutes.
const (
	DefaultLockoutAttempts = 10
	DefaultLockoutMinutes  = 15
)

// PasswordPolicy is an org's password and username-password flow settings.
type PasswordPolicy struct {
	// DisableUsernamePasswordFlow is the negation of "Allow OAuth Username-Password
	// Flows" (the reference §1.5): Forcefield allows the flow unless an org turns it off.
	DisableUsernamePasswordFlow bool
	LockoutAttempts             int // 0 means DefaultLockoutAttempts
	LockoutMinutes              int // 0 means DefaultLockoutMinutes
}

// MaxAttempts returns the number of invalid logins that lock a user out.
func (p PasswordPolicy) MaxAttempts() int {
	if p.LockoutAttempts > 0 {
		return p.LockoutAttempts
	}
	return DefaultLockoutAttempts
}

// LockoutPeriod returns how long a lockout lasts.
func (p PasswordPolicy) LockoutPeriod() time.Duration {
	if p.LockoutMinutes > 0 {
		return time.Duration(p.LockoutMinutes) * time.Minute
	}
	return DefaultLockoutMinutes * time.Minute
}

// Lockout is a user's invalid-login state: failures since the last success or lockout,
// and the end of the current lockout (zero when not locked).
type Lockout struct {
	Failures    int
	LockedUntil time.Time
}

// Locked reports whether the user is locked out at now.
func (l Lockout) Locked(now time.Time) bool { return now.Before(l.LockedUntil) }

// IPRange is one profile login IP range (Profile → Login IP Ranges): start and end
// addresses, inclusive, of the same family.
type IPRange struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Contains reports whether addr lies in the range. Unparsable values contain nothing.
func (r IPRange) Contains(addr netip.Addr) bool {
	lo, err1 := netip.ParseAddr(r.Start)
	hi, err2 := netip.ParseAddr(r.End)
	if err1 != nil || err2 != nil {
		return false
	}
	addr = addr.Unmap()
	return lo.Unmap().Compare(addr) <= 0 && addr.Compare(hi.Unmap()) <= 0
}

// IP relaxation policies of a connected app (ConnectedAppOauthPolicy.ipRelaxation, the
// reference §7.2). BYPASS_2FACTOR and ENFORCE_RELAXREFRESH are not modelled.
const (
	IPRelaxEnforce = "ENFORCE"
	IPRelaxBypass  = "BYPASS"
)

// LoginIPAllowed reports whether a login from ip is allowed by the user's profile login IP
// ranges, given the app's IP relaxation: with BYPASS the app's logins ignore the ranges;
// with ENFORCE (the default) an address outside every range is refused. A profile without
// ranges allows every address. An unparsable ip is refused when ranges apply.
func LoginIPAllowed(app ConnectedApp, profile Profile, ip string) bool {
	if app.IPRelaxation == IPRelaxBypass || len(profile.LoginIPRanges) == 0 {
		return true
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(profile.LoginIPRanges, func(r IPRange) bool { return r.Contains(addr) })
}

// Approved reports whether the user approved the app (the JWT bearer flow's prior
// approval for AllSelfAuthorized apps).
func Approved(app ConnectedApp, userID sfid.ID) bool {
	return slices.Contains(app.ApprovedUserIDs, userID)
}
