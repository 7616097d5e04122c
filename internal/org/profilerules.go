package org

import (
	"fmt"
	"net/netip"
)

// Rules shared by every surface that writes a profile or permission set (the org file,
// the Setup service under the console and the admin API), kept here so that none repeats
// them.

// Check reports what is wrong with a login IP range (Salesforce's Login IP Ranges: both
// addresses of one family, start not after end), naming the part at fault: "start", "end"
// or "" for the range as a whole. A nil error means the range is valid.
func (r IPRange) Check() (part string, err error) {
	lo, err1 := netip.ParseAddr(r.Start)
	hi, err2 := netip.ParseAddr(r.End)
	switch {
	case err1 != nil:
		return "start", fmt.Errorf("%q is not an IP address", r.Start)
	case err2 != nil:
		return "end", fmt.Errorf("%q is not an IP address", r.End)
	case lo.Unmap().Is4() != hi.Unmap().Is4():
		return "", fmt.Errorf("start and end must both be IPv4 or both IPv6")
	case lo.Unmap().Compare(hi.Unmap()) > 0:
		return "", fmt.Errorf("start %s is after end %s", r.Start, r.End)
	}
	return "", nil
}

// Normalized applies Salesforce's object permission dependencies (what the profile page
// ticks for you): Modify All needs every other permission, Delete needs Edit, and Edit,
// Create and View All need Read.
func (m ObjectPermission) Normalized() ObjectPermission {
	if m.ModifyAll {
		m.ViewAll, m.Delete, m.Edit, m.Create, m.Read = true, true, true, true, true
	}
	if m.Delete {
		m.Edit = true
	}
	if m.Edit || m.Create || m.ViewAll {
		m.Read = true
	}
	return m
}

// Any reports whether the grant grants anything.
func (m ObjectPermission) Any() bool {
	return m.Read || m.Create || m.Edit || m.Delete || m.ViewAll || m.ModifyAll
}
