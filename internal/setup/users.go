package setup

// Users (Setup → Users): New User, Edit, Active, Permission Set Assignments. Salesforce's
// New User page: help.salesforce.com "Add a Single User" (admin_users_add.htm); the User
// object's fields: developer.salesforce.com sforce_api_objects_user.htm. Freezing and the
// user's credentials are in users_auth.go.

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/password"
	"github.com/forcefield/forcefield/internal/secret"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Defaults of a new user's Locale Settings when the form leaves them empty (those of the
// org file, package orgfile).
const (
	DefaultTimeZone = "America/Los_Angeles"
	DefaultLocale   = "en_US"
	DefaultLanguage = "en_US"
)

// Password length limits (Salesforce's default password policy asks for 8 characters at
// least; 256 bounds the work of hashing).
const (
	MinPasswordLen = 8
	MaxPasswordLen = 256
)

// MsgDuplicateUsername is Salesforce's error for a username another user of any org holds
// (DUPLICATE_USERNAME; usernames are unique across every Salesforce org).
const MsgDuplicateUsername = "Duplicate Username. The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations."

// UserInput is the New User and Edit User form: the User fields Forcefield stores.
type UserInput struct {
	FirstName string
	LastName  string // required
	Email     string // required
	Username  string // required, email-shaped, unique across the server (stored lower case)
	ProfileID sfid.ID
	Active    bool
	TimeZone  string // TimeZoneSidKey; "" is DefaultTimeZone
	Locale    string // LocaleSidKey; "" is DefaultLocale
	Language  string // LanguageLocaleKey; "" is DefaultLanguage
	// Password is the initial password typed on New User; GeneratePassword instead makes
	// one (returned once by CreateUser). Neither: the user has no password until one is
	// set (an API-only user of the client credentials flow needs none). Edit ignores both.
	Password         string
	GeneratePassword bool
}

// Field names of UserInput as the console's form names them (FieldInvalidf's field).
const (
	FieldFirstName = "FirstName"
	FieldLastName  = "LastName"
	FieldEmail     = "Email"
	FieldUsername  = "Username"
	FieldProfile   = "Profile"
	FieldTimeZone  = "TimeZoneSidKey"
	FieldLocale    = "LocaleSidKey"
	FieldLanguage  = "LanguageLocaleKey"
	FieldPassword  = "Password"
	FieldActive    = "IsActive"
)

// CreateUser adds a user to the org. It returns the user and, when in.GeneratePassword, the
// generated password — shown once by the caller, stored only as a hash. A username held by
// any user of any org is a Conflict with Salesforce's message.
func (s *Service) CreateUser(ctx context.Context, actor Actor, orgID sfid.ID, in UserInput) (org.User, string, error) {
	u := org.User{OrgID: orgID}
	if err := checkUserInput(&in, nil); err != nil {
		return org.User{}, "", err
	}
	var generated string
	switch {
	case in.GeneratePassword:
		generated = secret.Password()
		u.PasswordHash = password.Hash(generated)
	case in.Password != "":
		if err := checkPassword(FieldPassword, in.Password); err != nil {
			return org.User{}, "", err
		}
		u.PasswordHash = password.Hash(in.Password) // slow: outside the write transaction
	}
	applyUserInput(&u, in)
	err := s.Update(ctx, actor, func(tx *Tx) error {
		if _, err := tx.Org(ctx, orgID); err != nil {
			return notFound(err, "no org %s", orgID)
		}
		if err := checkUserRefs(ctx, tx, &u, in); err != nil {
			return err
		}
		if err := tx.PutUser(ctx, &u); err != nil {
			return duplicateUsername(err)
		}
		return tx.Audit(orgID, org.AuditSectionUsers, org.AuditCreated, u.ID, fmt.Sprintf("Created new user %s", u.Username))
	})
	if err != nil {
		return org.User{}, "", err
	}
	return u, generated, nil
}

// UpdateUser changes a user's fields (UserInput without the password). Unticking Active
// deactivates the user: every session and refresh token ends. A user who is an app's
// client credentials Run As user may be deactivated (Salesforce allows it); that app's
// token requests then fail until another Run As user is chosen. orgID zero finds the user
// in any org (the admin API); otherwise the user must be of that org. Nobody deactivates
// themselves.
func (s *Service) UpdateUser(ctx context.Context, actor Actor, orgID, userID sfid.ID, in UserInput) (org.User, error) {
	var u org.User
	err := s.Update(ctx, actor, func(tx *Tx) error {
		old, err := findUser(ctx, tx, orgID, userID)
		if err != nil {
			return err
		}
		if err := checkUserInput(&in, &old); err != nil {
			return err
		}
		if old.Active && !in.Active && old.ID == actor.UserID {
			return FieldInvalidf(FieldActive, "You can't deactivate your own user.")
		}
		u = old
		applyUserInput(&u, in)
		if err := checkUserRefs(ctx, tx, &u, in); err != nil {
			return err
		}
		if err := tx.PutUser(ctx, &u); err != nil {
			return duplicateUsername(err)
		}
		if old.Active && !u.Active {
			tx.EndSessions(u.ID)
			return tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditDeactivatedUser, u.ID,
				fmt.Sprintf("Deactivated user %s: all of the user's sessions end", u.Username))
		}
		return tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditUpdated, u.ID, fmt.Sprintf("Changed user %s", u.Username))
	})
	return u, err
}

