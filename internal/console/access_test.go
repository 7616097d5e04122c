package console

import (
	"testing"

	"github.com/forcefield/forcefield/internal/org"
)

// Who may see and change what (issue 11 §3): the permission table of console.go, from the
// profile and from permission sets alike.
func TestViewerAllows(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		profile, permSet        []string
		view, manageUsers, apps bool
	}{
		{"modify all data", []string{"ModifyAllData"}, nil, true, true, true},
		{"manage users", []string{"ManageUsers"}, nil, true, true, false},
		{"customize application", []string{"CustomizeApplication"}, nil, true, false, true},
		{"view setup only", []string{"ViewSetup"}, nil, true, false, false},
		{"api only, no setup", []string{"ApiEnabled", "ApiUserOnly"}, nil, false, false, false},
		{"nothing", nil, nil, false, false, false},
		{"manage users from a permission set", []string{"ApiEnabled"}, []string{"ManageUsers"}, true, true, false},
		{"view setup from a permission set", nil, []string{"ViewSetup"}, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &Viewer{Principal: org.Principal{Profile: org.Profile{Permissions: tc.profile}}}
			if tc.permSet != nil {
				v.PermSets = []org.PermissionSet{{Permissions: tc.permSet}}
			}
			got := [3]bool{v.Allows(AccessView), v.Allows(AccessManageUsers), v.Allows(AccessCustomize)}
			want := [3]bool{tc.view, tc.manageUsers, tc.apps}
			if got != want {
				t.Errorf("view, manage users, customize = %v, want %v", got, want)
			}
		})
	}
}
