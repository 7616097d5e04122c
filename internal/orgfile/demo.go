package orgfile

import _ "embed"

//go:embed demo.yaml
var demoYAML []byte

// Demo returns the demo org file (demo.yaml): org "Demo" with an API-only integration
// profile, an integration user and a client credentials connected app that runs as that
// user. It names no consumer key or secret, so the first Apply generates them. Each call
// returns a new File.
func Demo() *File {
	f, err := Parse("demo.yaml", demoYAML)
	if err != nil {
		panic("orgfile: the embedded demo file is invalid: " + err.Error())
	}
	return f
}
