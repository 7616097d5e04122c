package orgfile

import (
	"fmt"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// audit records a created or updated object in the setup audit trail, in the apply's
// transaction; an unchanged object records nothing.
func (a *applier) audit(orgID sfid.ID, isNew, same bool, section, kind, name string, id sfid.ID) error {
	switch {
	case isNew:
		return a.record(orgID, org.AuditCreated, section, id, fmt.Sprintf("Created %s %s", kind, name))
	case !same:
		return a.record(orgID, org.AuditUpdated, section, id, fmt.Sprintf("Changed %s %s", kind, name))
	}
	return nil
}

func (a *applier) record(orgID sfid.ID, action, section string, id sfid.ID, display string) error {
	return a.w.AddSetupAudit(a.ctx, &org.SetupAuditEvent{OrgID: orgID, CreatedDate: a.at, CreatedBy: a.actor,
		Action: action, Section: section, ObjectID: id, Display: display})
}

// deactivated records that the apply deactivated u, whose sessions then end.
func (a *applier) deactivated(u org.User) error {
	a.endSessions(u.ID)
	return a.record(u.OrgID, org.AuditDeactivatedUser, org.AuditSectionUsers, u.ID,
		fmt.Sprintf("Deactivated user %s: all of the user's sessions end", u.Username))
}

// credentialsChanged records that an apply changed a user's password (without the secret)
// and ends the user's sessions once the apply commits.
func (a *applier) credentialsChanged(u org.User) error {
	a.endSessions(u.ID)
	return a.record(u.OrgID, org.AuditChangedUserCredentials, org.AuditSectionUsers, u.ID,
		fmt.Sprintf("Changed the login credentials of user %s: all of the user's sessions end", u.Username))
}

// endSessions asks the caller to end every session of a user once the apply commits:
// after a deactivation or a password change.
func (a *applier) endSessions(userID sfid.ID) {
	for _, id := range a.res.EndSessions {
		if id == userID {
			return
		}
	}
	a.res.EndSessions = append(a.res.EndSessions, userID)
}