// AssignPermissionSet adds a permission set of the user's org to the user's assignments.
func (s *Service) AssignPermissionSet(ctx context.Context, actor Actor, orgID, userID, permSetID sfid.ID) error {
	return s.Update(ctx, actor, func(tx *Tx) error {
		u, ps, err := userAndPermSet(ctx, tx, orgID, userID, permSetID)
		if err != nil {
			return err
		}
		if slices.Contains(u.PermissionSetIDs, ps.ID) {
			return Conflictf("%s is already assigned permission set %s", u.Username, ps.Name)
		}
		u.PermissionSetIDs = append(u.PermissionSetIDs, ps.ID)
		if err := tx.PutUser(ctx, &u); err != nil {
			return err
		}
		return tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditAssignedPermissionSet, u.ID,
			fmt.Sprintf("Permission set %s: assigned to user %s", ps.Name, u.Username))
	})
}

// UnassignPermissionSet removes a permission set from the user's assignments.
func (s *Service) UnassignPermissionSet(ctx context.Context, actor Actor, orgID, userID, permSetID sfid.ID) error {
	return s.Update(ctx, actor, func(tx *Tx) error {
		u, ps, err := userAndPermSet(ctx, tx, orgID, userID, permSetID)
		if err != nil {
			return err
		}
		i := slices.Index(u.PermissionSetIDs, ps.ID)
		if i < 0 {
			return NotFoundf("%s is not assigned permission set %s", u.Username, ps.Name)
		}
		u.PermissionSetIDs = slices.Delete(u.PermissionSetIDs, i, i+1)
		if err := tx.PutUser(ctx, &u); err != nil {
			return err
		}
		return tx.Audit(u.OrgID, org.AuditSectionUsers, org.AuditUnassignedPermissionSet, u.ID,
			fmt.Sprintf("Permission set %s: unassigned from user %s", ps.Name, u.Username))
	})
}

// findUser reads a user; orgID zero accepts any org's, otherwise another org's user is
// not found (the console never reaches across orgs).
func findUser(ctx context.Context, tx store.SetupReader, orgID, userID sfid.ID) (org.User, error) {
	u, err := tx.User(ctx, userID)
	if err == nil && !orgID.IsZero() && u.OrgID != orgID {
		err = store.ErrNotFound
	}
	if err != nil {
		return org.User{}, notFound(err, "no user %s", userID)
	}
	return u, nil
}

func userAndPermSet(ctx context.Context, tx store.SetupReader, orgID, userID, permSetID sfid.ID) (org.User, org.PermissionSet, error) {
	u, err := findUser(ctx, tx, orgID, userID)
	if err != nil {
		return u, org.PermissionSet{}, err
	}
	ps, err := tx.PermissionSet(ctx, permSetID)
	if err == nil && ps.OrgID != u.OrgID {
		err = store.ErrNotFound
	}
	if err != nil {
		return u, ps, notFound(err, "no permission set %s in the user's org", permSetID)
	}
	return u, ps, nil
}

// notFound turns store.ErrNotFound into a NotFound error; other errors pass through.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, store.ErrNotFound) {
		return NotFoundf(format, args...)
	}
	return err
}

// duplicateUsername turns the store's unique-username conflict into Salesforce's error.
// The check inside the transaction (checkUserRefs) normally answers first; this covers
// what it cannot see.
func duplicateUsername(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return &Error{Kind: Conflict, Field: FieldUsername, Message: MsgDuplicateUsername}
	}
	return err
}

