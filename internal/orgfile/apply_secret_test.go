package orgfile

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/password"
	"github.com/forcefield/forcefield/internal/store"
)

// fileSecret decides between the stored secret, the file's last value and its value now.
func TestFileSecret(t *testing.T) {
	hA, hB := password.Hash("value-A-123"), password.Hash("value-B-456")
	for _, tc := range []struct {
		name                 string
		stored, lastFile     string
		plain                string
		wantHash, wantFile   string // "A", "B": the hash verifies that value; "=stored", "=lastFile", "": as named
		wantWinner           secretWinner
		wantNewHashFromPlain bool
	}{
		{name: "file omits the value: stored kept, record forgotten", stored: hA, lastFile: hA, plain: "",
			wantHash: "=stored", wantFile: "", wantWinner: secretAgreed},
		{name: "new user", stored: "", lastFile: "", plain: "value-A-123",
			wantHash: "A", wantFile: "A", wantWinner: secretAgreed, wantNewHashFromPlain: true},
		{name: "unchanged file, unchanged secret", stored: hA, lastFile: hA, plain: "value-A-123",
			wantHash: "=stored", wantFile: "=lastFile", wantWinner: secretAgreed},
		{name: "unchanged file, secret changed through the admin API: admin wins", stored: hB, lastFile: hA, plain: "value-A-123",
			wantHash: "=stored", wantFile: "=lastFile", wantWinner: secretKept},
		{name: "file edited, secret as the file last set it: ordinary edit", stored: hA, lastFile: hA, plain: "value-C-789",
			wantHash: "C", wantFile: "C", wantWinner: secretAgreed, wantNewHashFromPlain: true},
		{name: "file edited, secret changed through the admin API: file wins", stored: hB, lastFile: hA, plain: "value-C-789",
			wantHash: "C", wantFile: "C", wantWinner: secretFileWins, wantNewHashFromPlain: true},
		{name: "file edited to the admin's value: adopted, no change", stored: hB, lastFile: hA, plain: "value-B-456",
			wantHash: "=stored", wantFile: "=stored", wantWinner: secretAgreed},
		{name: "no record (older database), file equals stored: recorded", stored: hA, lastFile: "", plain: "value-A-123",
			wantHash: "=stored", wantFile: "=stored", wantWinner: secretAgreed},
		{name: "no record (older database), file differs: file wins as it always did", stored: hB, lastFile: "", plain: "value-A-123",
			wantHash: "A", wantFile: "A", wantWinner: secretNoRecord, wantNewHashFromPlain: true},
		{name: "file value put back after it was dropped: an edit", stored: hB, lastFile: "", plain: "value-A-123",
			wantHash: "A", wantFile: "A", wantWinner: secretNoRecord, wantNewHashFromPlain: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hash, file, w := fileSecret(tc.stored, tc.lastFile, tc.plain)
			check := func(what, got, want string) {
				t.Helper()
				switch want {
				case "=stored":
					if got != tc.stored {
						t.Errorf("%s = %q, want the stored hash", what, got)
					}
				case "=lastFile":
					if got != tc.lastFile {
						t.Errorf("%s = %q, want the last file hash", what, got)
					}
				case "":
					if got != "" {
						t.Errorf("%s = %q, want none", what, got)
					}
				default:
					plain := map[string]string{"A": "value-A-123", "B": "value-B-456", "C": "value-C-789"}[want]
					if ok, _ := password.Verify(got, plain); !ok {
						t.Errorf("%s does not verify %s", what, plain)
					}
					if strings.Contains(got, plain) {
						t.Errorf("%s holds the plaintext", what)
					}
				}
			}
			check("hash", hash, tc.wantHash)
			check("file", file, tc.wantFile)
			if w != tc.wantWinner {
				t.Errorf("winner = %d, want %d", w, tc.wantWinner)
			}
			if tc.wantNewHashFromPlain && (hash == tc.stored || hash != file) {
				t.Errorf("want one new hash for both, got %q and %q (stored %q)", hash, file, tc.stored)
			}
		})
	}
}

