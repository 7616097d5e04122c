package orgfile

import (
	"fmt"

	"github.com/forcefield/forcefield/internal/password"
)

// A user's password and security token can be set by two hands: the org file, applied
// at every start (--org-file) and through POST /forcefield/admin/apply, and the admin
// API (PUT …/users/{user}/password, POST …/security-token), which an operator — or a
// test suite rotating a token — uses between starts. The file sets a secret when its
// value is new: the first time, or when it differs from the value the file had when
// last applied (kept as org.User.FilePasswordHash and FileSecurityTokenHash, the same
// argon2id hashes as the secrets, never the plaintext). So
//
//   - restarting with an unchanged file keeps a secret changed since through the admin
//     API (before, the file's old value silently won and undid the change);
//   - editing the value in the file applies it, whoever changed the secret since;
//   - a file that drops the value leaves the stored secret alone and forgets its own
//     last value, so putting any value back counts as an edit;
//   - a database written before the file's last values were kept has none: the file's
//     value is applied when it differs from the stored secret, as it always was.
//
// Whenever the two disagree, Result.SecretNotes says which won (the server prints it).

// secretWinner says what fileSecret decided where the file and the stored secret differ.
type secretWinner int

const (
	secretAgreed   secretWinner = iota // nothing to report: no conflict
	secretKept                         // the file's value is unchanged: the secret set since stays
	secretFileWins                     // the file's value changed: it replaces the secret set since
	secretNoRecord                     // no last file value on record: the file's value replaces the stored one
)

// fileSecret decides a secret on apply from the stored hash, the hash of the file's
// value at the last apply (lastFile, "" when none) and the file's value now (plain, ""
// when the file omits it). It returns the secret's hash and the file's last value to
// store, and whether the two hands disagreed.
func fileSecret(stored, lastFile, plain string) (hash, file string, w secretWinner) {
	if plain == "" {
		return stored, "", secretAgreed
	}
	if ok, _ := password.Verify(lastFile, plain); ok {
		if stored != lastFile {
			return stored, lastFile, secretKept
		}
		return stored, lastFile, secretAgreed
	}
	if ok, _ := password.Verify(stored, plain); ok {
		return stored, stored, secretAgreed // already this value (applying twice changes nothing)
	}
	h := password.Hash(plain)
	switch {
	case stored == "":
		return h, h, secretAgreed
	case lastFile == "":
		return h, h, secretNoRecord
	case stored != lastFile:
		return h, h, secretFileWins
	}
	return h, h, secretAgreed // an ordinary edit of the file
}

// secretNote is the line that reports a disagreement, "" when there was none.
func secretNote(w secretWinner, what, username string) string {
	switch w {
	case secretKept:
		return fmt.Sprintf("kept the %s of user %s set since the org file was last applied (through the admin API): the file's %s is unchanged — edit it in the file to apply it", what, username, what)
	case secretFileWins:
		return fmt.Sprintf("applied the org file's new %s of user %s, replacing the one set since the file was last applied (through the admin API)", what, username)
	case secretNoRecord:
		return fmt.Sprintf("applied the org file's %s of user %s over the stored one (no record of the file's last value, from an older Forcefield)", what, username)
	}
	return ""
}
