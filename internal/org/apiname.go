package org

import (
	"regexp"
	"strings"
)

// APIName is the app's API Name: its DeveloperName, or when none was set the one
// Salesforce derives from the name (DeriveDeveloperName).
func (a ConnectedApp) APIName() string {
	if a.DeveloperName != "" {
		return a.DeveloperName
	}
	return DeriveDeveloperName(a.Name)
}

// DeriveDeveloperName is the API Name Salesforce fills in from a label: letters, digits
// and underscores only, starting with a letter, no double or trailing underscore
// (Salesforce: "The API Name can contain only underscores and alphanumeric characters. It
// must be unique, begin with a letter, not include spaces, not end with an underscore, and
// not contain two consecutive underscores"). A label with no letter or digit has none ("").
func DeriveDeveloperName(label string) string {
	s := nonWord.ReplaceAllString(label, "_")
	s = strings.Trim(underscores.ReplaceAllString(s, "_"), "_")
	if s == "" {
		return ""
	}
	if c := s[0]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
		s = "X" + s
	}
	return s
}

// MaxDeveloperName is the longest API Name (Salesforce's developer names: 80 characters).
const MaxDeveloperName = 80

// CheckDeveloperName returns what is wrong with an API Name, "" when nothing is.
func CheckDeveloperName(s string) string {
	switch {
	case s == "":
		return "You must enter a value"
	case len(s) > MaxDeveloperName:
		return "at most 80 characters"
	case !developerNameRE.MatchString(s):
		return "can contain only underscores and alphanumeric characters, must begin with a letter"
	case strings.Contains(s, "__"):
		return "must not contain two consecutive underscores"
	case strings.HasSuffix(s, "_"):
		return "must not end with an underscore"
	}
	return ""
}

var (
	nonWord         = regexp.MustCompile(`[^A-Za-z0-9]+`)
	underscores     = regexp.MustCompile(`_+`)
	developerNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
)