// checkUserInput checks the fields that need no read and normalises them (trimmed,
// username lower case, Locale Settings defaulted). old is the user being edited, nil for
// a new one: its current time zone, locale and language stay valid.
func checkUserInput(in *UserInput, old *org.User) error {
	for _, f := range []*string{&in.FirstName, &in.LastName, &in.Email, &in.Username, &in.TimeZone, &in.Locale, &in.Language} {
		*f = strings.TrimSpace(*f)
	}
	in.Username = strings.ToLower(in.Username)
	in.TimeZone = cmpOr(in.TimeZone, DefaultTimeZone)
	in.Locale = cmpOr(in.Locale, DefaultLocale)
	in.Language = cmpOr(in.Language, DefaultLanguage)
	var errs []error
	bad := func(field, format string, args ...any) { errs = append(errs, FieldInvalidf(field, format, args...)) }
	if len(in.FirstName) > 40 {
		bad(FieldFirstName, "First Name: at most 40 characters")
	}
	switch {
	case in.LastName == "":
		bad(FieldLastName, "Last Name: You must enter a value")
	case len(in.LastName) > 80:
		bad(FieldLastName, "Last Name: at most 80 characters")
	}
	switch {
	case in.Email == "":
		bad(FieldEmail, "Email: You must enter a value")
	case !emailShaped(in.Email) || len(in.Email) > 128:
		bad(FieldEmail, "Email: invalid email address: %s", in.Email)
	}
	switch {
	case in.Username == "":
		bad(FieldUsername, "Username: You must enter a value")
	case !emailShaped(in.Username) || len(in.Username) > 80:
		bad(FieldUsername, "Username: The username must be in the form of an email address (for example, john@acme.com)")
	}
	if in.ProfileID.IsZero() {
		bad(FieldProfile, "Profile: You must enter a value")
	}
	if old == nil || in.TimeZone != old.TimeZone {
		if _, err := time.LoadLocation(in.TimeZone); err != nil || in.TimeZone == "Local" {
			bad(FieldTimeZone, "Time Zone: unknown time zone %q", in.TimeZone)
		}
	}
	if (old == nil || in.Locale != old.Locale) && !localeRE.MatchString(in.Locale) {
		bad(FieldLocale, "Locale: %q is not a locale such as en_US", in.Locale)
	}
	if (old == nil || in.Language != old.Language) && !localeRE.MatchString(in.Language) {
		bad(FieldLanguage, "Language: %q is not a language such as en_US", in.Language)
	}
	return errors.Join(errs...) // nil when none; AsError finds the first
}

// FieldErrors maps each field of err (an *Error or several joined) to its message, for a
// form to show them beside their inputs; errors with no field are left out.
func FieldErrors(err error) map[string]string {
	m := map[string]string{}
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		if e, ok := AsError(err); ok && e.Field != "" {
			if _, seen := m[e.Field]; !seen {
				m[e.Field] = e.Message
			}
		}
	}
	walk(err)
	return m
}

// checkUserRefs checks, inside the transaction, what needs a read: the profile is the
// org's and the username is nobody else's in any org.
func checkUserRefs(ctx context.Context, tx store.SetupReader, u *org.User, in UserInput) error {
	p, err := tx.Profile(ctx, in.ProfileID)
	if (err == nil && p.OrgID != u.OrgID) || errors.Is(err, store.ErrNotFound) {
		return FieldInvalidf(FieldProfile, "Profile: no profile %s in this org", in.ProfileID)
	}
	if err != nil {
		return err
	}
	other, err := tx.UserByUsername(ctx, u.Username)
	switch {
	case err == nil && other.ID != u.ID:
		return &Error{Kind: Conflict, Field: FieldUsername, Message: MsgDuplicateUsername}
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	}
	return nil
}

func applyUserInput(u *org.User, in UserInput) {
	u.FirstName, u.LastName, u.Email, u.Username = in.FirstName, in.LastName, in.Email, in.Username
	u.ProfileID, u.Active = in.ProfileID, in.Active
	u.TimeZone, u.Locale, u.Language = in.TimeZone, in.Locale, in.Language
}

// checkPassword is the password rule of every way to set one.
func checkPassword(field, pw string) error {
	if len(pw) < MinPasswordLen || len(pw) > MaxPasswordLen {
		return FieldInvalidf(field, "password must be %d to %d characters", MinPasswordLen, MaxPasswordLen)
	}
	return nil
}

// emailShaped is the org file's rule: a bare address whose domain has no empty label.
func emailShaped(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return !slices.Contains(strings.Split(domain, "."), "")
}

var localeRE = regexp.MustCompile(`^[a-z]{2,3}(_[A-Za-z0-9]{2,8}){0,3}$`)

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Alias is Salesforce's default alias of a user (the New User page fills it from the
// names: the first letter of the first name and the first four of the last name, at most
// 8 characters). Forcefield does not store an alias; every page shows this one.
func Alias(u org.User) string {
	var b []rune
	for _, r := range u.FirstName {
		b = append(b, r)
		break
	}
	for i, r := range []rune(u.LastName) {
		if i == 4 {
			break
		}
		b = append(b, r)
	}
	return strings.ToLower(string(b))
}
