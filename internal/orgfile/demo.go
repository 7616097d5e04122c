package orgfile

import _ "embed"

//go:embed demo.yaml
var demoYAML []byte

// DemoAdmin is the username of the demo org's administrator, the user a newcomer logs in
// as with a browser.
const DemoAdmin = "admin@demo.forcefield.local"

// Demo returns the demo org file (demo.yaml): org "Demo" with an API-only integration
// profile, an integration user and a client credentials connected app that runs as that
// user, and an administrator (DemoAdmin, not API-only). It names no consumer key or
// secret, so the first Apply generates them, and no password: see DemoWithAdminPassword.
// Each call returns a new File.
func Demo() *File {
	f, err := Parse("demo.yaml", demoYAML)
	if err != nil {
		panic("orgfile: the embedded demo file is invalid: " + err.Error())
	}
	return f
}

// DemoWithAdminPassword returns Demo with the administrator's password set to pw, which
// Apply stores only as an argon2id hash (the server generates pw at first start and
// prints it once).
func DemoWithAdminPassword(pw string) *File {
	f := Demo()
	for i := range f.Orgs[0].Users {
		if f.Orgs[0].Users[i].Username == DemoAdmin {
			f.Orgs[0].Users[i].Password = pw
			return f
		}
	}
	panic("orgfile: the embedded demo file has no user " + DemoAdmin)
}
