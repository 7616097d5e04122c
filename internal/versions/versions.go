// Package versions lists the REST API versions Forcefield serves and names their releases.
// Salesforce ships three releases a year; version 20.0 was Winter '11, and each later
// version is the next release (Winter, Spring, Summer). Clients require every version to be
// two digits followed by ".0" (sfdx-core validates /^[1-9]\d\.0$/; the reference
// salesforce-rest.md §2).
package versions

import (
	"fmt"
	"strconv"
	"strings"
)

// Oldest and newest versions served.
const (
	Oldest = 20
	Newest = 67 // Summer '26
)

// Latest is the newest version as a string, e.g. "67.0".
var Latest = fmt.Sprintf("%d.0", Newest)

// Version is one entry of GET /services/data.
type Version struct {
	Label   string `json:"label"`
	URL     string `json:"url"`
	Version string `json:"version"`
}

// Label returns the release name of a major version, e.g. 59 → "Winter '24".
func Label(major int) string {
	n := major - Oldest
	season := [...]string{"Winter", "Spring", "Summer"}[n%3]
	return fmt.Sprintf("%s '%02d", season, 11+n/3)
}

// All returns every served version, oldest first.
func All() []Version {
	out := make([]Version, 0, Newest-Oldest+1)
	for v := Oldest; v <= Newest; v++ {
		out = append(out, Version{Label: Label(v), URL: fmt.Sprintf("/services/data/v%d.0", v), Version: fmt.Sprintf("%d.0", v)})
	}
	return out
}

// Valid reports whether s (e.g. "59.0") is a served version.
func Valid(s string) bool {
	major, ok := strings.CutSuffix(s, ".0")
	if !ok || len(major) != 2 {
		return false
	}
	n, err := strconv.Atoi(major)
	return err == nil && n >= Oldest && n <= Newest
}

// FromPath parses a path segment such as "v59.0" and returns "59.0".
func FromPath(seg string) (string, bool) {
	v, ok := strings.CutPrefix(seg, "v")
	if !ok || !Valid(v) {
		return "", false
	}
	return v, true
}
