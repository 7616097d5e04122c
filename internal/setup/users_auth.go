package setup

// Users' logins: Freeze and Unfreeze (help.salesforce.com "Freeze or Unfreeze User
// Accounts", platform.users_freeze.htm; UserLogin.IsFrozen), passwords (Set, Reset),
// security tokens (Reset My Security Token, done by an admin) and Unlock (UserLogin.
// IsPasswordLocked: "you can set this field to false, but not true"). Neither a password
// nor a token is stored, logged or audited in plaintext; a generated one is returned once.

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/password"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/sfid"
)

// FreezeUser blocks every login of the user without deactivating them: the UI login, and
// a token from any flow, the client credentials flow of apps the user runs as included.
// Every session and refresh token of the user ends. Freezing a frozen user changes
// nothing; nobody freezes themselves.
func (s *Service) FreezeUser(ctx context.Context, actor Actor, orgID, userID sfid.ID) error {
	return s.setFrozen(ctx, actor, orgID, userID, true)
}

// UnfreezeUser lets a frozen user log in again.
func (s *Service) UnfreezeUser(ctx context.Context, actor Actor, orgID, userID sfid.ID) error {
	return s.setFrozen(ctx, actor, orgID, userID, false)
}

func (s *Service) setFrozen(ctx context.Context, actor Actor, orgID, userID sfid.ID, frozen bool) error {
	return s.Update(ctx, actor, func(tx *Tx) error {
		u, err := findUser(ctx, tx, orgID, userID)
		if err != nil {
			return err
		}
		if u.Frozen == frozen {
			return nil
		}
		if frozen && u.ID == actor.UserID {
			return Invalidf("You can't freeze your own user.")
		}
		u.Frozen = frozen
		if err := tx.PutUser(ctx, &u); err != nil {
			return err
		}
		if !frozen {
			return tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditUnfrozeUser, u.ID, fmt.Sprintf("Unfroze user %s", u.Username))
		}
		tx.EndSessions(u.ID)
		return tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditFrozeUser, u.ID,
			fmt.Sprintf("Froze user %s: all of the user's sessions end", u.Username))
	})
}

// SetPassword gives the user a password chosen by the admin (8 to 256 characters). As a
// reset does in Salesforce, it clears the user's invalid logins and any lockout, and every
// session and refresh token of the user ends (issue 4 §5; issue 10 §3).
func (s *Service) SetPassword(ctx context.Context, actor Actor, orgID, userID sfid.ID, pw string) error {
	if err := checkPassword(FieldPassword, pw); err != nil {
		return err
	}
	return s.setPassword(ctx, actor, orgID, userID, password.Hash(pw), "Changed the password of user %s: all of the user's sessions end")
}

// ResetPassword gives the user a new generated password and returns it, once (Setup →
// Users → Reset Password; Salesforce emails it, Forcefield shows it to the admin). The
// rest is SetPassword's.
func (s *Service) ResetPassword(ctx context.Context, actor Actor, orgID, userID sfid.ID) (string, error) {
	pw := secret.Password()
	if err := s.setPassword(ctx, actor, orgID, userID, password.Hash(pw), "Reset the password of user %s: all of the user's sessions end"); err != nil {
		return "", err
	}
	return pw, nil
}

func (s *Service) setPassword(ctx context.Context, actor Actor, orgID, userID sfid.ID, hash, display string) error {
	err := s.Update(ctx, actor, func(tx *Tx) error {
		u, err := findUser(ctx, tx, orgID, userID)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		if err := tx.PutUser(ctx, &u); err != nil {
			return err
		}
		tx.EndSessions(u.ID)
		return tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditChangedUserCredentials, u.ID, fmt.Sprintf(display, u.Username))
	})
	if err != nil {
		return err
	}
	return s.st.ResetLoginFailures(ctx, userID)
}

// ResetSecurityToken gives the user a new security token (the username-password flow's
// suffix) and returns it, once. Sessions stay.
func (s *Service) ResetSecurityToken(ctx context.Context, actor Actor, orgID, userID sfid.ID) (string, error) {
	tok := securityToken()
	hash := password.Hash(tok)
	err := s.Update(ctx, actor, func(tx *Tx) error {
		u, err := findUser(ctx, tx, orgID, userID)
		if err != nil {
			return err
		}
		u.SecurityTokenHash = hash
		if err := tx.PutUser(ctx, &u); err != nil {
			return err
		}
		return tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditChangedUserCredentials, u.ID,
			fmt.Sprintf("Reset the security token of user %s", u.Username))
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

// UnlockUser ends the lockout of a user locked out by too many invalid logins (the
// password policy's), and forgets the failures. A user who is not locked out is Invalid.
func (s *Service) UnlockUser(ctx context.Context, actor Actor, orgID, userID sfid.ID) error {
	if _, err := findUser(ctx, s.st, orgID, userID); err != nil {
		return err
	}
	l, err := s.st.Lockout(ctx, userID)
	if err != nil {
		return err
	}
	if !l.Locked(s.OrgNow(orgID)) {
		return Invalidf("The user is not locked out.")
	}
	err = s.Update(ctx, actor, func(tx *Tx) error {
		u, err := findUser(ctx, tx, orgID, userID)
		if err != nil {
			return err
		}
		return tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditUnlockedUser, u.ID, fmt.Sprintf("Unlocked user %s", u.Username))
	})
	if err != nil {
		return err
	}
	return s.st.ResetLoginFailures(ctx, userID)
}

// securityToken returns a random token of letters and digits, like Salesforce's.
func securityToken() string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, org.SecurityTokenLen)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alnum))))
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		b[i] = alnum[n.Int64()]
	}
	return string(b)
}