// The whole cycle through Apply: a password and token set by the file, changed through
// the admin API (as admin.API.setPassword and resetSecurityToken store them), survive a
// re-apply of the unchanged file; editing the file's values applies them; an older
// database without the record lets the file win.
func TestApplyKeepsSecretsChangedSince(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	name := filepath.Join(t.TempDir(), "auth.yaml")
	apply := func(t *testing.T, data string) *Result {
		t.Helper()
		res, err := Apply(ctx, st, mustParse(t, name, data))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	user := func(t *testing.T) org.User {
		t.Helper()
		u, err := st.UserByUsername(ctx, "int@auth.example")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	// adminSets stores hashes as the admin API does: PutUser with the new hash alone.
	adminSets := func(t *testing.T, pw, tok string) {
		t.Helper()
		u := user(t)
		u.PasswordHash, u.SecurityTokenHash = password.Hash(pw), password.Hash(tok)
		if err := st.UpdateSetup(ctx, func(w store.SetupWriter) error { return w.PutUser(ctx, &u) }); err != nil {
			t.Fatal(err)
		}
	}
	verifies := func(t *testing.T, what, pw, tok string) {
		t.Helper()
		u := user(t)
		okPw, _ := password.Verify(u.PasswordHash, pw)
		okTok, _ := password.Verify(u.SecurityTokenHash, tok)
		if !okPw || !okTok {
			t.Errorf("%s: password %s %v, token %s %v", what, pw, okPw, tok, okTok)
		}
	}
	const filePw, fileTok = "correct-horse", "ABCDEFGHIJKLMNOPQRSTUVWX"
	file := strings.NewReplacer("        certificates: [app.crt]\n", "", "        approvedUsers: [int@auth.example]\n", "").Replace(authFile)

	apply(t, file)
	verifies(t, "first apply", filePw, fileTok)
	if u := user(t); u.FilePasswordHash != u.PasswordHash || u.FileSecurityTokenHash != u.SecurityTokenHash {
		t.Errorf("the file's values are not recorded: %+v", u)
	}

	adminSets(t, "admin-set-pw", "ZYXWVUTSRQPONMLKJIHGFEDC")
	res := apply(t, file) // a restart with the unchanged file
	verifies(t, "re-apply of the unchanged file", "admin-set-pw", "ZYXWVUTSRQPONMLKJIHGFEDC")
	if res.Changed() || len(res.EndSessions) != 0 {
		t.Errorf("re-apply of the unchanged file: changed %v, ends sessions %v", res.Changed(), res.EndSessions)
	}
	wantNotes := []string{
		"kept the password of user int@auth.example set since the org file was last applied (through the admin API): the file's password is unchanged — edit it in the file to apply it",
		"kept the security token of user int@auth.example set since the org file was last applied (through the admin API): the file's security token is unchanged — edit it in the file to apply it",
	}
	if !slices.Equal(res.SecretNotes, wantNotes) {
		t.Errorf("notes %q\nwant %q", res.SecretNotes, wantNotes)
	}

	// Editing the file's password applies it (and ends the user's sessions); the token,
	// unchanged in the file, stays the admin's.
	edited := strings.Replace(file, "password: "+filePw, "password: edited-in-file", 1)
	res = apply(t, edited)
	verifies(t, "file edited", "edited-in-file", "ZYXWVUTSRQPONMLKJIHGFEDC")
	u := user(t)
	if len(res.EndSessions) != 1 || res.EndSessions[0] != u.ID {
		t.Errorf("a password changed by the file ends the sessions: %v", res.EndSessions)
	}
	if len(res.SecretNotes) != 2 || !strings.HasPrefix(res.SecretNotes[0], "applied the org file's new password of user int@auth.example, replacing") ||
		!strings.HasPrefix(res.SecretNotes[1], "kept the security token") {
		t.Errorf("notes %q", res.SecretNotes)
	}
	if res = apply(t, edited); res.Changed() || len(res.SecretNotes) != 1 {
		t.Errorf("applying the edited file again: changed %v, notes %q", res.Changed(), res.SecretNotes)
	}

	// A database from before the record: the file's value wins where it differs, and is
	// recorded without counting as a change where it does not.
	adminSets(t, "admin-again-pw", fileTok)
	u = user(t)
	u.FilePasswordHash, u.FileSecurityTokenHash = "", ""
	if err := st.UpdateSetup(ctx, func(w store.SetupWriter) error { return w.PutUser(ctx, &u) }); err != nil {
		t.Fatal(err)
	}
	res = apply(t, edited)
	verifies(t, "older database", "edited-in-file", fileTok)
	if len(res.SecretNotes) != 1 || !strings.Contains(res.SecretNotes[0], "applied the org file's password of user int@auth.example over the stored one") {
		t.Errorf("older database notes %q", res.SecretNotes)
	}
	if u := user(t); u.FilePasswordHash != u.PasswordHash || u.FileSecurityTokenHash != u.SecurityTokenHash {
		t.Error("the older database's apply did not record the file's values")
	}
}
